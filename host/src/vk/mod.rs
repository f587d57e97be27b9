//! Vulkan host image copy (`VK_EXT_host_image_copy`, core in Vulkan 1.4)
//! on the card: `vkCopyMemoryToImage`, `vkCopyImageToMemory`,
//! `vkCopyImageToImage`, `vkTransitionImageLayout` and the subresource
//! layout query with `VkSubresourceHostMemcpySize`, over images in card
//! memory. The structures and enums are `ash`'s; the calls are methods of
//! [`HostDevice`] and return [`VkResult`].

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
