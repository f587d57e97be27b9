//! The ICD dispatch table (`cl_khr_icd`): the loader calls every entry
//! point through the table whose address is the first word of the object
//! handed to it. Every slot is filled: with the implementation, or with the
//! refusal the specification gives when the device lacks the feature.

use crate::refuse::{self, as_slot};
use crate::{enqueue as e, objects as o, platform as p, program, sampler};
use opencl_sys::cl_icd::cl_icd_dispatch;
use std::ffi::c_void;
use std::sync::LazyLock;

struct Table(cl_icd_dispatch);
// SAFETY: a table of function pointers, written once and then only read.
unsafe impl Send for Table {}
unsafe impl Sync for Table {}

static TABLE: LazyLock<Table> = LazyLock::new(|| Table(unsafe { build() }));

/// The table's address, as stored in every object.
pub fn table() -> *const c_void {
    &TABLE.0 as *const cl_icd_dispatch as *const c_void
}

/// Fills the table.
///
/// # Safety
/// Each `as_slot` refusal declares a prefix of its slot's parameters
/// (checked by reading the refusal next to the slot's C prototype).
unsafe fn build() -> cl_icd_dispatch {
    // SAFETY: every field is an Option of a function pointer (or an
    // integer): all-zero is None; the rest of this function fills them all,
    // which `tests::every_slot_is_filled` checks.
    let mut t: cl_icd_dispatch = std::mem::zeroed();
    macro_rules! refuse {
        ($($slot:ident),+ => $f:path) => {
            $( t.$slot = as_slot($f as *const ()); )+
        };
    }

    // Platform, device.
    t.clGetPlatformIDs = Some(p::get_platform_ids);
    t.clGetPlatformInfo = Some(p::get_platform_info);
    t.clGetDeviceIDs = Some(p::get_device_ids);
    t.clGetDeviceInfo = Some(p::get_device_info);
    t.clGetExtensionFunctionAddress = Some(crate::clGetExtensionFunctionAddress);
    t.clGetExtensionFunctionAddressForPlatform =
        Some(crate::get_extension_function_address_for_platform);
    refuse!(clCreateSubDevices, clCreateSubDevicesEXT => refuse::device_then_invalid_value);
    refuse!(clRetainDevice, clReleaseDevice, clRetainDeviceEXT, clReleaseDeviceEXT
        => refuse::device_then_success);
    refuse!(clGetDeviceAndHostTimer, clGetHostTimer => refuse::device_then_invalid_operation);

    // Contexts.
    t.clCreateContext = Some(o::create_context);
    t.clCreateContextFromType = Some(o::create_context_from_type);
    t.clRetainContext = Some(o::retain_context);
    t.clReleaseContext = Some(o::release_context);
    t.clGetContextInfo = Some(o::get_context_info);
    t.clSetContextDestructorCallback = Some(o::set_context_destructor_callback);

    // Queues.
    t.clCreateCommandQueue = Some(o::create_command_queue);
    t.clCreateCommandQueueWithProperties = Some(o::create_command_queue_with_properties);
    t.clRetainCommandQueue = Some(o::retain_command_queue);
    t.clReleaseCommandQueue = Some(o::release_command_queue);
    t.clGetCommandQueueInfo = Some(o::get_command_queue_info);
    t.clSetCommandQueueProperty = Some(o::set_command_queue_property);
    t.clFlush = Some(o::flush);
    t.clFinish = Some(o::finish);
    refuse!(clSetDefaultDeviceCommandQueue => refuse::context_then_invalid_operation);

    // Memory objects.
    t.clCreateBuffer = Some(o::create_buffer);
    t.clCreateBufferWithProperties = Some(o::create_buffer_with_properties);
    t.clCreateSubBuffer = Some(o::create_sub_buffer);
    t.clCreateImage = Some(o::create_image);
    t.clCreateImageWithProperties = Some(o::create_image_with_properties);
    t.clCreateImage2D = Some(o::create_image_2d);
    t.clCreateImage3D = Some(o::create_image_3d);
    t.clRetainMemObject = Some(o::retain_mem_object);
    t.clReleaseMemObject = Some(o::release_mem_object);
    t.clGetSupportedImageFormats = Some(o::get_supported_image_formats);
    t.clGetMemObjectInfo = Some(o::get_mem_object_info);
    t.clGetImageInfo = Some(o::get_image_info);
    t.clSetMemObjectDestructorCallback = Some(o::set_mem_object_destructor_callback);
    t.clCreatePipe = Some(refuse::create_pipe);
    refuse!(clGetPipeInfo => refuse::invalid_mem_object);
    t.clSVMAlloc = Some(refuse::svm_alloc);
    t.clSVMFree = Some(refuse::svm_free);

    // Samplers.
    t.clCreateSampler = Some(sampler::create);
    t.clCreateSamplerWithProperties = Some(sampler::create_with_properties);
    t.clRetainSampler = Some(sampler::retain);
    t.clReleaseSampler = Some(sampler::release);
    t.clGetSamplerInfo = Some(sampler::get_info);

    // Programs and kernels.
    t.clCreateProgramWithSource = Some(program::create_with_source);
    t.clCreateProgramWithBinary = Some(program::create_with_binary);
    t.clCreateProgramWithBuiltInKernels = Some(program::create_with_built_in_kernels);
    t.clCreateProgramWithIL = Some(program::create_with_il);
    t.clRetainProgram = Some(program::retain);
    t.clReleaseProgram = Some(program::release);
    t.clBuildProgram = Some(program::build);
    t.clCompileProgram = Some(program::compile);
    t.clLinkProgram = Some(program::link);
    t.clUnloadPlatformCompiler = Some(program::unload_platform_compiler);
    refuse!(clUnloadCompiler => refuse::success);
    t.clGetProgramInfo = Some(program::get_info);
    t.clGetProgramBuildInfo = Some(program::get_build_info);
    refuse!(clSetProgramReleaseCallback => program::set_release_callback);
    refuse!(clSetProgramSpecializationConstant => program::set_specialization_constant);
    t.clCreateKernel = Some(program::create_kernel);
    t.clCreateKernelsInProgram = Some(program::create_kernels_in_program);
    t.clCloneKernel = Some(refuse::clone_kernel);
    refuse!(clRetainKernel, clReleaseKernel, clSetKernelArg, clGetKernelInfo,
        clGetKernelWorkGroupInfo, clGetKernelArgInfo, clSetKernelArgSVMPointer,
        clSetKernelExecInfo, clGetKernelSubGroupInfo, clGetKernelSubGroupInfoKHR
        => refuse::invalid_kernel);
    refuse!(clEnqueueNDRangeKernel, clEnqueueTask => refuse::queue_then_invalid_kernel);
    t.clGetKernelSuggestedLocalWorkSize = refuse::queue_then_invalid_kernel as *const () as isize;
    refuse!(clEnqueueNativeKernel, clEnqueueSVMFree, clEnqueueSVMMemcpy, clEnqueueSVMMemFill,
        clEnqueueSVMMap, clEnqueueSVMUnmap, clEnqueueSVMMigrateMem
        => refuse::queue_then_invalid_operation);

    // Events.
    t.clWaitForEvents = Some(o::wait_for_events);
    t.clGetEventInfo = Some(o::get_event_info);
    t.clGetEventProfilingInfo = Some(o::get_event_profiling_info);
    t.clRetainEvent = Some(o::retain_event);
    t.clReleaseEvent = Some(o::release_event);
    t.clCreateUserEvent = Some(o::create_user_event);
    t.clSetUserEventStatus = Some(o::set_user_event_status);
    t.clSetEventCallback = Some(o::set_event_callback);

    // Commands.
    t.clEnqueueReadBuffer = Some(e::read_buffer);
    t.clEnqueueWriteBuffer = Some(e::write_buffer);
    t.clEnqueueCopyBuffer = Some(e::copy_buffer);
    t.clEnqueueReadBufferRect = Some(e::read_buffer_rect);
    t.clEnqueueWriteBufferRect = Some(e::write_buffer_rect);
    t.clEnqueueCopyBufferRect = Some(e::copy_buffer_rect);
    t.clEnqueueFillBuffer = Some(e::fill_buffer);
    t.clEnqueueReadImage = Some(e::read_image);
    t.clEnqueueWriteImage = Some(e::write_image);
    t.clEnqueueCopyImage = Some(e::copy_image);
    t.clEnqueueFillImage = Some(e::fill_image);
    t.clEnqueueCopyImageToBuffer = Some(e::copy_image_to_buffer);
    t.clEnqueueCopyBufferToImage = Some(e::copy_buffer_to_image);
    t.clEnqueueMapBuffer = Some(e::map_buffer);
    t.clEnqueueMapImage = Some(e::map_image);
    t.clEnqueueUnmapMemObject = Some(e::unmap_mem_object);
    t.clEnqueueMigrateMemObjects = Some(e::migrate_mem_objects);
    t.clEnqueueMarker = Some(e::marker);
    t.clEnqueueBarrier = Some(e::barrier);
    t.clEnqueueWaitForEvents = Some(e::wait_for_events);
    t.clEnqueueMarkerWithWaitList = Some(e::marker_with_wait_list);
    t.clEnqueueBarrierWithWaitList = Some(e::barrier_with_wait_list);

    // Graphics interop: not advertised, no context shares with anything.
    refuse!(clEnqueueAcquireGLObjects, clEnqueueReleaseGLObjects, clGetGLContextInfoKHR,
        clGetDeviceIDsFromD3D10KHR, clEnqueueAcquireD3D10ObjectsKHR,
        clEnqueueReleaseD3D10ObjectsKHR, clGetDeviceIDsFromD3D11KHR,
        clEnqueueAcquireD3D11ObjectsKHR, clEnqueueReleaseD3D11ObjectsKHR,
        clGetDeviceIDsFromDX9MediaAdapterKHR, clEnqueueAcquireDX9MediaSurfacesKHR,
        clEnqueueReleaseDX9MediaSurfacesKHR, clEnqueueAcquireEGLObjectsKHR,
        clEnqueueReleaseEGLObjectsKHR => refuse::not_a_sharing_context);
    refuse!(clGetGLObjectInfo, clGetGLTextureInfo => refuse::no_gl_object);
    refuse!(clCreateEventFromGLsyncKHR => refuse::sharing_object_3);
    refuse!(clCreateFromGLBuffer, clCreateFromGLRenderbuffer, clCreateFromD3D10BufferKHR,
        clCreateFromD3D11BufferKHR, clCreateEventFromEGLSyncKHR => refuse::sharing_object_4);
    refuse!(clCreateFromD3D10Texture2DKHR, clCreateFromD3D10Texture3DKHR,
        clCreateFromD3D11Texture2DKHR, clCreateFromD3D11Texture3DKHR
        => refuse::sharing_object_5);
    refuse!(clCreateFromGLTexture2D, clCreateFromGLTexture3D, clCreateFromGLTexture,
        clCreateFromDX9MediaSurfaceKHR, clCreateFromEGLImageKHR => refuse::sharing_object_6);
    t
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_slot_is_filled() {
        let words = std::mem::size_of::<cl_icd_dispatch>() / std::mem::size_of::<usize>();
        // SAFETY: the table is plain words (function pointers and one integer).
        let slots = unsafe { std::slice::from_raw_parts(table().cast::<usize>(), words) };
        let empty: Vec<usize> = (0..words).filter(|&i| slots[i] == 0).collect();
        assert!(
            empty.is_empty(),
            "empty dispatch slots at word indices {empty:?}"
        );
    }
}
