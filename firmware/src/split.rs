//! Splitting a copy into engine descriptors.
//!
//! A descriptor carries at most [`MAX_DESCRIPTOR_BYTES`] (unless a single
//! row is larger): whole slices are grouped when they fit, otherwise a slice
//! is cut into runs of rows. Short descriptors keep the engine's queue
//! moving and bound the work lost to an error. A tiled side cut at row `r`
//! folds the whole tile rows above `r` into its base (see `Side::at`).

use crate::side::Side;
use tiledma_contract::command::OP_COPY;
use tiledma_contract::{CommandRecord, EngineDescriptor, Layout};

/// Target size of one descriptor.
pub const MAX_DESCRIPTOR_BYTES: u64 = 256 * 1024;

/// Iterator over the descriptors of one copy.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
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
        let mut s = Self {
            rec: *rec,
            ..Default::default()
        };
        s.restart(tag);
        s
    }

    /// A splitter with nothing to send (rejected or failed commands).
    pub fn empty() -> Self {
        Self::new(&CommandRecord::default(), 0)
    }

    /// The record being split.
    pub fn record(&self) -> &CommandRecord {
        &self.rec
    }

    /// The record, to be filled in place before [`Splitter::restart`].
    pub fn record_mut(&mut self) -> &mut CommandRecord {
        &mut self.rec
    }

    /// Starts over on the (new) record: as [`Splitter::new`] with it.
    #[inline]
    pub fn restart(&mut self, tag: u16) {
        let r = &self.rec;
        let empty = r.opcode != OP_COPY || r.row_bytes == 0 || r.rows == 0 || r.slices == 0;
        self.slice = if empty { r.slices } else { 0 };
        self.row = 0;
        self.tag = tag;
    }

    /// Sends nothing more (the record stays).
    #[inline]
    pub fn stop(&mut self) {
        self.slice = self.rec.slices;
    }

    /// No descriptor is left.
    #[inline]
    pub fn done(&self) -> bool {
        self.slice >= self.rec.slices
    }
}

/// How many pieces of `bytes` fit in one descriptor: 1 to `left`. Out of
/// line, so that the compiler does not hoist its division (tens of cycles
/// on the card's core) into the common case that needs none.
#[inline(never)]
fn fit(bytes: u64, left: u32) -> u32 {
    (MAX_DESCRIPTOR_BYTES / bytes).clamp(1, left as u64) as u32
}

impl Iterator for Splitter {
    type Item = EngineDescriptor;

    #[inline]
    fn next(&mut self) -> Option<EngineDescriptor> {
        if self.done() {
            return None;
        }
        let r = &self.rec;
        // 32-bit factors: no overflow.
        let slice_bytes = r.row_bytes as u64 * r.rows as u64;
        let (rows, slices) = if self.row == 0 && slice_bytes <= MAX_DESCRIPTOR_BYTES {
            let left = r.slices - self.slice;
            // clamp(1, 1) is 1 whatever the quotient: no division.
            let n = if left == 1 { 1 } else { fit(slice_bytes, left) };
            (r.rows, n)
        } else {
            let left = r.rows - self.row;
            let n = if left == 1 {
                1
            } else {
                fit(r.row_bytes as u64, left)
            };
            (n, 1)
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

#[cfg(test)]
mod tests {
    use super::*;

    /// Source and destination addresses of the first and last byte of
    /// every row, in order, over all descriptors.
    fn rows_of(rec: &CommandRecord) -> Vec<[u64; 4]> {
        let mut v = Vec::new();
        for d in Splitter::new(rec, 1) {
            assert!(d.total_bytes() <= MAX_DESCRIPTOR_BYTES.max(d.row_bytes as u64));
            let last = d.row_bytes - 1;
            for z in 0..d.slices {
                for y in 0..d.rows {
                    v.push([
                        d.src_byte_addr(0, y, z),
                        d.dst_byte_addr(0, y, z),
                        d.src_byte_addr(last, y, z),
                        d.dst_byte_addr(last, y, z),
                    ]);
                }
            }
        }
        v
    }

    /// The same, from the record read as one big descriptor.
    fn expect(rec: &CommandRecord) -> Vec<[u64; 4]> {
        let whole = EngineDescriptor::of_record(rec);
        let last = rec.row_bytes - 1;
        let mut v = Vec::new();
        for z in 0..rec.slices {
            for y in 0..rec.rows {
                v.push([
                    whole.src_byte_addr(0, y, z),
                    whole.dst_byte_addr(0, y, z),
                    whole.src_byte_addr(last, y, z),
                    whole.dst_byte_addr(last, y, z),
                ]);
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
                opcode: OP_COPY,
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

    /// Tiled sides cut mid-tile keep every byte where the formulas put it.
    #[test]
    fn tiled_splits_follow_the_tiling() {
        use tiledma_contract::layout::Placement;
        use tiledma_contract::tiling::Tiling;
        for (src_t, dst_t) in [(Tiling::Y, Tiling::X), (Tiling::Tile4, Tiling::Linear)] {
            let (row_bytes, rows, slices) = (3000u32, 200u32, 2u32);
            let layout = Layout {
                src: Placement {
                    tiling: src_t,
                    x: 37,
                    y: 29,
                },
                dst: Placement {
                    tiling: dst_t,
                    x: if dst_t == Tiling::X { 300 } else { 0 },
                    y: if dst_t == Tiling::X { 5 } else { 0 },
                },
            };
            let rec = CommandRecord {
                opcode: OP_COPY,
                row_bytes,
                rows,
                slices,
                layout: layout.to_word(),
                src_addr: 0x1000,
                dst_addr: 0x9000_0000,
                src_row_pitch: 4096,
                dst_row_pitch: 4096,
                src_slice_pitch: 4096 * 256,
                dst_slice_pitch: 4096 * 256,
                ..Default::default()
            };
            assert!(Splitter::new(&rec, 1).count() > 2);
            assert_eq!(rows_of(&rec), expect(&rec), "{src_t:?} -> {dst_t:?}");
        }
    }

    #[test]
    fn empty_copy_has_no_descriptors() {
        let rec = CommandRecord {
            opcode: OP_COPY,
            row_bytes: 0,
            rows: 5,
            slices: 5,
            ..Default::default()
        };
        assert_eq!(Splitter::new(&rec, 0).count(), 0);
    }
}
