//! clEnqueueMapImage (and its unmap) on the simulated card: one test per
//! sentence of the reference page's parameter rules, notes and error list.

use opencl_sys::*;
use std::slice;
use tiledma::cl::*;
use tiledma_system_tests::cl::*;
use tiledma_system_tests::cl_image::*;
use tiledma_system_tests::random_bytes;

/// A blocking map that asks for both pitches.
fn map(
    q: CommandQueue,
    img: Mem,
    flags: cl_map_flags,
    origin: &[usize],
    region: [usize; 3],
) -> Result<(*mut u8, usize, usize), cl_int> {
    let (mut rp, mut sp) = (usize::MAX, usize::MAX);
    let p = enqueue_map_image(
        q,
        img,
        true,
        flags,
        origin,
        &region,
        Some(&mut rp),
        Some(&mut sp),
        0,
        None,
        None,
    )?;
    Ok((p, rp, sp))
}

fn unmap(q: CommandQueue, m: Mem, p: *mut u8) {
    enqueue_unmap_mem_object(q, m, p, 0, None, None).expect("unmap");
}

/// Reads a mapped box (bytes across, rows, slices) at the returned pitches.
fn gather(p: *mut u8, row: usize, rows: usize, slices: usize, rp: usize, sp: usize) -> Vec<u8> {
    let mut v = Vec::new();
    for z in 0..slices {
        for y in 0..rows {
            v.extend_from_slice(unsafe { slice::from_raw_parts(p.add(z * sp + y * rp), row) });
        }
    }
    v
}

/// A 32×16 2D RGBA8 image with known contents.
fn setup() -> (Context, CommandQueue, Mem, Vec<u8>) {
    let (ctx, q) = context_and_queue();
    let img = image2d(ctx, 32, 16);
    let data = random_bytes(31, 32 * 16 * 4);
    write_box(q, img, &[0, 0, 0], [32, 16, 1], &data);
    (ctx, q, img, data)
}

/// CL_MAP_READ brings the latest bits of the box; image_row_pitch is
/// returned; "For a 1D and 2D image, zero is returned" as slice pitch.
#[test]
fn map_read_2d() {
    let (_ctx, q, img, data) = setup();
    let (p, rp, sp) = map(q, img, CL_MAP_READ, &[5, 3, 0], [7, 4, 1]).unwrap();
    assert_eq!(sp, 0);
    assert!(rp >= 7 * 4);
    assert_eq!(
        gather(p, 28, 4, 1, rp, 0),
        cut(&data, [32, 16], 4, [5, 3, 0], [7, 4, 1])
    );
    unmap(q, img, p);
    finish(q).unwrap();
}

/// A map for writing: the host's bytes reach the (tiled) image at the
/// unmap; the rest of the image is unchanged.
#[test]
fn map_write_2d() {
    let (_ctx, q, img, data) = setup();
    for flags in [CL_MAP_WRITE, CL_MAP_WRITE_INVALIDATE_REGION] {
        let (p, rp, _) = map(q, img, flags, &[30, 10, 0], [2, 6, 1]).unwrap();
        for y in 0..6 {
            unsafe { slice::from_raw_parts_mut(p.add(y * rp), 8) }.fill(y as u8 + flags as u8);
        }
        unmap(q, img, p);
        let mut want = data.clone();
        for y in 0..6 {
            let at = ((10 + y) * 32 + 30) * 4;
            want[at..at + 8].fill(y as u8 + flags as u8);
        }
        assert_eq!(read_box(q, img, &[0, 0, 0], [32, 16, 1], 4), want);
        write_box(q, img, &[0, 0, 0], [32, 16, 1], &data);
    }
}

