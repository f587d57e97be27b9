//! `VK_HOST_IMAGE_COPY_MEMCPY` and `vkCopyImageToImage` on the simulated
//! card: the raw bytes of each subresource, sized by
//! `VkSubresourceHostMemcpySize`, round-trip from one image through host
//! memory into another created with the same parameters; image-to-image
//! copies (MEMCPY and by region, within one image through the bounce)
//! match the oracle byte for byte.

use ash::vk;
use tiledma_system_tests::vk::*;
use tiledma_system_tests::{GUARD, GUARD_BYTE};

/// The MEMCPY size the subresource layout query reports.
fn memcpy_size(img: &TestImage, aspect: vk::ImageAspectFlags, level: u32, layer: u32) -> u64 {
    let mut size = vk::SubresourceHostMemcpySizeEXT::default();
    let mut layout = vk::SubresourceLayout2KHR {
        p_next: (&mut size as *mut vk::SubresourceHostMemcpySizeEXT).cast(),
        ..Default::default()
    };
    let sub = vk::ImageSubresource2KHR {
        image_subresource: vk::ImageSubresource {
            aspect_mask: aspect,
            mip_level: level,
            array_layer: layer,
        },
        ..Default::default()
    };
    // SAFETY: the chain holds one output structure.
    unsafe {
        img.dev
            .image_subresource_layout2(img.image, &sub, &mut layout)
    }
    .unwrap();
    assert_eq!(size.size, layout.subresource_layout.size);
    size.size
}

fn specs() -> Vec<Spec> {
    vec![
        Spec::d2(vk::Format::R8G8B8A8_SRGB, 53, 61).with(4, 3),
        Spec::d2(vk::Format::D24_UNORM_S8_UINT, 32, 28).with(2, 2),
        Spec::d2(vk::Format::BC7_UNORM_BLOCK, 53, 61).with(3, 1),
        Spec::d3(vk::Format::R32G32_SFLOAT, 17, 13, 9).with(2, 1),
        Spec::d1(vk::Format::R8_UINT, 300).with(3, 4),
    ]
}

/// Image A (random) → host memory with MEMCPY, each subresource at the
/// reported size with guard bytes between → image B with MEMCPY; B equals A.
#[test]
fn memcpy_round_trip_between_two_images() {
    let dev = host_device();
    for (i, spec) in specs().into_iter().enumerate() {
        let a = image(dev, spec);
        let model = Model::random(spec, 500 + i as u64);
        upload_raw(&a, &model);
        let b = image(dev, spec);
        // One region per (aspect, level, layer), each in its own guarded slot.
        let mut subs = Vec::new();
        for aspect in spec.aspects() {
            for level in 0..spec.mips {
                for layer in 0..spec.layers {
                    subs.push((aspect, level, layer, memcpy_size(&a, aspect, level, layer)));
                }
            }
        }
        let total: u64 = subs.iter().map(|s| s.3 + GUARD as u64).sum();
        let mut host = vec![GUARD_BYTE; GUARD + total as usize];
        let mut at = GUARD;
        let mut down = Vec::new();
        let mut up = Vec::new();
        for &(aspect, level, layer, size) in &subs {
            let ptr = host[at..].as_mut_ptr();
            let e = level_extent(&spec, level);
            down.push(vk::ImageToMemoryCopyEXT {
                p_host_pointer: ptr.cast(),
                image_subresource: layers(aspect, level, layer, 1),
                image_extent: e,
                ..Default::default()
            });
            up.push(vk::MemoryToImageCopyEXT {
                p_host_pointer: ptr.cast_const().cast(),
                image_subresource: layers(aspect, level, layer, 1),
                image_extent: e,
                ..Default::default()
            });
            at += size as usize + GUARD;
        }
        let info = vk::CopyImageToMemoryInfoEXT {
            flags: vk::HostImageCopyFlagsEXT::MEMCPY,
            src_image: a.image,
            src_image_layout: vk::ImageLayout::GENERAL,
            region_count: down.len() as u32,
            p_regions: down.as_ptr(),
            ..Default::default()
        };
        // SAFETY: each slot holds its subresource's MEMCPY size.
        unsafe { dev.copy_image_to_memory(&info) }.unwrap();
        // Guards intact, and each slot is the subresource's raw bytes.
        let mut at = 0;
        for &(aspect, level, layer, size) in &subs {
            assert!(
                host[at..at + GUARD].iter().all(|&g| g == GUARD_BYTE),
                "guard before {aspect:?} {level} {layer}"
            );
            at += GUARD;
            let s = model.level(aspect, level);
            let raw = model
                .raw_levels()
                .into_iter()
                .find(|r| r.0 == aspect && r.1 == level)
                .unwrap()
                .2;
            let start = if spec.ty == vk::ImageType::TYPE_3D {
                0
            } else {
                (layer as u64 * s.slice_pitch) as usize
            };
            assert_eq!(
                &host[at..at + size as usize],
                &raw[start..start + size as usize],
                "{spec:?} {aspect:?} level {level} layer {layer}"
            );
            at += size as usize;
        }
        assert!(host[at..].iter().all(|&g| g == GUARD_BYTE));
        let info = vk::CopyMemoryToImageInfoEXT {
            flags: vk::HostImageCopyFlagsEXT::MEMCPY,
            dst_image: b.image,
            dst_image_layout: vk::ImageLayout::GENERAL,
            region_count: up.len() as u32,
            p_regions: up.as_ptr(),
            ..Default::default()
        };
        // SAFETY: as above.
        unsafe { dev.copy_memory_to_image(&info) }.unwrap();
        assert_image(&b, &model, &format!("MEMCPY round trip of {spec:?}"));
    }
}

