//! `tiledma vk-demo`: Vulkan host image copy on the card — an RGBA8 image
//! with a mip chain, written level by level with `vkCopyMemoryToImage`
//! (padded host rows), read back with `vkCopyImageToMemory`, moved raw with
//! `VK_HOST_IMAGE_COPY_MEMCPY` into a second image and compared, with the
//! card cycles each step took.

use anyhow::{anyhow, bail, Result};
use ash::vk;
use rand::{RngCore, SeedableRng};
use std::sync::Arc;
use tiledma::vk::HostDevice;
use tiledma::Device;

/// Arguments.
#[derive(clap::Args)]
pub struct VkDemoArgs {
    /// Image width in texels.
    #[arg(long, default_value_t = 512)]
    width: u32,
    /// Image height in texels.
    #[arg(long, default_value_t = 384)]
    height: u32,
    /// Mip levels.
    #[arg(long, default_value_t = 4)]
    levels: u32,
}

/// Runs `f` and prints the card cycles it took, with bytes per cycle.
fn timed<T>(dev: &HostDevice, what: &str, bytes: u64, f: impl FnOnce() -> Result<T>) -> Result<T> {
    let start = dev.card().card_cycles();
    let v = f()?;
    let cycles = dev.card().card_cycles() - start;
    println!(
        "{what:<52} {cycles:>9} cycles  {:>6.2} B/cycle",
        bytes as f64 / cycles as f64
    );
    Ok(v)
}

fn new_image(dev: &HostDevice, info: &vk::ImageCreateInfo) -> Result<vk::Image> {
    // SAFETY: no pNext chain.
    let image = unsafe { dev.create_image(info) }?;
    let req = dev.image_memory_requirements(image)?;
    let memory = dev.allocate_memory(&vk::MemoryAllocateInfo {
        allocation_size: req.size,
        ..Default::default()
    })?;
    dev.bind_image_memory(image, memory, 0)?;
    dev.transition_image_layout(&[vk::HostImageLayoutTransitionInfoEXT {
        image,
        old_layout: vk::ImageLayout::UNDEFINED,
        new_layout: vk::ImageLayout::TRANSFER_DST_OPTIMAL,
        subresource_range: vk::ImageSubresourceRange {
            aspect_mask: vk::ImageAspectFlags::COLOR,
            level_count: vk::REMAINING_MIP_LEVELS,
            layer_count: vk::REMAINING_ARRAY_LAYERS,
            ..Default::default()
        },
        ..Default::default()
    }])?;
    Ok(image)
}

fn level(l: u32) -> vk::ImageSubresourceLayers {
    vk::ImageSubresourceLayers {
        aspect_mask: vk::ImageAspectFlags::COLOR,
        mip_level: l,
        base_array_layer: 0,
        layer_count: 1,
    }
}