/// Every image type: the map returns the box at its pitches; "image_slice_pitch
/// Returns the size in bytes of each 2D slice of a 3D image or the size of
/// each 1D or 2D image in a 1D or 2D image array".
#[test]
fn every_image_type() {
    let (ctx, q) = context_and_queue();
    let backing = buffer(ctx, 0, 64 * 4);
    let mut d1b = desc(CL_MEM_OBJECT_IMAGE1D_BUFFER, 64, 0, 0, 0, 0);
    d1b.buffer = backing;
    // (desc, dims of the packed contents in type coordinates, origin, region)
    let cases = [
        (
            desc(CL_MEM_OBJECT_IMAGE1D, 64, 0, 0, 0, 0),
            [64, 1, 1],
            [3, 0, 0],
            [50, 1, 1],
        ),
        (d1b, [64, 1, 1], [3, 0, 0], [50, 1, 1]),
        (
            desc(CL_MEM_OBJECT_IMAGE1D_ARRAY, 40, 0, 0, 6, 0),
            [40, 6, 1],
            [1, 2, 0],
            [30, 3, 1],
        ),
        (
            desc(CL_MEM_OBJECT_IMAGE2D, 40, 20, 0, 0, 0),
            [40, 20, 1],
            [1, 2, 0],
            [30, 13, 1],
        ),
        (
            desc(CL_MEM_OBJECT_IMAGE2D_ARRAY, 20, 10, 0, 4, 0),
            [20, 10, 4],
            [1, 2, 1],
            [17, 5, 3],
        ),
        (
            desc(CL_MEM_OBJECT_IMAGE3D, 20, 10, 6, 0, 0),
            [20, 10, 6],
            [1, 2, 1],
            [17, 5, 4],
        ),
    ];
    for (i, (d, dims, o, r)) in cases.into_iter().enumerate() {
        let img = image(ctx, 0, &RGBA8, &d);
        let data = random_bytes(40 + i as u64, dims.iter().product::<usize>() * 4);
        write_box(q, img, &[0, 0, 0], dims, &data);
        let (p, rp, sp) = map(q, img, CL_MAP_READ, &o, r).unwrap();
        let layered = matches!(
            d.image_type,
            CL_MEM_OBJECT_IMAGE1D_ARRAY | CL_MEM_OBJECT_IMAGE2D_ARRAY | CL_MEM_OBJECT_IMAGE3D
        );
        assert_eq!(sp == 0, !layered, "{:#x}: slice pitch {sp}", d.image_type);
        let got = if d.image_type == CL_MEM_OBJECT_IMAGE1D_ARRAY {
            // Each layer is a "slice" of one row.
            gather(p, r[0] * 4, r[1], 1, sp, 0)
        } else {
            gather(p, r[0] * 4, r[1], r[2], rp, sp)
        };
        assert_eq!(
            got,
            cut(&data, [dims[0], dims[1]], 4, o, r),
            "{:#x}",
            d.image_type
        );
        unmap(q, img, p);
    }
    finish(q).unwrap();
}

/// "If image is a 2D image object, origin[2] must be 0 ... region[2] must
/// be 1"; "If image is a 1D image or 1D image buffer object, origin[1] and
/// origin[2] must be 0 ... region[1] and region[2] must be 1"; "If image
/// is a 1D image array object, origin[2] must be 0 ... region[2] must be
/// 1"; "The values in region cannot be 0."
#[test]
fn origin_and_region_rules() {
    let (ctx, q, img, _) = setup();
    let bad = Err(CL_INVALID_VALUE);
    assert_eq!(
        map(q, img, CL_MAP_READ, &[0, 0, 1], [1, 1, 1]).map(|_| ()),
        bad
    );
    assert_eq!(
        map(q, img, CL_MAP_READ, &[0, 0, 0], [1, 1, 2]).map(|_| ()),
        bad
    );
    let one = image(ctx, 0, &RGBA8, &desc(CL_MEM_OBJECT_IMAGE1D, 16, 0, 0, 0, 0));
    assert_eq!(
        map(q, one, CL_MAP_READ, &[0, 1, 0], [1, 1, 1]).map(|_| ()),
        bad
    );
    assert_eq!(
        map(q, one, CL_MAP_READ, &[0, 0, 0], [1, 2, 1]).map(|_| ()),
        bad
    );
    let arr = image(
        ctx,
        0,
        &RGBA8,
        &desc(CL_MEM_OBJECT_IMAGE1D_ARRAY, 16, 0, 0, 4, 0),
    );
    assert_eq!(
        map(q, arr, CL_MAP_READ, &[0, 0, 1], [1, 1, 1]).map(|_| ()),
        bad
    );
    assert_eq!(
        map(q, arr, CL_MAP_READ, &[0, 0, 0], [1, 1, 2]).map(|_| ()),
        bad
    );
    for r in [[0, 1, 1], [1, 0, 1], [1, 1, 0]] {
        assert_eq!(map(q, img, CL_MAP_READ, &[0, 0, 0], r).map(|_| ()), bad);
    }
    assert_eq!(mem_info(img).unwrap().map_count, 0);
}

