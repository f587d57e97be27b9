//! Fuzzing the OpenCL calls with random arguments (proptest, fixed seed):
//! copies between images and buffers in both directions, buffer and image
//! maps, unmaps and sub-buffers, over a pool of objects of every kind (with
//! host-access flags, host pointers, mip levels, a 1D image buffer, a
//! sub-buffer), dead and wrong-kind handles, edge numbers, and
//! wait lists that hold failed, foreign or null events.
//!
//! Every call must return success or one of the error codes its reference
//! page lists, and never panic. Afterwards all maps are undone and a copy
//! round trip must still be exact. `TILEDMA_API_FUZZ_CASES` sets the calls.

use opencl_sys::*;
use proptest::prelude::*;
use std::cell::RefCell;
use std::collections::BTreeMap;
use tiledma::cl::*;
use tiledma_system_tests::cl::*;
use tiledma_system_tests::cl_image::*;
use tiledma_system_tests::{env_count, random_bytes, seeded_runner};

/// Codes each page lists (`clEnqueueCopyBufferToImage` lists the same as
/// the image-to-buffer copy; unmap and sub-buffer as their pages say).
const COPY_ERRORS: &[cl_int] = &[
    CL_INVALID_COMMAND_QUEUE,
    CL_INVALID_CONTEXT,
    CL_INVALID_MEM_OBJECT,
    CL_INVALID_VALUE,
    CL_INVALID_EVENT_WAIT_LIST,
    CL_MISALIGNED_SUB_BUFFER_OFFSET,
    CL_INVALID_IMAGE_SIZE,
    CL_IMAGE_FORMAT_NOT_SUPPORTED,
    CL_MEM_OBJECT_ALLOCATION_FAILURE,
    CL_INVALID_OPERATION,
    CL_INVALID_MIP_LEVEL,
    CL_OUT_OF_RESOURCES,
    CL_OUT_OF_HOST_MEMORY,
];
const MAP_BUFFER_ERRORS: &[cl_int] = &[
    CL_INVALID_COMMAND_QUEUE,
    CL_INVALID_CONTEXT,
    CL_INVALID_MEM_OBJECT,
    CL_INVALID_VALUE,
    CL_INVALID_EVENT_WAIT_LIST,
    CL_MISALIGNED_SUB_BUFFER_OFFSET,
    CL_MAP_FAILURE,
    CL_EXEC_STATUS_ERROR_FOR_EVENTS_IN_WAIT_LIST,
    CL_MEM_OBJECT_ALLOCATION_FAILURE,
    CL_INVALID_OPERATION,
    CL_OUT_OF_RESOURCES,
    CL_OUT_OF_HOST_MEMORY,
];
/// Its page hands mip levels to `cl_khr_mipmap_image`, whose text gives
/// `CL_INVALID_MIP_LEVEL` for an invalid level in read, write and map.
const MAP_IMAGE_ERRORS: &[cl_int] = &[
    CL_INVALID_MIP_LEVEL,
    CL_INVALID_COMMAND_QUEUE,
    CL_INVALID_CONTEXT,
    CL_INVALID_MEM_OBJECT,
    CL_INVALID_VALUE,
    CL_INVALID_EVENT_WAIT_LIST,
    CL_INVALID_IMAGE_SIZE,
    CL_IMAGE_FORMAT_NOT_SUPPORTED,
    CL_MAP_FAILURE,
    CL_EXEC_STATUS_ERROR_FOR_EVENTS_IN_WAIT_LIST,
    CL_MEM_OBJECT_ALLOCATION_FAILURE,
    CL_INVALID_OPERATION,
    CL_OUT_OF_RESOURCES,
    CL_OUT_OF_HOST_MEMORY,
];
const UNMAP_ERRORS: &[cl_int] = &[
    CL_INVALID_COMMAND_QUEUE,
    CL_INVALID_MEM_OBJECT,
    CL_INVALID_VALUE,
    CL_INVALID_EVENT_WAIT_LIST,
    CL_INVALID_CONTEXT,
    CL_OUT_OF_RESOURCES,
    CL_OUT_OF_HOST_MEMORY,
];
const SUB_BUFFER_ERRORS: &[cl_int] = &[
    CL_INVALID_MEM_OBJECT,
    CL_INVALID_VALUE,
    CL_INVALID_BUFFER_SIZE,
    CL_MISALIGNED_SUB_BUFFER_OFFSET,
    CL_MEM_OBJECT_ALLOCATION_FAILURE,
    CL_OUT_OF_RESOURCES,
    CL_OUT_OF_HOST_MEMORY,
];

