//! What every enqueue call shares once its arguments are checked: the
//! context rule, host memory handed to the card, and 3D box copies between
//! views — through a bounce buffer in card memory when both ends are the
//! same storage (the card refuses commands whose source and destination
//! spans share bytes, even when the boxes themselves are disjoint).

use super::event::EventObj;
use super::handle::Event;
use super::mem::{run_copies, MemObj};
use super::queue::{QueueObj, WaitList};
pub(crate) use crate::copy::linear_extent;
use crate::copy::BoxCopy;
pub(crate) use crate::copy::Region;
use crate::dma::PinnedHost;
use crate::{Device, DeviceError, View};
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
    let plan = box_copies(&card, src, dst, size, false)?;
    let work = Box::new(move || {
        let _pinned = pinned;
        run_copies(&card, &plan.copies)
    });
    q.submit(ty, waits, blocking, event, work).map(|_| ())
}

/// The copy of a `size` box from `src` to `dst` as card commands
/// ([`BoxCopy::plan`]), in OpenCL's codes.
pub(crate) fn box_copies(
    card: &Device,
    src: Region,
    dst: Region,
    size: [u64; 3],
    same_storage: bool,
) -> Result<BoxCopy, cl_int> {
    BoxCopy::plan(card, src, dst, size, same_storage).map_err(|e| match e {
        DeviceError::OutOfSpace { .. } => opencl_sys::CL_MEM_OBJECT_ALLOCATION_FAILURE,
        _ => CL_INVALID_VALUE,
    })
}
