//! Where every byte of an image lives: one definition of image placement,
//! used by the firmware, the host and the tests.
//!
//! An image has a kind (1D, 1D array, 1D image buffer, 2D, 2D array, 3D), a
//! format (bytes per element or per compressed block, block size), texel
//! dimensions, array layers, mip levels and a [`Tiling`]. Placement:
//!
//! - Level `l` has `max(1, dim >> l)` texels per dimension (height is 1 for
//!   1D kinds, depth 1 unless 3D), counted in blocks of the format.
//! - Row pitch: row bytes rounded up to the tile width, and to 64 bytes (a bus
//!   beat) for linear levels. A 1D image buffer is the exception: its pitch
//!   is exactly its row bytes, since it aliases a buffer.
//! - Rows are padded to whole tiles; the slice pitch is `row pitch × padded
//!   rows` (a multiple of 4 KiB for tiled levels).
//! - A level holds its slices one after another: 3D depth slices, array
//!   layers (1D array layers are slices of one row), or a single slice.
//! - Levels follow each other, each starting on a 4 KiB boundary.

use crate::tiling::{Tiling, TILE_BYTES};

/// Largest element or block, in bytes.
pub const MAX_BLOCK_BYTES: u32 = 32;

/// What an image is.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum ImageKind {
    /// 1D.
    D1,
    /// Array of 1D layers.
    D1Array,
    /// 1D image over a buffer's bytes (linear, one level).
    D1Buffer,
    /// 2D.
    D2,
    /// Array of 2D layers.
    D2Array,
    /// 3D.
    D3,
}

impl ImageKind {
    /// The tiling the card keeps an image of this kind in when the layout
    /// is its own to choose (OpenCL images in card memory, Vulkan's optimal
    /// tiling): Tile4 for 2D kinds, Y for 3D, linear for 1D kinds.
    pub fn card_tiling(self) -> Tiling {
        match self {
            ImageKind::D2 | ImageKind::D2Array => Tiling::Tile4,
            ImageKind::D3 => Tiling::Y,
            ImageKind::D1 | ImageKind::D1Array | ImageKind::D1Buffer => Tiling::Linear,
        }
    }

    fn one_row(self) -> bool {
        matches!(
            self,
            ImageKind::D1 | ImageKind::D1Array | ImageKind::D1Buffer
        )
    }
    fn layered(self) -> bool {
        matches!(self, ImageKind::D1Array | ImageKind::D2Array)
    }
}

/// Bytes per element, or per compressed block and the block's size.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub struct Format {
    /// Bytes per block (per element for uncompressed formats): 1 to 32
    /// (Vulkan's largest texel, R64G64B64A64, is 32 bytes). Tiling is
    /// byte-addressed, so any size places.
    pub block_bytes: u32,
    /// Block width in texels (1 for uncompressed formats, 4 for BC).
    pub block_width: u32,
    /// Block height in texels.
    pub block_height: u32,
}

impl Format {
    /// An uncompressed format of `bytes` per element.
    pub const fn element(bytes: u32) -> Self {
        Self {
            block_bytes: bytes,
            block_width: 1,
            block_height: 1,
        }
    }
    /// A block-compressed format with 4×4 blocks of `bytes` (8 for BC1/BC4, 16 otherwise).
    pub const fn bc(bytes: u32) -> Self {
        Self {
            block_bytes: bytes,
            block_width: 4,
            block_height: 4,
        }
    }
}

/// Why an image description is unusable.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum SurfaceError {
    /// A dimension, layer count or level count is zero, or inconsistent with the kind.
    BadDimensions,
    /// More mip levels than the largest dimension allows.
    TooManyLevels,
    /// Element size 0 or above [`MAX_BLOCK_BYTES`], or a bad block size.
    BadFormat,
    /// A 1D image buffer must be linear.
    BadTiling,
    /// The image does not fit in 64-bit arithmetic.
    TooLarge,
}

/// An image: everything needed to place its bytes.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub struct Surface {
    /// Kind.
    pub kind: ImageKind,
    /// Format.
    pub format: Format,
    /// Width in texels.
    pub width: u32,
    /// Height in texels (1 for 1D kinds).
    pub height: u32,
    /// Depth in texels (1 unless 3D).
    pub depth: u32,
    /// Array layers (1 unless an array).
    pub layers: u32,
    /// Mip levels.
    pub levels: u32,
    /// Memory layout.
    pub tiling: Tiling,
}

/// One mip level (all its slices) of a [`Surface`].
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub struct Subresource {
    /// Byte offset of the level from the image's base.
    pub offset: u64,
    /// Row pitch in bytes.
    pub row_pitch: u64,
    /// Bytes between slices (depth slices or array layers).
    pub slice_pitch: u64,
    /// Bytes of data in a row (blocks × block bytes).
    pub row_bytes: u64,
    /// Rows of blocks with data.
    pub rows: u64,
    /// Slices (depth at this level, or layers).
    pub slices: u64,
    /// Texels across, down and deep at this level.
    pub extent: [u32; 3],
    /// Layout.
    pub tiling: Tiling,
}

