//! clEnqueueCopyImageToBuffer on the simulated card: one test per sentence
//! of the reference page's parameter rules and error list (quoted above
//! each test), and the order in which the errors are checked.

use opencl_sys::*;
use tiledma::cl::*;
use tiledma_system_tests::cl::*;
use tiledma_system_tests::cl_image::*;
use tiledma_system_tests::random_bytes;

/// Calls the copy with an empty wait list and no event.
fn copy(
    q: CommandQueue,
    img: Mem,
    buf: Mem,
    origin: &[usize],
    region: [usize; 3],
    off: usize,
) -> Result<(), cl_int> {
    enqueue_copy_image_to_buffer(q, img, buf, origin, &region, off, 0, None, None)
}

/// A 2D 16×8 RGBA8 image filled with known bytes, a 1 KiB buffer, a queue.
fn setup() -> (Context, CommandQueue, Mem, Mem, Vec<u8>) {
    let (ctx, q) = context_and_queue();
    let img = image2d(ctx, 16, 8);
    let data = random_bytes(7, 16 * 8 * 4);
    write_box(q, img, &[0, 0, 0], [16, 8, 1], &data);
    let buf = buffer(ctx, 0, 1024);
    (ctx, q, img, buf, data)
}

/// "clEnqueueCopyImageToBuffer returns CL_SUCCESS if the function is
/// executed successfully": the box lands packed at dst_offset, nothing else
/// changes; the event reports the command type and completes.
#[test]
fn copies_a_box_and_returns_an_event() {
    let (_ctx, q, img, buf, data) = setup();
    write(q, buf, 0, &[0xA5; 1024]);
    let mut ev = Event::null();
    enqueue_copy_image_to_buffer(
        q,
        img,
        buf,
        &[3, 2, 0],
        &[5, 4, 1],
        100,
        0,
        None,
        Some(&mut ev),
    )
    .unwrap();
    assert_eq!(event_command_type(ev), Ok(CL_COMMAND_COPY_IMAGE_TO_BUFFER));
    wait_for_events(&[ev]).unwrap();
    assert_eq!(event_status(ev), Ok(CL_COMPLETE));
    let out = read(q, buf, 0, 1024);
    let mut want = vec![0xA5u8; 1024];
    for y in 0..4 {
        let src = ((2 + y) * 16 + 3) * 4;
        want[100 + y * 20..100 + y * 20 + 20].copy_from_slice(&data[src..src + 20]);
    }
    assert_eq!(out, want);
    release_event(ev).unwrap();
}

/// "CL_INVALID_COMMAND_QUEUE if command_queue is not a valid host command-queue."
#[test]
fn invalid_command_queue() {
    let (ctx, _q, img, buf, _) = setup();
    assert_eq!(
        copy(CommandQueue::null(), img, buf, &[0, 0, 0], [1, 1, 1], 0),
        Err(CL_INVALID_COMMAND_QUEUE)
    );
    // Another object's handle, and a released queue.
    assert_eq!(
        copy(
            CommandQueue::from_raw(buf.as_raw()),
            img,
            buf,
            &[0, 0, 0],
            [1, 1, 1],
            0
        ),
        Err(CL_INVALID_COMMAND_QUEUE)
    );
    let q2 = create_command_queue(ctx, device_id(), 0).unwrap();
    release_command_queue(q2).unwrap();
    assert_eq!(
        copy(q2, img, buf, &[0, 0, 0], [1, 1, 1], 0),
        Err(CL_INVALID_COMMAND_QUEUE)
    );
}