/// "CL_INVALID_VALUE if region being mapped given by (origin,
/// origin+region) is out of bounds or if values specified in map_flags are
/// not valid."
#[test]
fn out_of_bounds_and_bad_flags() {
    let (ctx, q, img, _) = setup();
    let bad = Err(CL_INVALID_VALUE);
    assert_eq!(
        map(q, img, CL_MAP_READ, &[30, 0, 0], [3, 1, 1]).map(|_| ()),
        bad
    );
    assert_eq!(
        map(q, img, CL_MAP_READ, &[0, 16, 0], [1, 1, 1]).map(|_| ()),
        bad
    );
    let arr = image(
        ctx,
        0,
        &RGBA8,
        &desc(CL_MEM_OBJECT_IMAGE2D_ARRAY, 4, 4, 0, 2, 0),
    );
    assert_eq!(
        map(q, arr, CL_MAP_READ, &[0, 0, 1], [1, 1, 2]).map(|_| ()),
        bad
    );
    for f in [
        CL_MAP_READ | CL_MAP_WRITE_INVALIDATE_REGION,
        CL_MAP_WRITE | CL_MAP_WRITE_INVALIDATE_REGION,
        1 << 5,
    ] {
        assert_eq!(
            map(q, img, f, &[0, 0, 0], [1, 1, 1]).map(|_| ()),
            bad,
            "{f:#x}"
        );
    }
}

/// "CL_INVALID_VALUE if image_row_pitch is NULL."
#[test]
fn row_pitch_is_required() {
    let (_ctx, q, img, _) = setup();
    let mut sp = 0;
    assert_eq!(
        enqueue_map_image(
            q,
            img,
            true,
            CL_MAP_READ,
            &[0, 0, 0],
            &[1, 1, 1],
            None,
            Some(&mut sp),
            0,
            None,
            None
        ),
        Err(CL_INVALID_VALUE)
    );
    // A 2D image needs no slice pitch.
    let mut rp = 0;
    let p = enqueue_map_image(
        q,
        img,
        true,
        CL_MAP_READ,
        &[0, 0, 0],
        &[1, 1, 1],
        Some(&mut rp),
        None,
        0,
        None,
        None,
    )
    .unwrap();
    unmap(q, img, p);
    finish(q).unwrap();
}

/// "CL_INVALID_VALUE if image is a 3D image, 1D or 2D image array object
/// and image_slice_pitch is NULL."
#[test]
fn slice_pitch_is_required_for_3d_and_arrays() {
    let (ctx, q) = context_and_queue();
    for d in [
        desc(CL_MEM_OBJECT_IMAGE3D, 4, 4, 4, 0, 0),
        desc(CL_MEM_OBJECT_IMAGE1D_ARRAY, 4, 0, 0, 4, 0),
        desc(CL_MEM_OBJECT_IMAGE2D_ARRAY, 4, 4, 0, 4, 0),
    ] {
        let img = image(ctx, 0, &RGBA8, &d);
        let mut rp = 0;
        assert_eq!(
            enqueue_map_image(
                q,
                img,
                true,
                CL_MAP_READ,
                &[0, 0, 0],
                &[1, 1, 1],
                Some(&mut rp),
                None,
                0,
                None,
                None
            ),
            Err(CL_INVALID_VALUE),
            "{:#x}",
            d.image_type
        );
    }
}

