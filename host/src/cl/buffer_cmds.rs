//! Buffer commands: read, write, copy (whole ranges and rectangles) and
//! fill — each checked in the order its reference page lists the errors,
//! each carried out by the card.

use super::handle::{CommandQueue, Event, Mem};
use super::mem::{linear_copies, mem, run_copies, MemObj};
use super::queue::{queue, QueueObj, WaitList};
use super::transfer::{box_copies, check_contexts, host_box_transfer, linear_extent, pin, Region};
use crate::{Copy3d, View};
use opencl_sys::{
    cl_command_type, cl_int, cl_uint, CL_COMMAND_COPY_BUFFER, CL_COMMAND_COPY_BUFFER_RECT,
    CL_COMMAND_FILL_BUFFER, CL_COMMAND_READ_BUFFER, CL_COMMAND_READ_BUFFER_RECT,
    CL_COMMAND_WRITE_BUFFER, CL_COMMAND_WRITE_BUFFER_RECT, CL_INVALID_MEM_OBJECT,
    CL_INVALID_OPERATION, CL_INVALID_VALUE, CL_MEM_COPY_OVERLAP, CL_MEM_HOST_NO_ACCESS,
    CL_MEM_HOST_READ_ONLY, CL_MEM_HOST_WRITE_ONLY, CL_OUT_OF_RESOURCES,
};
use std::sync::Arc;

/// A buffer argument (`CL_INVALID_MEM_OBJECT` unless a live buffer or sub-buffer).
pub(crate) fn buffer(m: Option<Arc<MemObj>>) -> Result<Arc<MemObj>, cl_int> {
    m.filter(|m| m.is_buffer()).ok_or(CL_INVALID_MEM_OBJECT)
}

/// `CL_INVALID_OPERATION` when the host may not read (`read`) or write the object.
pub(crate) fn host_may(m: &MemObj, read: bool) -> Result<(), cl_int> {
    let forbidden = if read {
        CL_MEM_HOST_WRITE_ONLY | CL_MEM_HOST_NO_ACCESS
    } else {
        CL_MEM_HOST_READ_ONLY | CL_MEM_HOST_NO_ACCESS
    };
    if m.flags & forbidden != 0 {
        return Err(CL_INVALID_OPERATION);
    }
    Ok(())
}

/// The common head of a command on one or two memory objects: queue,
/// contexts, then the objects themselves.
pub(crate) struct Head {
    pub(crate) q: Arc<QueueObj>,
    pub(crate) waits: WaitList,
    /// The memory objects, live or not, in argument order.
    pub(crate) objects: Vec<Option<Arc<MemObj>>>,
}

pub(crate) fn head(
    q: CommandQueue,
    objects: &[Mem],
    num: cl_uint,
    list: Option<&[Event]>,
) -> Result<Head, cl_int> {
    let q = queue(q)?;
    let waits = WaitList::parse(&q, num, list);
    let objs: Vec<_> = objects.iter().map(|&m| mem(m)).collect();
    check_contexts(
        &q,
        &objs.iter().map(Option::as_ref).collect::<Vec<_>>(),
        &waits,
    )?;
    Ok(Head {
        q,
        waits,
        objects: objs,
    })
}

pub(crate) fn in_bounds(offset: usize, size: usize, of: &MemObj) -> bool {
    (offset as u64)
        .checked_add(size as u64)
        .is_some_and(|end| end <= of.size)
}

/// Read (`read`) or write of `size` bytes at `offset` of a buffer from or
/// to host memory at `ptr`.
#[allow(clippy::too_many_arguments)]
unsafe fn buffer_transfer(
    read: bool,
    command_queue: CommandQueue,
    buffer_: Mem,
    blocking: bool,
    offset: usize,
    size: usize,
    ptr: *mut u8,
    num: cl_uint,
    list: Option<&[Event]>,
    event: Option<&mut Event>,
) -> Result<(), cl_int> {
    let mut h = head(command_queue, &[buffer_], num, list)?;
    let b = buffer(h.objects.remove(0))?;
    if !in_bounds(offset, size, &b) || size == 0 || ptr.is_null() {
        return Err(CL_INVALID_VALUE);
    }
    let waits = h.waits.events()?;
    b.check_alignment()?;
    let at = b.addr(offset as u64)?;
    host_may(&b, read)?;
    let card = h.q.context.card.clone();
    let host = pin(&card, ptr, size as u64)?;
    let (src, dst) = if read {
        (at, host.iova())
    } else {
        (host.iova(), at)
    };
    let work = Box::new(move || {
        let _host = host;
        run_copies(&card, &linear_copies(src, dst, size as u64))
    });
    let ty = if read {
        CL_COMMAND_READ_BUFFER
    } else {
        CL_COMMAND_WRITE_BUFFER
    };
    h.q.submit(ty, waits, blocking, event, work).map(|_| ())
}

