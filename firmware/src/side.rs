//! One side (source or destination) of a copy: how far it reaches in
//! memory, for the window and overlap checks, and where it is after moving
//! down whole rows, for splitting. Addresses follow `tiledma_contract::layout`.

use tiledma_contract::layout::Placement;
use tiledma_contract::tiling::{Tiling, TILE_BYTES};
use tiledma_contract::CommandRecord;

/// A side's addressing: base, pitches and placement.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Side {
    /// Base address (see `tiledma_contract::layout`).
    pub addr: u64,
    /// Row pitch.
    pub row_pitch: u32,
    /// Slice pitch.
    pub slice_pitch: u64,
    /// Tiling and start inside the first tile.
    pub placement: Placement,
}

impl Side {
    /// The source side of `rec`.
    pub fn src(rec: &CommandRecord) -> Self {
        Side {
            addr: rec.src_addr,
            row_pitch: rec.src_row_pitch,
            slice_pitch: rec.src_slice_pitch,
            placement: tiledma_contract::Layout::from_word(rec.layout).src,
        }
    }

    /// The destination side of `rec`.
    pub fn dst(rec: &CommandRecord) -> Self {
        Side {
            addr: rec.dst_addr,
            row_pitch: rec.dst_row_pitch,
            slice_pitch: rec.dst_slice_pitch,
            placement: tiledma_contract::Layout::from_word(rec.layout).dst,
        }
    }

    /// Whether the placement and pitch suit the tiling.
    pub fn layout_ok(&self) -> bool {
        let t = self.placement.tiling;
        self.placement.valid() && (t == Tiling::Linear || t.pitch_ok(self.row_pitch as u64))
    }

    /// Bytes from `addr` that a non-empty region of `row_bytes × rows ×
    /// slices` may touch, or `None` when rows or slices would overlap each
    /// other (or a tiled row would leave its surface row) or the arithmetic
    /// overflows. For a destination.
    pub fn span(&self, row_bytes: u32, rows: u32, slices: u32) -> Option<u64> {
        self.extent(row_bytes, rows, slices, false)
    }

    /// [`Side::span`] for a source, which may re-read its bytes: a linear
    /// source whose pitches are smaller than a row or a slice (0 replays one
    /// block — the pattern of a fill) is allowed; rows still read in order.
    pub fn read_span(&self, row_bytes: u32, rows: u32, slices: u32) -> Option<u64> {
        self.extent(row_bytes, rows, slices, true)
    }

    fn extent(&self, row_bytes: u32, rows: u32, slices: u32, replay: bool) -> Option<u64> {
        let linear = self.placement.tiling == Tiling::Linear;
        let slice_len = if linear {
            if rows > 1 && row_bytes > self.row_pitch && !replay {
                return None;
            }
            // The last row reaches furthest, even when rows overlap. Three
            // 32-bit factors: (2^32-1)(2^32-2) + 2^32-1 < 2^64, no overflow.
            self.row_pitch as u64 * (rows as u64 - 1) + row_bytes as u64
        } else {
            let (row_bytes, rows) = (row_bytes as u64, rows as u64);
            let pitch = self.row_pitch as u64;
            let p = self.placement;
            // Whole tiles: from the first tile to the last column of the
            // last tile row the region reaches.
            let (tw, th) = (p.tiling.tile_width(), p.tiling.tile_height());
            let right = p.x as u64 + row_bytes;
            if right > pitch {
                return None;
            }
            let last_band = (p.y as u64 + rows - 1) / th;
            let columns = right.div_ceil(tw);
            (last_band * th * pitch).checked_add(columns * TILE_BYTES)?
        };
        let span = if slices == 1 {
            slice_len
        } else {
            if slice_len > self.slice_pitch && !(replay && linear) {
                return None;
            }
            self.slice_pitch
                .checked_mul(slices as u64 - 1)?
                .checked_add(slice_len)?
        };
        self.addr.checked_add(span)?;
        Some(span)
    }

    /// The side moved to row `row` of slice `slice`: its base and placement.
    #[inline]
    pub fn at(&self, row: u32, slice: u32) -> (u64, Placement) {
        let base = if slice == 0 {
            self.addr
        } else {
            self.addr + self.slice_pitch * slice as u64
        };
        if row == 0 && (self.placement.y as u64) < self.placement.tiling.tile_height() {
            // Nothing to fold (the placement is already inside its tile).
            return (base, self.placement);
        }
        let (delta, p) = self
            .placement
            .advance_rows(self.row_pitch as u64, row as u64);
        (base + delta, p)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn side(tiling: Tiling, x: u16, y: u8, pitch: u32) -> Side {
        Side {
            addr: 0x1_0000,
            row_pitch: pitch,
            slice_pitch: 1 << 20,
            placement: Placement { tiling, x, y },
        }
    }

    /// The span covers every byte the region's addresses reach.
    #[test]
    fn span_covers_every_byte() {
        for t in Tiling::ALL {
            let pitch = 4 * t.tile_width().max(128) as u32;
            let (x, y) = ((t.tile_width() as u16).saturating_sub(3), 5);
            let s = Side {
                placement: Placement {
                    tiling: t,
                    x: if t == Tiling::Linear { 0 } else { x },
                    y: if t == Tiling::Linear { 0 } else { y },
                },
                ..side(t, 0, 0, pitch)
            };
            let (w, h, d) = (pitch - s.placement.x as u32 - 1, 40, 2);
            let span = s.span(w, h, d).unwrap();
            let mut max = 0;
            for z in 0..d {
                for r in 0..h {
                    for c in 0..w {
                        let a = s.slice_pitch * z as u64
                            + s.placement.offset(pitch as u64, c as u64, r as u64);
                        max = max.max(a);
                    }
                }
            }
            assert!(max < span, "{t:?}: byte {max} outside span {span}");
        }
    }

    #[test]
    fn bad_geometry_is_none() {
        // A tiled row leaving its surface row.
        assert_eq!(side(Tiling::Y, 100, 0, 256).span(157, 1, 1), None);
        assert!(side(Tiling::Y, 100, 0, 256).span(156, 1, 1).is_some());
        // Slices overlapping.
        let mut s = side(Tiling::X, 0, 0, 512);
        s.slice_pitch = 4096;
        assert!(s.span(512, 8, 2).is_some());
        assert_eq!(s.span(512, 9, 2), None);
    }

    #[test]
    fn layout_checks_pitch_and_placement() {
        assert!(side(Tiling::Y, 127, 31, 256).layout_ok());
        assert!(!side(Tiling::Y, 128, 0, 256).layout_ok());
        assert!(!side(Tiling::Y, 0, 32, 256).layout_ok());
        assert!(!side(Tiling::X, 0, 0, 256).layout_ok());
        assert!(!side(Tiling::Linear, 1, 0, 256).layout_ok());
        assert!(side(Tiling::Linear, 0, 0, 3).layout_ok());
    }
}
