//! Image commands: read, write, copy and fill images, and copies between
//! images and buffers (`clEnqueueCopyImageToBuffer`,
//! `clEnqueueCopyBufferToImage`) — checked in the order the pages list the
//! errors, carried out by the card (tiled images are detiled and tiled by
//! the engine on the way).

use super::buffer_cmds::{buffer, head, host_may, in_bounds, pattern_block};
use super::format::pack_fill_color;
use super::handle::{CommandQueue, Event, Mem};
use super::image_box::{check_box, ImageBox, ImageType};
use super::mem::{run_copies, MemObj};
use super::transfer::{box_copies, host_box_transfer, linear_extent, Region};
use crate::View;
use opencl_sys::CL_OUT_OF_RESOURCES;
use opencl_sys::{
    cl_command_type, cl_int, cl_uint, CL_COMMAND_COPY_BUFFER_TO_IMAGE, CL_COMMAND_COPY_IMAGE,
    CL_COMMAND_COPY_IMAGE_TO_BUFFER, CL_COMMAND_FILL_IMAGE, CL_COMMAND_READ_IMAGE,
    CL_COMMAND_WRITE_IMAGE, CL_IMAGE_FORMAT_MISMATCH, CL_INVALID_MEM_OBJECT, CL_INVALID_VALUE,
    CL_MEM_COPY_OVERLAP,
};
use std::sync::Arc;

/// An image argument (`CL_INVALID_MEM_OBJECT` unless a live image).
fn image(m: Option<Arc<MemObj>>) -> Result<Arc<MemObj>, cl_int> {
    m.filter(|m| m.image.is_some()).ok_or(CL_INVALID_MEM_OBJECT)
}

/// The checked box of `origin`/`region` in `m` (an image).
fn image_box(m: &MemObj, origin: &[usize], region: &[usize; 3]) -> Result<ImageBox, cl_int> {
    check_box(&m.image.as_ref().unwrap().dims, origin, region)
}

/// The box as a region of the image's level view and its size in bytes
/// across, rows and slices.
fn image_region(m: &MemObj, b: &ImageBox) -> Result<(Region, [u64; 3]), cl_int> {
    let img = m.image.as_ref().unwrap();
    let e = img.element_size();
    let view = img.view(m.addr(0)?, b.level);
    Ok((
        Region {
            view,
            origin: [b.origin[0] * e, b.origin[1], b.origin[2]],
        },
        [b.region[0] * e, b.region[1], b.region[2]],
    ))
}

/// Whether `img` is a 1D image buffer made from `buf`.
fn made_from(img: &MemObj, buf: &MemObj) -> bool {
    img.image.as_ref().unwrap().dims.ty == ImageType::D1Buffer
        && img.parent.as_ref().is_some_and(|p| std::ptr::eq(&**p, buf))
}

/// A copy between an image box and packed bytes of a buffer, either way
/// (`to_buffer`); arguments are checked in the order the call names them.
#[allow(clippy::too_many_arguments)]
fn image_buffer_copy(
    to_buffer: bool,
    command_queue: CommandQueue,
    image_: Mem,
    buffer_: Mem,
    origin: &[usize],
    region: &[usize; 3],
    offset: usize,
    num: cl_uint,
    list: Option<&[Event]>,
    event: Option<&mut Event>,
) -> Result<(), cl_int> {
    let order = if to_buffer {
        [image_, buffer_]
    } else {
        [buffer_, image_]
    };
    let mut h = head(command_queue, &order, num, list)?;
    let (img, buf) = if to_buffer {
        let img = image(h.objects.remove(0))?;
        (img, buffer(h.objects.remove(0))?)
    } else {
        let buf = buffer(h.objects.remove(0))?;
        (image(h.objects.remove(0))?, buf)
    };
    if made_from(&img, &buf) {
        return Err(CL_INVALID_MEM_OBJECT);
    }
    let b = image_box(&img, origin, region)?;
    let e = img.image.as_ref().unwrap().element_size();
    // The pages' dst_cb / src_cb: the box packed.
    if !in_bounds(offset, b.bytes(e) as usize, &buf) {
        return Err(CL_INVALID_VALUE);
    }
    let waits = h.waits.events()?;
    buf.check_alignment()?;
    let (image_side, size) = image_region(&img, &b)?;
    let packed = Region {
        view: View::linear(buf.addr(offset as u64)?, size[0], size[0] * size[1]),
        origin: [0; 3],
    };
    let (src, dst) = if to_buffer {
        (image_side, packed)
    } else {
        (packed, image_side)
    };
    let card = h.q.context.card.clone();
    let plan = box_copies(&card, src, dst, size, img.aliases(&buf))?;
    let work = Box::new(move || plan.run(&card).map_err(|_| CL_OUT_OF_RESOURCES));
    let ty = if to_buffer {
        CL_COMMAND_COPY_IMAGE_TO_BUFFER
    } else {
        CL_COMMAND_COPY_BUFFER_TO_IMAGE
    };
    h.q.submit(ty, waits, false, event, work).map(|_| ())
}

