//! The `clEnqueue*` calls over `tiledma::cl`: buffers, rectangles, images,
//! image↔buffer copies, fills, maps, unmaps, markers, barriers, migration.

use crate::args::{code, image_origin, object, origin, region, wait_list, with_event};
use opencl_sys::*;
use std::ffi::c_void;
use tiledma::cl::{self, CommandQueue, Mem};

/// A call's queue, wait list and event, converted.
macro_rules! enqueue {
    ($num:ident, $list:ident, $event:ident, |$w:ident, $e:ident| $call:expr) => {{
        let list = wait_list($num, $list);
        let $w = list.as_deref();
        code(with_event($event, |$e| $call))
    }};
}

fn q(q: cl_command_queue) -> CommandQueue {
    CommandQueue::from_raw(q)
}

fn m(m: cl_mem) -> Mem {
    Mem::from_raw(m)
}

#[allow(clippy::too_many_arguments)]
pub unsafe extern "C" fn read_buffer(
    queue: cl_command_queue,
    buffer: cl_mem,
    blocking: cl_bool,
    offset: usize,
    size: usize,
    ptr: *mut c_void,
    num: cl_uint,
    list: *const cl_event,
    event: *mut cl_event,
) -> cl_int {
    enqueue!(num, list, event, |w, e| cl::enqueue_read_buffer(
        q(queue),
        m(buffer),
        blocking != 0,
        offset,
        size,
        ptr.cast(),
        num,
        w,
        e
    ))
}

#[allow(clippy::too_many_arguments)]
pub unsafe extern "C" fn write_buffer(
    queue: cl_command_queue,
    buffer: cl_mem,
    blocking: cl_bool,
    offset: usize,
    size: usize,
    ptr: *const c_void,
    num: cl_uint,
    list: *const cl_event,
    event: *mut cl_event,
) -> cl_int {
    enqueue!(num, list, event, |w, e| cl::enqueue_write_buffer(
        q(queue),
        m(buffer),
        blocking != 0,
        offset,
        size,
        ptr.cast(),
        num,
        w,
        e
    ))
}

#[allow(clippy::too_many_arguments)]
pub unsafe extern "C" fn copy_buffer(
    queue: cl_command_queue,
    src: cl_mem,
    dst: cl_mem,
    src_offset: usize,
    dst_offset: usize,
    size: usize,
    num: cl_uint,
    list: *const cl_event,
    event: *mut cl_event,
) -> cl_int {
    enqueue!(num, list, event, |w, e| cl::enqueue_copy_buffer(
        q(queue),
        m(src),
        m(dst),
        src_offset,
        dst_offset,
        size,
        num,
        w,
        e
    ))
}

/// Rectangle pitches in the Rust API's order.
fn pitches(a: usize, b: usize, c: usize, d: usize) -> [usize; 4] {
    [a, b, c, d]
}

#[allow(clippy::too_many_arguments)]
pub unsafe extern "C" fn read_buffer_rect(
    queue: cl_command_queue,
    buffer: cl_mem,
    blocking: cl_bool,
    buffer_origin: *const usize,
    host_origin: *const usize,
    region_: *const usize,
    buffer_row_pitch: usize,
    buffer_slice_pitch: usize,
    host_row_pitch: usize,
    host_slice_pitch: usize,
    ptr: *mut c_void,
    num: cl_uint,
    list: *const cl_event,
    event: *mut cl_event,
) -> cl_int {
    enqueue!(num, list, event, |w, e| cl::enqueue_read_buffer_rect(
        q(queue),
        m(buffer),
        blocking != 0,
        origin(buffer_origin),
        origin(host_origin),
        region(region_),
        pitches(
            buffer_row_pitch,
            buffer_slice_pitch,
            host_row_pitch,
            host_slice_pitch
        ),
        ptr.cast(),
        num,
        w,
        e
    ))
}

