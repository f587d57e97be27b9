//! Fuzzing `vkCopyMemoryToImage` and `vkCopyImageToMemory` with random
//! arguments (proptest, fixed seed): images of every kind (levels, layers,
//! 1D/3D, block-compressed, depth/stencil, an image without memory, one
//! left in `UNDEFINED`, a destroyed one), random aspects, levels, layers,
//! offsets, extents, row lengths, flags, layouts and region counts.
//!
//! Each call must return `VK_SUCCESS` or one of the codes its page lists,
//! and a validation failure must name a VUID. Host memory is one buffer
//! big enough for any region the generator can make valid (row length and
//! image height are at most 256), so no call is handed too little memory.
//! `TILEDMA_API_FUZZ_CASES` sets the number of calls.

use ash::vk;
use proptest::prelude::*;
use std::collections::BTreeMap;
use tiledma_system_tests::vk::{host_device, image, HostBox, Spec, TestImage};
use tiledma_system_tests::{env_count, seeded_runner};

const PAGE_RESULTS: &[vk::Result] = &[
    vk::Result::SUCCESS,
    vk::Result::ERROR_INITIALIZATION_FAILED,
    vk::Result::ERROR_MEMORY_MAP_FAILED,
    vk::Result::ERROR_OUT_OF_DEVICE_MEMORY,
    vk::Result::ERROR_OUT_OF_HOST_MEMORY,
    vk::Result::ERROR_UNKNOWN,
    vk::Result::ERROR_VALIDATION_FAILED_EXT,
];

/// Makes `r` a valid region of `spec` (the random values choose where):
/// one aspect, a level and layer it has, a box inside the level on block
/// boundaries, a row length and image height of 0 or past the box.
fn repair(r: &mut HostBox, spec: &Spec) {
    let aspects = spec.aspects();
    r.aspect = aspects[r.aspect.as_raw() as usize % aspects.len()];
    r.level %= spec.mips;
    r.first_layer %= spec.layers;
    r.layers = 1;
    let b = tiledma::vk::format::block(spec.format, r.aspect).expect("card format");
    let [bw, bh] = b.extent;
    let dims = [0, 1, 2].map(|i| (spec.extent[i] >> r.level).max(1));
    for i in 0..3 {
        let (blk, d) = ([bw, bh, 1][i], dims[i]);
        let o = ((r.offset[i] as i32).unsigned_abs() % d) / blk * blk;
        let mut e = 1 + r.extent[i] % (d - o);
        if o + e != d {
            e = e.div_ceil(blk) * blk;
            e = e.min(d - o);
        }
        r.offset[i] = o;
        r.extent[i] = e;
    }
    if r.row_length != 0 {
        r.row_length = (r.extent[0] + r.row_length % 16).div_ceil(bw) * bw;
    }
    if r.image_height != 0 {
        r.image_height = (r.extent[1] + r.image_height % 16).div_ceil(bh) * bh;
    }
}

/// Host memory: 256 × 256 texels × 16 B × 8 slices × 2 layers, and room
/// for the pointer's random start.
const HOST_BYTES: usize = 256 * 256 * 16 * 8 * 2 + 4096;

/// A region (offsets are the `i32`s of the call, carried as their bits),
/// and where in the host memory its pointer starts.
#[derive(Clone, Debug)]
struct Region {
    b: HostBox,
    host_offset: usize,
}

#[derive(Clone, Debug)]
struct Call {
    /// Made valid for its image before the call (see `repair`).
    sane: bool,
    to_image: bool,
    image: usize,
    layout: vk::ImageLayout,
    flags: vk::HostImageCopyFlagsEXT,
    regions: Vec<Region>,
}

fn small_or_edge(small: u32) -> impl Strategy<Value = u32> {
    prop_oneof![8 => 0..=small, 1 => Just(u32::MAX), 1 => any::<u32>()]
}

fn region() -> impl Strategy<Value = Region> {
    let aspect = prop_oneof![
        6 => prop::sample::select(vec![1u32, 2, 4]), // colour, depth, stencil
        1 => any::<u32>(),
        1 => Just(0u32),
        1 => Just(6u32),
    ];
    (
        (
            aspect,
            small_or_edge(4),
            small_or_edge(3),
            prop_oneof![5 => 1u32..3, 1 => Just(0), 1 => Just(vk::REMAINING_ARRAY_LAYERS)],
        ),
        prop::array::uniform3(prop_oneof![8 => 0i32..20, 1 => Just(-1), 1 => Just(i32::MAX)]),
        prop::array::uniform3(small_or_edge(33)),
        (
            prop_oneof![3 => Just(0u32), 3 => 1u32..=256],
            prop_oneof![3 => Just(0u32), 3 => 1u32..=256],
            0usize..4096,
        ),
    )
        .prop_map(
            |(
                (aspect, level, first_layer, layer_count),
                offset,
                extent,
                (row_length, image_height, host_offset),
            )| {
                Region {
                    b: HostBox {
                        aspect: vk::ImageAspectFlags::from_raw(aspect),
                        level,
                        first_layer,
                        layers: layer_count,
                        offset: offset.map(|o: i32| o as u32),
                        extent,
                        row_length,
                        image_height,
                    },
                    host_offset,
                }
            },
        )
}

