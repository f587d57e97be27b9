//! clEnqueueMapBuffer (and clEnqueueUnmapMemObject) on the simulated
//! card: one test per sentence of the reference page's parameter rules,
//! notes and error list (quoted above each test).

use opencl_sys::*;
use std::slice;
use tiledma::cl::*;
use tiledma_system_tests::cl::*;
use tiledma_system_tests::cl_image::*;
use tiledma_system_tests::random_bytes;

fn map(
    q: CommandQueue,
    b: Mem,
    flags: cl_map_flags,
    offset: usize,
    size: usize,
) -> Result<*mut u8, cl_int> {
    enqueue_map_buffer(q, b, true, flags, offset, size, 0, None, None)
}

fn unmap(q: CommandQueue, m: Mem, p: *mut u8) {
    enqueue_unmap_mem_object(q, m, p, 0, None, None).expect("unmap");
}

fn map_count(m: Mem) -> u32 {
    mem_info(m).unwrap().map_count
}

/// A 4 KiB buffer holding known bytes.
fn setup() -> (Context, CommandQueue, Mem, Vec<u8>) {
    let (ctx, q) = context_and_queue();
    let b = buffer(ctx, 0, 4096);
    let data = random_bytes(21, 4096);
    write(q, b, 0, &data);
    (ctx, q, b, data)
}

/// "CL_MAP_READ ... The pointer returned ... guaranteed to contain the
/// latest bits in the region being mapped when the clEnqueueMapBuffer
/// command has completed."
#[test]
fn map_read_has_latest_bits() {
    let (_ctx, q, b, data) = setup();
    let p = map(q, b, CL_MAP_READ, 1000, 300).unwrap();
    assert_eq!(unsafe { slice::from_raw_parts(p, 300) }, &data[1000..1300]);
    unmap(q, b, p);
    finish(q).unwrap();
}

/// "CL_MAP_WRITE ... mapped for writing": what the host writes is in the
/// buffer after the unmap, and nothing around it changed.
#[test]
fn map_write_reaches_the_buffer_at_unmap() {
    let (_ctx, q, b, data) = setup();
    let p = map(q, b, CL_MAP_WRITE, 64, 100).unwrap();
    assert_eq!(
        unsafe { slice::from_raw_parts(p, 100) },
        &data[64..164],
        "CL_MAP_WRITE also brings the bits"
    );
    unsafe { slice::from_raw_parts_mut(p, 100) }.fill(0x3C);
    unmap(q, b, p);
    let mut want = data.clone();
    want[64..164].fill(0x3C);
    assert_eq!(read(q, b, 0, 4096), want);
}

/// "CL_MAP_WRITE_INVALIDATE_REGION ... The contents of the region being
/// mapped are to be discarded": the host overwrites the region; the unmap
/// brings it back; bytes outside keep their values.
#[test]
fn map_write_invalidate_region() {
    let (_ctx, q, b, data) = setup();
    let p = map(q, b, CL_MAP_WRITE_INVALIDATE_REGION, 128, 256).unwrap();
    let fresh = random_bytes(22, 256);
    unsafe { slice::from_raw_parts_mut(p, 256) }.copy_from_slice(&fresh);
    unmap(q, b, p);
    let mut want = data.clone();
    want[128..384].copy_from_slice(&fresh);
    assert_eq!(read(q, b, 0, 4096), want);
}

/// "CL_MAP_READ or CL_MAP_WRITE and CL_MAP_WRITE_INVALIDATE_REGION are
/// mutually exclusive." → "CL_INVALID_VALUE if ... values specified in
/// map_flags are not valid."
#[test]
fn map_flags_must_be_valid() {
    let (_ctx, q, b, _) = setup();
    for f in [
        CL_MAP_READ | CL_MAP_WRITE_INVALIDATE_REGION,
        CL_MAP_WRITE | CL_MAP_WRITE_INVALIDATE_REGION,
        1 << 3,
        CL_MAP_READ | 1 << 20,
    ] {
        assert_eq!(map(q, b, f, 0, 16), Err(CL_INVALID_VALUE), "flags {f:#x}");
    }
    assert_eq!(map_count(b), 0, "a refused map maps nothing");
}

/// "CL_INVALID_VALUE if region being mapped given by (offset, size) is out
/// of bounds or if size is 0".
#[test]
fn region_in_bounds_and_not_empty() {
    let (_ctx, q, b, _) = setup();
    assert_eq!(map(q, b, CL_MAP_READ, 4000, 97), Err(CL_INVALID_VALUE));
    assert_eq!(map(q, b, CL_MAP_READ, 4096, 1), Err(CL_INVALID_VALUE));
    assert_eq!(map(q, b, CL_MAP_READ, usize::MAX, 2), Err(CL_INVALID_VALUE));
    assert_eq!(map(q, b, CL_MAP_READ, 0, 0), Err(CL_INVALID_VALUE));
    let p = map(q, b, CL_MAP_READ, 4000, 96).unwrap();
    unmap(q, b, p);
    finish(q).unwrap();
}

