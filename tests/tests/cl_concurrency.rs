//! Several threads and several queues on one card: commands of different
//! queues interleave on the card; events order work across queues;
//! callbacks, markers and barriers; every byte checked.

use opencl_sys::*;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};
use tiledma::cl::*;
use tiledma_system_tests::cl::*;
use tiledma_system_tests::cl_image::*;
use tiledma_system_tests::random_bytes;

/// Eight threads, each with its own queue (half in a second context), each
/// running a chain of buffer and image commands with maps; all results exact.
#[test]
fn threads_with_their_own_queues() {
    let (ctx_a, _) = context_and_queue();
    let (ctx_b, _) = context_and_queue();
    let threads: Vec<_> = (0..8u64)
        .map(|t| {
            let ctx = if t % 2 == 0 { ctx_a } else { ctx_b };
            std::thread::spawn(move || {
                let q = create_command_queue(ctx, device_id(), 0).unwrap();
                let data = random_bytes(100 + t, 24 * 16 * 4);
                let img = image2d(ctx, 24, 16);
                let buf = buffer(ctx, 0, 24 * 16 * 4);
                for round in 0..4 {
                    write_box(q, img, &[0, 0, 0], [24, 16, 1], &data);
                    enqueue_copy_image_to_buffer(
                        q,
                        img,
                        buf,
                        &[0, 0, 0],
                        &[24, 16, 1],
                        0,
                        0,
                        None,
                        None,
                    )
                    .unwrap();
                    let p = enqueue_map_buffer(
                        q,
                        buf,
                        true,
                        CL_MAP_READ | CL_MAP_WRITE,
                        0,
                        data.len(),
                        0,
                        None,
                        None,
                    )
                    .unwrap();
                    let s = unsafe { std::slice::from_raw_parts_mut(p, data.len()) };
                    assert_eq!(s, &data[..], "thread {t} round {round}");
                    s[round] ^= 0xFF;
                    enqueue_unmap_mem_object(q, buf, p, 0, None, None).unwrap();
                    let mut want = data.clone();
                    want[round] ^= 0xFF;
                    assert_eq!(read(q, buf, 0, data.len()), want);
                }
                release_command_queue(q).unwrap();
            })
        })
        .collect();
    for t in threads {
        t.join().unwrap();
    }
}

/// A command of queue B waits for an event of queue A (and a user event):
/// B's copy sees A's write, never an older value.
#[test]
fn events_order_work_across_queues() {
    let (ctx, qa) = context_and_queue();
    let qb = create_command_queue(ctx, device_id(), 0).unwrap();
    let src = buffer(ctx, 0, 4096);
    let dst = buffer(ctx, 0, 4096);
    let gate = create_user_event(ctx).unwrap();
    let data = random_bytes(5, 4096);
    let mut written = Event::null();
    // A's write waits on the gate; B's copy waits on A's write.
    unsafe {
        enqueue_write_buffer(
            qa,
            src,
            false,
            0,
            4096,
            data.as_ptr(),
            1,
            Some(&[gate]),
            Some(&mut written),
        )
    }
    .unwrap();
    let mut copied = Event::null();
    enqueue_copy_buffer(
        qb,
        src,
        dst,
        0,
        0,
        4096,
        1,
        Some(&[written]),
        Some(&mut copied),
    )
    .unwrap();
    std::thread::sleep(std::time::Duration::from_millis(30));
    assert_eq!(event_status(copied), Ok(CL_SUBMITTED), "waiting on queue A");
    set_user_event_status(gate, CL_COMPLETE).unwrap();
    wait_for_events(&[copied]).unwrap();
    assert_eq!(read(qb, dst, 0, 4096), data);
    for e in [written, copied, gate] {
        release_event(e).unwrap();
    }
}

