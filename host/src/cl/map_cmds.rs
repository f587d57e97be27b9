//! `clEnqueueMapBuffer`, `clEnqueueMapImage`, `clEnqueueUnmapMemObject`.
//!
//! Host-reachable storage (`CL_MEM_USE_HOST_PTR`, `CL_MEM_ALLOC_HOST_PTR`)
//! is mapped in place: the pointer is into it (derived from `host_ptr` for
//! the former) and nothing is copied; the map is still a command, so it
//! completes after the commands before it. Card storage is mapped through
//! staging host memory: the card fills it at the map (unless the map
//! invalidates the region) and, for maps for writing, copies it back at
//! the unmap.

use super::buffer_cmds::{buffer, head, in_bounds};
use super::handle::{CommandQueue, Event, Mem};
use super::image_box::{check_box, ImageType};
use super::map::{check_host_access, check_map_flags, MapAccess, MapRegion};
use super::mem::{mem, run_copies, Mapping, MemObj, Staging};
use super::queue::{queue, WaitList};
use super::transfer::Region;
use crate::{Copy3d, View};
use opencl_sys::{
    cl_command_type, cl_int, cl_map_flags, cl_uint, CL_COMMAND_MAP_BUFFER, CL_COMMAND_MAP_IMAGE,
    CL_COMMAND_UNMAP_MEM_OBJECT, CL_INVALID_CONTEXT, CL_INVALID_MEM_OBJECT, CL_INVALID_VALUE,
    CL_MAP_FAILURE,
};
use std::sync::atomic::Ordering;
use std::sync::Arc;

/// How a map reaches its bytes.
enum Route {
    /// In place at this host address.
    Direct(usize),
    /// Through packed staging memory that the card fills from, and writes
    /// back to, a `size` box (bytes across, rows, slices) at `side`.
    Staged { side: Region, size: [u64; 3] },
}

/// The shared second half of both maps: host access, overlap, staging,
/// the command, the bookkeeping.
#[allow(clippy::too_many_arguments)]
fn map_common(
    ty: cl_command_type,
    q: &super::queue::QueueObj,
    m: &Arc<MemObj>,
    access: MapAccess,
    region: MapRegion,
    route: Route,
    waits: Vec<Arc<super::event::EventObj>>,
    blocking: bool,
    event: Option<&mut Event>,
) -> Result<*mut u8, cl_int> {
    check_host_access(m.flags, access)?;
    let id = m.storage.maps.lock().unwrap().map(region, access.write)?;
    let card = q.context.card.clone();
    let forget = |m: &MemObj| {
        m.storage.maps.lock().unwrap().unmap(id);
    };
    let (ptr, staging, work): (usize, _, super::queue::Work) = match route {
        Route::Direct(p) => (p, None, Box::new(|| Ok(()))),
        Route::Staged { side, size } => {
            let Some(buf) = Staging::new(&card, size.iter().product()) else {
                forget(m);
                return Err(CL_MAP_FAILURE);
            };
            let buf = Arc::new(buf);
            let staged = Region {
                view: View::linear(buf.buf.iova(), size[0], size[0] * size[1]),
                origin: [0; 3],
            };
            let copy = |a: &Region, b: &Region| {
                Copy3d::region(&a.view, a.origin, &b.view, b.origin, size)
                    .map_err(|_| CL_INVALID_VALUE)
            };
            let (fill, back) = match (copy(&side, &staged), copy(&staged, &side)) {
                (Ok(f), Ok(b)) => (
                    if access.invalidate { vec![] } else { vec![f] },
                    if access.write { vec![b] } else { vec![] },
                ),
                (Err(e), _) | (_, Err(e)) => {
                    forget(m);
                    return Err(e);
                }
            };
            let keep = buf.clone();
            let work: super::queue::Work = Box::new(move || {
                let _keep = keep;
                run_copies(&card, &fill)
            });
            (buf.buf.as_ptr() as usize, Some((buf, back)), work)
        }
    };
    m.mappings
        .lock()
        .unwrap()
        .push(Mapping { ptr, id, staging });
    m.map_count.fetch_add(1, Ordering::Relaxed);
    match q.submit(ty, waits, blocking, event, work) {
        Ok(_) => Ok(ptr as *mut u8),
        Err(e) => {
            // A blocking map that failed maps nothing.
            let mut maps = m.mappings.lock().unwrap();
            if let Some(i) = maps.iter().position(|x| x.id == id) {
                maps.remove(i);
                m.map_count.fetch_sub(1, Ordering::Relaxed);
            }
            forget(m);
            Err(e)
        }
    }
}

/// `clEnqueueMapBuffer`: the pointer to `size` bytes at `offset`.
#[allow(clippy::too_many_arguments)]
pub fn enqueue_map_buffer(
    command_queue: CommandQueue,
    buffer_: Mem,
    blocking_map: bool,
    map_flags: cl_map_flags,
    offset: usize,
    size: usize,
    num_events_in_wait_list: cl_uint,
    event_wait_list: Option<&[Event]>,
    event: Option<&mut Event>,
) -> Result<*mut u8, cl_int> {
    let mut h = head(
        command_queue,
        &[buffer_],
        num_events_in_wait_list,
        event_wait_list,
    )?;
    let b = buffer(h.objects.remove(0))?;
    if !in_bounds(offset, size, &b) || size == 0 {
        return Err(CL_INVALID_VALUE);
    }
    let access = check_map_flags(map_flags)?;
    let waits = h.waits.events()?;
    b.check_alignment()?;
    let start = b.offset + offset as u64;
    let route = match b.storage.host() {
        Some(host) => Route::Direct(host + start as usize),
        None => {
            let len = size as u64;
            Route::Staged {
                side: Region {
                    view: View::linear(b.addr(offset as u64)?, len, len),
                    origin: [0; 3],
                },
                size: [len, 1, 1],
            }
        }
    };
    map_common(
        CL_COMMAND_MAP_BUFFER,
        &h.q,
        &b,
        access,
        MapRegion::bytes(start..start + size as u64),
        route,
        waits,
        blocking_map,
        event,
    )
}