/// "CL_INVALID_COMMAND_QUEUE if command_queue is not a valid host command-queue."
#[test]
fn invalid_command_queue() {
    let (ctx, _q, b, _) = setup();
    assert_eq!(
        map(CommandQueue::null(), b, CL_MAP_READ, 0, 4),
        Err(CL_INVALID_COMMAND_QUEUE)
    );
    let gone = create_command_queue(ctx, device_id(), 0).unwrap();
    release_command_queue(gone).unwrap();
    assert_eq!(
        map(gone, b, CL_MAP_READ, 0, 4),
        Err(CL_INVALID_COMMAND_QUEUE)
    );
    assert_eq!(
        map(CommandQueue::from_raw(b.as_raw()), b, CL_MAP_READ, 0, 4),
        Err(CL_INVALID_COMMAND_QUEUE)
    );
}

/// "CL_INVALID_CONTEXT if the context associated with command_queue and
/// buffer are not the same or if the context associated with
/// command_queue and events in event_wait_list are not the same."
#[test]
fn invalid_context() {
    let (_ctx, q, b, _) = setup();
    let (other, other_q) = context_and_queue();
    assert_eq!(map(other_q, b, CL_MAP_READ, 0, 4), Err(CL_INVALID_CONTEXT));
    let ev = create_user_event(other).unwrap();
    assert_eq!(
        enqueue_map_buffer(q, b, true, CL_MAP_READ, 0, 4, 1, Some(&[ev]), None),
        Err(CL_INVALID_CONTEXT)
    );
}

/// "CL_INVALID_MEM_OBJECT if buffer is not a valid image object." (sic:
/// read as "not a valid buffer object", see docs/opencl.md)
#[test]
fn invalid_mem_object() {
    let (ctx, q, _b, _) = setup();
    let img = image2d(ctx, 4, 4);
    assert_eq!(
        map(q, img, CL_MAP_READ, 0, 4),
        Err(CL_INVALID_MEM_OBJECT),
        "an image"
    );
    assert_eq!(
        map(q, Mem::null(), CL_MAP_READ, 0, 4),
        Err(CL_INVALID_MEM_OBJECT)
    );
    let gone = buffer(ctx, 0, 64);
    release_mem_object(gone).unwrap();
    assert_eq!(
        map(q, gone, CL_MAP_READ, 0, 4),
        Err(CL_INVALID_MEM_OBJECT),
        "released"
    );
}

/// "CL_INVALID_EVENT_WAIT_LIST if event_wait_list is NULL and
/// num_events_in_wait_list > 0, or event_wait_list is not NULL and
/// num_events_in_wait_list is 0, or if event objects in event_wait_list
/// are not valid events."
#[test]
fn invalid_event_wait_list() {
    let (ctx, q, b, _) = setup();
    let ev = create_user_event(ctx).unwrap();
    let m = |n, l: Option<&[Event]>| enqueue_map_buffer(q, b, false, CL_MAP_READ, 0, 4, n, l, None);
    assert_eq!(m(2, None), Err(CL_INVALID_EVENT_WAIT_LIST));
    assert_eq!(m(0, Some(&[ev])), Err(CL_INVALID_EVENT_WAIT_LIST));
    assert_eq!(
        m(1, Some(&[Event::from_raw(b.as_raw())])),
        Err(CL_INVALID_EVENT_WAIT_LIST)
    );
    assert_eq!(map_count(b), 0);
}

/// "CL_MISALIGNED_SUB_BUFFER_OFFSET if buffer is a sub-buffer object and
/// offset specified when the sub-buffer object is created is not aligned
/// to CL_DEVICE_MEM_BASE_ADDR_ALIGN": with one device such a sub-buffer is
/// refused at creation with this code; an aligned one maps its own bytes.
#[test]
fn misaligned_sub_buffer_offset() {
    let (_ctx, q, b, data) = setup();
    let align = (LIMITS.mem_base_addr_align_bits / 8) as usize;
    assert_eq!(
        create_sub_buffer(b, 0, 1, 64),
        Err(CL_MISALIGNED_SUB_BUFFER_OFFSET)
    );
    let sub = create_sub_buffer(b, 0, 2 * align, 256).unwrap();
    let p = map(q, sub, CL_MAP_READ, 10, 20).unwrap();
    assert_eq!(
        unsafe { slice::from_raw_parts(p, 20) },
        &data[2 * align + 10..2 * align + 30]
    );
    unmap(q, sub, p);
    finish(q).unwrap();
}