/// Callbacks: each runs once, for the status it was registered for, in
/// order; a callback registered after completion runs at once.
#[test]
fn callbacks_run_once_in_order() {
    let (ctx, q) = context_and_queue();
    let b = buffer(ctx, 0, 1 << 16);
    let seen = Arc::new(Mutex::new(Vec::new()));
    let mut events = Vec::new();
    for i in 0..20 {
        let mut ev = Event::null();
        enqueue_fill_buffer(
            q,
            b,
            Some(&[i as u8; 4]),
            0,
            1 << 16,
            0,
            None,
            Some(&mut ev),
        )
        .unwrap();
        for at in [CL_COMPLETE, CL_RUNNING, CL_SUBMITTED] {
            let s = seen.clone();
            set_event_callback(
                ev,
                at,
                Box::new(move |_, status| s.lock().unwrap().push((i, at, status))),
            )
            .unwrap();
        }
        events.push(ev);
    }
    finish(q).unwrap();
    wait_for_events(&events).unwrap();
    let late = Arc::new(AtomicUsize::new(0));
    let l = late.clone();
    set_event_callback(
        events[0],
        CL_COMPLETE,
        Box::new(move |_, _| {
            l.fetch_add(1, Ordering::SeqCst);
        }),
    )
    .unwrap();
    assert_eq!(late.load(Ordering::SeqCst), 1);
    // Callbacks run on the queue's thread; wait until the last has run.
    for _ in 0..1000 {
        if seen.lock().unwrap().len() == 60 {
            break;
        }
        std::thread::sleep(std::time::Duration::from_millis(1));
    }
    let seen = seen.lock().unwrap();
    assert_eq!(seen.len(), 60, "each callback once");
    for i in 0..20 {
        let order: Vec<_> = seen
            .iter()
            .filter(|s| s.0 == i)
            .map(|s| (s.1, s.2))
            .collect();
        assert_eq!(
            order,
            vec![
                (CL_SUBMITTED, CL_SUBMITTED),
                (CL_RUNNING, CL_RUNNING),
                (CL_COMPLETE, CL_COMPLETE)
            ]
        );
    }
    assert_eq!(
        read(q, b, 0, 8),
        vec![19; 8],
        "the last fill wins (in order)"
    );
    assert_eq!(
        set_event_callback(events[0], 77, Box::new(|_, _| ())),
        Err(CL_INVALID_VALUE)
    );
}

/// Markers and barriers: a marker with a wait list completes after it; a
/// barrier with none completes after everything before it.
#[test]
fn markers_and_barriers() {
    let (ctx, q) = context_and_queue();
    let gate = create_user_event(ctx).unwrap();
    let b = buffer(ctx, 0, 1 << 14);
    let mut marker = Event::null();
    enqueue_marker_with_wait_list(q, 1, Some(&[gate]), Some(&mut marker)).unwrap();
    assert_eq!(event_command_type(marker), Ok(CL_COMMAND_MARKER));
    let mut fill = Event::null();
    enqueue_fill_buffer(q, b, Some(&[7u8]), 0, 1 << 14, 0, None, Some(&mut fill)).unwrap();
    let mut barrier = Event::null();
    enqueue_barrier_with_wait_list(q, 0, None, Some(&mut barrier)).unwrap();
    assert_eq!(event_command_type(barrier), Ok(CL_COMMAND_BARRIER));
    std::thread::sleep(std::time::Duration::from_millis(20));
    assert!(
        event_status(fill).unwrap() > CL_COMPLETE,
        "in order: behind the marker"
    );
    set_user_event_status(gate, CL_COMPLETE).unwrap();
    wait_for_events(&[barrier]).unwrap();
    assert_eq!(event_status(fill), Ok(CL_COMPLETE));
    assert_eq!(
        set_user_event_status(gate, CL_COMPLETE),
        Err(CL_INVALID_OPERATION),
        "set once"
    );
    assert_eq!(
        set_user_event_status(fill, CL_COMPLETE),
        Err(CL_INVALID_EVENT),
        "not a user event"
    );
    assert_eq!(
        enqueue_marker_with_wait_list(q, 1, None, None),
        Err(CL_INVALID_EVENT_WAIT_LIST)
    );
}

/// Many threads share one queue: every command runs exactly once.
#[test]
fn threads_share_one_queue() {
    let (ctx, q) = context_and_queue();
    let b = buffer(ctx, 0, 64 * 256);
    let threads: Vec<_> = (0..4usize)
        .map(|t| {
            std::thread::spawn(move || {
                for i in 0..16 {
                    let slot = (t * 16 + i) * 256;
                    let data = random_bytes((t * 16 + i) as u64, 256);
                    unsafe {
                        enqueue_write_buffer(q, b, true, slot, 256, data.as_ptr(), 0, None, None)
                    }
                    .unwrap();
                }
            })
        })
        .collect();
    for t in threads {
        t.join().unwrap();
    }
    let all = read(q, b, 0, 64 * 256);
    for k in 0..64 {
        assert_eq!(
            &all[k * 256..(k + 1) * 256],
            &random_bytes(k as u64, 256)[..],
            "slot {k}"
        );
    }
}