/// "CL_INVALID_CONTEXT if the context associated with command_queue,
/// src_image and dst_buffer are not the same or if the context associated
/// with command_queue and events in event_wait_list are not the same."
#[test]
fn invalid_context() {
    let (_ctx, q, img, buf, _) = setup();
    let (other, other_q) = context_and_queue();
    let other_img = image2d(other, 16, 8);
    let other_buf = buffer(other, 0, 1024);
    assert_eq!(
        copy(q, other_img, buf, &[0, 0, 0], [1, 1, 1], 0),
        Err(CL_INVALID_CONTEXT)
    );
    assert_eq!(
        copy(q, img, other_buf, &[0, 0, 0], [1, 1, 1], 0),
        Err(CL_INVALID_CONTEXT)
    );
    assert_eq!(
        copy(other_q, img, buf, &[0, 0, 0], [1, 1, 1], 0),
        Err(CL_INVALID_CONTEXT)
    );
    let ev = create_user_event(other).unwrap();
    assert_eq!(
        enqueue_copy_image_to_buffer(q, img, buf, &[0, 0, 0], &[1, 1, 1], 0, 1, Some(&[ev]), None),
        Err(CL_INVALID_CONTEXT)
    );
}

/// "CL_INVALID_MEM_OBJECT if src_image is not a valid image object or
/// dst_buffer is not a valid buffer object or if src_image is a 1D image
/// buffer object created from dst_buffer."
#[test]
fn invalid_mem_object() {
    let (ctx, q, img, buf, _) = setup();
    assert_eq!(
        copy(q, buf, buf, &[0, 0, 0], [1, 1, 1], 0),
        Err(CL_INVALID_MEM_OBJECT),
        "buffer as image"
    );
    assert_eq!(
        copy(q, img, img, &[0, 0, 0], [1, 1, 1], 0),
        Err(CL_INVALID_MEM_OBJECT),
        "image as buffer"
    );
    assert_eq!(
        copy(q, Mem::null(), buf, &[0, 0, 0], [1, 1, 1], 0),
        Err(CL_INVALID_MEM_OBJECT)
    );
    let gone = buffer(ctx, 0, 64);
    release_mem_object(gone).unwrap();
    assert_eq!(
        copy(q, img, gone, &[0, 0, 0], [1, 1, 1], 0),
        Err(CL_INVALID_MEM_OBJECT),
        "released buffer"
    );
    let backing = buffer(ctx, 0, 4096);
    let mut d = desc(CL_MEM_OBJECT_IMAGE1D_BUFFER, 256, 0, 0, 0, 0);
    d.buffer = backing;
    let img1d = image(ctx, 0, &RGBA8, &d);
    assert_eq!(
        copy(q, img1d, backing, &[0, 0, 0], [4, 1, 1], 2048),
        Err(CL_INVALID_MEM_OBJECT),
        "made from dst_buffer"
    );
    // From another buffer it is fine.
    copy(q, img1d, buf, &[0, 0, 0], [4, 1, 1], 0).unwrap();
    finish(q).unwrap();
}

/// "CL_INVALID_VALUE if the 1D, 2D, or 3D rectangular region specified by
/// src_origin and src_origin + region refers to a region outside
/// src_image, or if the region specified by dst_offset and dst_offset +
/// dst_cb refers to a region outside dst_buffer."
#[test]
fn invalid_value_outside() {
    let (ctx, q, img, buf, _) = setup();
    assert_eq!(
        copy(q, img, buf, &[12, 0, 0], [5, 1, 1], 0),
        Err(CL_INVALID_VALUE),
        "past the right edge"
    );
    assert_eq!(
        copy(q, img, buf, &[0, 7, 0], [1, 2, 1], 0),
        Err(CL_INVALID_VALUE),
        "past the bottom"
    );
    assert_eq!(
        copy(q, img, buf, &[16, 0, 0], [1, 1, 1], 0),
        Err(CL_INVALID_VALUE)
    );
    copy(q, img, buf, &[0, 0, 0], [16, 4, 1], 768).unwrap(); // dst_cb = 256: ends at 1024
    assert_eq!(
        copy(q, img, buf, &[0, 0, 0], [16, 4, 1], 769),
        Err(CL_INVALID_VALUE),
        "past the buffer"
    );
    let vol = image(ctx, 0, &RGBA8, &desc(CL_MEM_OBJECT_IMAGE3D, 4, 4, 4, 0, 0));
    assert_eq!(
        copy(q, vol, buf, &[0, 0, 2], [4, 4, 3], 0),
        Err(CL_INVALID_VALUE),
        "past the last slice"
    );
    let arr = image(
        ctx,
        0,
        &RGBA8,
        &desc(CL_MEM_OBJECT_IMAGE2D_ARRAY, 4, 4, 0, 3, 0),
    );
    assert_eq!(
        copy(q, arr, buf, &[0, 0, 3], [1, 1, 1], 0),
        Err(CL_INVALID_VALUE),
        "layer 3 of 3"
    );
    finish(q).unwrap();
}

