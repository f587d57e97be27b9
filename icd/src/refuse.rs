//! Calls for what the device does not have — kernels, SVM, pipes,
//! device-side queues, sub-devices, host/device timers, and the graphics
//! interop extensions it does not advertise — each returning the error the
//! specification gives for that case, after the argument checks that come
//! before it.
//!
//! One refusal serves every dispatch slot of a *shape* (which leading
//! arguments it checks, where `errcode_ret` sits): the refusal reads only
//! those leading arguments. On the C calling conventions this library is
//! built for (x86-64 System V, AArch64 AAPCS) leading arguments travel in
//! the same registers whatever follows them and the caller removes the
//! arguments, so a function that declares a prefix of the real parameter
//! list is called correctly; `dispatch.rs` stores them with
//! [`as_slot`].

use opencl_sys::*;
use std::ffi::c_void;
use tiledma::cl::{self, CommandQueue, Context, DeviceId};

#[cfg(not(any(target_arch = "x86_64", target_arch = "aarch64")))]
compile_error!("refuse.rs relies on the x86-64 or AArch64 C calling convention");

/// Stores a refusal in a dispatch slot of another signature (see the
/// module comment for why the call is well formed).
///
/// # Safety
/// `F` is an `Option` of an `extern "C"` function pointer whose parameter
/// list starts with the parameters `f` declares, and whose return value
/// is returned in the same register as `f`'s.
pub unsafe fn as_slot<F>(f: *const ()) -> F {
    debug_assert_eq!(std::mem::size_of::<F>(), std::mem::size_of::<*const ()>());
    std::mem::transmute_copy(&f)
}

/// A refused object: NULL, with `code` through `errcode_ret`.
unsafe fn set(errcode_ret: *mut cl_int, code: cl_int) -> *mut c_void {
    crate::args::object(Err(code), errcode_ret, std::ptr::null_mut())
}

fn queue_ok(q: cl_command_queue) -> Result<(), cl_int> {
    cl::command_queue_info(CommandQueue::from_raw(q)).map(|_| ())
}

fn device_ok(d: cl_device_id) -> Result<(), cl_int> {
    cl::device_info(DeviceId::from_raw(d)).map(|_| ())
}

fn context_ok(c: cl_context) -> Result<(), cl_int> {
    cl::context_devices(Context::from_raw(c)).map(|_| ())
}

/// Kernel calls (`clSetKernelArg`, `clGetKernelInfo`, `clRetainKernel`,
/// …): no kernel object can exist, so every kernel argument is invalid.
pub unsafe extern "C" fn invalid_kernel() -> cl_int {
    CL_INVALID_KERNEL
}

/// `clCloneKernel(source_kernel, errcode_ret)`.
pub unsafe extern "C" fn clone_kernel(_kernel: cl_kernel, errcode_ret: *mut cl_int) -> cl_kernel {
    set(errcode_ret, CL_INVALID_KERNEL)
}

/// `clEnqueueNDRangeKernel`, `clEnqueueTask`,
/// `clGetKernelSuggestedLocalWorkSizeKHR`: the queue, then the kernel.
pub unsafe extern "C" fn queue_then_invalid_kernel(q: cl_command_queue) -> cl_int {
    queue_ok(q).err().unwrap_or(CL_INVALID_KERNEL)
}

/// `clEnqueueNativeKernel` ("the device cannot execute the native
/// kernel") and the `clEnqueueSVM*` calls ("the device does not support
/// SVM"): the queue, then `CL_INVALID_OPERATION`.
pub unsafe extern "C" fn queue_then_invalid_operation(q: cl_command_queue) -> cl_int {
    queue_ok(q).err().unwrap_or(CL_INVALID_OPERATION)
}

/// `clGetHostTimer`, `clGetDeviceAndHostTimer`: the platform reports a
/// host timer resolution of 0 (no synchronisation).
pub unsafe extern "C" fn device_then_invalid_operation(d: cl_device_id) -> cl_int {
    device_ok(d).err().unwrap_or(CL_INVALID_OPERATION)
}