/// "CL_INVALID_COMMAND_QUEUE if command_queue is not a valid host command-queue."
#[test]
fn invalid_command_queue() {
    let (_ctx, _q, img, _) = setup();
    assert_eq!(
        map(
            CommandQueue::null(),
            img,
            CL_MAP_READ,
            &[0, 0, 0],
            [1, 1, 1]
        )
        .map(|_| ()),
        Err(CL_INVALID_COMMAND_QUEUE)
    );
    assert_eq!(
        map(
            CommandQueue::from_raw(img.as_raw()),
            img,
            CL_MAP_READ,
            &[0, 0, 0],
            [1, 1, 1]
        )
        .map(|_| ()),
        Err(CL_INVALID_COMMAND_QUEUE)
    );
}

/// "CL_INVALID_CONTEXT if the context associated with command_queue and
/// image are not the same or if the context associated with command_queue
/// and events in event_wait_list are not the same."
#[test]
fn invalid_context() {
    let (_ctx, q, img, _) = setup();
    let (other, other_q) = context_and_queue();
    assert_eq!(
        map(other_q, img, CL_MAP_READ, &[0, 0, 0], [1, 1, 1]).map(|_| ()),
        Err(CL_INVALID_CONTEXT)
    );
    let ev = create_user_event(other).unwrap();
    let mut rp = 0;
    assert_eq!(
        enqueue_map_image(
            q,
            img,
            true,
            CL_MAP_READ,
            &[0, 0, 0],
            &[1, 1, 1],
            Some(&mut rp),
            None,
            1,
            Some(&[ev]),
            None
        ),
        Err(CL_INVALID_CONTEXT)
    );
}

/// "CL_INVALID_MEM_OBJECT if image is not a valid image object."
#[test]
fn invalid_mem_object() {
    let (ctx, q, _img, _) = setup();
    let buf = buffer(ctx, 0, 64);
    assert_eq!(
        map(q, buf, CL_MAP_READ, &[0, 0, 0], [1, 1, 1]).map(|_| ()),
        Err(CL_INVALID_MEM_OBJECT)
    );
    let gone = image2d(ctx, 4, 4);
    release_mem_object(gone).unwrap();
    assert_eq!(
        map(q, gone, CL_MAP_READ, &[0, 0, 0], [1, 1, 1]).map(|_| ()),
        Err(CL_INVALID_MEM_OBJECT)
    );
}

/// "CL_INVALID_EVENT_WAIT_LIST if event_wait_list is NULL and
/// num_events_in_wait_list > 0, or event_wait_list is not NULL and
/// num_events_in_wait_list is 0, or if event objects in event_wait_list
/// are not valid events."
#[test]
fn invalid_event_wait_list() {
    let (ctx, q, img, _) = setup();
    let ev = create_user_event(ctx).unwrap();
    let mut rp = 0;
    let mut m = |n, l: Option<&[Event]>| {
        enqueue_map_image(
            q,
            img,
            false,
            CL_MAP_READ,
            &[0, 0, 0],
            &[1, 1, 1],
            Some(&mut rp),
            None,
            n,
            l,
            None,
        )
    };
    assert_eq!(m(1, None), Err(CL_INVALID_EVENT_WAIT_LIST));
    assert_eq!(m(0, Some(&[ev])), Err(CL_INVALID_EVENT_WAIT_LIST));
    assert_eq!(
        m(1, Some(&[Event::null()])),
        Err(CL_INVALID_EVENT_WAIT_LIST)
    );
}

/// "CL_INVALID_IMAGE_SIZE if image dimensions ... for image are not
/// supported by device" and "CL_IMAGE_FORMAT_NOT_SUPPORTED if image format
/// ... for image are not supported": one device per context, so
/// clCreateImage refuses such images with these codes.
#[test]
fn unsupported_images_cannot_exist() {
    let (ctx, _q) = context_and_queue();
    let deep = desc(
        CL_MEM_OBJECT_IMAGE3D,
        4,
        4,
        LIMITS.image3d_max as usize + 1,
        0,
        0,
    );
    assert_eq!(
        unsafe { create_image(ctx, 0, Some(&RGBA8), Some(&deep), std::ptr::null_mut()) },
        Err(CL_INVALID_IMAGE_SIZE)
    );
    let d = desc(CL_MEM_OBJECT_IMAGE2D, 4, 4, 0, 0, 0);
    assert_eq!(
        unsafe {
            create_image(
                ctx,
                0,
                Some(&format(CL_ARGB, CL_FLOAT)),
                Some(&d),
                std::ptr::null_mut(),
            )
        },
        Err(CL_IMAGE_FORMAT_NOT_SUPPORTED)
    );
}