/// The objects the calls pick from.
struct Pool {
    queues: Vec<CommandQueue>,
    mems: Vec<Mem>,
    /// Complete, failed and foreign-context events.
    events: Vec<Event>,
    /// Live maps: (object, pointer).
    maps: Vec<(Mem, *mut u8)>,
    /// Host memory behind USE_HOST_PTR objects (kept alive).
    _host: Vec<Vec<u8>>,
    tally: BTreeMap<&'static str, [u64; 2]>,
}

fn build_pool() -> Pool {
    let (ctx, q) = context_and_queue();
    let (other_ctx, other_q) = context_and_queue();
    let mut host = vec![vec![0u8; 64 * 1024]; 2];
    let base = buffer(ctx, 0, 64 * 1024);
    let mut mems = vec![
        base,
        buffer(ctx, CL_MEM_HOST_NO_ACCESS, 4096),
        buffer(ctx, CL_MEM_HOST_READ_ONLY | CL_MEM_READ_ONLY, 4096),
        buffer(ctx, CL_MEM_HOST_WRITE_ONLY, 4096),
        // SAFETY: the host memory lives as long as the pool.
        unsafe { create_buffer(ctx, CL_MEM_USE_HOST_PTR, 64 * 1024, host[0].as_mut_ptr()) }
            .unwrap(),
        create_sub_buffer(base, 0, 4096, 8192).unwrap(),
        buffer(other_ctx, 0, 4096),
        image2d(ctx, 16, 8),
        image(ctx, 0, &RGBA8, &desc(CL_MEM_OBJECT_IMAGE1D, 64, 0, 0, 0, 0)),
        image(
            ctx,
            0,
            &RGBA8,
            &desc(CL_MEM_OBJECT_IMAGE1D_ARRAY, 32, 0, 0, 4, 0),
        ),
        image(
            ctx,
            0,
            &RGBA8,
            &desc(CL_MEM_OBJECT_IMAGE2D_ARRAY, 8, 8, 0, 3, 0),
        ),
        image(ctx, 0, &RGBA8, &desc(CL_MEM_OBJECT_IMAGE3D, 8, 8, 4, 0, 0)),
        image(
            ctx,
            0,
            &RGBA8,
            &desc(CL_MEM_OBJECT_IMAGE2D, 32, 16, 0, 0, 3),
        ),
        image(
            ctx,
            CL_MEM_HOST_NO_ACCESS,
            &RGBA8,
            &desc(CL_MEM_OBJECT_IMAGE2D, 8, 8, 0, 0, 0),
        ),
        image(
            ctx,
            0,
            &format(CL_R, CL_UNSIGNED_INT16),
            &desc(CL_MEM_OBJECT_IMAGE3D, 8, 4, 8, 0, 4),
        ),
        image(
            other_ctx,
            0,
            &RGBA8,
            &desc(CL_MEM_OBJECT_IMAGE2D, 8, 8, 0, 0, 0),
        ),
    ];
    let mut d = desc(CL_MEM_OBJECT_IMAGE1D_BUFFER, 256, 0, 0, 0, 0);
    d.buffer = buffer(ctx, 0, 4096);
    mems.push(image(ctx, 0, &RGBA8, &d));
    // A released object: its handle is dead.
    let dead = buffer(ctx, 0, 64);
    release_mem_object(dead).unwrap();
    mems.push(dead);
    mems.push(Mem::null());
    let done = create_user_event(ctx).unwrap();
    set_user_event_status(done, CL_COMPLETE).unwrap();
    let failed = create_user_event(ctx).unwrap();
    set_user_event_status(failed, -5).unwrap();
    let foreign = create_user_event(other_ctx).unwrap();
    set_user_event_status(foreign, CL_COMPLETE).unwrap();
    Pool {
        queues: vec![
            q,
            other_q,
            CommandQueue::null(),
            CommandQueue::from_raw(base.as_raw()),
        ],
        mems,
        events: vec![done, failed, foreign, Event::null()],
        maps: Vec::new(),
        _host: std::mem::take(&mut host),
        tally: BTreeMap::new(),
    }
}

/// A number that is usually small, sometimes at an edge.
fn num() -> impl Strategy<Value = usize> {
    prop_oneof![
        6 => 0usize..40,
        2 => 0usize..5000,
        1 => Just(usize::MAX),
        1 => (0u32..64).prop_map(|k| 1usize << k),
    ]
}

