//! vkCopyMemoryToImage / vkCopyImageToMemory on the simulated card (real
//! firmware on the Verilated card), byte-exact against the oracle
//! (`tiledma_system_tests::vk::Model`): image sizes 16×16, 32×28, 53×61;
//! mip levels 0, 1, 4; 1, 2 and 6 layers; memoryRowLength and
//! memoryImageHeight padded by 0, 4 and 64 texels; every format class;
//! 1D, 1D array and 3D images; random offsets from a fixed seed. Host
//! buffers carry guard bytes around every range the card writes.

use ash::vk;
use proptest::prelude::*;
use proptest::test_runner::{Config, RngAlgorithm, TestRng, TestRunner};
use rand::{Rng, SeedableRng};
use rand_chacha::ChaCha8Rng;
use tiledma::vk::format::block;
use tiledma_system_tests::vk::*;
use tiledma_system_tests::{random_bytes, GUARD, GUARD_BYTE};

const COLOR: vk::ImageAspectFlags = vk::ImageAspectFlags::COLOR;

/// A random box of `spec`'s level inside the subresource, block-aligned,
/// covering layers `first..first + count`.
fn random_box(
    rng: &mut ChaCha8Rng,
    spec: &Spec,
    aspect: vk::ImageAspectFlags,
    level: u32,
    (first, count): (u32, u32),
    pad: u32,
) -> HostBox {
    let b = block(spec.format, aspect).unwrap();
    let e = level_extent(spec, level);
    let dims = [e.width, e.height, e.depth];
    let bs = [b.extent[0], b.extent[1], 1];
    let mut offset = [0; 3];
    let mut extent = [0; 3];
    for i in 0..3 {
        let blocks = dims[i].div_ceil(bs[i]);
        let o = rng.gen_range(0..blocks);
        let n = rng.gen_range(1..=blocks - o);
        offset[i] = o * bs[i];
        extent[i] = (n * bs[i]).min(dims[i] - offset[i]);
    }
    let round = |v: u32, m: u32| v.next_multiple_of(m);
    HostBox {
        aspect,
        level,
        first_layer: first,
        layers: count,
        offset,
        extent,
        row_length: if pad == 0 {
            0
        } else {
            round(extent[0] + pad, bs[0])
        },
        image_height: if pad == 0 {
            0
        } else {
            round(extent[1] + pad, bs[1])
        },
    }
}

/// Copies a random host buffer into box `b` of `img`, checks the whole
/// image against the model, then reads the box back into a guarded buffer
/// and checks every byte of it.
fn round_trip(img: &TestImage, model: &mut Model, b: &HostBox, seed: u64) {
    let spec = img.spec;
    let (_, _, len) = b.pitches(&spec);
    let src = random_bytes(seed, len as usize);
    let up = b.to_image(src.as_ptr());
    let info = vk::CopyMemoryToImageInfoEXT {
        dst_image: img.image,
        dst_image_layout: vk::ImageLayout::GENERAL,
        region_count: 1,
        p_regions: &up,
        ..Default::default()
    };
    // SAFETY: `src` holds the region at its pitches.
    unsafe { img.dev.copy_memory_to_image(&info) }.unwrap_or_else(|e| panic!("{b:?}: {e}"));
    model.upload(b, &src);
    assert_image(img, model, &format!("after writing {b:?} of {spec:?}"));

    let mut dst = vec![GUARD_BYTE; GUARD + len as usize + GUARD];
    let down = b.to_memory(dst[GUARD..].as_mut_ptr());
    let info = vk::CopyImageToMemoryInfoEXT {
        src_image: img.image,
        src_image_layout: vk::ImageLayout::GENERAL,
        region_count: 1,
        p_regions: &down,
        ..Default::default()
    };
    // SAFETY: `dst` holds the region at its pitches.
    unsafe { img.dev.copy_image_to_memory(&info) }.unwrap_or_else(|e| panic!("{b:?}: {e}"));
    let mut want = vec![GUARD_BYTE; dst.len()];
    model.download(b, &mut want[GUARD..]);
    if let Some(i) = want.iter().zip(&dst).position(|(w, g)| w != g) {
        panic!(
            "reading {b:?} of {spec:?}: host byte {} is {:#04x}, expected {:#04x}",
            i as isize - GUARD as isize,
            dst[i],
            want[i]
        );
    }
}

/// An image filled with random bytes (through MEMCPY) and its model.
fn filled<'a>(spec: Spec, seed: u64) -> (TestImage<'a>, Model) {
    let img = image(host_device(), spec);
    let model = Model::random(spec, seed);
    upload_raw(&img, &model);
    (img, model)
}