/// vkCopyImageToImage with MEMCPY: every subresource, A → B.
#[test]
fn image_to_image_memcpy() {
    let dev = host_device();
    for (i, spec) in specs().into_iter().enumerate() {
        let a = image(dev, spec);
        let model = Model::random(spec, 600 + i as u64);
        upload_raw(&a, &model);
        let b = image(dev, spec);
        let mut regions = Vec::new();
        for aspect in spec.aspects() {
            for level in 0..spec.mips {
                let sub = layers(aspect, level, 0, vk::REMAINING_ARRAY_LAYERS);
                regions.push(vk::ImageCopy2 {
                    src_subresource: sub,
                    dst_subresource: sub,
                    extent: level_extent(&spec, level),
                    ..Default::default()
                });
            }
        }
        let info = vk::CopyImageToImageInfoEXT {
            flags: vk::HostImageCopyFlagsEXT::MEMCPY,
            src_image: a.image,
            src_image_layout: vk::ImageLayout::GENERAL,
            dst_image: b.image,
            dst_image_layout: vk::ImageLayout::GENERAL,
            region_count: regions.len() as u32,
            p_regions: regions.as_ptr(),
            ..Default::default()
        };
        // SAFETY: valid structures.
        unsafe { dev.copy_image_to_image(&info) }.unwrap();
        assert_image(&b, &model, &format!("image-to-image MEMCPY of {spec:?}"));
    }
}

/// vkCopyImageToImage by region: between two images, and within one image
/// from layer 0 to layer 2 (through the bounce in card memory).
#[test]
fn image_to_image_regions() {
    let dev = host_device();
    let spec = Spec::d2(vk::Format::R32G32B32_UINT, 53, 61).with(3, 3);
    let a = image(dev, spec);
    let mut ma = Model::random(spec, 700);
    upload_raw(&a, &ma);
    let b = image(dev, spec);
    let mut mb = Model::random(spec, 701);
    upload_raw(&b, &mb);
    let color = vk::ImageAspectFlags::COLOR;
    let region =
        |level, src: [u32; 2], dst: [u32; 2], ext: [u32; 2], from: u32, to: u32, n: u32| {
            vk::ImageCopy2 {
                src_subresource: layers(color, level, from, n),
                src_offset: vk::Offset3D {
                    x: src[0] as i32,
                    y: src[1] as i32,
                    z: 0,
                },
                dst_subresource: layers(color, level, to, n),
                dst_offset: vk::Offset3D {
                    x: dst[0] as i32,
                    y: dst[1] as i32,
                    z: 0,
                },
                extent: vk::Extent3D {
                    width: ext[0],
                    height: ext[1],
                    depth: 1,
                },
                ..Default::default()
            }
        };
    // Model an image-to-image region: read from one model, write to the other.
    let apply = |from: &Model, to: &mut Model, r: &vk::ImageCopy2| {
        let hb = |sub: vk::ImageSubresourceLayers, o: vk::Offset3D| HostBox {
            aspect: color,
            level: sub.mip_level,
            first_layer: sub.base_array_layer,
            layers: sub.layer_count,
            offset: [o.x as u32, o.y as u32, 0],
            extent: [r.extent.width, r.extent.height, 1],
            row_length: 0,
            image_height: 0,
        };
        let (s, d) = (
            hb(r.src_subresource, r.src_offset),
            hb(r.dst_subresource, r.dst_offset),
        );
        let mut tmp = vec![0u8; s.pitches(&spec).2 as usize];
        from.download(&s, &mut tmp);
        to.upload(&d, &tmp);
    };
    let regions = [
        region(0, [3, 5], [40, 1], [13, 56], 0, 1, 2),
        region(1, [0, 0], [0, 0], [26, 30], 0, 0, 3),
        region(2, [1, 2], [7, 9], [6, 5], 2, 0, 1),
    ];
    let info = vk::CopyImageToImageInfoEXT {
        src_image: a.image,
        src_image_layout: vk::ImageLayout::GENERAL,
        dst_image: b.image,
        dst_image_layout: vk::ImageLayout::GENERAL,
        region_count: regions.len() as u32,
        p_regions: regions.as_ptr(),
        ..Default::default()
    };
    // SAFETY: valid structures.
    unsafe { dev.copy_image_to_image(&info) }.unwrap();
    for r in &regions {
        apply(&ma, &mut mb, r);
    }
    assert_image(&b, &mb, "regions A → B");
    assert_image(&a, &ma, "the source is unchanged");

    // Within A: layer 0 → layer 2, and a box of level 1 to another place.
    let within = [
        region(0, [0, 0], [10, 20], [43, 41], 0, 2, 1),
        region(1, [0, 0], [13, 15], [13, 15], 1, 1, 1),
    ];
    let info = vk::CopyImageToImageInfoEXT {
        dst_image: a.image,
        region_count: within.len() as u32,
        p_regions: within.as_ptr(),
        ..info
    };
    // SAFETY: valid structures.
    unsafe { dev.copy_image_to_image(&info) }.unwrap();
    for r in &within {
        let snapshot = Model {
            spec,
            planes: ma.planes.clone(),
        };
        apply(&snapshot, &mut ma, r);
    }
    assert_image(&a, &ma, "regions within A");
}