/// "CL_MAP_FAILURE ... cannot occur for buffer objects created with
/// CL_MEM_USE_HOST_PTR or CL_MEM_ALLOC_HOST_PTR": those map in place
/// (pointers derived from host_ptr / into the allocation), even many large
/// maps at once. (Staging exhaustion → CL_MAP_FAILURE is in cl_exhaustion.rs.)
#[test]
fn host_memory_maps_in_place() {
    let (ctx, q) = context_and_queue();
    let mut host = random_bytes(23, 1 << 20);
    let base = host.as_mut_ptr();
    let used = unsafe { create_buffer(ctx, CL_MEM_USE_HOST_PTR, 1 << 20, base) }.unwrap();
    let alloc = unsafe { create_buffer(ctx, CL_MEM_ALLOC_HOST_PTR, 1 << 20, std::ptr::null_mut()) }
        .unwrap();
    let mut ptrs = Vec::new();
    for i in 0..8 {
        let p = map(q, used, CL_MAP_READ, i * 4096, 1 << 19).unwrap();
        assert_eq!(p, unsafe { base.add(i * 4096) }, "derived from host_ptr");
        let a = map(q, alloc, CL_MAP_READ, i * 4096, 1 << 19).unwrap();
        ptrs.push((p, a));
    }
    assert_eq!(
        ptrs[1].1 as usize - ptrs[0].1 as usize,
        4096,
        "one allocation, mapped in place"
    );
    for (p, a) in ptrs {
        unmap(q, used, p);
        unmap(q, alloc, a);
    }
    finish(q).unwrap();
    drop(host);
}

/// "CL_EXEC_STATUS_ERROR_FOR_EVENTS_IN_WAIT_LIST if the map operation is
/// blocking and the execution status of any of the events in
/// event_wait_list is a negative integer value."
#[test]
fn blocking_map_after_failed_event() {
    let (ctx, q, b, _) = setup();
    let bad = create_user_event(ctx).unwrap();
    set_user_event_status(bad, -5).unwrap();
    assert_eq!(
        enqueue_map_buffer(q, b, true, CL_MAP_READ, 0, 4, 1, Some(&[bad]), None),
        Err(CL_EXEC_STATUS_ERROR_FOR_EVENTS_IN_WAIT_LIST)
    );
    assert_eq!(map_count(b), 0, "the failed map is not counted");
    // Non-blocking: the call succeeds, the command fails.
    let mut ev = Event::null();
    let p = enqueue_map_buffer(
        q,
        b,
        false,
        CL_MAP_READ,
        0,
        4,
        1,
        Some(&[bad]),
        Some(&mut ev),
    )
    .unwrap();
    assert!(!p.is_null());
    assert_eq!(
        wait_for_events(&[ev]),
        Err(CL_EXEC_STATUS_ERROR_FOR_EVENTS_IN_WAIT_LIST)
    );
    assert_eq!(
        event_status(ev),
        Ok(CL_EXEC_STATUS_ERROR_FOR_EVENTS_IN_WAIT_LIST)
    );
}

/// "CL_INVALID_OPERATION if buffer has been created with
/// CL_MEM_HOST_WRITE_ONLY or CL_MEM_HOST_NO_ACCESS and CL_MAP_READ is set
/// in map_flags or if buffer has been created with CL_MEM_HOST_READ_ONL[Y]
/// or CL_MEM_HOST_NO_ACCESS and CL_MAP_WRITE or
/// CL_MAP_WRITE_INVALIDATE_REGION is set in map_flags."
#[test]
fn host_access_flags() {
    let (ctx, q) = context_and_queue();
    let wo = buffer(ctx, CL_MEM_HOST_WRITE_ONLY, 64);
    let ro = buffer(ctx, CL_MEM_HOST_READ_ONLY, 64);
    let none = buffer(ctx, CL_MEM_HOST_NO_ACCESS, 64);
    let op = Err(CL_INVALID_OPERATION);
    assert_eq!(map(q, wo, CL_MAP_READ, 0, 4), op);
    assert_eq!(map(q, none, CL_MAP_READ, 0, 4), op);
    assert_eq!(map(q, ro, CL_MAP_WRITE, 0, 4), op);
    assert_eq!(map(q, ro, CL_MAP_WRITE_INVALIDATE_REGION, 0, 4), op);
    assert_eq!(map(q, none, CL_MAP_WRITE, 0, 4), op);
    assert_eq!(map(q, none, CL_MAP_WRITE_INVALIDATE_REGION, 0, 4), op);
    // What the flags allow works; sub-buffers inherit the parent's.
    let p = map(q, wo, CL_MAP_WRITE, 0, 4).unwrap();
    unmap(q, wo, p);
    let p = map(q, ro, CL_MAP_READ, 0, 4).unwrap();
    unmap(q, ro, p);
    let sub = create_sub_buffer(ro, 0, 0, 64).unwrap();
    assert_eq!(
        map(q, sub, CL_MAP_WRITE, 0, 4),
        op,
        "inherited CL_MEM_HOST_READ_ONLY"
    );
    finish(q).unwrap();
}