/// `clEnqueueMapImage`: the pointer to the region, with its row pitch and
/// (for 3D images and arrays; 0 for 1D and 2D) slice pitch. `origin` has
/// 3 elements, or 4 when a mip level rides in `origin[3]`.
#[allow(clippy::too_many_arguments)]
pub fn enqueue_map_image(
    command_queue: CommandQueue,
    image_: Mem,
    blocking_map: bool,
    map_flags: cl_map_flags,
    origin: &[usize],
    region: &[usize; 3],
    image_row_pitch: Option<&mut usize>,
    image_slice_pitch: Option<&mut usize>,
    num_events_in_wait_list: cl_uint,
    event_wait_list: Option<&[Event]>,
    event: Option<&mut Event>,
) -> Result<*mut u8, cl_int> {
    let mut h = head(
        command_queue,
        &[image_],
        num_events_in_wait_list,
        event_wait_list,
    )?;
    let m = h
        .objects
        .remove(0)
        .filter(|m| m.image.is_some())
        .ok_or(CL_INVALID_MEM_OBJECT)?;
    let img = m.image.as_ref().unwrap();
    let b = check_box(&img.dims, origin, region)?;
    let access = check_map_flags(map_flags)?;
    let row_pitch_out = image_row_pitch.ok_or(CL_INVALID_VALUE)?;
    let ty = img.dims.ty;
    let layered = matches!(ty, ImageType::D1Array | ImageType::D2Array | ImageType::D3);
    if layered && image_slice_pitch.is_none() {
        return Err(CL_INVALID_VALUE);
    }
    let waits = h.waits.events()?;
    let e = img.element_size();
    let size = [b.region[0] * e, b.region[1], b.region[2]];
    let origin_bytes = [b.origin[0] * e, b.origin[1], b.origin[2]];
    let (route, row_pitch, slice_pitch) = match m.storage.host() {
        Some(host) => {
            // Linear storage: point into it, at the storage's own pitches.
            let v = img.view(0, b.level);
            let at = m.offset
                + v.base
                + origin_bytes[2] * v.slice_pitch
                + origin_bytes[1] * v.row_pitch
                + origin_bytes[0];
            let l = img.levels[b.level as usize];
            (
                Route::Direct(host + at as usize),
                l.row_pitch,
                l.slice_pitch,
            )
        }
        None => {
            let side = Region {
                view: img.view(m.addr(0)?, b.level),
                origin: origin_bytes,
            };
            let per_layer = if ty == ImageType::D1Array {
                size[0]
            } else {
                size[0] * size[1]
            };
            (Route::Staged { side, size }, size[0], per_layer)
        }
    };
    let ptr = map_common(
        CL_COMMAND_MAP_IMAGE,
        &h.q,
        &m,
        access,
        map_region(&m, &b),
        route,
        waits,
        blocking_map,
        event,
    )?;
    *row_pitch_out = row_pitch as usize;
    if let Some(sp) = image_slice_pitch {
        *sp = if layered { slice_pitch as usize } else { 0 };
    }
    Ok(ptr)
}

/// What a map of box `b` of image `m` covers in its storage.
fn map_region(m: &MemObj, b: &super::image_box::ImageBox) -> MapRegion {
    let img = m.image.as_ref().unwrap();
    if img.dims.ty == ImageType::D1Buffer {
        // Bytes of the buffer, as buffer maps see them.
        let e = img.element_size();
        let start = m.offset + b.origin[0] * e;
        return MapRegion::bytes(start..start + b.region[0] * e);
    }
    MapRegion {
        level: b.level,
        lo: b.origin,
        hi: [0, 1, 2].map(|i| b.origin[i] + b.region[i]),
    }
}

/// `clEnqueueUnmapMemObject`.
pub fn enqueue_unmap_mem_object(
    command_queue: CommandQueue,
    memobj: Mem,
    mapped_ptr: *mut u8,
    num_events_in_wait_list: cl_uint,
    event_wait_list: Option<&[Event]>,
    event: Option<&mut Event>,
) -> Result<(), cl_int> {
    let q = queue(command_queue)?;
    let m = mem(memobj).ok_or(CL_INVALID_MEM_OBJECT)?;
    // The page's order: pointer, wait list, then contexts. The lock is
    // held until the mapping is taken, so it is unmapped once.
    let mut maps = m.mappings.lock().unwrap();
    let i = maps
        .iter()
        .position(|x| x.ptr == mapped_ptr as usize)
        .ok_or(CL_INVALID_VALUE)?;
    let waits = WaitList::parse(&q, num_events_in_wait_list, event_wait_list);
    let foreign = waits.foreign;
    let waits = waits.events()?;
    if foreign || !Arc::ptr_eq(&m.context, &q.context) {
        return Err(CL_INVALID_CONTEXT);
    }
    let mapping = maps.remove(i);
    drop(maps);
    m.storage.maps.lock().unwrap().unmap(mapping.id);
    m.map_count.fetch_sub(1, Ordering::Relaxed);
    let card = q.context.card.clone();
    let work: super::queue::Work = Box::new(move || match mapping.staging {
        Some((buf, back)) => {
            let r = run_copies(&card, &back);
            drop(buf);
            r
        }
        None => Ok(()),
    });
    q.submit(CL_COMMAND_UNMAP_MEM_OBJECT, waits, false, event, work)
        .map(|_| ())
}
