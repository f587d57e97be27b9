//! The logical device the Vulkan host-image-copy calls run on: one card,
//! and the objects made on it (device memory, images) behind handles.

use super::error::{VkError, VkResult};
use super::image::ImageObj;
use super::memory::MemoryObj;
use crate::Device;
use ash::vk::{self, Handle};
use std::collections::HashMap;
use std::sync::{Arc, Mutex};

/// A `VkDevice` on the card: the calls of `VK_EXT_host_image_copy` (core in
/// Vulkan 1.4) and the image and memory calls they need.
pub struct HostDevice {
    pub(crate) card: Arc<Device>,
    objects: Mutex<Objects>,
}

#[derive(Default)]
struct Objects {
    next: u64,
    images: HashMap<u64, Arc<ImageObj>>,
    memories: HashMap<u64, Arc<MemoryObj>>,
}

impl HostDevice {
    /// A logical device on `card`.
    pub fn new(card: Arc<Device>) -> Self {
        Self {
            card,
            objects: Mutex::new(Objects {
                next: 1,
                ..Default::default()
            }),
        }
    }

    /// The card.
    pub fn card(&self) -> &Arc<Device> {
        &self.card
    }

    fn new_handle(o: &mut Objects) -> u64 {
        let h = o.next;
        o.next += 1;
        h
    }

    pub(crate) fn add_image(&self, img: ImageObj) -> vk::Image {
        let mut o = self.objects.lock().unwrap();
        let h = Self::new_handle(&mut o);
        o.images.insert(h, Arc::new(img));
        vk::Image::from_raw(h)
    }

    pub(crate) fn add_memory(&self, m: MemoryObj) -> vk::DeviceMemory {
        let mut o = self.objects.lock().unwrap();
        let h = Self::new_handle(&mut o);
        o.memories.insert(h, Arc::new(m));
        vk::DeviceMemory::from_raw(h)
    }

    /// The image behind `h`, or the error naming `vuid` (its `-parameter` rule).
    pub(crate) fn image(&self, h: vk::Image, vuid: &str) -> VkResult<Arc<ImageObj>> {
        self.objects
            .lock()
            .unwrap()
            .images
            .get(&h.as_raw())
            .cloned()
            .ok_or_else(|| VkError::invalid(vuid, format!("{h:?} is not a live image")))
    }

    pub(crate) fn memory(&self, h: vk::DeviceMemory, vuid: &str) -> VkResult<Arc<MemoryObj>> {
        self.objects
            .lock()
            .unwrap()
            .memories
            .get(&h.as_raw())
            .cloned()
            .ok_or_else(|| VkError::invalid(vuid, format!("{h:?} is not live device memory")))
    }

    pub(crate) fn remove_image(&self, h: vk::Image) -> Option<Arc<ImageObj>> {
        self.objects.lock().unwrap().images.remove(&h.as_raw())
    }

    pub(crate) fn remove_memory(&self, h: vk::DeviceMemory) -> Option<Arc<MemoryObj>> {
        self.objects.lock().unwrap().memories.remove(&h.as_raw())
    }
}