/// "CL_MAP_FAILURE ... cannot occur for image objects created with
/// CL_MEM_USE_HOST_PTR or CL_MEM_ALLOC_HOST_PTR"; "If the image object is
/// created with CL_MEM_USE_HOST_PTR ... The host_ptr specified in
/// clCreateImage is guaranteed to contain the latest bits in the region
/// being mapped when the clEnqueueMapImage command has completed. The
/// pointer value returned by clEnqueueMapImage will be derived from the
/// host_ptr".
#[test]
fn use_host_ptr_and_alloc_host_ptr_images() {
    let (ctx, q) = context_and_queue();
    let (w, h, row_pitch) = (20usize, 12usize, 96usize);
    let mut host = random_bytes(50, row_pitch * h);
    let base = host.as_mut_ptr();
    let mut d = desc(CL_MEM_OBJECT_IMAGE2D, w, h, 0, 0, 0);
    d.row_pitch = row_pitch;
    let img =
        unsafe { create_image(ctx, CL_MEM_USE_HOST_PTR, Some(&RGBA8), Some(&d), base) }.unwrap();
    // The card writes a box; the map shows it in host_ptr, at host_ptr's pitch.
    let fresh = random_bytes(51, 5 * 3 * 4);
    write_box(q, img, &[2, 4, 0], [5, 3, 1], &fresh);
    let (p, rp, _) = map(q, img, CL_MAP_READ, &[2, 4, 0], [5, 3, 1]).unwrap();
    assert_eq!(p, unsafe { base.add(4 * row_pitch + 8) });
    assert_eq!(rp, row_pitch);
    assert_eq!(gather(p, 20, 3, 1, rp, 0), fresh);
    unmap(q, img, p);
    let alloc = unsafe {
        create_image(
            ctx,
            CL_MEM_ALLOC_HOST_PTR,
            Some(&RGBA8),
            Some(&desc(CL_MEM_OBJECT_IMAGE3D, 8, 8, 4, 0, 0)),
            std::ptr::null_mut(),
        )
    }
    .unwrap();
    let (a, arp, asp) = map(q, alloc, CL_MAP_WRITE, &[0, 0, 0], [8, 8, 4]).unwrap();
    assert_eq!(
        map(q, alloc, CL_MAP_READ, &[1, 1, 1], [1, 1, 1]).map(|_| ()),
        Err(CL_INVALID_OPERATION),
        "overlaps the write map"
    );
    unsafe { slice::from_raw_parts_mut(a.add(asp + arp + 4), 4) }.fill(0x77);
    unmap(q, alloc, a);
    assert_eq!(read_box(q, alloc, &[1, 1, 1], [1, 1, 1], 4), vec![0x77; 4]);
    finish(q).unwrap();
    drop(host);
}

/// "CL_EXEC_STATUS_ERROR_FOR_EVENTS_IN_WAIT_LIST if the map operation is
/// blocking and the execution status of any of the events in
/// event_wait_list is a negative integer value."
#[test]
fn blocking_map_after_failed_event() {
    let (ctx, q, img, _) = setup();
    let bad = create_user_event(ctx).unwrap();
    set_user_event_status(bad, -1).unwrap();
    let mut rp = 0;
    assert_eq!(
        enqueue_map_image(
            q,
            img,
            true,
            CL_MAP_READ,
            &[0, 0, 0],
            &[1, 1, 1],
            Some(&mut rp),
            None,
            1,
            Some(&[bad]),
            None
        ),
        Err(CL_EXEC_STATUS_ERROR_FOR_EVENTS_IN_WAIT_LIST)
    );
    assert_eq!(mem_info(img).unwrap().map_count, 0);
}