#[test]
fn sizes_levels_layers_and_padding() {
    let mut rng = ChaCha8Rng::seed_from_u64(7);
    for (i, [w, h]) in [[16, 16], [32, 28], [53, 61]].into_iter().enumerate() {
        let spec = Spec::d2(vk::Format::R8G8B8A8_UNORM, w, h).with(5, 6);
        let (img, mut model) = filled(spec, 100 + i as u64);
        for level in [0, 1, 4] {
            for layers in [1, 2, 6] {
                for pad in [0, 4, 64] {
                    let first = rng.gen_range(0..=6 - layers);
                    let b = random_box(&mut rng, &spec, COLOR, level, (first, layers), pad);
                    round_trip(&img, &mut model, &b, rng.gen());
                }
            }
        }
    }
}

const PROPTEST_SEED: [u8; 32] = *b"tiledma vulkan host copy prop 01";

/// One format of every texel size and every block class, depth and
/// stencil aspects.
const FORMATS: [vk::Format; 24] = {
    use vk::Format as F;
    [
        F::R8_UNORM,                 // 1 byte
        F::R5G6B5_UNORM_PACK16,      // 2
        F::B8G8R8_SRGB,              // 3
        F::A2B10G10R10_UNORM_PACK32, // 4
        F::R16G16B16_SFLOAT,         // 6
        F::R32G32_UINT,              // 8
        F::R32G32B32_SFLOAT,         // 12
        F::R32G32B32A32_SFLOAT,      // 16
        F::R64G64B64_SFLOAT,         // 24
        F::R64G64B64A64_UINT,        // 32
        F::BC1_RGBA_UNORM_BLOCK,     // 4×4 blocks of 8 bytes
        F::BC4_SNORM_BLOCK,          // 8
        F::BC7_SRGB_BLOCK,           // 16
        F::ETC2_R8G8B8_UNORM_BLOCK,  // 8
        F::ETC2_R8G8B8A8_SRGB_BLOCK, // 16
        F::EAC_R11G11_SNORM_BLOCK,   // 16
        F::ASTC_4X4_UNORM_BLOCK,     // 16
        F::D16_UNORM,                // depth 2
        F::X8_D24_UNORM_PACK32,      // depth 4
        F::D32_SFLOAT,               // depth 4
        F::S8_UINT,                  // stencil 1
        F::D16_UNORM_S8_UINT,        // depth 2 + stencil 1
        F::D24_UNORM_S8_UINT,        // depth 4 + stencil 1
        F::D32_SFLOAT_S8_UINT,       // depth 4 + stencil 1
    ]
};

/// Every format class: a 53×61 image of 2 levels and 2 layers, random
/// boxes at each level with and without padding, and whole levels.
#[test]
fn every_format_class() {
    let mut rng = ChaCha8Rng::seed_from_u64(11);
    for (i, f) in FORMATS.into_iter().enumerate() {
        let spec = Spec::d2(f, 53, 61).with(2, 2);
        let (img, mut model) = filled(spec, 200 + i as u64);
        for aspect in spec.aspects() {
            for (level, pad) in [(0, 0), (0, 4), (1, 64)] {
                let layer = rng.gen_range(0..2);
                let b = random_box(&mut rng, &spec, aspect, level, (layer, 1), pad);
                round_trip(&img, &mut model, &b, rng.gen());
            }
            // The whole level 0 of both layers, edge blocks included.
            let whole = HostBox {
                offset: [0; 3],
                extent: [53, 61, 1],
                first_layer: 0,
                layers: 2,
                row_length: 0,
                image_height: 0,
                ..random_box(&mut rng, &spec, aspect, 0, (0, 2), 0)
            };
            round_trip(&img, &mut model, &whole, rng.gen());
        }
    }
}

/// 1D images, 1D arrays and 3D images (Y-tiled), with levels; 3D boxes at
/// random depths with image-height padding between slices.
#[test]
fn one_d_arrays_and_three_d() {
    let mut rng = ChaCha8Rng::seed_from_u64(13);
    let f = vk::Format::R16G16B16A16_SFLOAT;
    let cases = [
        (Spec::d1(f, 300).with(4, 1), 1),
        (Spec::d1(f, 100).with(2, 6), 6),
        (Spec::d3(f, 17, 13, 9).with(3, 1), 1),
        (
            Spec::d3(vk::Format::BC3_UNORM_BLOCK, 32, 28, 6).with(2, 1),
            1,
        ),
    ];
    for (i, (spec, layer_count)) in cases.into_iter().enumerate() {
        let (img, mut model) = filled(spec, 300 + i as u64);
        for level in 0..spec.mips {
            for pad in [0, 4] {
                let count = rng.gen_range(1..=layer_count);
                let first = rng.gen_range(0..=layer_count - count);
                let b = random_box(&mut rng, &spec, COLOR, level, (first, count), pad);
                round_trip(&img, &mut model, &b, rng.gen());
            }
        }
    }
}

