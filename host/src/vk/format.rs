//! Vulkan formats as the card copies them: texel blocks. A copy moves
//! whole blocks — one texel for color formats, 4×4 texels for the
//! block-compressed ones (BC1–BC7, ETC2/EAC, ASTC 4×4) — and depth/stencil
//! formats are copied one aspect at a time with the sizes the Vulkan
//! specification gives for buffer↔image copies (D24 in 4 bytes, stencil in 1).
//!
//! Runs of the core `VkFormat` numbering share a block size, so the table
//! is a list of runs, first and last format named.

use ash::vk::{Format, ImageAspectFlags};

/// How a format is laid out in memory for copies.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Block {
    /// Texels per block (width, height); depth is always 1.
    pub extent: [u32; 2],
    /// Bytes per block (per texel for color formats).
    pub bytes: u32,
}

/// Color formats, by runs of the `VkFormat` numbering with one texel size.
const COLOR_RUNS: &[(Format, Format, u32)] = &[
    (Format::R4G4_UNORM_PACK8, Format::R4G4_UNORM_PACK8, 1),
    (
        Format::R4G4B4A4_UNORM_PACK16,
        Format::A1R5G5B5_UNORM_PACK16,
        2,
    ),
    (Format::R8_UNORM, Format::R8_SRGB, 1),
    (Format::R8G8_UNORM, Format::R8G8_SRGB, 2),
    (Format::R8G8B8_UNORM, Format::B8G8R8_SRGB, 3),
    (Format::R8G8B8A8_UNORM, Format::A2B10G10R10_SINT_PACK32, 4),
    (Format::R16_UNORM, Format::R16_SFLOAT, 2),
    (Format::R16G16_UNORM, Format::R16G16_SFLOAT, 4),
    (Format::R16G16B16_UNORM, Format::R16G16B16_SFLOAT, 6),
    (Format::R16G16B16A16_UNORM, Format::R16G16B16A16_SFLOAT, 8),
    (Format::R32_UINT, Format::R32_SFLOAT, 4),
    (Format::R32G32_UINT, Format::R32G32_SFLOAT, 8),
    (Format::R32G32B32_UINT, Format::R32G32B32_SFLOAT, 12),
    (Format::R32G32B32A32_UINT, Format::R32G32B32A32_SFLOAT, 16),
    (Format::R64_UINT, Format::R64_SFLOAT, 8),
    (Format::R64G64_UINT, Format::R64G64_SFLOAT, 16),
    (Format::R64G64B64_UINT, Format::R64G64B64_SFLOAT, 24),
    (Format::R64G64B64A64_UINT, Format::R64G64B64A64_SFLOAT, 32),
    (
        Format::B10G11R11_UFLOAT_PACK32,
        Format::E5B9G9R9_UFLOAT_PACK32,
        4,
    ),
];

/// Block-compressed formats (4×4 texels per block), by runs.
const BLOCK_RUNS: &[(Format, Format, u32)] = &[
    (Format::BC1_RGB_UNORM_BLOCK, Format::BC1_RGBA_SRGB_BLOCK, 8),
    (Format::BC2_UNORM_BLOCK, Format::BC3_SRGB_BLOCK, 16),
    (Format::BC4_UNORM_BLOCK, Format::BC4_SNORM_BLOCK, 8),
    (Format::BC5_UNORM_BLOCK, Format::BC7_SRGB_BLOCK, 16),
    (
        Format::ETC2_R8G8B8_UNORM_BLOCK,
        Format::ETC2_R8G8B8A1_SRGB_BLOCK,
        8,
    ),
    (
        Format::ETC2_R8G8B8A8_UNORM_BLOCK,
        Format::ETC2_R8G8B8A8_SRGB_BLOCK,
        16,
    ),
    (Format::EAC_R11_UNORM_BLOCK, Format::EAC_R11_SNORM_BLOCK, 8),
    (
        Format::EAC_R11G11_UNORM_BLOCK,
        Format::EAC_R11G11_SNORM_BLOCK,
        16,
    ),
    (
        Format::ASTC_4X4_UNORM_BLOCK,
        Format::ASTC_4X4_SRGB_BLOCK,
        16,
    ),
];

fn in_runs(f: Format, runs: &[(Format, Format, u32)]) -> Option<u32> {
    runs.iter()
        .find(|(first, last, _)| (first.as_raw()..=last.as_raw()).contains(&f.as_raw()))
        .map(|r| r.2)
}

/// The aspects a format has (`COLOR`, or `DEPTH` and/or `STENCIL`); `None`
/// for formats the card does not copy.
pub fn aspects(f: Format) -> Option<ImageAspectFlags> {
    if in_runs(f, COLOR_RUNS).is_some() || in_runs(f, BLOCK_RUNS).is_some() {
        return Some(ImageAspectFlags::COLOR);
    }
    Some(match f {
        Format::D16_UNORM | Format::X8_D24_UNORM_PACK32 | Format::D32_SFLOAT => {
            ImageAspectFlags::DEPTH
        }
        Format::S8_UINT => ImageAspectFlags::STENCIL,
        Format::D16_UNORM_S8_UINT | Format::D24_UNORM_S8_UINT | Format::D32_SFLOAT_S8_UINT => {
            ImageAspectFlags::DEPTH | ImageAspectFlags::STENCIL
        }
        _ => return None,
    })
}