#[allow(clippy::too_many_arguments)]
pub unsafe extern "C" fn write_buffer_rect(
    queue: cl_command_queue,
    buffer: cl_mem,
    blocking: cl_bool,
    buffer_origin: *const usize,
    host_origin: *const usize,
    region_: *const usize,
    buffer_row_pitch: usize,
    buffer_slice_pitch: usize,
    host_row_pitch: usize,
    host_slice_pitch: usize,
    ptr: *const c_void,
    num: cl_uint,
    list: *const cl_event,
    event: *mut cl_event,
) -> cl_int {
    enqueue!(num, list, event, |w, e| cl::enqueue_write_buffer_rect(
        q(queue),
        m(buffer),
        blocking != 0,
        origin(buffer_origin),
        origin(host_origin),
        region(region_),
        pitches(
            buffer_row_pitch,
            buffer_slice_pitch,
            host_row_pitch,
            host_slice_pitch
        ),
        ptr.cast(),
        num,
        w,
        e
    ))
}

#[allow(clippy::too_many_arguments)]
pub unsafe extern "C" fn copy_buffer_rect(
    queue: cl_command_queue,
    src: cl_mem,
    dst: cl_mem,
    src_origin: *const usize,
    dst_origin: *const usize,
    region_: *const usize,
    src_row_pitch: usize,
    src_slice_pitch: usize,
    dst_row_pitch: usize,
    dst_slice_pitch: usize,
    num: cl_uint,
    list: *const cl_event,
    event: *mut cl_event,
) -> cl_int {
    enqueue!(num, list, event, |w, e| cl::enqueue_copy_buffer_rect(
        q(queue),
        m(src),
        m(dst),
        origin(src_origin),
        origin(dst_origin),
        region(region_),
        pitches(
            src_row_pitch,
            src_slice_pitch,
            dst_row_pitch,
            dst_slice_pitch
        ),
        num,
        w,
        e
    ))
}

#[allow(clippy::too_many_arguments)]
pub unsafe extern "C" fn fill_buffer(
    queue: cl_command_queue,
    buffer: cl_mem,
    pattern: *const c_void,
    pattern_size: usize,
    offset: usize,
    size: usize,
    num: cl_uint,
    list: *const cl_event,
    event: *mut cl_event,
) -> cl_int {
    let pattern = (!pattern.is_null())
        .then(|| std::slice::from_raw_parts(pattern.cast::<u8>(), pattern_size));
    enqueue!(num, list, event, |w, e| cl::enqueue_fill_buffer(
        q(queue),
        m(buffer),
        pattern,
        offset,
        size,
        num,
        w,
        e
    ))
}

#[allow(clippy::too_many_arguments)]
pub unsafe extern "C" fn read_image(
    queue: cl_command_queue,
    image: cl_mem,
    blocking: cl_bool,
    origin_: *const usize,
    region_: *const usize,
    row_pitch: usize,
    slice_pitch: usize,
    ptr: *mut c_void,
    num: cl_uint,
    list: *const cl_event,
    event: *mut cl_event,
) -> cl_int {
    enqueue!(num, list, event, |w, e| cl::enqueue_read_image(
        q(queue),
        m(image),
        blocking != 0,
        &image_origin(image, origin_),
        &region(region_),
        row_pitch,
        slice_pitch,
        ptr.cast(),
        num,
        w,
        e
    ))
}

#[allow(clippy::too_many_arguments)]
pub unsafe extern "C" fn write_image(
    queue: cl_command_queue,
    image: cl_mem,
    blocking: cl_bool,
    origin_: *const usize,
    region_: *const usize,
    row_pitch: usize,
    slice_pitch: usize,
    ptr: *const c_void,
    num: cl_uint,
    list: *const cl_event,
    event: *mut cl_event,
) -> cl_int {
    enqueue!(num, list, event, |w, e| cl::enqueue_write_image(
        q(queue),
        m(image),
        blocking != 0,
        &image_origin(image, origin_),
        &region(region_),
        row_pitch,
        slice_pitch,
        ptr.cast(),
        num,
        w,
        e
    ))
}