#[derive(Clone, Debug)]
struct Common {
    q: usize,
    a: usize,
    b: usize,
    origin: Vec<usize>,
    region: [usize; 3],
    offset: usize,
    size: usize,
    flags: u64,
    blocking: bool,
    /// Wait list: indices into the events, and a count that may disagree.
    waits: Vec<usize>,
    count_off: i8,
    want_event: bool,
}

#[derive(Clone, Debug)]
enum Call {
    CopyImageToBuffer(Common),
    CopyBufferToImage(Common),
    MapBuffer(Common),
    MapImage(Common),
    Unmap(Common),
    SubBuffer(Common),
}

/// The argument strategies' tuple, in `Common`'s field order.
type Drawn = (
    (usize, usize, usize),
    (Vec<usize>, [usize; 3]),
    (usize, usize),
    u64,
    bool,
    (Vec<usize>, i8),
    bool,
);

fn assemble(d: Drawn) -> Common {
    let (
        (q, a, b),
        (origin, region),
        (offset, size),
        flags,
        blocking,
        (waits, count_off),
        want_event,
    ) = d;
    Common {
        q,
        a,
        b,
        origin,
        region,
        offset,
        size,
        flags,
        blocking,
        waits,
        count_off,
        want_event,
    }
}

fn common() -> impl Strategy<Value = Common> {
    (
        (0usize..4, 0usize..20, 0usize..20),
        (prop::collection::vec(num(), 3..5), [num(), num(), num()]),
        (num(), num()),
        prop_oneof![
            3 => prop::sample::select(vec![CL_MAP_READ, CL_MAP_WRITE, CL_MAP_WRITE_INVALIDATE_REGION, CL_MAP_READ | CL_MAP_WRITE]),
            1 => any::<u64>(),
            1 => Just(0u64),
        ],
        any::<bool>(),
        (prop::collection::vec(0usize..4, 0..3), prop_oneof![8 => Just(0i8), 1 => Just(1i8), 1 => Just(-1i8)]),
        any::<bool>(),
    )
        .prop_map(assemble)
}

/// Arguments a program would pass: the good queue, small boxes inside most
/// images, valid map flags, short wait lists of settled events.
fn sane() -> impl Strategy<Value = Common> {
    (
        (Just(0usize), 0usize..20, 0usize..20),
        (
            prop::collection::vec(0usize..2, 3..4),
            [1usize..5, 1usize..3, 1usize..2],
        ),
        (
            prop_oneof![Just(0usize), (0usize..64).prop_map(|k| 64 * k)],
            1usize..4096,
        ),
        prop::sample::select(vec![
            CL_MAP_READ,
            CL_MAP_WRITE,
            CL_MAP_WRITE_INVALIDATE_REGION,
        ]),
        any::<bool>(),
        (
            prop::collection::vec(prop_oneof![4 => Just(0usize), 1 => Just(1usize)], 0..2),
            Just(0i8),
        ),
        any::<bool>(),
    )
        .prop_map(assemble)
}

fn args() -> impl Strategy<Value = Common> {
    prop_oneof![common(), sane()]
}

fn call() -> impl Strategy<Value = Call> {
    prop_oneof![
        args().prop_map(Call::CopyImageToBuffer),
        args().prop_map(Call::CopyBufferToImage),
        args().prop_map(Call::MapBuffer),
        args().prop_map(Call::MapImage),
        args().prop_map(Call::Unmap),
        args().prop_map(Call::SubBuffer),
    ]
}

