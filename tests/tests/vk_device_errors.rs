//! Device errors of the Vulkan host-copy calls on the simulated card, as the
//! pages' return codes: no card memory → `VK_ERROR_OUT_OF_DEVICE_MEMORY`
//! (allocation, and the bounce of a copy within one image); host memory that
//! cannot be mapped for DMA → `VK_ERROR_MEMORY_MAP_FAILED`. A failed call
//! writes nothing. One test: it exhausts the card's memory.

use ash::vk;
use tiledma_contract::regs::CARD_MEMORY_BYTES;
use tiledma_system_tests::random_bytes;
use tiledma_system_tests::vk::*;

#[test]
fn device_errors_are_the_pages_codes_and_write_nothing() {
    let dev = host_device();
    let color = vk::ImageAspectFlags::COLOR;

    // More than the card has.
    let e = dev
        .allocate_memory(&vk::MemoryAllocateInfo {
            allocation_size: CARD_MEMORY_BYTES + 1,
            memory_type_index: 0,
            ..Default::default()
        })
        .unwrap_err();
    assert_eq!(e.result(), vk::Result::ERROR_OUT_OF_DEVICE_MEMORY, "{e}");

    // Host memory past the IOVA space: the first region is fine, the second
    // spans ~1.2 TiB (rows 2 GiB apart); neither is written.
    let spec = Spec::d2(vk::Format::R8G8B8A8_UNORM, 16, 1024);
    let img = image(dev, spec);
    let model = Model::random(spec, 900);
    upload_raw(&img, &model);
    let data = random_bytes(901, 16 * 4 * 1024);
    let ok = HostBox {
        aspect: color,
        level: 0,
        first_layer: 0,
        layers: 1,
        offset: [0; 3],
        extent: [16, 16, 1],
        row_length: 0,
        image_height: 0,
    };
    let huge = HostBox {
        offset: [0, 16, 0],
        extent: [1, 600, 1],
        row_length: (1 << 29) - 1,
        ..ok
    };
    let regions = [ok.to_image(data.as_ptr()), huge.to_image(data.as_ptr())];
    let info = vk::CopyMemoryToImageInfoEXT {
        dst_image: img.image,
        dst_image_layout: vk::ImageLayout::GENERAL,
        region_count: 2,
        p_regions: regions.as_ptr(),
        ..Default::default()
    };
    // SAFETY: the driver refuses the mapping before touching the range.
    let e = unsafe { dev.copy_memory_to_image(&info) }.unwrap_err();
    assert_eq!(e.result(), vk::Result::ERROR_MEMORY_MAP_FAILED, "{e}");
    assert_image(&img, &model, "after a failed mapping");

    // A copy within one image needs a bounce in card memory; take it all.
    let spec = Spec::d2(vk::Format::R8G8B8A8_UNORM, 64, 64).with(1, 2);
    let img = image(dev, spec);
    let model = Model::random(spec, 902);
    upload_raw(&img, &model);
    let mut hog = Vec::new();
    let mut chunk = CARD_MEMORY_BYTES;
    while chunk >= 64 {
        match dev.allocate_memory(&vk::MemoryAllocateInfo {
            allocation_size: chunk,
            memory_type_index: 0,
            ..Default::default()
        }) {
            Ok(m) => hog.push(m),
            Err(_) => chunk /= 2,
        }
    }
    let region = vk::ImageCopy2 {
        src_subresource: layers(color, 0, 0, 1),
        dst_subresource: layers(color, 0, 1, 1),
        extent: level_extent(&spec, 0),
        ..Default::default()
    };
    let info = vk::CopyImageToImageInfoEXT {
        src_image: img.image,
        src_image_layout: vk::ImageLayout::GENERAL,
        dst_image: img.image,
        dst_image_layout: vk::ImageLayout::GENERAL,
        region_count: 1,
        p_regions: &region,
        ..Default::default()
    };
    // SAFETY: valid structures.
    let e = unsafe { dev.copy_image_to_image(&info) }.unwrap_err();
    assert_eq!(e.result(), vk::Result::ERROR_OUT_OF_DEVICE_MEMORY, "{e}");
    assert_image(&img, &model, "after a failed bounce");
    for m in hog {
        dev.free_memory(m);
    }
    // With memory back, the same copy works.
    // SAFETY: valid structures.
    unsafe { dev.copy_image_to_image(&info) }.unwrap();
}