/// "Mapping (and unmapping) overlapped regions in a memory object and/or
/// associated memory objects (sub-buffer objects or 1D image buffer objects
/// that overlap this region) for writing is an error and will result in
/// CL_INVALID_OPERATION" — which the error list files under
/// "CL_OUT_OF_HOST_MEMORY if mapping would lead to overlapping regions
/// being mapped for writing" (the two codes' descriptions are swapped on
/// this page; see docs/opencl.md).
#[test]
fn overlapping_write_maps() {
    let (ctx, q, b, _) = setup();
    let op = Err(CL_INVALID_OPERATION);
    let w = map(q, b, CL_MAP_WRITE, 100, 100).unwrap();
    assert_eq!(map(q, b, CL_MAP_WRITE, 150, 100), op, "write over write");
    assert_eq!(map(q, b, CL_MAP_READ, 199, 1), op, "read over write");
    let r = map(q, b, CL_MAP_READ, 200, 100).unwrap();
    let r2 = map(q, b, CL_MAP_READ, 250, 100).unwrap();
    assert_eq!(
        map(q, b, CL_MAP_WRITE_INVALIDATE_REGION, 290, 4),
        op,
        "write over reads"
    );
    // Through a sub-buffer of the same bytes.
    let sub = create_sub_buffer(b, 0, 64, 128).unwrap();
    assert_eq!(
        map(q, sub, CL_MAP_WRITE, 0, 64),
        op,
        "sub-buffer bytes 64..128 overlap 100..200"
    );
    let ok = map(q, sub, CL_MAP_WRITE, 0, 36).unwrap();
    // Through a 1D image buffer of the same storage.
    let mut d = desc(CL_MEM_OBJECT_IMAGE1D_BUFFER, 1024, 0, 0, 0, 0);
    d.buffer = b;
    let img = image(ctx, 0, &RGBA8, &d);
    let (mut rp, mut sp) = (0, 0);
    assert_eq!(
        enqueue_map_image(
            q,
            img,
            true,
            CL_MAP_WRITE,
            &[30, 0, 0],
            &[10, 1, 1],
            Some(&mut rp),
            Some(&mut sp),
            0,
            None,
            None
        ),
        op,
        "pixels 30..40 are bytes 120..160"
    );
    assert_eq!(map_count(b), 3);
    assert_eq!(map_count(sub), 1);
    unmap(q, b, w);
    unmap(q, sub, ok);
    let pi = enqueue_map_image(
        q,
        img,
        true,
        CL_MAP_WRITE,
        &[30, 0, 0],
        &[10, 1, 1],
        Some(&mut rp),
        Some(&mut sp),
        0,
        None,
        None,
    )
    .unwrap();
    unmap(q, img, pi);
    unmap(q, b, r);
    unmap(q, b, r2);
    finish(q).unwrap();
    assert_eq!(map_count(b), 0);
}

/// "clEnqueueMapBuffer and clEnqueueMapImage increment the mapped count of
/// the memory object ... clEnqueueUnmapMemObject decrements the mapped
/// count"; an unmap of a pointer the object did not map is CL_INVALID_VALUE.
#[test]
fn mapped_count() {
    let (_ctx, q, b, _) = setup();
    let ps: Vec<_> = (0..3)
        .map(|i| map(q, b, CL_MAP_READ, i * 8, 8).unwrap())
        .collect();
    assert_eq!(map_count(b), 3);
    unmap(q, b, ps[1]);
    assert_eq!(map_count(b), 2);
    assert_eq!(
        enqueue_unmap_mem_object(q, b, ps[1], 0, None, None),
        Err(CL_INVALID_VALUE),
        "unmapped twice"
    );
    unmap(q, b, ps[0]);
    unmap(q, b, ps[2]);
    assert_eq!(map_count(b), 0);
    finish(q).unwrap();
}

