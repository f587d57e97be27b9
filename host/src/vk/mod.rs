//! Vulkan host image copy (`VK_EXT_host_image_copy`, core in Vulkan 1.4)
//! on the card: `vkCopyMemoryToImage`, `vkCopyImageToMemory`,
//! `vkCopyImageToImage`, `vkTransitionImageLayout` and the subresource
//! layout query with `VkSubresourceHostMemcpySize`, over images in card
//! memory. The structures and enums are `ash`'s; the calls are methods of
//! [`HostDevice`] and return [`VkResult`]. Placement, MEMCPY and errors:
//! `docs/vulkan.md`.
//!
//! ```
//! # fn main() -> Result<(), Box<dyn std::error::Error>> {
//! use ash::vk;
//! use tiledma::vk::HostDevice;
//!
//! let dev = HostDevice::new(std::sync::Arc::new(tiledma::open("sim", Default::default())?));
//! let info = vk::ImageCreateInfo::default()
//!     .image_type(vk::ImageType::TYPE_2D).format(vk::Format::BC7_UNORM_BLOCK)
//!     .extent(vk::Extent3D { width: 256, height: 256, depth: 1 }).mip_levels(1).array_layers(1)
//!     .samples(vk::SampleCountFlags::TYPE_1).usage(vk::ImageUsageFlags::HOST_TRANSFER_EXT);
//! let image = unsafe { dev.create_image(&info)? };
//! let mem = dev.allocate_memory(&vk::MemoryAllocateInfo::default()
//!     .allocation_size(dev.image_memory_requirements(image)?.size))?;
//! dev.bind_image_memory(image, mem, 0)?;
//! let range = vk::ImageSubresourceRange { aspect_mask: vk::ImageAspectFlags::COLOR,
//!     level_count: 1, layer_count: 1, ..Default::default() };
//! dev.transition_image_layout(&[vk::HostImageLayoutTransitionInfoEXT::default()
//!     .image(image).old_layout(vk::ImageLayout::UNDEFINED)
//!     .new_layout(vk::ImageLayout::GENERAL).subresource_range(range)])?;
//! let blocks = vec![0u8; 64 * 64 * 16];            // 64×64 BC7 blocks
//! let region = vk::MemoryToImageCopyEXT::default().host_pointer(blocks.as_ptr().cast())
//!     .image_subresource(vk::ImageSubresourceLayers { aspect_mask: vk::ImageAspectFlags::COLOR,
//!         mip_level: 0, base_array_layer: 0, layer_count: 1 })
//!     .image_extent(vk::Extent3D { width: 256, height: 256, depth: 1 });
//! unsafe { dev.copy_memory_to_image(&vk::CopyMemoryToImageInfoEXT::default()
//!     .dst_image(image).dst_image_layout(vk::ImageLayout::GENERAL)
//!     .regions(std::slice::from_ref(&region)))? };
//! # Ok(())
//! # }
//! ```

mod copy;
mod device;
pub mod error;
pub mod format;
mod image;
pub mod layout;
mod memory;
mod placement;
mod region;

pub use device::HostDevice;
pub use error::{VkError, VkResult};
pub use image::{IMAGE_ALIGNMENT, MAX_ARRAY_LAYERS, MAX_EXTENT_2D, MAX_EXTENT_3D};