/// `clEnqueueReadBuffer`.
///
/// # Safety
/// `ptr` holds `size` writable bytes until the command completes.
#[allow(clippy::too_many_arguments)]
pub unsafe fn enqueue_read_buffer(
    command_queue: CommandQueue,
    buffer_: Mem,
    blocking_read: bool,
    offset: usize,
    size: usize,
    ptr: *mut u8,
    num_events_in_wait_list: cl_uint,
    event_wait_list: Option<&[Event]>,
    event: Option<&mut Event>,
) -> Result<(), cl_int> {
    buffer_transfer(
        true,
        command_queue,
        buffer_,
        blocking_read,
        offset,
        size,
        ptr,
        num_events_in_wait_list,
        event_wait_list,
        event,
    )
}

/// `clEnqueueWriteBuffer`.
///
/// # Safety
/// `ptr` holds `size` readable bytes until the command completes.
#[allow(clippy::too_many_arguments)]
pub unsafe fn enqueue_write_buffer(
    command_queue: CommandQueue,
    buffer_: Mem,
    blocking_write: bool,
    offset: usize,
    size: usize,
    ptr: *const u8,
    num_events_in_wait_list: cl_uint,
    event_wait_list: Option<&[Event]>,
    event: Option<&mut Event>,
) -> Result<(), cl_int> {
    buffer_transfer(
        false,
        command_queue,
        buffer_,
        blocking_write,
        offset,
        size,
        ptr as *mut u8,
        num_events_in_wait_list,
        event_wait_list,
        event,
    )
}

/// `clEnqueueCopyBuffer`.
#[allow(clippy::too_many_arguments)]
pub fn enqueue_copy_buffer(
    command_queue: CommandQueue,
    src_buffer: Mem,
    dst_buffer: Mem,
    src_offset: usize,
    dst_offset: usize,
    size: usize,
    num_events_in_wait_list: cl_uint,
    event_wait_list: Option<&[Event]>,
    event: Option<&mut Event>,
) -> Result<(), cl_int> {
    let mut h = head(
        command_queue,
        &[src_buffer, dst_buffer],
        num_events_in_wait_list,
        event_wait_list,
    )?;
    let src = buffer(h.objects.remove(0))?;
    let dst = buffer(h.objects.remove(0))?;
    if !in_bounds(src_offset, size, &src) || !in_bounds(dst_offset, size, &dst) || size == 0 {
        return Err(CL_INVALID_VALUE);
    }
    let waits = h.waits.events()?;
    src.check_alignment()?;
    dst.check_alignment()?;
    // Same bytes on both sides: through the same buffer or sub-buffers of one.
    let (s, d) = (
        src.offset + src_offset as u64,
        dst.offset + dst_offset as u64,
    );
    if src.aliases(&dst) && s < d + size as u64 && d < s + size as u64 {
        return Err(CL_MEM_COPY_OVERLAP);
    }
    let (from, to) = (src.addr(src_offset as u64)?, dst.addr(dst_offset as u64)?);
    let card = h.q.context.card.clone();
    let work = Box::new(move || run_copies(&card, &linear_copies(from, to, size as u64)));
    h.q.submit(CL_COMMAND_COPY_BUFFER, waits, false, event, work)
        .map(|_| ())
}

/// A rectangle's pitches with the defaults filled in (`CL_INVALID_VALUE`
/// for a pitch smaller than what it must hold, or a slice pitch that is not
/// a multiple of the row pitch).
fn pitches(region: [u64; 3], row_pitch: usize, slice_pitch: usize) -> Result<(u64, u64), cl_int> {
    let rp = if row_pitch == 0 {
        region[0]
    } else {
        row_pitch as u64
    };
    let slice = region[1].checked_mul(rp).ok_or(CL_INVALID_VALUE)?;
    let sp = if slice_pitch == 0 {
        slice
    } else {
        slice_pitch as u64
    };
    if rp < region[0] || sp < slice || !sp.is_multiple_of(rp) {
        return Err(CL_INVALID_VALUE);
    }
    Ok((rp, sp))
}

