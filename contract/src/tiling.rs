//! Tiled layouts: where byte (x, y) of a surface lives.
//!
//! `x` is in bytes, `y` in rows, `pitch` the row pitch in bytes (a multiple
//! of the tile width for tiled layouts). Tiles are 4096 bytes and laid out
//! row-major. These are Intel's layouts without address swizzling (Mesa's
//! `isl_tiled_memcpy.c`), so results can be checked against a GPU:
//!
//! | layout | tile | address of byte (x, y) |
//! |---|---|---|
//! | linear | – | `y*P + x` |
//! | X | 512 B × 8 | `(y/8)*(8P) + (x/512)*4096 + (y%8)*512 + x%512` |
//! | Y | 128 B × 32, 16-byte columns | `(y/32)*(32P) + (x/128)*4096 + ((x%128)/16)*512 + (y%32)*16 + x%16` |
//! | Tile4 | 128 B × 32 | `(y/32)*(32P) + (x/128)*4096 + ((y%32)/8)*1024 + ((x%128)/64)*512 + ((y%8)/4)*256 + ((x%64)/16)*64 + (y%4)*16 + x%16` |

/// Bytes in one tile of every tiled layout.
pub const TILE_BYTES: u64 = 4096;

/// A memory layout of a 2D surface.
#[repr(u8)]
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash)]
pub enum Tiling {
    /// Rows one after another.
    #[default]
    Linear = 0,
    /// X-major tiles of 512 B × 8 rows.
    X = 1,
    /// Y-major tiles of 128 B × 32 rows in 16-byte columns.
    Y = 2,
    /// Tile4: 128 B × 32 rows, 64 B × 4 row micro-tiles.
    Tile4 = 3,
}

impl Tiling {
    /// Every layout.
    pub const ALL: [Tiling; 4] = [Tiling::Linear, Tiling::X, Tiling::Y, Tiling::Tile4];

    /// Decodes a layout code.
    pub fn from_code(code: u8) -> Option<Self> {
        Self::ALL.into_iter().find(|t| *t as u8 == code)
    }

    /// Tile width in bytes (1 for linear: any pitch works).
    pub fn tile_width(self) -> u64 {
        match self {
            Tiling::Linear => 1,
            Tiling::X => 512,
            Tiling::Y | Tiling::Tile4 => 128,
        }
    }

    /// Tile height in rows (1 for linear).
    pub fn tile_height(self) -> u64 {
        match self {
            Tiling::Linear => 1,
            Tiling::X => 8,
            Tiling::Y | Tiling::Tile4 => 32,
        }
    }

    /// Whether `pitch` is a valid row pitch for this layout.
    pub fn pitch_ok(self, pitch: u64) -> bool {
        pitch > 0 && pitch.is_multiple_of(self.tile_width())
    }

    /// Offset of byte (x, y) from the surface's base. `pitch` must satisfy
    /// [`Tiling::pitch_ok`] and `x < pitch`.
    pub fn offset(self, pitch: u64, x: u64, y: u64) -> u64 {
        match self {
            Tiling::Linear => y * pitch + x,
            Tiling::X => (y / 8) * (8 * pitch) + (x / 512) * 4096 + (y % 8) * 512 + x % 512,
            Tiling::Y => {
                (y / 32) * (32 * pitch)
                    + (x / 128) * 4096
                    + ((x % 128) / 16) * 512
                    + (y % 32) * 16
                    + x % 16
            }
            Tiling::Tile4 => {
                (y / 32) * (32 * pitch)
                    + (x / 128) * 4096
                    + ((y % 32) / 8) * 1024
                    + ((x % 128) / 64) * 512
                    + ((y % 8) / 4) * 256
                    + ((x % 64) / 16) * 64
                    + (y % 4) * 16
                    + x % 16
            }
        }
    }

    /// Bytes from (x, y) to the end of the contiguous run that holds it
    /// along the row: the run is `[offset(x), offset(x) + run)` and covers
    /// bytes x..x+run of row y. Linear rows never break (`u64::MAX`).
    pub fn run_from(self, x: u64) -> u64 {
        match self {
            Tiling::Linear => u64::MAX,
            Tiling::X => 512 - x % 512,
            Tiling::Y | Tiling::Tile4 => 16 - x % 16,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Within one tile every layout is a permutation of its 4096 bytes.
    #[test]
    fn each_tile_is_a_permutation() {
        for t in [Tiling::X, Tiling::Y, Tiling::Tile4] {
            let pitch = 4 * t.tile_width();
            let mut seen = [false; 4096];
            for y in 0..t.tile_height() {
                for x in 0..t.tile_width() {
                    let o = t.offset(pitch, x, y) as usize;
                    assert!(o < 4096 && !seen[o], "{t:?} ({x},{y}) -> {o}");
                    seen[o] = true;
                }
            }
        }
    }

    /// Whole surfaces: every byte of a pitch × height surface lands inside
    /// it exactly once, tiles row-major.
    #[test]
    fn surfaces_are_permutations() {
        for t in Tiling::ALL {
            let pitch = 3 * t.tile_width().max(128);
            let height = 2 * t.tile_height().max(8);
            let size = (pitch * height) as usize;
            let mut seen = [false; 3 * 128 * 2 * 32 * 4];
            for y in 0..height {
                for x in 0..pitch {
                    let o = t.offset(pitch, x, y) as usize;
                    assert!(o < size && !seen[o], "{t:?} ({x},{y})");
                    seen[o] = true;
                }
            }
        }
    }

    /// Y and X checked against differently-shaped derivations (Y: column-major
    /// 16-byte OWords in a 128×32 tile; X: 512-byte rows of 4 KiB tiles).
    /// Tile4 is the nested-block reading of its definition (bands of 8 rows,
    /// 64-byte halves, 4-row pairs, OWord columns): a restatement, kept to
    /// pin the tile-index arithmetic around it.
    #[test]
    fn formulas_match_independent_derivations() {
        let pitch = 512;
        for y in 0..64 {
            for x in 0..pitch {
                let tile = (y / 32) * (pitch / 128) + x / 128;
                let (tx, ty) = (x % 128, y % 32);
                let y_oword = (tx / 16) * 32 + ty;
                assert_eq!(
                    Tiling::Y.offset(pitch, x, y),
                    tile * 4096 + y_oword * 16 + x % 16
                );
                let t4 = (ty / 8) * 1024
                    + (tx / 64) * 512
                    + ((ty % 8) / 4) * 256
                    + ((tx % 64) / 16) * 64
                    + (ty % 4) * 16
                    + tx % 16;
                assert_eq!(Tiling::Tile4.offset(pitch, x, y), tile * 4096 + t4);
                let x_tile = (y / 8) * (pitch / 512) + x / 512;
                assert_eq!(
                    Tiling::X.offset(pitch, x, y),
                    x_tile * 4096 + (y % 8) * 512 + x % 512
                );
            }
        }
    }

    /// A run really is contiguous in memory and ends where the next byte jumps.
    #[test]
    fn runs_are_contiguous() {
        for t in Tiling::ALL {
            let pitch = 2 * t.tile_width().max(128);
            for y in [0, 5, 31] {
                let mut x = 0;
                while x < pitch {
                    let run = t.run_from(x).min(pitch - x);
                    let base = t.offset(pitch, x, y);
                    for i in 0..run {
                        assert_eq!(t.offset(pitch, x + i, y), base + i);
                    }
                    if x + run < pitch {
                        assert_ne!(
                            t.offset(pitch, x + run, y),
                            base + run,
                            "{t:?} run at {x} too short"
                        );
                    }
                    x += run;
                }
            }
        }
    }
}
