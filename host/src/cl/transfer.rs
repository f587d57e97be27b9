//! What every enqueue call shares once its arguments are checked: the
//! context rule, host memory handed to the card, and 3D box copies between
//! views — through a bounce buffer in card memory when both ends are the
//! same storage (the card refuses commands whose source and destination
//! spans share bytes, even when the boxes themselves are disjoint).

use super::event::EventObj;
use super::handle::Event;
use super::mem::{run_copies, MemObj};
use super::queue::{QueueObj, WaitList};
use crate::dma::PinnedHost;
use crate::{Copy3d, Device, View};
use opencl_sys::{
    cl_command_type, cl_int, CL_INVALID_CONTEXT, CL_INVALID_VALUE, CL_OUT_OF_RESOURCES,
};
use std::sync::Arc;

/// `CL_INVALID_CONTEXT` if a live memory object or wait-list event belongs
/// to another context than the queue. Dead handles are left for
/// `CL_INVALID_MEM_OBJECT` / `CL_INVALID_EVENT_WAIT_LIST`.
pub(crate) fn check_contexts(
    q: &QueueObj,
    objects: &[Option<&Arc<MemObj>>],
    waits: &WaitList,
) -> Result<(), cl_int> {
    let foreign_mem = objects
        .iter()
        .flatten()
        .any(|m| !Arc::ptr_eq(&m.context, &q.context));
    if foreign_mem || waits.foreign {
        return Err(CL_INVALID_CONTEXT);
    }
    Ok(())
}

/// A box in a view: origin (x in bytes, rows, slices) and size.
#[derive(Clone, Copy, Debug)]
pub(crate) struct Region {
    pub(crate) view: View,
    pub(crate) origin: [u64; 3],
}

/// Pins `len` bytes of application memory at `ptr` (`CL_INVALID_VALUE` for
/// NULL).
///
/// # Safety
/// `ptr` must stay valid for `len` bytes until the returned pin is dropped.
pub(crate) unsafe fn pin(card: &Device, ptr: *const u8, len: u64) -> Result<PinnedHost, cl_int> {
    if ptr.is_null() {
        return Err(CL_INVALID_VALUE);
    }
    card.pin_host(ptr as *mut u8, len as usize)
        .map_err(|_| CL_OUT_OF_RESOURCES)
}

/// Queues the copy of a `size` box between `device` (a view the card
/// addresses) and the host range `host` (pointer, length) laid out at
/// `pitches` — `read`: device → host — keeping the host range pinned until
/// the command completes. Read/write buffer rect and read/write image.
///
/// # Safety
/// `host` holds the box at those pitches until the command completes.
#[allow(clippy::too_many_arguments)]
pub(crate) unsafe fn host_box_transfer(
    q: &QueueObj,
    ty: cl_command_type,
    waits: Vec<Arc<EventObj>>,
    blocking: bool,
    event: Option<&mut Event>,
    device: Region,
    host: (*const u8, u64),
    (row_pitch, slice_pitch): (u64, u64),
    size: [u64; 3],
    read: bool,
) -> Result<(), cl_int> {
    let card = q.context.card.clone();
    let pinned = pin(&card, host.0, host.1)?;
    let mem = Region {
        view: View::linear(pinned.iova(), row_pitch, slice_pitch),
        origin: [0; 3],
    };
    let (src, dst) = if read { (device, mem) } else { (mem, device) };
    let (copies, _) = box_copies(&card, src, dst, size, false)?;
    let work = Box::new(move || {
        let _pinned = pinned;
        run_copies(&card, &copies)
    });
    q.submit(ty, waits, blocking, event, work).map(|_| ())
}

/// Bytes from the first to one past the last byte of a `size` box at the
/// origin of a linear layout with these pitches (`None` past `u64`, which no
/// buffer or host range can hold).
pub(crate) fn linear_extent(size: [u64; 3], row_pitch: u64, slice_pitch: u64) -> Option<u64> {
    (size[2] - 1)
        .checked_mul(slice_pitch)?
        .checked_add((size[1] - 1).checked_mul(row_pitch)?)?
        .checked_add(size[0])
}

/// The copy of a `size` box (bytes across, rows, slices) from `src` to
/// `dst`, as the card commands that do it. `same_storage` routes it through
/// a bounce buffer in card memory, kept alive in the returned value.
pub(crate) fn box_copies(
    card: &Device,
    src: Region,
    dst: Region,
    size: [u64; 3],
    same_storage: bool,
) -> Result<(Vec<Copy3d>, Option<crate::device::CardBuffer>), cl_int> {
    let bad = |_| CL_INVALID_VALUE;
    if !same_storage {
        let c = Copy3d::region(&src.view, src.origin, &dst.view, dst.origin, size).map_err(bad)?;
        return Ok((vec![c], None));
    }
    let tight = size[0] * size[1] * size[2];
    let tmp = card
        .alloc_card(tight)
        .map_err(|_| opencl_sys::CL_MEM_OBJECT_ALLOCATION_FAILURE)?;
    let mid = View::linear(tmp.addr(), size[0], size[0] * size[1]);
    let a = Copy3d::region(&src.view, src.origin, &mid, [0; 3], size).map_err(bad)?;
    let b = Copy3d::region(&mid, [0; 3], &dst.view, dst.origin, size).map_err(bad)?;
    Ok((vec![a, b], Some(tmp)))
}

/// Runs copies that must happen one after the other (a bounce's two halves).
pub(crate) fn run_in_order(card: &Device, copies: &[Copy3d]) -> Result<(), cl_int> {
    for c in copies {
        run_copies(card, std::slice::from_ref(c))?;
    }
    Ok(())
}