/// Linear tiling places rows at the reported row pitch: a whole 2D level
/// written through the card is found at `offset + y * rowPitch` in MEMCPY data.
#[test]
fn linear_images_follow_their_subresource_layout() {
    let dev = host_device();
    let spec = Spec {
        tiling: vk::ImageTiling::LINEAR,
        ..Spec::d2(vk::Format::R8G8B8A8_UINT, 37, 11)
    };
    let (img, mut model) = filled(spec, 400);
    let b = HostBox {
        aspect: COLOR,
        level: 0,
        first_layer: 0,
        layers: 1,
        offset: [0; 3],
        extent: [37, 11, 1],
        row_length: 0,
        image_height: 0,
    };
    round_trip(&img, &mut model, &b, 401);
    let mut memcpy = vk::SubresourceHostMemcpySizeEXT::default();
    let mut layout = vk::SubresourceLayout2KHR {
        p_next: (&mut memcpy as *mut vk::SubresourceHostMemcpySizeEXT).cast(),
        ..Default::default()
    };
    let sub = vk::ImageSubresource2KHR {
        image_subresource: vk::ImageSubresource {
            aspect_mask: COLOR,
            mip_level: 0,
            array_layer: 0,
        },
        ..Default::default()
    };
    // SAFETY: the chain holds one output structure.
    unsafe { dev.image_subresource_layout2(img.image, &sub, &mut layout) }.unwrap();
    let l = layout.subresource_layout;
    assert_eq!(
        (l.offset, l.row_pitch),
        (0, 192),
        "37 texels of 4 bytes → 64-byte rows"
    );
    assert_eq!(memcpy.size, l.size);
    assert_eq!(l.size, 192 * 11);
    let raw = &download_raw(&img, &model)[0];
    let mut packed = vec![0u8; 37 * 4 * 11];
    model.download(&b, &mut packed);
    for y in 0..11 {
        let row = &raw[(l.offset + y * l.row_pitch) as usize..][..37 * 4];
        assert_eq!(row, &packed[y as usize * 148..][..148], "row {y}");
    }
}

/// Random images (any format class, 1D/2D/3D, levels, layers) and random
/// boxes with random padding, from a fixed seed.
#[test]
fn random_images_and_regions() {
    let spec = (
        prop::sample::select(FORMATS.to_vec()),
        0..3u32,
        (1u32..90, 1u32..70, 1u32..10),
        1u32..5,
        any::<u64>(),
    )
        .prop_map(|(format, ty, (w, h, d), layers, seed)| {
            let s = match ty {
                0 => Spec::d1(format, w).with(1, layers),
                1 => Spec::d2(format, w, h).with(1, layers),
                _ => Spec::d3(format, w, h, d),
            };
            let largest = s.extent.into_iter().max().unwrap();
            let mips = 1 + (seed % (32 - largest.leading_zeros()) as u64) as u32;
            (s.with(mips, s.layers), seed)
        })
        // Depth/stencil and block-compressed formats are 2D only.
        .prop_filter("2D-only format", |(s, _)| {
            s.ty == vk::ImageType::TYPE_2D
                || (block(s.format, s.aspects()[0]).unwrap().extent == [1, 1]
                    && s.aspects() == [COLOR])
        });
    let config = Config {
        cases: 48,
        failure_persistence: None,
        ..Config::default()
    };
    let mut runner = TestRunner::new_with_rng(
        config,
        TestRng::from_seed(RngAlgorithm::ChaCha, &PROPTEST_SEED),
    );
    runner
        .run(&spec, |(spec, seed)| {
            let mut rng = ChaCha8Rng::seed_from_u64(seed);
            let (img, mut model) = filled(spec, seed);
            for aspect in spec.aspects() {
                let level = rng.gen_range(0..spec.mips);
                let count = rng.gen_range(1..=spec.layers);
                let first = rng.gen_range(0..=spec.layers - count);
                let pad = [0, 1, 4, 64][rng.gen_range(0..4)];
                let b = random_box(&mut rng, &spec, aspect, level, (first, count), pad);
                round_trip(&img, &mut model, &b, rng.gen());
            }
            Ok(())
        })
        .unwrap();
}