/// Runs the demo on `card`.
pub fn run(card: Arc<Device>, a: &VkDemoArgs) -> Result<()> {
    let dev = HostDevice::new(card);
    let info = vk::ImageCreateInfo {
        image_type: vk::ImageType::TYPE_2D,
        format: vk::Format::R8G8B8A8_UNORM,
        extent: vk::Extent3D {
            width: a.width,
            height: a.height,
            depth: 1,
        },
        mip_levels: a.levels,
        array_layers: 1,
        samples: vk::SampleCountFlags::TYPE_1,
        tiling: vk::ImageTiling::OPTIMAL,
        usage: vk::ImageUsageFlags::HOST_TRANSFER_EXT | vk::ImageUsageFlags::TRANSFER_DST,
        initial_layout: vk::ImageLayout::UNDEFINED,
        ..Default::default()
    };
    let src = new_image(&dev, &info)?;
    let dst = new_image(&dev, &info)?;
    println!(
        "{}×{} RGBA8, {} levels, optimal tiling (Tile4 in card memory); cycles are the card's",
        a.width, a.height, a.levels
    );
    let layout = vk::ImageLayout::TRANSFER_DST_OPTIMAL;
    for l in 0..a.levels {
        let (w, h) = ((a.width >> l).max(1), (a.height >> l).max(1));
        // Host rows padded by 16 texels: memoryRowLength = w + 16.
        let row_length = w + 16;
        let mut data = vec![0u8; (row_length * h * 4) as usize];
        rand_chacha::ChaCha8Rng::seed_from_u64(l as u64).fill_bytes(&mut data);
        let extent = vk::Extent3D {
            width: w,
            height: h,
            depth: 1,
        };
        let up = vk::MemoryToImageCopyEXT {
            p_host_pointer: data.as_ptr().cast(),
            memory_row_length: row_length,
            image_subresource: level(l),
            image_extent: extent,
            ..Default::default()
        };
        let bytes = (w * h * 4) as u64;
        timed(
            &dev,
            &format!("vkCopyMemoryToImage level {l} ({w}×{h}, padded rows)"),
            bytes,
            || {
                let info = vk::CopyMemoryToImageInfoEXT {
                    dst_image: src,
                    dst_image_layout: layout,
                    region_count: 1,
                    p_regions: &up,
                    ..Default::default()
                };
                // SAFETY: `data` holds the region at its row length.
                unsafe { dev.copy_memory_to_image(&info) }.map_err(|e| anyhow!("{e}"))
            },
        )?;
        let mut back = vec![0u8; (w * h * 4) as usize];
        let down = vk::ImageToMemoryCopyEXT {
            p_host_pointer: back.as_mut_ptr().cast(),
            image_subresource: level(l),
            image_extent: extent,
            ..Default::default()
        };
        timed(
            &dev,
            &format!("vkCopyImageToMemory level {l} (packed)"),
            bytes,
            || {
                let info = vk::CopyImageToMemoryInfoEXT {
                    src_image: src,
                    src_image_layout: layout,
                    region_count: 1,
                    p_regions: &down,
                    ..Default::default()
                };
                // SAFETY: `back` holds the packed region.
                unsafe { dev.copy_image_to_memory(&info) }.map_err(|e| anyhow!("{e}"))
            },
        )?;
        for y in 0..h as usize {
            let row = (w * 4) as usize;
            if back[y * row..][..row] != data[y * (row_length * 4) as usize..][..row] {
                bail!("level {l} row {y} differs after the round trip");
            }
        }
    }
    println!("every level read back byte for byte");
    // MEMCPY: level 0's raw tiled bytes, sized by the layout query, into the second image.
    let mut size = vk::SubresourceHostMemcpySizeEXT::default();
    let mut sub_layout = vk::SubresourceLayout2KHR {
        p_next: (&mut size as *mut vk::SubresourceHostMemcpySizeEXT).cast(),
        ..Default::default()
    };
    let sub = vk::ImageSubresource2KHR {
        image_subresource: vk::ImageSubresource {
            aspect_mask: vk::ImageAspectFlags::COLOR,
            mip_level: 0,
            array_layer: 0,
        },
        ..Default::default()
    };
    // SAFETY: the chain holds one output structure.
    unsafe { dev.image_subresource_layout2(src, &sub, &mut sub_layout) }?;
    let l0 = sub_layout.subresource_layout;
    println!(
        "level 0 layout: offset {}, row pitch {}, MEMCPY size {} bytes",
        l0.offset, l0.row_pitch, size.size
    );
    let mut raw = vec![0u8; size.size as usize];
    let extent = vk::Extent3D {
        width: a.width,
        height: a.height,
        depth: 1,
    };
    timed(
        &dev,
        "vkCopyImageToMemory MEMCPY level 0 (raw Tile4)",
        size.size,
        || {
            let region = vk::ImageToMemoryCopyEXT {
                p_host_pointer: raw.as_mut_ptr().cast(),
                image_subresource: level(0),
                image_extent: extent,
                ..Default::default()
            };
            let info = vk::CopyImageToMemoryInfoEXT {
                flags: vk::HostImageCopyFlagsEXT::MEMCPY,
                src_image: src,
                src_image_layout: layout,
                region_count: 1,
                p_regions: &region,
                ..Default::default()
            };
            // SAFETY: `raw` holds the MEMCPY size.
            unsafe { dev.copy_image_to_memory(&info) }.map_err(|e| anyhow!("{e}"))
        },
    )?;
    timed(
        &dev,
        "vkCopyMemoryToImage MEMCPY level 0 into a second image",
        size.size,
        || {
            let region = vk::MemoryToImageCopyEXT {
                p_host_pointer: raw.as_ptr().cast(),
                image_subresource: level(0),
                image_extent: extent,
                ..Default::default()
            };
            let info = vk::CopyMemoryToImageInfoEXT {
                flags: vk::HostImageCopyFlagsEXT::MEMCPY,
                dst_image: dst,
                dst_image_layout: layout,
                region_count: 1,
                p_regions: &region,
                ..Default::default()
            };
            // SAFETY: `raw` holds the MEMCPY size.
            unsafe { dev.copy_memory_to_image(&info) }.map_err(|e| anyhow!("{e}"))
        },
    )?;
    let mut a_bytes = vec![0u8; (a.width * a.height * 4) as usize];
    let mut b_bytes = a_bytes.clone();
    for (img, buf) in [(src, &mut a_bytes), (dst, &mut b_bytes)] {
        let region = vk::ImageToMemoryCopyEXT {
            p_host_pointer: buf.as_mut_ptr().cast(),
            image_subresource: level(0),
            image_extent: extent,
            ..Default::default()
        };
        let info = vk::CopyImageToMemoryInfoEXT {
            src_image: img,
            src_image_layout: layout,
            region_count: 1,
            p_regions: &region,
            ..Default::default()
        };
        // SAFETY: `buf` holds the packed level.
        unsafe { dev.copy_image_to_memory(&info) }?;
    }
    if a_bytes != b_bytes {
        bail!("the MEMCPY copy differs from its source");
    }
    println!("second image equals the first texel for texel");
    Ok(())
}