/// The byte offset of `origin` (`CL_INVALID_VALUE` past `u64`: outside
/// any buffer or host range).
fn offset_of(origin: [usize; 3], rp: u64, sp: u64) -> Result<u64, cl_int> {
    (origin[2] as u64)
        .checked_mul(sp)
        .and_then(|z| z.checked_add((origin[1] as u64).checked_mul(rp)?))
        .and_then(|zy| zy.checked_add(origin[0] as u64))
        .ok_or(CL_INVALID_VALUE)
}

fn region3(region: [usize; 3]) -> Result<[u64; 3], cl_int> {
    if region.contains(&0) {
        return Err(CL_INVALID_VALUE);
    }
    Ok(region.map(|v| v as u64))
}

/// A buffer rectangle's first byte, checked to lie inside the buffer.
fn rect_in(
    b: &MemObj,
    origin: [usize; 3],
    region: [u64; 3],
    rp: u64,
    sp: u64,
) -> Result<u64, cl_int> {
    let start = offset_of(origin, rp, sp)?;
    match linear_extent(region, rp, sp).and_then(|n| start.checked_add(n)) {
        Some(end) if end <= b.size => Ok(start),
        _ => Err(CL_INVALID_VALUE),
    }
}

/// Read or write of a buffer rectangle.
#[allow(clippy::too_many_arguments)]
unsafe fn buffer_rect_transfer(
    ty: cl_command_type,
    command_queue: CommandQueue,
    buffer_: Mem,
    blocking: bool,
    buffer_origin: [usize; 3],
    host_origin: [usize; 3],
    region: [usize; 3],
    pitches_: [usize; 4],
    ptr: *mut u8,
    num: cl_uint,
    list: Option<&[Event]>,
    event: Option<&mut Event>,
) -> Result<(), cl_int> {
    let read = ty == CL_COMMAND_READ_BUFFER_RECT;
    let mut h = head(command_queue, &[buffer_], num, list)?;
    let b = buffer(h.objects.remove(0))?;
    let region = region3(region)?;
    let (brp, bsp) = pitches(region, pitches_[0], pitches_[1])?;
    let (hrp, hsp) = pitches(region, pitches_[2], pitches_[3])?;
    let start = rect_in(&b, buffer_origin, region, brp, bsp)?;
    if ptr.is_null() {
        return Err(CL_INVALID_VALUE);
    }
    let host_start = offset_of(host_origin, hrp, hsp)?;
    let host_len = linear_extent(region, hrp, hsp).ok_or(CL_INVALID_VALUE)?;
    let waits = h.waits.events()?;
    b.check_alignment()?;
    let base = b.addr(0)?;
    host_may(&b, read)?;
    let buf = Region {
        view: View::linear(base + start, brp, bsp),
        origin: [0; 3],
    };
    let host = (ptr.add(host_start as usize) as *const u8, host_len);
    host_box_transfer(
        &h.q,
        ty,
        waits,
        blocking,
        event,
        buf,
        host,
        (hrp, hsp),
        region,
        read,
    )
}

/// `clEnqueueReadBufferRect`. Pitches are `[buffer_row_pitch,
/// buffer_slice_pitch, host_row_pitch, host_slice_pitch]`.
///
/// # Safety
/// `ptr` holds the host rectangle, writable until the command completes.
#[allow(clippy::too_many_arguments)]
pub unsafe fn enqueue_read_buffer_rect(
    command_queue: CommandQueue,
    buffer_: Mem,
    blocking_read: bool,
    buffer_origin: [usize; 3],
    host_origin: [usize; 3],
    region: [usize; 3],
    pitches: [usize; 4],
    ptr: *mut u8,
    num_events_in_wait_list: cl_uint,
    event_wait_list: Option<&[Event]>,
    event: Option<&mut Event>,
) -> Result<(), cl_int> {
    buffer_rect_transfer(
        CL_COMMAND_READ_BUFFER_RECT,
        command_queue,
        buffer_,
        blocking_read,
        buffer_origin,
        host_origin,
        region,
        pitches,
        ptr,
        num_events_in_wait_list,
        event_wait_list,
        event,
    )
}

/// `clEnqueueWriteBufferRect`. Pitches as for [`enqueue_read_buffer_rect`].
///
/// # Safety
/// `ptr` holds the host rectangle, readable until the command completes.
#[allow(clippy::too_many_arguments)]
pub unsafe fn enqueue_write_buffer_rect(
    command_queue: CommandQueue,
    buffer_: Mem,
    blocking_write: bool,
    buffer_origin: [usize; 3],
    host_origin: [usize; 3],
    region: [usize; 3],
    pitches: [usize; 4],
    ptr: *const u8,
    num_events_in_wait_list: cl_uint,
    event_wait_list: Option<&[Event]>,
    event: Option<&mut Event>,
) -> Result<(), cl_int> {
    buffer_rect_transfer(
        CL_COMMAND_WRITE_BUFFER_RECT,
        command_queue,
        buffer_,
        blocking_write,
        buffer_origin,
        host_origin,
        region,
        pitches,
        ptr as *mut u8,
        num_events_in_wait_list,
        event_wait_list,
        event,
    )
}