impl Subresource {
    /// Offset from the image's base of the byte at `x_bytes` of block row
    /// `row` of slice `slice`.
    pub fn byte_offset(&self, x_bytes: u64, row: u64, slice: u64) -> u64 {
        self.offset + slice * self.slice_pitch + self.tiling.offset(self.row_pitch, x_bytes, row)
    }
}

fn div_ceil(a: u64, b: u64) -> u64 {
    a.div_ceil(b)
}

impl Surface {
    /// Checks the description.
    pub fn validate(&self) -> Result<(), SurfaceError> {
        let f = self.format;
        if !(1..=MAX_BLOCK_BYTES).contains(&f.block_bytes)
            || f.block_width == 0
            || f.block_height == 0
        {
            return Err(SurfaceError::BadFormat);
        }
        let k = self.kind;
        if self.width == 0
            || self.height == 0
            || self.depth == 0
            || self.layers == 0
            || self.levels == 0
        {
            return Err(SurfaceError::BadDimensions);
        }
        if (k.one_row() && self.height != 1)
            || (k != ImageKind::D3 && self.depth != 1)
            || (!k.layered() && self.layers != 1)
        {
            return Err(SurfaceError::BadDimensions);
        }
        if k == ImageKind::D1Buffer && (self.tiling != Tiling::Linear || self.levels != 1) {
            return Err(SurfaceError::BadTiling);
        }
        let largest = self.width.max(self.height).max(self.depth);
        if self.levels > 32 - largest.leading_zeros() {
            return Err(SurfaceError::TooManyLevels);
        }
        let last = self
            .level_unchecked(self.levels - 1)
            .ok_or(SurfaceError::TooLarge)?;
        last.offset
            .checked_add(
                last.slice_pitch
                    .checked_mul(last.slices)
                    .ok_or(SurfaceError::TooLarge)?,
            )
            .ok_or(SurfaceError::TooLarge)?;
        Ok(())
    }

    /// Mip level `level` (must be `< levels`; the surface must validate).
    pub fn level(&self, level: u32) -> Subresource {
        assert!(level < self.levels, "level {level} of {}", self.levels);
        self.level_unchecked(level).expect("surface validated")
    }

    /// Bytes the whole image occupies.
    pub fn total_bytes(&self) -> u64 {
        let last = self.level(self.levels - 1);
        last.offset + last.slice_pitch * last.slices
    }

    fn level_unchecked(&self, level: u32) -> Option<Subresource> {
        let mut offset = 0u64;
        for l in 0..=level {
            let s = self.place(l, offset)?;
            if l == level {
                return Some(s);
            }
            let end = s.offset.checked_add(s.slice_pitch.checked_mul(s.slices)?)?;
            offset = end.checked_next_multiple_of(TILE_BYTES)?;
        }
        None
    }

