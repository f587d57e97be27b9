//! Splitting a copy into engine descriptors.
//!
//! A descriptor carries at most [`MAX_DESCRIPTOR_BYTES`] (unless a single
//! row is larger): whole slices are grouped when they fit, otherwise a slice
//! is cut into runs of rows. Short descriptors keep the engine's queue
//! moving and bound the work lost to an error.

use tiledma_contract::{CommandRecord, EngineDescriptor};

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
    /// Descriptors for `rec`, all tagged `tag`. Empty copies yield none.
    pub fn new(rec: &CommandRecord, tag: u16) -> Self {
        let empty = rec.row_bytes == 0 || rec.rows == 0 || rec.slices == 0;
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
        let offset = |row_pitch: u32, slice_pitch: u64| {
            slice_pitch * self.slice as u64 + row_pitch as u64 * self.row as u64
        };
        let d = EngineDescriptor {
            src_addr: r.src_addr + offset(r.src_row_pitch, r.src_slice_pitch),
            dst_addr: r.dst_addr + offset(r.dst_row_pitch, r.dst_slice_pitch),
            src_slice_pitch: r.src_slice_pitch,
            dst_slice_pitch: r.dst_slice_pitch,
            src_row_pitch: r.src_row_pitch,
            dst_row_pitch: r.dst_row_pitch,
            row_bytes: r.row_bytes,
            rows,
            slices,
            tag: self.tag,
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

#[cfg(test)]
mod tests {
    use super::*;

    /// Every (row, slice) of the record is covered exactly once, in order.
    fn rows_of(rec: &CommandRecord) -> Vec<(u64, u64)> {
        let mut v = Vec::new();
        for d in Splitter::new(rec, 1) {
            assert!(d.total_bytes() <= MAX_DESCRIPTOR_BYTES.max(d.row_bytes as u64));
            for z in 0..d.slices {
                for y in 0..d.rows {
                    v.push((d.src_row_addr(y, z), d.dst_row_addr(y, z)));
                }
            }
        }
        v
    }

    fn expect(rec: &CommandRecord) -> Vec<(u64, u64)> {
        let mut v = Vec::new();
        for z in 0..rec.slices as u64 {
            for y in 0..rec.rows as u64 {
                v.push((
                    rec.src_addr + z * rec.src_slice_pitch + y * rec.src_row_pitch as u64,
                    rec.dst_addr + z * rec.dst_slice_pitch + y * rec.dst_row_pitch as u64,
                ));
            }
        }
        v
    }

    #[test]
    fn splits_cover_every_row_once() {
        for (row_bytes, rows, slices) in [
            (16, 3, 2),
            (4096, 100, 3),
            (100_000, 7, 2),
            (1 << 20, 2, 1),
            (64, 4096, 5),
            (300_000, 1, 1),
        ] {
            let rec = CommandRecord {
                row_bytes,
                rows,
                slices,
                src_addr: 0x1000,
                dst_addr: 0x9000_0000,
                src_row_pitch: row_bytes + 3,
                dst_row_pitch: row_bytes + 64,
                src_slice_pitch: (row_bytes as u64 + 3) * rows as u64 + 5,
                dst_slice_pitch: (row_bytes as u64 + 64) * rows as u64,
                ..Default::default()
            };
            assert_eq!(rows_of(&rec), expect(&rec), "{row_bytes}x{rows}x{slices}");
        }
    }

    #[test]
    fn empty_copy_has_no_descriptors() {
        let rec = CommandRecord {
            row_bytes: 0,
            rows: 5,
            slices: 5,
            ..Default::default()
        };
        assert_eq!(Splitter::new(&rec, 0).count(), 0);
    }
}
