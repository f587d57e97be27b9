//! tiledma's OpenCL installable client driver (`cl_khr_icd`).
//!
//! The ICD loader (`libOpenCL.so`, e.g. Debian's `ocl-icd-libopencl1`)
//! finds this library through a vendor file (`tiledma.icd`, written by the
//! build next to the library; `OCL_ICD_VENDORS` points the loader at it),
//! asks it for `clIcdGetPlatformIDsKHR`, and from then on calls every
//! OpenCL entry point through the dispatch table whose address is the first
//! word of each object. Behind the table is `tiledma::cl`: the card moves
//! every byte.
//!
//! The library exports only the three symbols the loader looks up
//! (`clGetExtensionFunctionAddress`, `clIcdGetPlatformIDsKHR` and — ocl-icd
//! reads the platform's ICD suffix through it — `clGetPlatformInfo`); every
//! other call arrives through the dispatch table.

#![allow(clippy::missing_safety_doc)] // every entry point is the C call of the same name

mod args;
pub mod dispatch;
mod enqueue;
pub mod info;
mod local;
mod objects;
pub mod platform;
mod program;
mod refuse;
mod sampler;

use opencl_sys::{cl_int, cl_platform_id, cl_uint};
use std::ffi::{c_char, c_void, CStr};

/// Makes every object created from now on carry the dispatch table (done
/// before the first handle — the platform's — exists).
pub(crate) fn install_dispatch() {
    tiledma::cl::handle::set_dispatch_table(dispatch::table() as *mut c_void);
}

/// `clIcdGetPlatformIDsKHR`: the loader's way in.
#[no_mangle]
pub unsafe extern "C" fn clIcdGetPlatformIDsKHR(
    num_entries: cl_uint,
    platforms: *mut cl_platform_id,
    num_platforms: *mut cl_uint,
) -> cl_int {
    platform::get_platform_ids(num_entries, platforms, num_platforms)
}

/// `clGetPlatformInfo`, exported because ocl-icd looks it up by name.
#[no_mangle]
pub unsafe extern "C" fn clGetPlatformInfo(
    platform: cl_platform_id,
    param_name: opencl_sys::cl_platform_info,
    param_value_size: usize,
    param_value: *mut c_void,
    param_value_size_ret: *mut usize,
) -> cl_int {
    platform::get_platform_info(
        platform,
        param_name,
        param_value_size,
        param_value,
        param_value_size_ret,
    )
}

/// `clGetExtensionFunctionAddress`: the loader asks for
/// `clIcdGetPlatformIDsKHR`; no other extension function exists.
#[no_mangle]
pub unsafe extern "C" fn clGetExtensionFunctionAddress(name: *const c_char) -> *mut c_void {
    install_dispatch();
    if name.is_null() {
        return std::ptr::null_mut();
    }
    match CStr::from_ptr(name).to_bytes() {
        b"clIcdGetPlatformIDsKHR" => clIcdGetPlatformIDsKHR as *mut c_void,
        _ => std::ptr::null_mut(),
    }
}

/// `clGetExtensionFunctionAddressForPlatform`.
pub unsafe extern "C" fn get_extension_function_address_for_platform(
    platform: cl_platform_id,
    name: *const c_char,
) -> *mut c_void {
    if platform != tiledma::cl::platform_id().as_raw() {
        return std::ptr::null_mut();
    }
    clGetExtensionFunctionAddress(name)
}