/// "The size in bytes of the region to be copied referred to as dst_cb is
/// computed as width * height * depth * bytes/image element if src_image
/// is a 3D image object, ... width * height * arraysize ... 2D image array
/// ... width * bytes/image element if src_image is a 1D image or 1D image
/// buffer object and ... width * arraysize ... 1D image array."
#[test]
fn dst_cb_per_image_type() {
    let (ctx, q) = context_and_queue();
    let buf = buffer(ctx, 0, 4096);
    let cases: [(cl_mem_object_type, [usize; 4], [usize; 3]); 5] = [
        (CL_MEM_OBJECT_IMAGE3D, [8, 4, 4, 0], [8, 4, 4]),
        (CL_MEM_OBJECT_IMAGE2D, [8, 16, 0, 0], [8, 16, 1]),
        (CL_MEM_OBJECT_IMAGE2D_ARRAY, [8, 4, 0, 4], [8, 4, 4]),
        (CL_MEM_OBJECT_IMAGE1D, [128, 0, 0, 0], [128, 1, 1]),
        (CL_MEM_OBJECT_IMAGE1D_ARRAY, [32, 0, 0, 4], [32, 4, 1]),
    ];
    for (ty, [w, h, d, a], region) in cases {
        let img = image(ctx, 0, &RGBA8, &desc(ty, w, h, d, a, 0));
        // Every case is 512 bytes: fits exactly at 3584, one byte more does not.
        copy(q, img, buf, &[0, 0, 0], region, 4096 - 512)
            .unwrap_or_else(|e| panic!("{ty:#x}: {e}"));
        assert_eq!(
            copy(q, img, buf, &[0, 0, 0], region, 4096 - 511),
            Err(CL_INVALID_VALUE),
            "{ty:#x}"
        );
    }
    finish(q).unwrap();
}

/// "If src_image is a 2D image object, src_origin[2] must be 0 ...
/// region[2] must be 1." (CL_INVALID_VALUE "if values in src_origin and
/// region do not follow rules described in the argument description")
#[test]
fn rules_for_2d() {
    let (_ctx, q, img, buf, _) = setup();
    assert_eq!(
        copy(q, img, buf, &[0, 0, 1], [1, 1, 1], 0),
        Err(CL_INVALID_VALUE)
    );
    assert_eq!(
        copy(q, img, buf, &[0, 0, 0], [1, 1, 2], 0),
        Err(CL_INVALID_VALUE)
    );
}

/// "If src_image is a 1D image or 1D image buffer object, src_origin[1]
/// and src_origin[2] must be 0 ... region[1] and region[2] must be 1."
#[test]
fn rules_for_1d_and_1d_buffer() {
    let (ctx, q) = context_and_queue();
    let buf = buffer(ctx, 0, 4096);
    let backing = buffer(ctx, 0, 1024);
    let mut d = desc(CL_MEM_OBJECT_IMAGE1D_BUFFER, 64, 0, 0, 0, 0);
    d.buffer = backing;
    let one_d = [
        image(ctx, 0, &RGBA8, &desc(CL_MEM_OBJECT_IMAGE1D, 64, 0, 0, 0, 0)),
        image(ctx, 0, &RGBA8, &d),
    ];
    for img in one_d {
        copy(q, img, buf, &[1, 0, 0], [3, 1, 1], 0).unwrap();
        assert_eq!(
            copy(q, img, buf, &[1, 1, 0], [3, 1, 1], 0),
            Err(CL_INVALID_VALUE)
        );
        assert_eq!(
            copy(q, img, buf, &[1, 0, 1], [3, 1, 1], 0),
            Err(CL_INVALID_VALUE)
        );
        assert_eq!(
            copy(q, img, buf, &[1, 0, 0], [3, 2, 1], 0),
            Err(CL_INVALID_VALUE)
        );
        assert_eq!(
            copy(q, img, buf, &[1, 0, 0], [3, 1, 2], 0),
            Err(CL_INVALID_VALUE)
        );
    }
    finish(q).unwrap();
}