/// `clEnqueueCopyImageToBuffer`. `src_origin` has 3 elements, or 4 when a
/// 2D array's or 3D image's mip level rides in `src_origin[3]`.
#[allow(clippy::too_many_arguments)]
pub fn enqueue_copy_image_to_buffer(
    command_queue: CommandQueue,
    src_image: Mem,
    dst_buffer: Mem,
    src_origin: &[usize],
    region: &[usize; 3],
    dst_offset: usize,
    num_events_in_wait_list: cl_uint,
    event_wait_list: Option<&[Event]>,
    event: Option<&mut Event>,
) -> Result<(), cl_int> {
    image_buffer_copy(
        true,
        command_queue,
        src_image,
        dst_buffer,
        src_origin,
        region,
        dst_offset,
        num_events_in_wait_list,
        event_wait_list,
        event,
    )
}

/// `clEnqueueCopyBufferToImage` (origin as for the image-to-buffer copy).
#[allow(clippy::too_many_arguments)]
pub fn enqueue_copy_buffer_to_image(
    command_queue: CommandQueue,
    src_buffer: Mem,
    dst_image: Mem,
    src_offset: usize,
    dst_origin: &[usize],
    region: &[usize; 3],
    num_events_in_wait_list: cl_uint,
    event_wait_list: Option<&[Event]>,
    event: Option<&mut Event>,
) -> Result<(), cl_int> {
    image_buffer_copy(
        false,
        command_queue,
        dst_image,
        src_buffer,
        dst_origin,
        region,
        src_offset,
        num_events_in_wait_list,
        event_wait_list,
        event,
    )
}

/// Host memory pitches of a read or write (0: packed), in the image type's
/// coordinates: a 1D array's layers are `slice_pitch` apart.
fn host_pitches(
    ty: ImageType,
    b: &ImageBox,
    e: u64,
    row_pitch: usize,
    slice_pitch: usize,
) -> Result<(u64, u64), cl_int> {
    let row = b.region[0] * e;
    let rp = if row_pitch == 0 {
        row
    } else {
        row_pitch as u64
    };
    if rp < row {
        return Err(CL_INVALID_VALUE);
    }
    match ty {
        ImageType::D1 | ImageType::D1Buffer | ImageType::D2 => {
            if slice_pitch != 0 {
                return Err(CL_INVALID_VALUE);
            }
            Ok((rp, rp * b.region[1]))
        }
        ImageType::D1Array => {
            let sp = if slice_pitch == 0 {
                rp
            } else {
                slice_pitch as u64
            };
            if sp < rp {
                return Err(CL_INVALID_VALUE);
            }
            // Layers are the rows of the type's coordinates.
            Ok((sp, sp * b.region[1]))
        }
        ImageType::D2Array | ImageType::D3 => {
            let sp = if slice_pitch == 0 {
                rp * b.region[1]
            } else {
                slice_pitch as u64
            };
            if sp < rp * b.region[1] {
                return Err(CL_INVALID_VALUE);
            }
            Ok((rp, sp))
        }
    }
}

#[allow(clippy::too_many_arguments)]
unsafe fn image_transfer(
    ty: cl_command_type,
    command_queue: CommandQueue,
    image_: Mem,
    blocking: bool,
    origin: &[usize],
    region: &[usize; 3],
    row_pitch: usize,
    slice_pitch: usize,
    ptr: *mut u8,
    num: cl_uint,
    list: Option<&[Event]>,
    event: Option<&mut Event>,
) -> Result<(), cl_int> {
    let read = ty == CL_COMMAND_READ_IMAGE;
    let mut h = head(command_queue, &[image_], num, list)?;
    let img = image(h.objects.remove(0))?;
    let b = image_box(&img, origin, region)?;
    let info = img.image.as_ref().unwrap();
    let e = info.element_size();
    let (hrp, hsp) = host_pitches(info.dims.ty, &b, e, row_pitch, slice_pitch)?;
    if ptr.is_null() {
        return Err(CL_INVALID_VALUE);
    }
    let waits = h.waits.events()?;
    let (image_side, size) = image_region(&img, &b)?;
    host_may(&img, read)?;
    let host_len = linear_extent(size, hrp, hsp).ok_or(CL_INVALID_VALUE)?;
    let host = (ptr as *const u8, host_len);
    host_box_transfer(
        &h.q,
        ty,
        waits,
        blocking,
        event,
        image_side,
        host,
        (hrp, hsp),
        size,
        read,
    )
}

/// `clEnqueueReadImage`.
///
/// # Safety
/// `ptr` holds the region at the given pitches, writable until the
/// command completes.
#[allow(clippy::too_many_arguments)]
pub unsafe fn enqueue_read_image(
    command_queue: CommandQueue,
    image_: Mem,
    blocking_read: bool,
    origin: &[usize],
    region: &[usize; 3],
    row_pitch: usize,
    slice_pitch: usize,
    ptr: *mut u8,
    num_events_in_wait_list: cl_uint,
    event_wait_list: Option<&[Event]>,
    event: Option<&mut Event>,
) -> Result<(), cl_int> {
    image_transfer(
        CL_COMMAND_READ_IMAGE,
        command_queue,
        image_,
        blocking_read,
        origin,
        region,
        row_pitch,
        slice_pitch,
        ptr,
        num_events_in_wait_list,
        event_wait_list,
        event,
    )
}