/// Whether two rectangles of one storage share a byte: their rows as
/// intervals, swept in order.
pub(crate) fn rects_overlap(
    a: u64,
    b: u64,
    region: [u64; 3],
    (arp, asp): (u64, u64),
    (brp, bsp): (u64, u64),
) -> bool {
    let rows = |start: u64, rp: u64, sp: u64| {
        let mut v = Vec::with_capacity((region[1] * region[2]) as usize);
        for z in 0..region[2] {
            for y in 0..region[1] {
                let s = start + z * sp + y * rp;
                v.push((s, s + region[0]));
            }
        }
        v
    };
    let mut all: Vec<(u64, u64, bool)> = rows(a, arp, asp)
        .into_iter()
        .map(|(s, e)| (s, e, false))
        .chain(rows(b, brp, bsp).into_iter().map(|(s, e)| (s, e, true)))
        .collect();
    all.sort_unstable();
    // Rows of one rectangle never overlap each other, so any overlap is
    // between the two: the furthest end of each side so far is enough.
    let mut reach = [0u64; 2];
    for (s, e, side) in all {
        if s < reach[!side as usize] {
            return true;
        }
        let r = &mut reach[side as usize];
        *r = (*r).max(e);
    }
    false
}

/// `clEnqueueCopyBufferRect`. Pitches are `[src_row_pitch,
/// src_slice_pitch, dst_row_pitch, dst_slice_pitch]`.
#[allow(clippy::too_many_arguments)]
pub fn enqueue_copy_buffer_rect(
    command_queue: CommandQueue,
    src_buffer: Mem,
    dst_buffer: Mem,
    src_origin: [usize; 3],
    dst_origin: [usize; 3],
    region: [usize; 3],
    pitches_: [usize; 4],
    num_events_in_wait_list: cl_uint,
    event_wait_list: Option<&[Event]>,
    event: Option<&mut Event>,
) -> Result<(), cl_int> {
    let mut h = head(
        command_queue,
        &[src_buffer, dst_buffer],
        num_events_in_wait_list,
        event_wait_list,
    )?;
    let src = buffer(h.objects.remove(0))?;
    let dst = buffer(h.objects.remove(0))?;
    let region = region3(region)?;
    let (srp, ssp) = pitches(region, pitches_[0], pitches_[1])?;
    let (drp, dsp) = pitches(region, pitches_[2], pitches_[3])?;
    let s = rect_in(&src, src_origin, region, srp, ssp)?;
    let d = rect_in(&dst, dst_origin, region, drp, dsp)?;
    // The same buffer must be copied within with one pair of pitches.
    if Arc::ptr_eq(&src, &dst) && (srp != drp || ssp != dsp) {
        return Err(CL_INVALID_VALUE);
    }
    let waits = h.waits.events()?;
    src.check_alignment()?;
    dst.check_alignment()?;
    let same = src.aliases(&dst);
    if same
        && rects_overlap(
            src.offset + s,
            dst.offset + d,
            region,
            (srp, ssp),
            (drp, dsp),
        )
    {
        return Err(CL_MEM_COPY_OVERLAP);
    }
    let (sb, db) = (src.addr(0)?, dst.addr(0)?);
    let card = h.q.context.card.clone();
    let plan = box_copies(
        &card,
        Region {
            view: View::linear(sb + s, srp, ssp),
            origin: [0; 3],
        },
        Region {
            view: View::linear(db + d, drp, dsp),
            origin: [0; 3],
        },
        region,
        same,
    )?;
    let work = Box::new(move || plan.run(&card).map_err(|_| CL_OUT_OF_RESOURCES));
    h.q.submit(CL_COMMAND_COPY_BUFFER_RECT, waits, false, event, work)
        .map(|_| ())
}

