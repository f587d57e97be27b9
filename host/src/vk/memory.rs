//! Device memory: blocks of card memory, one memory type (device-local,
//! not host-visible — the host reaches it only through the card's copies).

use super::device::HostDevice;
use super::error::{rule, VkError, VkResult};
use crate::device::CardBuffer;
use ash::vk;
use tiledma_contract::regs::CARD_MEMORY_BYTES;

/// A `VkDeviceMemory`.
pub(crate) struct MemoryObj {
    pub(crate) block: CardBuffer,
}

impl HostDevice {
    /// `vkGetPhysicalDeviceMemoryProperties`: one device-local type in one
    /// heap, the card's memory.
    pub fn memory_properties(&self) -> vk::PhysicalDeviceMemoryProperties {
        let mut p = vk::PhysicalDeviceMemoryProperties {
            memory_type_count: 1,
            memory_heap_count: 1,
            ..Default::default()
        };
        p.memory_types[0] = vk::MemoryType {
            property_flags: vk::MemoryPropertyFlags::DEVICE_LOCAL,
            heap_index: 0,
        };
        p.memory_heaps[0] = vk::MemoryHeap {
            size: CARD_MEMORY_BYTES,
            flags: vk::MemoryHeapFlags::DEVICE_LOCAL,
        };
        p
    }

    /// `vkAllocateMemory` (`VK_ERROR_OUT_OF_DEVICE_MEMORY` when the card's
    /// memory has no room).
    pub fn allocate_memory(&self, info: &vk::MemoryAllocateInfo) -> VkResult<vk::DeviceMemory> {
        rule(
            info.s_type == vk::StructureType::MEMORY_ALLOCATE_INFO,
            "VUID-VkMemoryAllocateInfo-sType-sType",
            || format!("sType is {:?}", info.s_type),
        )?;
        rule(
            info.memory_type_index < self.memory_properties().memory_type_count,
            "VUID-vkAllocateMemory-pAllocateInfo-01714",
            || format!("memoryTypeIndex {} (one type)", info.memory_type_index),
        )?;
        rule(
            info.allocation_size > 0,
            "VUID-VkMemoryAllocateInfo-allocationSize-07897",
            || "allocationSize 0".into(),
        )?;
        let block = self
            .card
            .alloc_card(info.allocation_size)
            .map_err(|e| VkError::failed(vk::Result::ERROR_OUT_OF_DEVICE_MEMORY, e.to_string()))?;
        Ok(self.add_memory(MemoryObj { block }))
    }

    /// `vkFreeMemory`. Images bound to it keep the block until they are
    /// destroyed (using them meanwhile is the application's error, but can
    /// never reach another allocation).
    pub fn free_memory(&self, memory: vk::DeviceMemory) {
        self.remove_memory(memory);
    }
}