#[allow(clippy::too_many_arguments)]
pub unsafe extern "C" fn copy_image(
    queue: cl_command_queue,
    src: cl_mem,
    dst: cl_mem,
    src_origin: *const usize,
    dst_origin: *const usize,
    region_: *const usize,
    num: cl_uint,
    list: *const cl_event,
    event: *mut cl_event,
) -> cl_int {
    enqueue!(num, list, event, |w, e| cl::enqueue_copy_image(
        q(queue),
        m(src),
        m(dst),
        &image_origin(src, src_origin),
        &image_origin(dst, dst_origin),
        &region(region_),
        num,
        w,
        e
    ))
}

#[allow(clippy::too_many_arguments)]
pub unsafe extern "C" fn fill_image(
    queue: cl_command_queue,
    image: cl_mem,
    fill_color: *const c_void,
    origin_: *const usize,
    region_: *const usize,
    num: cl_uint,
    list: *const cl_event,
    event: *mut cl_event,
) -> cl_int {
    let color = fill_color.cast::<[u8; 16]>().as_ref();
    enqueue!(num, list, event, |w, e| cl::enqueue_fill_image(
        q(queue),
        m(image),
        color,
        &image_origin(image, origin_),
        &region(region_),
        num,
        w,
        e
    ))
}

#[allow(clippy::too_many_arguments)]
pub unsafe extern "C" fn copy_image_to_buffer(
    queue: cl_command_queue,
    src_image: cl_mem,
    dst_buffer: cl_mem,
    src_origin: *const usize,
    region_: *const usize,
    dst_offset: usize,
    num: cl_uint,
    list: *const cl_event,
    event: *mut cl_event,
) -> cl_int {
    enqueue!(num, list, event, |w, e| cl::enqueue_copy_image_to_buffer(
        q(queue),
        m(src_image),
        m(dst_buffer),
        &image_origin(src_image, src_origin),
        &region(region_),
        dst_offset,
        num,
        w,
        e
    ))
}

#[allow(clippy::too_many_arguments)]
pub unsafe extern "C" fn copy_buffer_to_image(
    queue: cl_command_queue,
    src_buffer: cl_mem,
    dst_image: cl_mem,
    src_offset: usize,
    dst_origin: *const usize,
    region_: *const usize,
    num: cl_uint,
    list: *const cl_event,
    event: *mut cl_event,
) -> cl_int {
    enqueue!(num, list, event, |w, e| cl::enqueue_copy_buffer_to_image(
        q(queue),
        m(src_buffer),
        m(dst_image),
        src_offset,
        &image_origin(dst_image, dst_origin),
        &region(region_),
        num,
        w,
        e
    ))
}

#[allow(clippy::too_many_arguments)]
pub unsafe extern "C" fn map_buffer(
    queue: cl_command_queue,
    buffer: cl_mem,
    blocking: cl_bool,
    map_flags: cl_map_flags,
    offset: usize,
    size: usize,
    num: cl_uint,
    list: *const cl_event,
    event: *mut cl_event,
    errcode_ret: *mut cl_int,
) -> *mut c_void {
    let w = wait_list(num, list);
    let r = with_event(event, |e| {
        cl::enqueue_map_buffer(
            q(queue),
            m(buffer),
            blocking != 0,
            map_flags,
            offset,
            size,
            num,
            w.as_deref(),
            e,
        )
    });
    object(r.map(|p| p.cast()), errcode_ret, std::ptr::null_mut())
}

