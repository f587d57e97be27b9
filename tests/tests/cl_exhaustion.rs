//! Resource exhaustion on the simulated card: the errors the pages give
//! for memory that cannot be had. These tests fill card memory or the
//! staging budget on purpose, so they run one at a time in their own test
//! binary (their own card).

use opencl_sys::*;
use std::sync::Mutex;
use tiledma::cl::mem::STAGING_BUDGET;
use tiledma::cl::*;
use tiledma_system_tests::cl::*;
use tiledma_system_tests::cl_image::*;

static ONE_AT_A_TIME: Mutex<()> = Mutex::new(());

/// Buffers as large as allowed, until they exceed card memory: card memory
/// is taken at the first command that needs it.
fn more_buffers_than_card_memory(ctx: Context) -> Vec<Mem> {
    let n = (LIMITS.global_mem_size / LIMITS.max_mem_alloc_size) as usize + 1;
    (0..n)
        .map(|_| buffer(ctx, 0, LIMITS.max_mem_alloc_size as usize))
        .collect()
}

/// "CL_MEM_OBJECT_ALLOCATION_FAILURE if there is a failure to allocate
/// memory for data store associated with src_image or dst_buffer"
/// (clEnqueueCopyImageToBuffer) / "... associated with buffer"
/// (clEnqueueMapBuffer) / "... associated with image" (clEnqueueMapImage).
#[test]
fn allocation_failure_at_first_use() {
    let _one = ONE_AT_A_TIME.lock().unwrap_or_else(|p| p.into_inner());
    let (ctx, q) = context_and_queue();
    let img = image2d(ctx, 8, 8);
    let small = buffer(ctx, 0, 256);
    // Give the image and the small buffer their memory first.
    enqueue_copy_image_to_buffer(q, img, small, &[0, 0, 0], &[8, 8, 1], 0, 0, None, None).unwrap();
    let big = more_buffers_than_card_memory(ctx);
    let mut failed = None;
    for &b in &big {
        // Each fill makes a buffer take its card memory; the last cannot.
        if let Err(e) = enqueue_fill_buffer(q, b, Some(&[0u8]), 0, 64, 0, None, None) {
            failed = Some((b, e));
            break;
        }
    }
    let (last, e) = failed.expect("card memory ran out");
    assert_eq!(e, CL_MEM_OBJECT_ALLOCATION_FAILURE);
    assert_eq!(
        enqueue_copy_image_to_buffer(q, img, last, &[0, 0, 0], &[1, 1, 1], 0, 0, None, None),
        Err(CL_MEM_OBJECT_ALLOCATION_FAILURE)
    );
    assert_eq!(
        enqueue_map_buffer(q, last, true, CL_MAP_READ, 0, 4, 0, None, None),
        Err(CL_MEM_OBJECT_ALLOCATION_FAILURE)
    );
    // 64 MiB: more than the room left.
    let late = image2d(ctx, 8192, 2048);
    let mut rp = 0;
    assert_eq!(
        enqueue_map_image(
            q,
            late,
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
        Err(CL_MEM_OBJECT_ALLOCATION_FAILURE)
    );
    assert_eq!(mem_info(last).unwrap().map_count, 0);
    // Releasing memory makes room again.
    finish(q).unwrap();
    release_mem_object(big[0]).unwrap();
    enqueue_copy_image_to_buffer(q, img, last, &[0, 0, 0], &[8, 8, 1], 0, 0, None, None).unwrap();
    finish(q).unwrap();
    for b in &big[1..] {
        release_mem_object(*b).unwrap();
    }
}

/// "CL_MAP_FAILURE if there is a failure to map the requested region into
/// the host address space": maps of card memory stage through pinned host
/// memory, of which there is a budget; past it the map fails.
#[test]
fn map_failure_past_the_staging_budget() {
    let _one = ONE_AT_A_TIME.lock().unwrap_or_else(|p| p.into_inner());
    let (ctx, q) = context_and_queue();
    let size = LIMITS.max_mem_alloc_size as usize;
    let n = (STAGING_BUDGET as usize).div_ceil(size) + 1;
    let bufs: Vec<_> = (0..n).map(|_| buffer(ctx, 0, size)).collect();
    let mut maps = Vec::new();
    let mut failure = None;
    for &b in &bufs {
        // Invalidating maps need no copy: only staging memory is taken.
        match enqueue_map_buffer(
            q,
            b,
            true,
            CL_MAP_WRITE_INVALIDATE_REGION,
            0,
            size,
            0,
            None,
            None,
        ) {
            Ok(p) => maps.push((b, p)),
            Err(e) => {
                failure = Some(e);
                break;
            }
        }
    }
    assert_eq!(failure, Some(CL_MAP_FAILURE));
    assert_eq!(maps.len() * size, STAGING_BUDGET as usize);
    let img = image(
        ctx,
        0,
        &RGBA8,
        &desc(CL_MEM_OBJECT_IMAGE2D, 64, 64, 0, 0, 0),
    );
    let (mut rp, mut sp) = (0, 0);
    assert_eq!(
        enqueue_map_image(
            q,
            img,
            true,
            CL_MAP_READ,
            &[0, 0, 0],
            &[64, 64, 1],
            Some(&mut rp),
            Some(&mut sp),
            0,
            None,
            None
        ),
        Err(CL_MAP_FAILURE)
    );
    // "This error cannot occur for ... CL_MEM_USE_HOST_PTR or CL_MEM_ALLOC_HOST_PTR."
    let alloc = unsafe { create_buffer(ctx, CL_MEM_ALLOC_HOST_PTR, 1 << 20, std::ptr::null_mut()) }
        .unwrap();
    let p = enqueue_map_buffer(q, alloc, true, CL_MAP_READ, 0, 1 << 20, 0, None, None).unwrap();
    enqueue_unmap_mem_object(q, alloc, p, 0, None, None).unwrap();
    // Releasing the mapped buffers returns their staging.
    finish(q).unwrap();
    for (b, _) in maps {
        release_mem_object(b).unwrap();
    }
    let p = enqueue_map_image(
        q,
        img,
        true,
        CL_MAP_READ,
        &[0, 0, 0],
        &[64, 64, 1],
        Some(&mut rp),
        Some(&mut sp),
        0,
        None,
        None,
    )
    .unwrap();
    enqueue_unmap_mem_object(q, img, p, 0, None, None).unwrap();
    finish(q).unwrap();
}