fn call() -> impl Strategy<Value = Call> {
    (
        any::<bool>(),
        any::<bool>(),
        0usize..10,
        prop_oneof![
            6 => Just(vk::ImageLayout::GENERAL),
            1 => Just(vk::ImageLayout::UNDEFINED),
            1 => Just(vk::ImageLayout::TRANSFER_DST_OPTIMAL),
            1 => any::<i32>().prop_map(vk::ImageLayout::from_raw),
        ],
        prop_oneof![
            4 => Just(vk::HostImageCopyFlagsEXT::empty()),
            1 => Just(vk::HostImageCopyFlagsEXT::MEMCPY),
            1 => any::<u32>().prop_map(vk::HostImageCopyFlagsEXT::from_raw),
        ],
        prop::collection::vec(region(), 0..3),
    )
        .prop_map(|(sane, to_image, image, layout, flags, regions)| Call {
            sane,
            to_image,
            image,
            layout,
            flags,
            regions,
        })
}

#[test]
fn random_host_image_copies_return_only_their_pages_results() {
    let cases: u32 = env_count("TILEDMA_API_FUZZ_CASES", 4000);
    let dev = host_device();
    let rgba = vk::Format::R8G8B8A8_UNORM;
    let images: Vec<TestImage> = vec![
        image(dev, Spec::d2(rgba, 32, 16).with(3, 2)),
        image(
            dev,
            Spec::d2(vk::Format::BC1_RGBA_UNORM_BLOCK, 16, 16).with(2, 1),
        ),
        image(dev, Spec::d2(vk::Format::D24_UNORM_S8_UINT, 16, 8)),
        image(
            dev,
            Spec::d2(vk::Format::R32G32B32A32_SFLOAT, 8, 8).with(1, 2),
        ),
        image(dev, Spec::d3(rgba, 8, 8, 8).with(2, 1)),
        image(dev, Spec::d1(vk::Format::R16_UINT, 64).with(3, 2)),
    ];
    let mut handles: Vec<vk::Image> = images.iter().map(|i| i.image).collect();
    // No memory bound; never transitioned; destroyed; null.
    handles.push(tiledma_system_tests::vk::create(dev, &Spec::d2(rgba, 8, 8)));
    let undefined = tiledma_system_tests::vk::create(dev, &Spec::d2(rgba, 8, 8));
    let req = dev.image_memory_requirements(undefined).unwrap();
    let mem = dev
        .allocate_memory(&vk::MemoryAllocateInfo {
            allocation_size: req.size,
            memory_type_index: 0,
            ..Default::default()
        })
        .unwrap();
    dev.bind_image_memory(undefined, mem, 0).unwrap();
    handles.push(undefined);
    let dead = tiledma_system_tests::vk::create(dev, &Spec::d2(rgba, 8, 8));
    dev.destroy_image(dead);
    handles.push(dead);
    handles.push(vk::Image::null());

    let host = std::cell::RefCell::new(vec![0u8; HOST_BYTES]);
    let tally: std::cell::RefCell<BTreeMap<String, u64>> = Default::default();
    let mut runner = seeded_runner(cases, 0x7c);
    runner
        .run(&call(), |c| {
            let mut c = c;
            if c.sane {
                c.image %= images.len();
                c.layout = vk::ImageLayout::GENERAL;
                c.flags = vk::HostImageCopyFlagsEXT::empty();
                for r in &mut c.regions {
                    repair(&mut r.b, &images[c.image].spec);
                }
            }
            let img = handles[c.image % handles.len()];
            let base = host.borrow_mut().as_mut_ptr();
            // SAFETY: inside `host` (HOST_BYTES leaves room for the offset).
            let ptr = |r: &Region| unsafe { base.add(r.host_offset) };
            let result = if c.to_image {
                let regions: Vec<_> = c.regions.iter().map(|r| r.b.to_image(ptr(r))).collect();
                let info = vk::CopyMemoryToImageInfoEXT {
                    flags: c.flags,
                    dst_image: img,
                    dst_image_layout: c.layout,
                    region_count: regions.len() as u32,
                    p_regions: regions.as_ptr(),
                    ..Default::default()
                };
                // SAFETY: the regions and host memory outlive the call.
                unsafe { dev.copy_memory_to_image(&info) }
            } else {
                let regions: Vec<_> = c.regions.iter().map(|r| r.b.to_memory(ptr(r))).collect();
                let info = vk::CopyImageToMemoryInfoEXT {
                    flags: c.flags,
                    src_image: img,
                    src_image_layout: c.layout,
                    region_count: regions.len() as u32,
                    p_regions: regions.as_ptr(),
                    ..Default::default()
                };
                // SAFETY: as above.
                unsafe { dev.copy_image_to_memory(&info) }
            };
            let key = match &result {
                Ok(()) => "VK_SUCCESS".to_string(),
                Err(e) => {
                    prop_assert!(PAGE_RESULTS.contains(&e.result()), "{:?} for {:?}", e, c);
                    if e.result() == vk::Result::ERROR_VALIDATION_FAILED_EXT {
                        prop_assert!(e.vuid().is_some_and(|v| v.starts_with("VUID-")));
                    }
                    format!("{:?}", e.result())
                }
            };
            *tally.borrow_mut().entry(key).or_default() += 1;
            Ok(())
        })
        .unwrap();
    let tally = tally.into_inner();
    println!("Vulkan API fuzz: {cases} calls, results {tally:?}");
    assert!(tally.get("VK_SUCCESS").copied().unwrap_or(0) > u64::from(cases) / 50);
    dev.destroy_image(handles[images.len()]);
    dev.destroy_image(undefined);
    dev.free_memory(mem);
}