/// `clEnqueueWriteImage`.
///
/// # Safety
/// `ptr` holds the region at the given pitches, readable until the command
/// completes.
#[allow(clippy::too_many_arguments)]
pub unsafe fn enqueue_write_image(
    command_queue: CommandQueue,
    image_: Mem,
    blocking_write: bool,
    origin: &[usize],
    region: &[usize; 3],
    input_row_pitch: usize,
    input_slice_pitch: usize,
    ptr: *const u8,
    num_events_in_wait_list: cl_uint,
    event_wait_list: Option<&[Event]>,
    event: Option<&mut Event>,
) -> Result<(), cl_int> {
    image_transfer(
        CL_COMMAND_WRITE_IMAGE,
        command_queue,
        image_,
        blocking_write,
        origin,
        region,
        input_row_pitch,
        input_slice_pitch,
        ptr as *mut u8,
        num_events_in_wait_list,
        event_wait_list,
        event,
    )
}

/// `clEnqueueCopyImage`.
#[allow(clippy::too_many_arguments)]
pub fn enqueue_copy_image(
    command_queue: CommandQueue,
    src_image: Mem,
    dst_image: Mem,
    src_origin: &[usize],
    dst_origin: &[usize],
    region: &[usize; 3],
    num_events_in_wait_list: cl_uint,
    event_wait_list: Option<&[Event]>,
    event: Option<&mut Event>,
) -> Result<(), cl_int> {
    let mut h = head(
        command_queue,
        &[src_image, dst_image],
        num_events_in_wait_list,
        event_wait_list,
    )?;
    let src = image(h.objects.remove(0))?;
    let dst = image(h.objects.remove(0))?;
    let (si, di) = (src.image.as_ref().unwrap(), dst.image.as_ref().unwrap());
    if !super::image::same_format(&si.format, &di.format) {
        return Err(CL_IMAGE_FORMAT_MISMATCH);
    }
    let sb = image_box(&src, src_origin, region)?;
    let db = image_box(&dst, dst_origin, region)?;
    let waits = h.waits.events()?;
    if Arc::ptr_eq(&src, &dst)
        && sb.level == db.level
        && (0..3).all(|i| {
            sb.origin[i] < db.origin[i] + db.region[i] && db.origin[i] < sb.origin[i] + sb.region[i]
        })
    {
        return Err(CL_MEM_COPY_OVERLAP);
    }
    let (from, size) = image_region(&src, &sb)?;
    let (to, _) = image_region(&dst, &db)?;
    let card = h.q.context.card.clone();
    let plan = box_copies(&card, from, to, size, src.aliases(&dst))?;
    let work = Box::new(move || plan.run(&card).map_err(|_| CL_OUT_OF_RESOURCES));
    h.q.submit(CL_COMMAND_COPY_IMAGE, waits, false, event, work)
        .map(|_| ())
}

/// `clEnqueueFillImage`: `fill_color` is the `float[4]`, `int[4]` or
/// `uint[4]` the channel type asks for, as bytes.
#[allow(clippy::too_many_arguments)]
pub fn enqueue_fill_image(
    command_queue: CommandQueue,
    image_: Mem,
    fill_color: Option<&[u8; 16]>,
    origin: &[usize],
    region: &[usize; 3],
    num_events_in_wait_list: cl_uint,
    event_wait_list: Option<&[Event]>,
    event: Option<&mut Event>,
) -> Result<(), cl_int> {
    let mut h = head(
        command_queue,
        &[image_],
        num_events_in_wait_list,
        event_wait_list,
    )?;
    let img = image(h.objects.remove(0))?;
    let color = fill_color.ok_or(CL_INVALID_VALUE)?;
    let b = image_box(&img, origin, region)?;
    let waits = h.waits.events()?;
    let (dst, size) = image_region(&img, &b)?;
    let info = img.image.as_ref().unwrap();
    let element = pack_fill_color(&info.format, color).ok_or(CL_INVALID_VALUE)?;
    let card = h.q.context.card.clone();
    // One row of elements; the card replays it for every row and slice.
    let block = pattern_block(&card, &element, size[0])?;
    let mut c = crate::Copy3d::region(
        &View::linear(block.iova(), 0, 0),
        [0; 3],
        &dst.view,
        dst.origin,
        size,
    )
    .map_err(|_| CL_INVALID_VALUE)?;
    c.src_row_pitch = 0;
    c.src_slice_pitch = 0;
    let work = Box::new(move || {
        let _block = block;
        run_copies(&card, &[c])
    });
    h.q.submit(CL_COMMAND_FILL_IMAGE, waits, false, event, work)
        .map(|_| ())
}