#[allow(clippy::too_many_arguments)]
pub unsafe extern "C" fn map_image(
    queue: cl_command_queue,
    image: cl_mem,
    blocking: cl_bool,
    map_flags: cl_map_flags,
    origin_: *const usize,
    region_: *const usize,
    image_row_pitch: *mut usize,
    image_slice_pitch: *mut usize,
    num: cl_uint,
    list: *const cl_event,
    event: *mut cl_event,
    errcode_ret: *mut cl_int,
) -> *mut c_void {
    let w = wait_list(num, list);
    let r = with_event(event, |e| {
        cl::enqueue_map_image(
            q(queue),
            m(image),
            blocking != 0,
            map_flags,
            &image_origin(image, origin_),
            &region(region_),
            image_row_pitch.as_mut(),
            image_slice_pitch.as_mut(),
            num,
            w.as_deref(),
            e,
        )
    });
    object(r.map(|p| p.cast()), errcode_ret, std::ptr::null_mut())
}

pub unsafe extern "C" fn unmap_mem_object(
    queue: cl_command_queue,
    memobj: cl_mem,
    mapped_ptr: *mut c_void,
    num: cl_uint,
    list: *const cl_event,
    event: *mut cl_event,
) -> cl_int {
    enqueue!(num, list, event, |w, e| cl::enqueue_unmap_mem_object(
        q(queue),
        m(memobj),
        mapped_ptr.cast(),
        num,
        w,
        e
    ))
}

pub unsafe extern "C" fn marker_with_wait_list(
    queue: cl_command_queue,
    num: cl_uint,
    list: *const cl_event,
    event: *mut cl_event,
) -> cl_int {
    enqueue!(num, list, event, |w, e| cl::enqueue_marker_with_wait_list(
        q(queue),
        num,
        w,
        e
    ))
}

pub unsafe extern "C" fn barrier_with_wait_list(
    queue: cl_command_queue,
    num: cl_uint,
    list: *const cl_event,
    event: *mut cl_event,
) -> cl_int {
    enqueue!(num, list, event, |w, e| cl::enqueue_barrier_with_wait_list(
        q(queue),
        num,
        w,
        e
    ))
}

/// OpenCL 1.1's `clEnqueueMarker`: a marker after everything queued.
pub unsafe extern "C" fn marker(queue: cl_command_queue, event: *mut cl_event) -> cl_int {
    if event.is_null() {
        return match cl::command_queue_info(q(queue)) {
            Ok(_) => CL_INVALID_VALUE,
            Err(e) => e,
        };
    }
    marker_with_wait_list(queue, 0, std::ptr::null(), event)
}

/// OpenCL 1.1's `clEnqueueBarrier`.
pub unsafe extern "C" fn barrier(queue: cl_command_queue) -> cl_int {
    barrier_with_wait_list(queue, 0, std::ptr::null(), std::ptr::null_mut())
}

/// OpenCL 1.1's `clEnqueueWaitForEvents`: later commands wait for the list.
pub unsafe extern "C" fn wait_for_events(
    queue: cl_command_queue,
    num: cl_uint,
    list: *const cl_event,
) -> cl_int {
    if let Err(e) = cl::command_queue_info(q(queue)) {
        return e;
    }
    if num == 0 || list.is_null() {
        return CL_INVALID_VALUE;
    }
    match barrier_with_wait_list(queue, num, list, std::ptr::null_mut()) {
        CL_INVALID_EVENT_WAIT_LIST => CL_INVALID_EVENT,
        c => c,
    }
}

#[allow(clippy::too_many_arguments)]
pub unsafe extern "C" fn migrate_mem_objects(
    queue: cl_command_queue,
    num_mem_objects: cl_uint,
    mem_objects: *const cl_mem,
    flags: cl_mem_migration_flags,
    num: cl_uint,
    list: *const cl_event,
    event: *mut cl_event,
) -> cl_int {
    let objects: Option<Vec<Mem>> = (!mem_objects.is_null()).then(|| {
        (0..num_mem_objects as usize)
            .map(|i| m(*mem_objects.add(i)))
            .collect()
    });
    enqueue!(num, list, event, |w, e| cl::enqueue_migrate_mem_objects(
        q(queue),
        num_mem_objects,
        objects.as_deref(),
        flags,
        num,
        w,
        e
    ))
}