/// "If src_image is a 1D image array object, src_origin[2] must be 0 ...
/// src_origin[1] describes the image index in the 1D image array ...
/// region[2] must be 1."
#[test]
fn rules_for_1d_array() {
    let (ctx, q) = context_and_queue();
    let img = image(
        ctx,
        0,
        &RGBA8,
        &desc(CL_MEM_OBJECT_IMAGE1D_ARRAY, 8, 0, 0, 5, 0),
    );
    let layers = random_bytes(11, 8 * 5 * 4);
    write_box(q, img, &[0, 0, 0], [8, 5, 1], &layers);
    let buf = buffer(ctx, 0, 256);
    copy(q, img, buf, &[2, 3, 0], [4, 2, 1], 0).unwrap();
    let out = read(q, buf, 0, 32);
    // Layer 3 then layer 4, pixels 2..6 of each.
    assert_eq!(&out[..16], &layers[(3 * 8 + 2) * 4..(3 * 8 + 6) * 4]);
    assert_eq!(&out[16..], &layers[(4 * 8 + 2) * 4..(4 * 8 + 6) * 4]);
    assert_eq!(
        copy(q, img, buf, &[0, 0, 1], [1, 1, 1], 0),
        Err(CL_INVALID_VALUE)
    );
    assert_eq!(
        copy(q, img, buf, &[0, 0, 0], [1, 1, 2], 0),
        Err(CL_INVALID_VALUE)
    );
    assert_eq!(
        copy(q, img, buf, &[0, 4, 0], [1, 2, 1], 0),
        Err(CL_INVALID_VALUE),
        "layers 4..6 of 5"
    );
}

/// "If src_image is a 2D image array object, src_origin[2] describes the
/// image index in the 2D image array."
#[test]
fn rules_for_2d_array() {
    let (ctx, q) = context_and_queue();
    let img = image(
        ctx,
        0,
        &RGBA8,
        &desc(CL_MEM_OBJECT_IMAGE2D_ARRAY, 4, 4, 0, 3, 0),
    );
    let data = random_bytes(12, 4 * 4 * 3 * 4);
    write_box(q, img, &[0, 0, 0], [4, 4, 3], &data);
    let buf = buffer(ctx, 0, 256);
    copy(q, img, buf, &[0, 0, 2], [4, 4, 1], 0).unwrap();
    assert_eq!(read(q, buf, 0, 64), &data[128..192]);
}

/// "The values in region cannot be 0."
#[test]
fn region_cannot_be_zero() {
    let (_ctx, q, img, buf, _) = setup();
    for r in [[0, 1, 1], [1, 0, 1], [1, 1, 0]] {
        assert_eq!(
            copy(q, img, buf, &[0, 0, 0], r, 0),
            Err(CL_INVALID_VALUE),
            "{r:?}"
        );
    }
}

/// "CL_INVALID_EVENT_WAIT_LIST if event_wait_list is NULL and
/// num_events_in_wait_list > 0, or event_wait_list is not NULL and
/// num_events_in_wait_list is 0, or if event objects in event_wait_list
/// are not valid events."
#[test]
fn invalid_event_wait_list() {
    let (ctx, q, img, buf, _) = setup();
    let o = [0usize, 0, 0];
    let r = [1usize, 1, 1];
    assert_eq!(
        enqueue_copy_image_to_buffer(q, img, buf, &o, &r, 0, 1, None, None),
        Err(CL_INVALID_EVENT_WAIT_LIST)
    );
    let ev = create_user_event(ctx).unwrap();
    assert_eq!(
        enqueue_copy_image_to_buffer(q, img, buf, &o, &r, 0, 0, Some(&[ev]), None),
        Err(CL_INVALID_EVENT_WAIT_LIST)
    );
    assert_eq!(
        enqueue_copy_image_to_buffer(q, img, buf, &o, &r, 0, 1, Some(&[Event::null()]), None),
        Err(CL_INVALID_EVENT_WAIT_LIST)
    );
    let gone = create_user_event(ctx).unwrap();
    release_event(gone).unwrap();
    assert_eq!(
        enqueue_copy_image_to_buffer(q, img, buf, &o, &r, 0, 2, Some(&[ev, gone]), None),
        Err(CL_INVALID_EVENT_WAIT_LIST)
    );
    set_user_event_status(ev, CL_COMPLETE).unwrap();
}