/// "CL_INVALID_OPERATION if the device associated with command_queue does
/// not support images": the device does.
#[test]
fn device_supports_images() {
    assert!(device_info(device_id()).unwrap().image_support);
}

/// "CL_INVALID_OPERATION if image has been created with
/// CL_MEM_HOST_WRITE_ONLY or CL_MEM_HOST_NO_ACCESS and CL_MAP_READ is set
/// in map_flags or if image has been created with CL_MEM_HOST_READ_ONLY or
/// CL_MEM_HOST_NO_ACCESS and CL_MAP_WRITE or CL_MAP_WRITE_INVALIDATE_REGION
/// is set in map_flags."
#[test]
fn host_access_flags() {
    let (ctx, q) = context_and_queue();
    let d = desc(CL_MEM_OBJECT_IMAGE2D, 4, 4, 0, 0, 0);
    let wo = image(ctx, CL_MEM_HOST_WRITE_ONLY, &RGBA8, &d);
    let ro = image(ctx, CL_MEM_HOST_READ_ONLY, &RGBA8, &d);
    let none = image(ctx, CL_MEM_HOST_NO_ACCESS, &RGBA8, &d);
    let op = Err(CL_INVALID_OPERATION);
    let m = |i, f| map(q, i, f, &[0, 0, 0], [1, 1, 1]).map(|_| ());
    assert_eq!(m(wo, CL_MAP_READ), op);
    assert_eq!(m(none, CL_MAP_READ), op);
    assert_eq!(m(ro, CL_MAP_WRITE), op);
    assert_eq!(m(ro, CL_MAP_WRITE_INVALIDATE_REGION), op);
    assert_eq!(m(none, CL_MAP_WRITE), op);
    assert_eq!(m(none, CL_MAP_WRITE_INVALIDATE_REGION), op);
    let (p, _, _) = map(q, ro, CL_MAP_READ, &[0, 0, 0], [1, 1, 1]).unwrap();
    unmap(q, ro, p);
    finish(q).unwrap();
}

/// "CL_INVALID_OPERATION if mapping would lead to overlapping regions
/// being mapped for writing." Disjoint boxes of one tiled image map for
/// writing side by side; boxes of different mip levels never overlap.
#[test]
fn overlapping_write_maps() {
    let (ctx, q, img, _) = setup();
    let op = Err(CL_INVALID_OPERATION);
    let (a, _, _) = map(q, img, CL_MAP_WRITE, &[0, 0, 0], [16, 16, 1]).unwrap();
    let (b, _, _) = map(q, img, CL_MAP_WRITE, &[16, 0, 0], [16, 16, 1]).unwrap();
    assert_eq!(
        map(q, img, CL_MAP_READ, &[15, 15, 0], [2, 1, 1]).map(|_| ()),
        op
    );
    assert_eq!(mem_info(img).unwrap().map_count, 2);
    unmap(q, img, a);
    let (c, _, _) = map(q, img, CL_MAP_READ, &[15, 15, 0], [1, 1, 1]).unwrap();
    unmap(q, img, b);
    unmap(q, img, c);
    let mip = image(
        ctx,
        0,
        &RGBA8,
        &desc(CL_MEM_OBJECT_IMAGE2D, 16, 16, 0, 0, 3),
    );
    let (m0, _, _) = map(q, mip, CL_MAP_WRITE, &[0, 0, 0], [4, 4, 1]).unwrap();
    let (m1, _, _) = map(q, mip, CL_MAP_WRITE, &[0, 0, 1], [4, 4, 1]).unwrap();
    assert_eq!(
        map(q, mip, CL_MAP_WRITE, &[3, 3, 1], [1, 1, 1]).map(|_| ()),
        op
    );
    unmap(q, mip, m0);
    unmap(q, mip, m1);
    finish(q).unwrap();
}