/// "If the buffer object is created with CL_MEM_USE_HOST_PTR ...: The
/// host_ptr specified in clCreateBuffer is guaranteed to contain the latest
/// bits in the region being mapped when the clEnqueueMapBuffer command has
/// completed. The pointer value returned by clEnqueueMapBuffer will be
/// derived from the host_ptr".
#[test]
fn use_host_ptr_latest_bits_and_pointer() {
    let (ctx, q) = context_and_queue();
    let mut host = vec![0u8; 8192];
    let base = host.as_mut_ptr();
    let b = unsafe { create_buffer(ctx, CL_MEM_USE_HOST_PTR, 8192, base) }.unwrap();
    assert_eq!(mem_info(b).unwrap().host_ptr, base);
    let src = buffer(ctx, 0, 8192);
    let data = random_bytes(24, 8192);
    write(q, src, 0, &data);
    // The card writes into the buffer; the map makes the bits visible.
    enqueue_copy_buffer(q, src, b, 0, 0, 8192, 0, None, None).unwrap();
    let p = map(q, b, CL_MAP_READ | CL_MAP_WRITE, 500, 1000).unwrap();
    assert_eq!(p, unsafe { base.add(500) });
    assert_eq!(unsafe { slice::from_raw_parts(p, 1000) }, &data[500..1500]);
    unsafe { slice::from_raw_parts_mut(p, 10) }.fill(9);
    unmap(q, b, p);
    let mut want = data.clone();
    want[500..510].fill(9);
    assert_eq!(
        read(q, b, 0, 8192),
        want,
        "the card sees the host's writes after the unmap"
    );
    // A sub-buffer's pointers are derived from host_ptr too.
    let sub = create_sub_buffer(b, 0, 4096, 1024).unwrap();
    assert_eq!(mem_info(sub).unwrap().host_ptr, unsafe { base.add(4096) });
    let p = map(q, sub, CL_MAP_READ, 8, 8).unwrap();
    assert_eq!(p, unsafe { base.add(4104) });
    unmap(q, sub, p);
    finish(q).unwrap();
    drop(host);
}

/// blocking_map = CL_FALSE: "the pointer ... cannot be used until the map
/// command has completed. The event argument returns an event object which
/// can be used to query the execution status of the map command."
#[test]
fn non_blocking_map_and_its_event() {
    let (ctx, q, b, data) = setup();
    let gate = create_user_event(ctx).unwrap();
    let mut ev = Event::null();
    let p = enqueue_map_buffer(
        q,
        b,
        false,
        CL_MAP_READ,
        0,
        64,
        1,
        Some(&[gate]),
        Some(&mut ev),
    )
    .unwrap();
    assert_eq!(event_command_type(ev), Ok(CL_COMMAND_MAP_BUFFER));
    assert_eq!(event_queue(ev), Ok(q));
    assert!(event_status(ev).unwrap() > CL_COMPLETE);
    set_user_event_status(gate, CL_COMPLETE).unwrap();
    wait_for_events(&[ev]).unwrap();
    assert_eq!(unsafe { slice::from_raw_parts(p, 64) }, &data[..64]);
    unmap(q, b, p);
    finish(q).unwrap();
}

/// "errcode_ret ... If errcode_ret is NULL, no error code is returned":
/// the Rust call returns the code in its `Result`; on error the pointer
/// is absent ("A NULL pointer is returned otherwise").
#[test]
fn error_means_no_pointer() {
    let (_ctx, q, b, _) = setup();
    let r = map(q, b, CL_MAP_READ, 0, 0);
    assert!(matches!(r, Err(CL_INVALID_VALUE)));
}

/// The errors come in the page's order.
#[test]
fn errors_in_page_order() {
    let (ctx, q, b, _) = setup();
    let (_other, other_q) = context_and_queue();
    let ro = buffer(ctx, CL_MEM_HOST_READ_ONLY, 64);
    assert_eq!(
        map(CommandQueue::null(), Mem::null(), 99, 0, 0),
        Err(CL_INVALID_COMMAND_QUEUE)
    );
    assert_eq!(map(other_q, b, 99, 0, 0), Err(CL_INVALID_CONTEXT));
    assert_eq!(map(q, Mem::null(), 99, 0, 0), Err(CL_INVALID_MEM_OBJECT));
    assert_eq!(
        enqueue_map_buffer(q, b, true, CL_MAP_READ, 0, 0, 1, None, None),
        Err(CL_INVALID_VALUE)
    );
    assert_eq!(
        enqueue_map_buffer(q, ro, true, CL_MAP_WRITE, 0, 4, 1, None, None),
        Err(CL_INVALID_EVENT_WAIT_LIST)
    );
}