    fn place(&self, l: u32, offset: u64) -> Option<Subresource> {
        let f = self.format;
        let dim = |d: u32| (d >> l).max(1);
        let extent = [
            dim(self.width),
            dim(self.height),
            if self.kind == ImageKind::D3 {
                dim(self.depth)
            } else {
                1
            },
        ];
        let row_bytes =
            div_ceil(extent[0] as u64, f.block_width as u64).checked_mul(f.block_bytes as u64)?;
        let rows = div_ceil(extent[1] as u64, f.block_height as u64);
        let t = self.tiling;
        let row_pitch = if self.kind == ImageKind::D1Buffer {
            row_bytes
        } else {
            row_bytes.checked_next_multiple_of(t.tile_width().max(64))?
        };
        let padded_rows = rows.checked_next_multiple_of(t.tile_height())?;
        let slice_pitch = row_pitch.checked_mul(padded_rows)?;
        let slices = if self.kind.layered() {
            self.layers as u64
        } else {
            extent[2] as u64
        };
        Some(Subresource {
            offset,
            row_pitch,
            slice_pitch,
            row_bytes,
            rows,
            slices,
            extent,
            tiling: t,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[allow(clippy::too_many_arguments)] // one argument per Surface field, for table-like cases
    fn img(
        kind: ImageKind,
        w: u32,
        h: u32,
        d: u32,
        layers: u32,
        levels: u32,
        bytes: u32,
        tiling: Tiling,
    ) -> Surface {
        Surface {
            kind,
            format: Format::element(bytes),
            width: w,
            height: h,
            depth: d,
            layers,
            levels,
            tiling,
        }
    }

    #[test]
    fn a_2d_rgba8_image() {
        let s = img(ImageKind::D2, 1024, 768, 1, 1, 1, 4, Tiling::Y);
        s.validate().unwrap();
        let l0 = s.level(0);
        assert_eq!(
            (l0.row_pitch, l0.rows, l0.slice_pitch),
            (4096, 768, 4096 * 768)
        );
        assert_eq!(s.total_bytes(), 4096 * 768);
        // Texel (1, 1) of a Y-tiled level: OWord column 0, row 1, byte 4.
        assert_eq!(l0.byte_offset(4, 1, 0), 16 + 4);
    }

    /// Every byte of every subresource lies inside the image, and no two
    /// subresources (levels, slices) share a byte.
    #[test]
    fn subresources_are_disjoint_and_inside() {
        let cases = [
            img(ImageKind::D2, 37, 21, 1, 1, 6, 4, Tiling::Tile4),
            img(ImageKind::D3, 9, 7, 5, 1, 4, 8, Tiling::X),
            img(ImageKind::D2Array, 17, 5, 1, 3, 3, 12, Tiling::Y),
            img(ImageKind::D1Array, 100, 1, 1, 4, 2, 2, Tiling::Linear),
            img(ImageKind::D1, 300, 1, 1, 1, 9, 16, Tiling::Linear),
            img(ImageKind::D1Buffer, 77, 1, 1, 1, 1, 12, Tiling::Linear),
        ];
        for s in cases {
            s.validate().unwrap();
            let total = s.total_bytes() as usize;
            let mut owner = vec![u32::MAX; total];
            for l in 0..s.levels {
                let r = s.level(l);
                assert!(r.row_bytes <= r.row_pitch && s.tiling.pitch_ok(r.row_pitch));
                for z in 0..r.slices {
                    for y in 0..r.rows {
                        for x in 0..r.row_bytes {
                            let o = r.byte_offset(x, y, z) as usize;
                            assert!(o < total, "{s:?} level {l}");
                            let id = (l << 16) | z as u32;
                            assert!(
                                owner[o] == u32::MAX || owner[o] == id,
                                "{s:?}: byte {o} shared"
                            );
                            owner[o] = id;
                        }
                    }
                }
            }
        }
    }

    #[test]
    fn levels_start_on_4k_and_shrink() {
        let s = img(ImageKind::D2, 1000, 10, 1, 1, 10, 1, Tiling::Linear);
        s.validate().unwrap();
        let ext: Vec<_> = (0..10).map(|l| s.level(l).extent[0]).collect();
        assert_eq!(ext, [1000, 500, 250, 125, 62, 31, 15, 7, 3, 1]);
        assert!((0..10).all(|l| s.level(l).offset.is_multiple_of(4096)));
        assert_eq!(s.level(9).extent[1], 1);
    }

    #[test]
    fn block_compressed_levels_count_blocks() {
        let s = Surface {
            format: Format::bc(16),
            ..img(ImageKind::D2, 30, 10, 1, 1, 3, 16, Tiling::Y)
        };
        s.validate().unwrap();
        let l0 = s.level(0);
        assert_eq!((l0.row_bytes, l0.rows), (8 * 16, 3));
        let l2 = s.level(2);
        assert_eq!((l2.extent[0], l2.row_bytes, l2.rows), (7, 2 * 16, 1));
    }

    #[test]
    fn one_d_buffer_is_exact() {
        let s = img(ImageKind::D1Buffer, 77, 1, 1, 1, 1, 12, Tiling::Linear);
        assert_eq!(s.total_bytes(), 77 * 12);
        assert_eq!(
            img(ImageKind::D1Buffer, 7, 1, 1, 1, 1, 4, Tiling::Y).validate(),
            Err(SurfaceError::BadTiling)
        );
    }

    #[test]
    fn bad_descriptions_are_refused() {
        use SurfaceError::*;
        assert_eq!(
            img(ImageKind::D2, 0, 1, 1, 1, 1, 4, Tiling::Linear).validate(),
            Err(BadDimensions)
        );
        assert_eq!(
            img(ImageKind::D1, 4, 2, 1, 1, 1, 4, Tiling::Linear).validate(),
            Err(BadDimensions)
        );
        assert_eq!(
            img(ImageKind::D2, 4, 4, 2, 1, 1, 4, Tiling::Linear).validate(),
            Err(BadDimensions)
        );
        assert_eq!(
            img(ImageKind::D2, 4, 4, 1, 2, 1, 4, Tiling::Linear).validate(),
            Err(BadDimensions)
        );
        assert_eq!(
            img(ImageKind::D2, 8, 4, 1, 1, 5, 4, Tiling::Linear).validate(),
            Err(TooManyLevels)
        );
        assert_eq!(
            img(ImageKind::D2, 8, 4, 1, 1, 4, 4, Tiling::Linear).validate(),
            Ok(())
        );
        assert_eq!(
            img(ImageKind::D2, 8, 4, 1, 1, 1, 0, Tiling::Linear).validate(),
            Err(BadFormat)
        );
        assert_eq!(
            img(ImageKind::D2, 8, 4, 1, 1, 1, 33, Tiling::Linear).validate(),
            Err(BadFormat)
        );
        assert_eq!(
            img(ImageKind::D2, 8, 4, 1, 1, 1, 24, Tiling::Tile4).validate(),
            Ok(())
        );
        assert_eq!(
            img(
                ImageKind::D3,
                u32::MAX,
                u32::MAX,
                u32::MAX,
                1,
                1,
                16,
                Tiling::X
            )
            .validate(),
            Err(TooLarge)
        );
    }
}