/// The commands that fill `bytes` at `dst` with `pattern` held (repeated)
/// in `block` of `block_len` bytes: the card re-reads the block for every
/// row (a source row pitch of 0), then copies the tail.
pub(crate) fn fill_copies(block: u64, block_len: u64, dst: u64, bytes: u64) -> Vec<Copy3d> {
    let rows = bytes / block_len;
    let mut v = Vec::new();
    if rows > 0 {
        v.push(Copy3d {
            src: block,
            src_row_pitch: 0,
            src_slice_pitch: 0,
            dst,
            dst_row_pitch: block_len as u32,
            dst_slice_pitch: rows * block_len,
            row_bytes: block_len as u32,
            rows: rows as u32,
            slices: 1,
            ..Default::default()
        });
    }
    let tail = bytes - rows * block_len;
    if tail > 0 {
        v.push(Copy3d::linear(block, dst + rows * block_len, tail as u32));
    }
    v
}

/// Host memory the card reads a repeated pattern from: `pattern` repeated
/// to `len` bytes.
pub(crate) fn pattern_block(
    card: &crate::Device,
    pattern: &[u8],
    len: u64,
) -> Result<Arc<crate::dma::DmaBuffer>, cl_int> {
    let block = card
        .alloc_dma(len as usize)
        .map_err(|_| CL_OUT_OF_RESOURCES)?;
    let bytes: Vec<u8> = pattern.iter().copied().cycle().take(len as usize).collect();
    block.write(0, &bytes);
    Ok(Arc::new(block))
}

/// `clEnqueueFillBuffer`.
#[allow(clippy::too_many_arguments)]
pub fn enqueue_fill_buffer(
    command_queue: CommandQueue,
    buffer_: Mem,
    pattern: Option<&[u8]>,
    offset: usize,
    size: usize,
    num_events_in_wait_list: cl_uint,
    event_wait_list: Option<&[Event]>,
    event: Option<&mut Event>,
) -> Result<(), cl_int> {
    let mut h = head(
        command_queue,
        &[buffer_],
        num_events_in_wait_list,
        event_wait_list,
    )?;
    let b = buffer(h.objects.remove(0))?;
    let pattern = pattern.ok_or(CL_INVALID_VALUE)?;
    let p = pattern.len();
    if !in_bounds(offset, size, &b)
        || ![1, 2, 4, 8, 16, 32, 64, 128].contains(&p)
        || !offset.is_multiple_of(p)
        || !size.is_multiple_of(p)
    {
        return Err(CL_INVALID_VALUE);
    }
    let waits = h.waits.events()?;
    b.check_alignment()?;
    let dst = b.addr(offset as u64)?;
    let card = h.q.context.card.clone();
    // A 4 KiB block (a multiple of every pattern size) per row.
    let block_len = 4096.min(size as u64).max(p as u64);
    let block = pattern_block(&card, pattern, block_len)?;
    let copies = fill_copies(block.iova(), block_len, dst, size as u64);
    let work = Box::new(move || {
        let _block = block;
        run_copies(&card, &copies)
    });
    h.q.submit(CL_COMMAND_FILL_BUFFER, waits, false, event, work)
        .map(|_| ())
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Origins and pitches past `u64` (a C caller's NULL origin arrives as
    /// `usize::MAX`) are `CL_INVALID_VALUE`, never a wrapped offset.
    #[test]
    fn rect_arithmetic_past_u64_is_invalid_value() {
        assert_eq!(offset_of([usize::MAX; 3], 1, 1), Err(CL_INVALID_VALUE));
        assert_eq!(offset_of([3, 2, 1], 10, 100), Ok(123));
        assert_eq!(pitches([1, 1 << 40, 1], 1 << 30, 0), Err(CL_INVALID_VALUE));
        assert_eq!(linear_extent([1, 1, 3], 1, u64::MAX), None);
    }

    #[test]
    fn rect_overlap_is_exact() {
        // Two 4×4 boxes side by side in rows of 16: interleaved, disjoint.
        assert!(!rects_overlap(0, 4, [4, 4, 1], (16, 64), (16, 64)));
        assert!(rects_overlap(0, 3, [4, 4, 1], (16, 64), (16, 64)));
        // One row below the other's last row: disjoint; on it: overlap.
        assert!(!rects_overlap(0, 64, [4, 4, 1], (16, 64), (16, 64)));
        assert!(rects_overlap(0, 48, [4, 4, 1], (16, 64), (16, 64)));
    }

    #[test]
    fn fills_repeat_a_block() {
        let v = fill_copies(0x1000, 4096, 0x9000, 3 * 4096 + 8);
        assert_eq!(v.len(), 2);
        assert_eq!(
            (v[0].rows, v[0].src_row_pitch, v[0].dst_row_pitch),
            (3, 0, 4096)
        );
        assert_eq!(
            (v[1].src, v[1].dst, v[1].row_bytes),
            (0x1000, 0x9000 + 3 * 4096, 8)
        );
    }
}