/// The wait list is honoured: the copy waits for a user event, and a
/// failed wait-list event fails the copy without touching the buffer.
#[test]
fn waits_for_its_wait_list() {
    let (ctx, q, img, buf, data) = setup();
    write(q, buf, 0, &[0; 64]);
    let gate = create_user_event(ctx).unwrap();
    let mut ev = Event::null();
    enqueue_copy_image_to_buffer(
        q,
        img,
        buf,
        &[0, 0, 0],
        &[4, 1, 1],
        0,
        1,
        Some(&[gate]),
        Some(&mut ev),
    )
    .unwrap();
    std::thread::sleep(std::time::Duration::from_millis(50));
    assert!(
        event_status(ev).unwrap() > CL_COMPLETE,
        "ran before its wait list"
    );
    set_user_event_status(gate, CL_COMPLETE).unwrap();
    wait_for_events(&[ev]).unwrap();
    assert_eq!(read(q, buf, 0, 16), &data[..16]);

    let bad = create_user_event(ctx).unwrap();
    let mut ev2 = Event::null();
    enqueue_copy_image_to_buffer(
        q,
        img,
        buf,
        &[4, 0, 0],
        &[4, 1, 1],
        32,
        1,
        Some(&[bad]),
        Some(&mut ev2),
    )
    .unwrap();
    set_user_event_status(bad, -77).unwrap();
    assert_eq!(
        wait_for_events(&[ev2]),
        Err(CL_EXEC_STATUS_ERROR_FOR_EVENTS_IN_WAIT_LIST)
    );
    assert!(event_status(ev2).unwrap() < 0);
    assert_eq!(
        read(q, buf, 32, 16),
        vec![0; 16],
        "a failed command writes nothing"
    );
}

/// "CL_MISALIGNED_SUB_BUFFER_OFFSET if dst_buffer is a sub-buffer object
/// and offset specified when the sub-buffer object is created is not
/// aligned to CL_DEVICE_MEM_BASE_ADDR_ALIGN value for device associated
/// with queue." The context has one device, so clCreateSubBuffer already
/// refuses such an origin with this code; an aligned sub-buffer works.
#[test]
fn misaligned_sub_buffer_offset() {
    let (_ctx, q, img, buf, data) = setup();
    let align = (LIMITS.mem_base_addr_align_bits / 8) as usize;
    assert_eq!(
        create_sub_buffer(buf, 0, align / 2, 64),
        Err(CL_MISALIGNED_SUB_BUFFER_OFFSET)
    );
    let sub = create_sub_buffer(buf, 0, align, 128).unwrap();
    copy(q, img, sub, &[0, 1, 0], [16, 1, 1], 0).unwrap();
    assert_eq!(read(q, buf, align, 64), &data[64..128]);
}

/// "CL_INVALID_IMAGE_SIZE if image dimensions ... for src_image are not
/// supported by device associated with queue." and
/// "CL_IMAGE_FORMAT_NOT_SUPPORTED if image format ... for src_image are not
/// supported". One device per context: such images cannot be created, so
/// clCreateImage returns these codes and no copy can meet them.
#[test]
fn unsupported_images_cannot_exist() {
    let (ctx, _q) = context_and_queue();
    let too_wide = desc(
        CL_MEM_OBJECT_IMAGE2D,
        LIMITS.image2d_max as usize + 1,
        4,
        0,
        0,
        0,
    );
    assert_eq!(
        unsafe { create_image(ctx, 0, Some(&RGBA8), Some(&too_wide), std::ptr::null_mut()) },
        Err(CL_INVALID_IMAGE_SIZE)
    );
    let odd = format(CL_RGB, CL_UNORM_INT8);
    let d = desc(CL_MEM_OBJECT_IMAGE2D, 4, 4, 0, 0, 0);
    assert_eq!(
        unsafe { create_image(ctx, 0, Some(&odd), Some(&d), std::ptr::null_mut()) },
        Err(CL_IMAGE_FORMAT_NOT_SUPPORTED)
    );
}

