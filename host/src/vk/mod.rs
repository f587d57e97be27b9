//! Vulkan host image copy (`VK_EXT_host_image_copy`, core in Vulkan 1.4)
//! on the card — issue 7, in progress: so far the format table every copy
//! is measured in. The Vulkan structures and enums are `ash`'s.

pub mod format;
