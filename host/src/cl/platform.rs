//! The platform and its one device: the card (the simulated card unless
//! `TILEDMA_DEVICE` names another), opened on first use and shared by every
//! context of the process.

use super::handle::{static_handle, DeviceId, PlatformId};
use crate::Device;
use opencl_sys::{
    cl_device_type, cl_int, CL_DEVICE_NOT_AVAILABLE, CL_DEVICE_NOT_FOUND, CL_DEVICE_TYPE_ALL,
    CL_DEVICE_TYPE_CUSTOM, CL_DEVICE_TYPE_DEFAULT, CL_INVALID_DEVICE_TYPE, CL_INVALID_PLATFORM,
};
use std::sync::{Arc, OnceLock};
use tiledma_contract::regs::CARD_MEMORY_BYTES;

/// What the device can do, as `clGetDeviceInfo` reports it.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct DeviceLimits {
    /// `CL_DEVICE_IMAGE_SUPPORT`.
    pub image_support: bool,
    /// `CL_DEVICE_MEM_BASE_ADDR_ALIGN`, in bits: a bus beat.
    pub mem_base_addr_align_bits: u32,
    /// `CL_DEVICE_GLOBAL_MEM_SIZE`: card memory.
    pub global_mem_size: u64,
    /// `CL_DEVICE_MAX_MEM_ALLOC_SIZE`: a quarter of card memory.
    pub max_mem_alloc_size: u64,
    /// `CL_DEVICE_IMAGE2D_MAX_WIDTH` / `_HEIGHT`.
    pub image2d_max: u64,
    /// `CL_DEVICE_IMAGE3D_MAX_WIDTH` / `_HEIGHT` / `_DEPTH`.
    pub image3d_max: u64,
    /// `CL_DEVICE_IMAGE_MAX_ARRAY_SIZE`.
    pub image_max_array_size: u64,
    /// `CL_DEVICE_IMAGE_MAX_BUFFER_SIZE`, in pixels.
    pub image_max_buffer_size: u64,
    /// `CL_DEVICE_IMAGE_PITCH_ALIGNMENT`, in pixels (1: any pitch).
    pub image_pitch_alignment: u32,
}

/// The card's limits.
pub const LIMITS: DeviceLimits = DeviceLimits {
    image_support: true,
    mem_base_addr_align_bits: 512,
    global_mem_size: CARD_MEMORY_BYTES,
    max_mem_alloc_size: CARD_MEMORY_BYTES / 4,
    image2d_max: 16384,
    image3d_max: 2048,
    image_max_array_size: 2048,
    image_max_buffer_size: 1 << 26,
    image_pitch_alignment: 1,
};

/// `CL_DEVICE_MEM_BASE_ADDR_ALIGN` in bytes.
pub const BASE_ADDR_ALIGN: u64 = LIMITS.mem_base_addr_align_bits as u64 / 8;

/// `CL_PLATFORM_NAME` / `CL_DEVICE_NAME` and friends.
pub const PLATFORM_NAME: &str = "tiledma";
/// `CL_DEVICE_NAME`.
pub const DEVICE_NAME: &str = "tiledma copy/tiling DMA card";
/// `CL_DEVICE_EXTENSIONS` (each at version 1.0.0).
pub const EXTENSIONS: &[&str] = &["cl_khr_icd", "cl_khr_mipmap_image"];

/// The platform.
pub fn platform_id() -> PlatformId {
    PlatformId(static_handle(0))
}

/// The device.
pub fn device_id() -> DeviceId {
    DeviceId(static_handle(1))
}

/// `clGetPlatformIDs`: the one platform.
pub fn get_platform_ids() -> Vec<PlatformId> {
    vec![platform_id()]
}

/// `clGetDeviceIDs`.
pub fn get_device_ids(
    platform: PlatformId,
    device_type: cl_device_type,
) -> Result<Vec<DeviceId>, cl_int> {
    if platform != platform_id() && platform != PlatformId::null() {
        return Err(CL_INVALID_PLATFORM);
    }
    let known = CL_DEVICE_TYPE_ALL;
    if device_type == 0 || (device_type & !known != 0 && device_type != CL_DEVICE_TYPE_ALL) {
        return Err(CL_INVALID_DEVICE_TYPE);
    }
    let ours = CL_DEVICE_TYPE_CUSTOM | CL_DEVICE_TYPE_DEFAULT;
    if device_type == CL_DEVICE_TYPE_ALL || device_type & ours != 0 {
        Ok(vec![device_id()])
    } else {
        Err(CL_DEVICE_NOT_FOUND)
    }
}

/// Whether `d` is the device.
pub(crate) fn valid_device(d: DeviceId) -> bool {
    d == device_id()
}

/// The open card (opened on first call).
pub(crate) fn card() -> Result<Arc<Device>, cl_int> {
    static CARD: OnceLock<Result<Arc<Device>, String>> = OnceLock::new();
    CARD.get_or_init(|| {
        let name = std::env::var("TILEDMA_DEVICE").unwrap_or_else(|_| "sim".into());
        crate::open(&name, Default::default())
            .map(Arc::new)
            .map_err(|e| e.to_string())
    })
    .clone()
    .map_err(|e| {
        eprintln!("tiledma: cannot open the card: {e}");
        CL_DEVICE_NOT_AVAILABLE
    })
}

/// `clGetDeviceInfo` for the limits (`CL_INVALID_DEVICE` for another handle).
pub fn device_info(d: DeviceId) -> Result<DeviceLimits, cl_int> {
    if valid_device(d) {
        Ok(LIMITS)
    } else {
        Err(opencl_sys::CL_INVALID_DEVICE)
    }
}

/// The card's cycle counter (for reports), opening the card if needed.
pub fn card_cycles() -> Result<u64, cl_int> {
    Ok(card()?.card_cycles())
}