/// "CL_INVALID_OPERATION if the device associated with command_queue does
/// not support images": this device does, so image copies never fail so.
#[test]
fn device_supports_images() {
    assert!(device_info(device_id()).unwrap().image_support);
    let (_ctx, q, img, buf, _) = setup();
    copy(q, img, buf, &[0, 0, 0], [1, 1, 1], 0).unwrap();
}

/// cl_khr_mipmap_image: "If src_image argument is a 2D image array or a 3D
/// image, src_origin[3] specifies the mip-level to use" (a 2D image's
/// level rides in src_origin[2], see docs/opencl.md); "If the mip level
/// specified is not a valid value, these functions return the error
/// CL_INVALID_MIP_LEVEL."
#[test]
fn mip_levels() {
    let (ctx, q) = context_and_queue();
    let buf = buffer(ctx, 0, 4096);
    let img = image(ctx, 0, &RGBA8, &desc(CL_MEM_OBJECT_IMAGE3D, 16, 8, 4, 0, 3));
    let level2 = random_bytes(13, 4 * 2 * 4);
    write_box(q, img, &[0, 0, 0, 2], [4, 2, 1], &level2);
    copy(q, img, buf, &[0, 0, 0, 2], [4, 2, 1], 0).unwrap();
    assert_eq!(read(q, buf, 0, level2.len()), level2);
    assert_eq!(
        copy(q, img, buf, &[0, 0, 0, 3], [1, 1, 1], 0),
        Err(CL_INVALID_MIP_LEVEL)
    );
    assert_eq!(
        copy(q, img, buf, &[0, 0, 0, 2], [5, 1, 1], 0),
        Err(CL_INVALID_VALUE),
        "level 2 is 4 wide"
    );
    let flat = image2d(ctx, 8, 8);
    let mip2d = image(ctx, 0, &RGBA8, &desc(CL_MEM_OBJECT_IMAGE2D, 8, 8, 0, 0, 4));
    copy(q, mip2d, buf, &[0, 0, 3], [1, 1, 1], 0).unwrap();
    assert_eq!(
        copy(q, mip2d, buf, &[0, 0, 4], [1, 1, 1], 0),
        Err(CL_INVALID_MIP_LEVEL)
    );
    assert_eq!(
        copy(q, flat, buf, &[0, 0, 1], [1, 1, 1], 0),
        Err(CL_INVALID_VALUE),
        "no levels"
    );
}

/// The errors come in the page's order: each pair below breaks two rules
/// and gets the earlier one's code.
#[test]
fn errors_in_page_order() {
    let (ctx, q, img, buf, _) = setup();
    let (other, _) = context_and_queue();
    let foreign = buffer(other, 0, 64);
    let bad_region = [0usize, 1, 1];
    assert_eq!(
        copy(
            CommandQueue::null(),
            Mem::null(),
            buf,
            &[0, 0, 0],
            bad_region,
            0
        ),
        Err(CL_INVALID_COMMAND_QUEUE)
    );
    assert_eq!(
        copy(q, Mem::null(), foreign, &[0, 0, 0], bad_region, 0),
        Err(CL_INVALID_CONTEXT)
    );
    assert_eq!(
        copy(q, buf, buf, &[0, 0, 0], bad_region, 0),
        Err(CL_INVALID_MEM_OBJECT)
    );
    assert_eq!(
        enqueue_copy_image_to_buffer(q, img, buf, &[0, 0, 0], &bad_region, 0, 1, None, None),
        Err(CL_INVALID_VALUE)
    );
    let _ = ctx;
}