/// `clCreateSubDevices(EXT)`: the device supports no partition type
/// (`CL_DEVICE_PARTITION_PROPERTIES` is empty), so any property is invalid.
pub unsafe extern "C" fn device_then_invalid_value(d: cl_device_id) -> cl_int {
    device_ok(d).err().unwrap_or(CL_INVALID_VALUE)
}

/// `clRetainDevice`, `clReleaseDevice`: root devices are not counted.
pub unsafe extern "C" fn device_then_success(d: cl_device_id) -> cl_int {
    device_ok(d).err().unwrap_or(CL_SUCCESS)
}

/// `clSetDefaultDeviceCommandQueue`: no device-side queues to replace.
pub unsafe extern "C" fn context_then_invalid_operation(c: cl_context) -> cl_int {
    context_ok(c).err().unwrap_or(CL_INVALID_OPERATION)
}

/// `clCreatePipe(context, flags, packet_size, max_packets, properties,
/// errcode_ret)`: no device of the context supports pipes.
pub unsafe extern "C" fn create_pipe(
    c: cl_context,
    _flags: cl_mem_flags,
    _packet_size: cl_uint,
    _max_packets: cl_uint,
    _properties: *const cl_pipe_properties,
    errcode_ret: *mut cl_int,
) -> cl_mem {
    set(
        errcode_ret,
        context_ok(c).err().unwrap_or(CL_INVALID_OPERATION),
    )
}

/// `clGetPipeInfo`: no memory object is a pipe.
pub unsafe extern "C" fn invalid_mem_object() -> cl_int {
    CL_INVALID_MEM_OBJECT
}

/// `clSVMAlloc`: no SVM, so NULL (the call has no error code).
pub unsafe extern "C" fn svm_alloc(
    _context: cl_context,
    _flags: cl_svm_mem_flags,
    _size: usize,
    _alignment: cl_uint,
) -> *mut c_void {
    std::ptr::null_mut()
}

/// `clSVMFree`: nothing was ever allocated.
pub unsafe extern "C" fn svm_free(_context: cl_context, _svm_pointer: *mut c_void) {}

/// `clUnloadCompiler`: a hint; there is no compiler to unload.
pub unsafe extern "C" fn success() -> cl_int {
    CL_SUCCESS
}

/// Graphics interop calls (GL, EGL, D3D10/11, DX9 media sharing): the
/// extensions are not advertised, so no context was created for sharing.
pub unsafe extern "C" fn not_a_sharing_context() -> cl_int {
    CL_INVALID_CONTEXT
}

/// Interop calls that return an object, by the position of `errcode_ret`.
pub unsafe extern "C" fn sharing_object_3(_: usize, _: usize, e: *mut cl_int) -> *mut c_void {
    set(e, CL_INVALID_CONTEXT)
}
pub unsafe extern "C" fn sharing_object_4(
    _: usize,
    _: usize,
    _: usize,
    e: *mut cl_int,
) -> *mut c_void {
    set(e, CL_INVALID_CONTEXT)
}
pub unsafe extern "C" fn sharing_object_5(
    _: usize,
    _: usize,
    _: usize,
    _: usize,
    e: *mut cl_int,
) -> *mut c_void {
    set(e, CL_INVALID_CONTEXT)
}
pub unsafe extern "C" fn sharing_object_6(
    _: usize,
    _: usize,
    _: usize,
    _: usize,
    _: usize,
    e: *mut cl_int,
) -> *mut c_void {
    set(e, CL_INVALID_CONTEXT)
}

/// `clGetGLObjectInfo`, `clGetGLTextureInfo`: the memory object, then no
/// GL object behind it.
pub unsafe extern "C" fn no_gl_object(m: cl_mem) -> cl_int {
    match cl::mem_info(tiledma::cl::Mem::from_raw(m)) {
        Ok(_) => CL_INVALID_GL_OBJECT,
        Err(e) => e,
    }
}
