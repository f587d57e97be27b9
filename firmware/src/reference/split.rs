//! Splitting a copy into engine descriptors.
//!
//! A descriptor carries at most [`MAX_DESCRIPTOR_BYTES`] (unless a single
//! row is larger): whole slices are grouped when they fit, otherwise a slice
//! is cut into runs of rows. Short descriptors keep the engine's queue
//! moving and bound the work lost to an error. A tiled side cut at row `r`
//! folds the whole tile rows above `r` into its base (see `Side::at`).

use super::side::Side;
use tiledma_contract::command::OP_COPY;
use tiledma_contract::{CommandRecord, EngineDescriptor, Layout};

/// Target size of one descriptor.
pub const MAX_DESCRIPTOR_BYTES: u64 = 256 * 1024;

/// Iterator over the descriptors of one copy.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Splitter {
    rec: CommandRecord,
    tag: u16,
    slice: u32,
    row: u32,
}

impl Splitter {
    /// Descriptors for `rec`, all tagged `tag`. Empty copies yield none,
    /// and so does anything but a copy (a NOP moves nothing, whatever its
    /// other fields say).
    pub fn new(rec: &CommandRecord, tag: u16) -> Self {
        let empty = rec.opcode != OP_COPY || rec.row_bytes == 0 || rec.rows == 0 || rec.slices == 0;
        Self {
            rec: *rec,
            tag,
            slice: if empty { rec.slices } else { 0 },
            row: 0,
        }
    }

    /// A splitter with nothing to send (rejected or failed commands).
    pub fn empty() -> Self {
        Self::new(&CommandRecord::default(), 0)
    }

    /// No descriptor is left.
    pub fn done(&self) -> bool {
        self.slice >= self.rec.slices
    }
}

impl Iterator for Splitter {
    type Item = EngineDescriptor;

    fn next(&mut self) -> Option<EngineDescriptor> {
        if self.done() {
            return None;
        }
        let r = &self.rec;
        let row_bytes = r.row_bytes as u64;
        let slice_bytes = row_bytes * r.rows as u64;
        let (rows, slices) = if self.row == 0 && slice_bytes <= MAX_DESCRIPTOR_BYTES {
            let n = (MAX_DESCRIPTOR_BYTES / slice_bytes).clamp(1, (r.slices - self.slice) as u64);
            (r.rows, n as u32)
        } else {
            let n = (MAX_DESCRIPTOR_BYTES / row_bytes).clamp(1, (r.rows - self.row) as u64);
            (n as u32, 1)
        };
        let (src, dst) = (Side::src(r), Side::dst(r));
        let (src_addr, src_place) = src.at(self.row, self.slice);
        let (dst_addr, dst_place) = dst.at(self.row, self.slice);
        let d = EngineDescriptor {
            src_addr,
            dst_addr,
            src_slice_pitch: r.src_slice_pitch,
            dst_slice_pitch: r.dst_slice_pitch,
            src_row_pitch: r.src_row_pitch,
            dst_row_pitch: r.dst_row_pitch,
            row_bytes: r.row_bytes,
            rows,
            slices,
            tag: self.tag,
            layout: Layout {
                src: src_place,
                dst: dst_place,
            }
            .to_word(),
            ..Default::default()
        };
        if slices > 1 || rows == r.rows {
            self.slice += slices;
            self.row = 0;
        } else {
            self.row += rows;
            if self.row == r.rows {
                self.row = 0;
                self.slice += 1;
            }
        }
        Some(d)
    }
}
