//! Platform and device: IDs and every `clGetPlatformInfo` /
//! `clGetDeviceInfo` query of OpenCL 3.0, answered truthfully for a
//! `CL_DEVICE_TYPE_CUSTOM` copy engine: images and their limits from
//! `tiledma::cl::LIMITS`, no compiler, no kernels (every kernel capability
//! is 0, which the specification allows custom devices), no SVM, pipes,
//! device-side queues or sub-devices.

use crate::info::{reply, Value};
use opencl_sys::*;
use std::ffi::c_void;
use tiledma::cl::{self, DeviceId, PlatformId};

/// `CL_MAKE_VERSION`.
pub const fn version(major: u32, minor: u32, patch: u32) -> cl_version {
    (major << 22) | (minor << 12) | patch
}

/// The OpenCL version the platform and device implement.
const CL_3_0: cl_version = version(3, 0, 0);
const PLATFORM_VERSION: &str = "OpenCL 3.0 tiledma";
/// `CL_PLATFORM_ICD_SUFFIX_KHR`: the suffix of extension functions.
pub const ICD_SUFFIX: &str = "tiledma";
const VENDOR: &str = "tiledma project";
/// The platform's extensions (the device's are `cl::platform::EXTENSIONS`);
/// every extension is at version 1.0.0.
const PLATFORM_EXTENSIONS: &[&str] = &["cl_khr_icd"];

