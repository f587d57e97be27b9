//! How a copy's side (source or destination) is laid out: the 32-bit
//! `layout` word of command records and engine descriptors.
//!
//! A side is `addr`, `row_pitch`, `slice_pitch` and a [`Placement`]: its
//! [`Tiling`] and where the region's first byte sits inside the first tile
//! (`x` bytes across, `y` rows down). Byte `(x, y, z)` of the region lives at
//!
//! ```text
//! addr + z*slice_pitch + tiling.offset(row_pitch, placement.x + x, placement.y + y)
//! ```
//!
//! so `addr` is the start of the tile (tiled) or of the byte (linear) that
//! holds the region's first byte; whole tile rows and columns before the
//! origin are folded into it by [`Placement::locate`]. Linear sides always
//! have `x = y = 0`. Keeping `x < tile width` and `y < tile height` lets the
//! engine walk a tiled side with adders and bit fields only: no multiplier.
//!
//! Wire form, per side 16 bits (source in bits 15:0, destination in 31:16):
//! tiling code in bits 1:0, `y` in bits 6:2, `x` in bits 15:7.

use crate::tiling::{Tiling, TILE_BYTES};

/// Where a side's region starts inside its first tile.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash)]
pub struct Placement {
    /// Layout of the side.
    pub tiling: Tiling,
    /// Bytes across from the tile's left edge (0 for linear).
    pub x: u16,
    /// Rows down from the tile's top (0 for linear).
    pub y: u8,
}

impl Placement {
    /// A linear side.
    pub const LINEAR: Placement = Placement {
        tiling: Tiling::Linear,
        x: 0,
        y: 0,
    };

    /// Splits surface coordinates (`x` bytes, `y` rows) of a side with this
    /// tiling and row pitch into the byte offset of the tile (or, linear,
    /// the byte) that holds them, and the placement inside it.
    pub fn locate(tiling: Tiling, row_pitch: u64, x: u64, y: u64) -> (u64, Placement) {
        let tw = tiling.tile_width();
        let top = Placement {
            tiling,
            x: (x % tw) as u16,
            y: 0,
        };
        let (down, p) = top.advance_rows(row_pitch, y);
        let across = if tiling == Tiling::Linear {
            x
        } else {
            (x / tw) * TILE_BYTES
        };
        (down + across, p)
    }

    /// The same side moved `rows` rows down: the address delta and the new
    /// placement (whole tile rows fold into the address).
    pub fn advance_rows(self, row_pitch: u64, rows: u64) -> (u64, Placement) {
        let th = self.tiling.tile_height();
        let y = self.y as u64 + rows;
        let p = Placement {
            y: (y % th) as u8,
            ..self
        };
        ((y / th) * th * row_pitch, p)
    }

    /// Whether the placement is one the engine accepts.
    pub fn valid(self) -> bool {
        (self.x as u64) < self.tiling.tile_width() && (self.y as u64) < self.tiling.tile_height()
    }

    /// Offset from the side's `addr` of region byte `(x, y)` of a slice.
    pub fn offset(self, row_pitch: u64, x: u64, y: u64) -> u64 {
        self.tiling
            .offset(row_pitch, self.x as u64 + x, self.y as u64 + y)
    }

    /// Region bytes from `x` to the end of the side's contiguous run (no
    /// limit for linear: the rest of the row).
    pub fn run_from(self, x: u64) -> u64 {
        self.tiling.run_from(self.x as u64 + x)
    }

    /// The 16-bit wire form.
    pub fn to_bits(self) -> u16 {
        self.tiling as u16 | (self.y as u16 & 0x1f) << 2 | (self.x & 0x1ff) << 7
    }

    /// Decodes the 16-bit wire form (every value decodes; check
    /// [`Placement::valid`]).
    pub fn from_bits(bits: u16) -> Self {
        Placement {
            tiling: Tiling::from_code((bits & 3) as u8).expect("two-bit code"),
            y: ((bits >> 2) & 0x1f) as u8,
            x: bits >> 7,
        }
    }
}

/// Both sides' placements: the `layout` word.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash)]
pub struct Layout {
    /// Source side.
    pub src: Placement,
    /// Destination side.
    pub dst: Placement,
}

impl Layout {
    /// Linear to linear (the value 0).
    pub const LINEAR: Layout = Layout {
        src: Placement::LINEAR,
        dst: Placement::LINEAR,
    };

    /// The 32-bit wire form.
    pub fn to_word(self) -> u32 {
        self.src.to_bits() as u32 | (self.dst.to_bits() as u32) << 16
    }

    /// Decodes the wire form.
    pub fn from_word(w: u32) -> Self {
        Layout {
            src: Placement::from_bits(w as u16),
            dst: Placement::from_bits((w >> 16) as u16),
        }
    }

    /// Whether both placements are valid.
    pub fn valid(self) -> bool {
        self.src.valid() && self.dst.valid()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn wire_form_round_trips() {
        for tiling in Tiling::ALL {
            for (x, y) in [(0, 0), (5, 3), (127, 31), (511, 7)] {
                let p = Placement { tiling, x, y };
                assert_eq!(Placement::from_bits(p.to_bits()), p);
                let l = Layout {
                    src: p,
                    dst: Placement::LINEAR,
                };
                assert_eq!(Layout::from_word(l.to_word()), l);
            }
        }
        assert_eq!(Layout::LINEAR.to_word(), 0);
    }

    /// `locate` then `offset` is the surface formula, for every layout.
    #[test]
    fn locate_then_offset_is_the_surface_offset() {
        for t in Tiling::ALL {
            let pitch = 3 * t.tile_width().max(128);
            for (x0, y0) in [(0, 0), (17, 5), (130, 33), (600, 9), (1000, 70)] {
                if x0 >= pitch {
                    continue;
                }
                let (base, p) = Placement::locate(t, pitch, x0, y0);
                assert!(p.valid());
                for (dx, dy) in [(0, 0), (1, 0), (100, 1), (pitch - x0 - 1, 40)] {
                    assert_eq!(
                        base + p.offset(pitch, dx, dy),
                        t.offset(pitch, x0 + dx, y0 + dy),
                        "{t:?} origin ({x0},{y0}) + ({dx},{dy})"
                    );
                }
                let (delta, q) = p.advance_rows(pitch, 45);
                assert_eq!(
                    base + delta + q.offset(pitch, 7, 0),
                    t.offset(pitch, x0 + 7, y0 + 45)
                );
            }
        }
    }
}