fn run(pool: &mut Pool, call: &Call) -> Result<(), TestCaseError> {
    let c = match call {
        Call::CopyImageToBuffer(c)
        | Call::CopyBufferToImage(c)
        | Call::MapBuffer(c)
        | Call::MapImage(c)
        | Call::Unmap(c)
        | Call::SubBuffer(c) => c,
    };
    let q = pool.queues[c.q % pool.queues.len()];
    let (a, b) = (
        pool.mems[c.a % pool.mems.len()],
        pool.mems[c.b % pool.mems.len()],
    );
    let waits: Vec<Event> = c.waits.iter().map(|&i| pool.events[i]).collect();
    let n = (waits.len() as i64 + c.count_off as i64).max(0) as cl_uint;
    let list = (!waits.is_empty() || c.count_off > 0).then_some(waits.as_slice());
    let mut ev = Event::null();
    let event = c.want_event.then_some(&mut ev);
    let region = &c.region;
    let (name, result, allowed): (&'static str, Result<(), cl_int>, &[cl_int]) = match call {
        Call::CopyImageToBuffer(_) => (
            "clEnqueueCopyImageToBuffer",
            enqueue_copy_image_to_buffer(q, a, b, &c.origin, region, c.offset, n, list, event),
            COPY_ERRORS,
        ),
        Call::CopyBufferToImage(_) => (
            "clEnqueueCopyBufferToImage",
            enqueue_copy_buffer_to_image(q, b, a, c.offset, &c.origin, region, n, list, event),
            COPY_ERRORS,
        ),
        Call::MapBuffer(_) => {
            let r = enqueue_map_buffer(q, a, c.blocking, c.flags, c.offset, c.size, n, list, event);
            (
                "clEnqueueMapBuffer",
                r.map(|p| pool.maps.push((a, p))),
                MAP_BUFFER_ERRORS,
            )
        }
        Call::MapImage(_) => {
            let (mut rp, mut sp) = (0, 0);
            let r = enqueue_map_image(
                q,
                a,
                c.blocking,
                c.flags,
                &c.origin,
                region,
                Some(&mut rp),
                (c.size % 2 == 0).then_some(&mut sp),
                n,
                list,
                event,
            );
            (
                "clEnqueueMapImage",
                r.map(|p| pool.maps.push((a, p))),
                MAP_IMAGE_ERRORS,
            )
        }
        Call::Unmap(_) => {
            // A live map's pointer (maybe with the wrong object), or a stray one.
            let (m, p) = match pool.maps.get(c.offset % (pool.maps.len() + 1)) {
                Some(&(m, p)) if c.blocking => (m, p),
                Some(&(_, p)) => (a, p),
                None => (a, c.size as *mut u8),
            };
            let r = enqueue_unmap_mem_object(q, m, p, n, list, event);
            if r.is_ok() {
                let i = pool.maps.iter().position(|&x| x == (m, p)).unwrap();
                pool.maps.remove(i);
            }
            ("clEnqueueUnmapMemObject", r, UNMAP_ERRORS)
        }
        Call::SubBuffer(_) => {
            let r = create_sub_buffer(a, c.flags & 0xFFFF, c.offset, c.size);
            if let Ok(m) = r {
                release_mem_object(m).unwrap();
            }
            ("clCreateSubBuffer", r.map(|_| ()), SUB_BUFFER_ERRORS)
        }
    };
    let t = pool.tally.entry(name).or_default();
    match result {
        Ok(()) => t[0] += 1,
        Err(e) => {
            t[1] += 1;
            prop_assert!(
                allowed.contains(&e),
                "{} returned {} for {:?}",
                name,
                e,
                call
            );
        }
    }
    if ev != Event::null() {
        // A failed call returns no event, except a blocking map whose wait
        // list failed: that command was queued and its event says so.
        prop_assert!(
            result.is_ok() || result == Err(CL_EXEC_STATUS_ERROR_FOR_EVENTS_IN_WAIT_LIST),
            "{} set an event and failed",
            name
        );
        // The command ran or failed; its event must settle.
        let _ = wait_for_events(&[ev]);
        release_event(ev).unwrap();
    }
    Ok(())
}

#[test]
fn random_opencl_calls_return_only_their_pages_error_codes() {
    let cases: u32 = env_count("TILEDMA_API_FUZZ_CASES", 10_000);
    let pool = RefCell::new(build_pool());
    let mut runner = seeded_runner(cases, 0x0c);
    runner
        .run(&call(), |c| run(&mut pool.borrow_mut(), &c))
        .unwrap();
    let mut pool = pool.into_inner();
    // Undo every map, then the queue must still copy exactly.
    let q = pool.queues[0];
    for (m, p) in std::mem::take(&mut pool.maps) {
        enqueue_unmap_mem_object(q, m, p, 0, None, None).unwrap();
    }
    finish(q).unwrap();
    let data = random_bytes(3, 4096);
    let buf = pool.mems[0];
    write(q, buf, 0, &data);
    assert_eq!(
        read(q, buf, 0, 4096),
        data,
        "the queue works after the fuzz"
    );
    println!(
        "OpenCL API fuzz: {cases} calls, (succeeded, refused) per call: {:?}",
        pool.tally
    );
}