fn with_versions(list: &[&'static str]) -> Vec<(&'static str, cl_version)> {
    list.iter().map(|n| (*n, version(1, 0, 0))).collect()
}

/// `clGetPlatformIDs` / `clIcdGetPlatformIDsKHR`.
///
/// # Safety
/// C pointers as the specification describes them.
pub unsafe extern "C" fn get_platform_ids(
    num_entries: cl_uint,
    platforms: *mut cl_platform_id,
    num_platforms: *mut cl_uint,
) -> cl_int {
    if (num_entries == 0 && !platforms.is_null())
        || (platforms.is_null() && num_platforms.is_null())
    {
        return CL_INVALID_VALUE;
    }
    crate::install_dispatch();
    let ids = cl::get_platform_ids();
    if !platforms.is_null() {
        for (i, p) in ids.iter().take(num_entries as usize).enumerate() {
            *platforms.add(i) = p.as_raw();
        }
    }
    if !num_platforms.is_null() {
        *num_platforms = ids.len() as cl_uint;
    }
    CL_SUCCESS
}

/// `clGetPlatformInfo`.
///
/// # Safety
/// C pointers as the specification describes them.
pub unsafe extern "C" fn get_platform_info(
    platform: cl_platform_id,
    param_name: cl_platform_info,
    param_value_size: usize,
    param_value: *mut c_void,
    param_value_size_ret: *mut usize,
) -> cl_int {
    let p = PlatformId::from_raw(platform);
    if p != cl::platform_id() && p != PlatformId::null() {
        return CL_INVALID_PLATFORM;
    }
    let v = match param_name {
        CL_PLATFORM_PROFILE => Value::str("FULL_PROFILE"),
        CL_PLATFORM_VERSION => Value::str(PLATFORM_VERSION),
        CL_PLATFORM_NUMERIC_VERSION => Value::one(CL_3_0),
        CL_PLATFORM_NAME => Value::str(cl::platform::PLATFORM_NAME),
        CL_PLATFORM_VENDOR => Value::str(VENDOR),
        CL_PLATFORM_EXTENSIONS => Value::str(&PLATFORM_EXTENSIONS.join(" ")),
        CL_PLATFORM_EXTENSIONS_WITH_VERSION => Value::names(&with_versions(PLATFORM_EXTENSIONS)),
        // 0: no device/host timer synchronisation (clGetHostTimer refuses).
        CL_PLATFORM_HOST_TIMER_RESOLUTION => Value::one(0 as cl_ulong),
        CL_PLATFORM_ICD_SUFFIX_KHR => Value::str(ICD_SUFFIX),
        _ => return CL_INVALID_VALUE,
    };
    v.answer(param_value_size, param_value, param_value_size_ret)
}

/// `clGetDeviceIDs`.
///
/// # Safety
/// C pointers as the specification describes them.
pub unsafe extern "C" fn get_device_ids(
    platform: cl_platform_id,
    device_type: cl_device_type,
    num_entries: cl_uint,
    devices: *mut cl_device_id,
    num_devices: *mut cl_uint,
) -> cl_int {
    let ids = match cl::get_device_ids(PlatformId::from_raw(platform), device_type) {
        Ok(ids) => ids,
        Err(e) => return e,
    };
    if (num_entries == 0 && !devices.is_null()) || (devices.is_null() && num_devices.is_null()) {
        return CL_INVALID_VALUE;
    }
    if !devices.is_null() {
        for (i, d) in ids.iter().take(num_entries as usize).enumerate() {
            *devices.add(i) = d.as_raw();
        }
    }
    if !num_devices.is_null() {
        *num_devices = ids.len() as cl_uint;
    }
    CL_SUCCESS
}

/// `clGetDeviceInfo`.
///
/// # Safety
/// C pointers as the specification describes them.
pub unsafe extern "C" fn get_device_info(
    device: cl_device_id,
    param_name: cl_device_info,
    param_value_size: usize,
    param_value: *mut c_void,
    param_value_size_ret: *mut usize,
) -> cl_int {
    reply(
        device_value(DeviceId::from_raw(device), param_name),
        param_value_size,
        param_value,
        param_value_size_ret,
    )
}

fn device_value(device: DeviceId, param: cl_device_info) -> Result<Value, cl_int> {
    let l = cl::device_info(device)?;
    let size = |v: u64| Value::one(v as usize);
    let uint = |v: u32| Value::one(v as cl_uint);
    let ulong = |v: u64| Value::one(v as cl_ulong);
    let bitfield = |v: u64| Value::one(v as cl_bitfield);
    Ok(match param {
        CL_DEVICE_TYPE => Value::one(CL_DEVICE_TYPE_CUSTOM),
        // No PCI-SIG vendor ID is assigned to the project.
        CL_DEVICE_VENDOR_ID => uint(0),
        // One copy engine.
        CL_DEVICE_MAX_COMPUTE_UNITS => uint(1),
        // No kernels: work-items are not a thing this device has.
        CL_DEVICE_MAX_WORK_ITEM_DIMENSIONS => uint(0),
        CL_DEVICE_MAX_WORK_ITEM_SIZES => Value::empty(),
        CL_DEVICE_MAX_WORK_GROUP_SIZE => size(0),
        CL_DEVICE_PREFERRED_VECTOR_WIDTH_CHAR
        | CL_DEVICE_PREFERRED_VECTOR_WIDTH_SHORT
        | CL_DEVICE_PREFERRED_VECTOR_WIDTH_INT
        | CL_DEVICE_PREFERRED_VECTOR_WIDTH_LONG
        | CL_DEVICE_PREFERRED_VECTOR_WIDTH_FLOAT
        | CL_DEVICE_PREFERRED_VECTOR_WIDTH_DOUBLE
        | CL_DEVICE_PREFERRED_VECTOR_WIDTH_HALF
        | CL_DEVICE_NATIVE_VECTOR_WIDTH_CHAR
        | CL_DEVICE_NATIVE_VECTOR_WIDTH_SHORT
        | CL_DEVICE_NATIVE_VECTOR_WIDTH_INT
        | CL_DEVICE_NATIVE_VECTOR_WIDTH_LONG
        | CL_DEVICE_NATIVE_VECTOR_WIDTH_FLOAT
        | CL_DEVICE_NATIVE_VECTOR_WIDTH_DOUBLE
        | CL_DEVICE_NATIVE_VECTOR_WIDTH_HALF => uint(0),
        // The bitstreams' target clock (the simulated card has no clock rate).
        CL_DEVICE_MAX_CLOCK_FREQUENCY => uint(100),
        // Card addresses are 64-bit.
        CL_DEVICE_ADDRESS_BITS => uint(64),
        CL_DEVICE_MAX_READ_IMAGE_ARGS
        | CL_DEVICE_MAX_WRITE_IMAGE_ARGS
        | CL_DEVICE_MAX_READ_WRITE_IMAGE_ARGS
        | CL_DEVICE_MAX_SAMPLERS
        | CL_DEVICE_MAX_CONSTANT_ARGS
        | CL_DEVICE_MAX_PIPE_ARGS
        | CL_DEVICE_PIPE_MAX_ACTIVE_RESERVATIONS
        | CL_DEVICE_PIPE_MAX_PACKET_SIZE
        | CL_DEVICE_MAX_ON_DEVICE_QUEUES
        | CL_DEVICE_MAX_ON_DEVICE_EVENTS
        | CL_DEVICE_QUEUE_ON_DEVICE_PREFERRED_SIZE
        | CL_DEVICE_QUEUE_ON_DEVICE_MAX_SIZE
        | CL_DEVICE_MAX_NUM_SUB_GROUPS
        | CL_DEVICE_PARTITION_MAX_SUB_DEVICES
        | CL_DEVICE_PREFERRED_PLATFORM_ATOMIC_ALIGNMENT
        | CL_DEVICE_PREFERRED_GLOBAL_ATOMIC_ALIGNMENT
        | CL_DEVICE_PREFERRED_LOCAL_ATOMIC_ALIGNMENT
        | CL_DEVICE_NODE_MASK => uint(0),
        CL_DEVICE_MAX_PARAMETER_SIZE
        | CL_DEVICE_MAX_GLOBAL_VARIABLE_SIZE
        | CL_DEVICE_GLOBAL_VARIABLE_PREFERRED_TOTAL_SIZE
        | CL_DEVICE_PRINTF_BUFFER_SIZE
        | CL_DEVICE_PREFERRED_WORK_GROUP_SIZE_MULTIPLE
        | CL_DEVICE_PROFILING_TIMER_RESOLUTION => size(match param {
            // Event times are host nanoseconds.
            CL_DEVICE_PROFILING_TIMER_RESOLUTION => 1,
            _ => 0,
        }),
        CL_DEVICE_MAX_MEM_ALLOC_SIZE => ulong(l.max_mem_alloc_size),
        CL_DEVICE_GLOBAL_MEM_SIZE => ulong(l.global_mem_size),
        CL_DEVICE_MAX_CONSTANT_BUFFER_SIZE | CL_DEVICE_LOCAL_MEM_SIZE => ulong(0),
        CL_DEVICE_GLOBAL_MEM_CACHE_SIZE => ulong(0),
        CL_DEVICE_GLOBAL_MEM_CACHELINE_SIZE => uint(0),
        CL_DEVICE_GLOBAL_MEM_CACHE_TYPE => Value::one(CL_NONE as cl_device_mem_cache_type),
        CL_DEVICE_LOCAL_MEM_TYPE => Value::one(CL_NONE as cl_device_local_mem_type),
        CL_DEVICE_IMAGE2D_MAX_WIDTH | CL_DEVICE_IMAGE2D_MAX_HEIGHT => size(l.image2d_max),
        CL_DEVICE_IMAGE3D_MAX_WIDTH
        | CL_DEVICE_IMAGE3D_MAX_HEIGHT
        | CL_DEVICE_IMAGE3D_MAX_DEPTH => size(l.image3d_max),
        CL_DEVICE_IMAGE_MAX_BUFFER_SIZE => size(l.image_max_buffer_size),
        CL_DEVICE_IMAGE_MAX_ARRAY_SIZE => size(l.image_max_array_size),
        CL_DEVICE_IMAGE_SUPPORT => Value::bool(l.image_support),
        CL_DEVICE_IMAGE_PITCH_ALIGNMENT => uint(l.image_pitch_alignment),
        // 1D image buffers may start at any buffer offset a sub-buffer may.
        CL_DEVICE_IMAGE_BASE_ADDRESS_ALIGNMENT => uint(l.mem_base_addr_align_bits / 8),
        CL_DEVICE_MEM_BASE_ADDR_ALIGN => uint(l.mem_base_addr_align_bits),
        CL_DEVICE_MIN_DATA_TYPE_ALIGN_SIZE => uint(l.mem_base_addr_align_bits / 8),
        CL_DEVICE_SINGLE_FP_CONFIG | CL_DEVICE_DOUBLE_FP_CONFIG | CL_DEVICE_HALF_FP_CONFIG => {
            Value::one(0 as cl_device_fp_config)
        }
        CL_DEVICE_ERROR_CORRECTION_SUPPORT => Value::bool(false),
        CL_DEVICE_HOST_UNIFIED_MEMORY => Value::bool(false),
        CL_DEVICE_ENDIAN_LITTLE => Value::bool(true),
        CL_DEVICE_AVAILABLE => Value::bool(cl::card_cycles().is_ok()),
        CL_DEVICE_COMPILER_AVAILABLE | CL_DEVICE_LINKER_AVAILABLE => Value::bool(false),
        CL_DEVICE_EXECUTION_CAPABILITIES => Value::one(0 as cl_device_exec_capabilities),
        CL_DEVICE_QUEUE_ON_HOST_PROPERTIES => {
            Value::one(CL_QUEUE_OUT_OF_ORDER_EXEC_MODE_ENABLE | CL_QUEUE_PROFILING_ENABLE)
        }
        CL_DEVICE_QUEUE_ON_DEVICE_PROPERTIES => Value::one(0 as cl_command_queue_properties),
        CL_DEVICE_NAME => Value::str(cl::platform::DEVICE_NAME),
        CL_DEVICE_VENDOR => Value::str(VENDOR),
        CL_DRIVER_VERSION => Value::str(env!("CARGO_PKG_VERSION")),
        CL_DEVICE_PROFILE => Value::str("FULL_PROFILE"),
        CL_DEVICE_VERSION => Value::str(PLATFORM_VERSION),
        CL_DEVICE_NUMERIC_VERSION => Value::one(CL_3_0),
        // No compiler: no OpenCL C, no IL, no built-in kernels.
        CL_DEVICE_OPENCL_C_VERSION | CL_DEVICE_IL_VERSION | CL_DEVICE_BUILT_IN_KERNELS => {
            Value::str("")
        }
        CL_DEVICE_OPENCL_C_ALL_VERSIONS
        | CL_DEVICE_OPENCL_C_FEATURES
        | CL_DEVICE_ILS_WITH_VERSION
        | CL_DEVICE_BUILT_IN_KERNELS_WITH_VERSION => Value::empty(),
        CL_DEVICE_EXTENSIONS => Value::str(&cl::platform::EXTENSIONS.join(" ")),
        CL_DEVICE_EXTENSIONS_WITH_VERSION => Value::names(&with_versions(cl::platform::EXTENSIONS)),
        CL_DEVICE_PLATFORM => Value::one(cl::platform_id().as_raw()),
        CL_DEVICE_PARENT_DEVICE => Value::one(std::ptr::null_mut::<c_void>()),
        CL_DEVICE_PARTITION_PROPERTIES | CL_DEVICE_PARTITION_TYPE => Value::empty(),
        CL_DEVICE_PARTITION_AFFINITY_DOMAIN => bitfield(0),
        // Root device: always 1.
        CL_DEVICE_REFERENCE_COUNT => uint(1),
        CL_DEVICE_PREFERRED_INTEROP_USER_SYNC => Value::bool(true),
        CL_DEVICE_SVM_CAPABILITIES => bitfield(0),
        CL_DEVICE_ATOMIC_MEMORY_CAPABILITIES | CL_DEVICE_ATOMIC_FENCE_CAPABILITIES => bitfield(0),
        CL_DEVICE_DEVICE_ENQUEUE_CAPABILITIES => bitfield(0),
        CL_DEVICE_SUB_GROUP_INDEPENDENT_FORWARD_PROGRESS
        | CL_DEVICE_NON_UNIFORM_WORK_GROUP_SUPPORT
        | CL_DEVICE_WORK_GROUP_COLLECTIVE_FUNCTIONS_SUPPORT
        | CL_DEVICE_GENERIC_ADDRESS_SPACE_SUPPORT
        | CL_DEVICE_PIPE_SUPPORT
        | CL_DEVICE_LUID_VALID => Value::bool(false),
        CL_DEVICE_LATEST_CONFORMANCE_VERSION_PASSED => Value::str("v0000-01-01-00"),
        CL_DEVICE_UUID => Value::of(&uuid()),
        CL_DEVICE_LUID => Value::of(&[0u8; CL_LUID_SIZE as usize]),
        _ => return Err(CL_INVALID_VALUE),
    })
}

/// A fixed UUID for the device (no two tiledma cards share a process).
fn uuid() -> [u8; CL_UUID_SIZE as usize] {
    *b"tiledma-card-v01"
}