/// The block of one aspect of `f` as a copy moves it; `None` if `f` lacks
/// that aspect (or is not a format the card copies). `aspect` is a single
/// aspect bit.
pub fn block(f: Format, aspect: ImageAspectFlags) -> Option<Block> {
    if !aspects(f)?.contains(aspect) {
        return None;
    }
    let texel = |bytes| Block {
        extent: [1, 1],
        bytes,
    };
    if let Some(bytes) = in_runs(f, COLOR_RUNS) {
        return Some(texel(bytes));
    }
    if let Some(bytes) = in_runs(f, BLOCK_RUNS) {
        return Some(Block {
            extent: [4, 4],
            bytes,
        });
    }
    // Depth/stencil: stencil is 1 byte; depth is 2 (D16) or 4 (D24 in
    // 32 bits, D32) whatever the combined format packs.
    Some(texel(if aspect == ImageAspectFlags::STENCIL {
        1
    } else {
        match f {
            Format::D16_UNORM | Format::D16_UNORM_S8_UINT => 2,
            _ => 4,
        }
    }))
}

#[cfg(test)]
mod tests {
    use super::*;

    const COLOR: ImageAspectFlags = ImageAspectFlags::COLOR;

    #[test]
    fn every_color_texel_size() {
        for (f, bytes) in [
            (Format::R4G4_UNORM_PACK8, 1),
            (Format::R8_SRGB, 1),
            (Format::B5G6R5_UNORM_PACK16, 2),
            (Format::R16_SFLOAT, 2),
            (Format::B8G8R8_SRGB, 3),
            (Format::R8G8B8A8_UNORM, 4),
            (Format::A2B10G10R10_UINT_PACK32, 4),
            (Format::E5B9G9R9_UFLOAT_PACK32, 4),
            (Format::R16G16B16_SFLOAT, 6),
            (Format::R32G32_SFLOAT, 8),
            (Format::R32G32B32_UINT, 12),
            (Format::R32G32B32A32_SFLOAT, 16),
            (Format::R64G64B64_SFLOAT, 24),
            (Format::R64G64B64A64_UINT, 32),
        ] {
            assert_eq!(
                block(f, COLOR),
                Some(Block {
                    extent: [1, 1],
                    bytes
                }),
                "{f:?}"
            );
        }
    }

    #[test]
    fn compressed_blocks_are_4x4() {
        for (f, bytes) in [
            (Format::BC1_RGBA_SRGB_BLOCK, 8),
            (Format::BC2_UNORM_BLOCK, 16),
            (Format::BC3_SRGB_BLOCK, 16),
            (Format::BC4_SNORM_BLOCK, 8),
            (Format::BC5_UNORM_BLOCK, 16),
            (Format::BC6H_SFLOAT_BLOCK, 16),
            (Format::BC7_SRGB_BLOCK, 16),
            (Format::ETC2_R8G8B8_UNORM_BLOCK, 8),
            (Format::ETC2_R8G8B8A1_SRGB_BLOCK, 8),
            (Format::ETC2_R8G8B8A8_UNORM_BLOCK, 16),
            (Format::EAC_R11_SNORM_BLOCK, 8),
            (Format::EAC_R11G11_UNORM_BLOCK, 16),
            (Format::ASTC_4X4_SRGB_BLOCK, 16),
        ] {
            assert_eq!(
                block(f, COLOR),
                Some(Block {
                    extent: [4, 4],
                    bytes
                }),
                "{f:?}"
            );
        }
        assert_eq!(aspects(Format::ASTC_5X4_UNORM_BLOCK), None, "only ASTC 4x4");
    }

    #[test]
    fn depth_stencil_aspects_copy_separately() {
        let (d, s) = (ImageAspectFlags::DEPTH, ImageAspectFlags::STENCIL);
        assert_eq!(block(Format::D16_UNORM, d).unwrap().bytes, 2);
        assert_eq!(block(Format::X8_D24_UNORM_PACK32, d).unwrap().bytes, 4);
        assert_eq!(block(Format::D24_UNORM_S8_UINT, d).unwrap().bytes, 4);
        assert_eq!(block(Format::D24_UNORM_S8_UINT, s).unwrap().bytes, 1);
        assert_eq!(block(Format::D32_SFLOAT_S8_UINT, d).unwrap().bytes, 4);
        assert_eq!(block(Format::D16_UNORM_S8_UINT, d).unwrap().bytes, 2);
        assert_eq!(block(Format::S8_UINT, s).unwrap().bytes, 1);
        assert_eq!(block(Format::S8_UINT, d), None);
        assert_eq!(block(Format::D32_SFLOAT, s), None);
        assert_eq!(block(Format::R8_UNORM, d), None);
        assert_eq!(aspects(Format::UNDEFINED), None);
    }
}