/// cl_khr_mipmap_image: "calls to clEnqueueReadImage, clEnqueueWriteImage
/// and clEnqueueMapImage can be used to read from or write to a specific
/// mip-level" — origin[1] (1D), origin[2] (1D array; 2D, see
/// docs/opencl.md), origin[3] (2D array, 3D); a level past the last is
/// CL_INVALID_MIP_LEVEL.
#[test]
fn mip_levels() {
    let (ctx, q) = context_and_queue();
    let cases: [(ImageDesc, Vec<usize>, [usize; 3]); 4] = [
        (
            desc(CL_MEM_OBJECT_IMAGE1D, 64, 0, 0, 0, 4),
            vec![0, 3, 0],
            [8, 1, 1],
        ),
        (
            desc(CL_MEM_OBJECT_IMAGE1D_ARRAY, 64, 0, 0, 3, 4),
            vec![0, 1, 2],
            [16, 2, 1],
        ),
        (
            desc(CL_MEM_OBJECT_IMAGE2D_ARRAY, 32, 16, 0, 3, 3),
            vec![0, 0, 1, 2],
            [8, 4, 2],
        ),
        (
            desc(CL_MEM_OBJECT_IMAGE3D, 32, 16, 8, 0, 3),
            vec![0, 0, 0, 2],
            [8, 4, 2],
        ),
    ];
    for (d, origin, region) in cases {
        let img = image(ctx, 0, &RGBA8, &d);
        let data = random_bytes(60, region.iter().product::<usize>() * 4);
        write_box(q, img, &origin, region, &data);
        let (p, rp, sp) = map(q, img, CL_MAP_READ, &origin, region).unwrap();
        let got = if d.image_type == CL_MEM_OBJECT_IMAGE1D_ARRAY {
            gather(p, region[0] * 4, region[1], 1, sp, 0)
        } else {
            gather(p, region[0] * 4, region[1], region[2], rp, sp)
        };
        assert_eq!(got, data, "{:#x}", d.image_type);
        unmap(q, img, p);
        let mut past = origin.clone();
        let at = if origin.len() == 4 {
            3
        } else if d.image_type == CL_MEM_OBJECT_IMAGE1D {
            1
        } else {
            2
        };
        past[at] = d.num_mip_levels as usize;
        assert_eq!(
            map(q, img, CL_MAP_READ, &past, [1, 1, 1]).map(|_| ()),
            Err(CL_INVALID_MIP_LEVEL)
        );
    }
    finish(q).unwrap();
}

/// The returned event names the command; the errors come in page order.
#[test]
fn event_and_error_order() {
    let (ctx, q, img, _) = setup();
    let mut rp = 0;
    let mut ev = Event::null();
    let p = enqueue_map_image(
        q,
        img,
        false,
        CL_MAP_READ,
        &[0, 0, 0],
        &[1, 1, 1],
        Some(&mut rp),
        None,
        0,
        None,
        Some(&mut ev),
    )
    .unwrap();
    assert_eq!(event_command_type(ev), Ok(CL_COMMAND_MAP_IMAGE));
    wait_for_events(&[ev]).unwrap();
    let mut uev = Event::null();
    enqueue_unmap_mem_object(q, img, p, 0, None, Some(&mut uev)).unwrap();
    assert_eq!(event_command_type(uev), Ok(CL_COMMAND_UNMAP_MEM_OBJECT));
    wait_for_events(&[uev]).unwrap();
    let (_other, other_q) = context_and_queue();
    let buf = buffer(ctx, 0, 64);
    let none = |q, i| {
        enqueue_map_image(
            q,
            i,
            true,
            99,
            &[0, 0, 0],
            &[0, 1, 1],
            None,
            None,
            1,
            None,
            None,
        )
    };
    assert_eq!(
        none(CommandQueue::null(), buf),
        Err(CL_INVALID_COMMAND_QUEUE)
    );
    assert_eq!(none(other_q, img), Err(CL_INVALID_CONTEXT));
    assert_eq!(none(q, buf), Err(CL_INVALID_MEM_OBJECT));
    assert_eq!(none(q, img), Err(CL_INVALID_VALUE));
}
