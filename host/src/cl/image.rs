//! Images: `clCreateImage` for every type, where each level's bytes lie in
//! the image's storage, and `clGetImageInfo`.
//!
//! Images in card memory are tiled the way the card does best — 2D images
//! and 2D arrays Tile4, 3D images Y, 1D kinds linear — and placed by the
//! contract's [`Surface`] rules (mip levels one after another). Images in
//! host memory (`CL_MEM_ALLOC_HOST_PTR`) are linear so that maps can return
//! pointers into them; `CL_MEM_USE_HOST_PTR` images use the application's
//! pitches; 1D image buffers are their buffer's bytes.
//!
//! Commands address an image in its type's coordinates (x; then y or the
//! layer; then z or the layer): [`ImageObj::view`] gives a [`View`] whose
//! rows and slices are exactly those, so a 1D array's layers are its rows.

use super::context::context;
use super::format::{element_size, is_known, is_supported};
use super::handle::{Context, Mem};
use super::image_box::{ImageDims, ImageType};
use super::mem::{
    check_host_ptr, check_mem_flags, inherit_flags, mem, new_storage, register_mem, run_copies,
    used_host_ptr, MemObj,
};
use super::platform::LIMITS;
use crate::{Copy3d, View};
use opencl_sys::{
    cl_image_format, cl_int, cl_mem_flags, cl_mem_object_type, cl_uint,
    CL_IMAGE_FORMAT_NOT_SUPPORTED, CL_INVALID_CONTEXT, CL_INVALID_HOST_PTR,
    CL_INVALID_IMAGE_DESCRIPTOR, CL_INVALID_IMAGE_FORMAT_DESCRIPTOR, CL_INVALID_IMAGE_SIZE,
    CL_INVALID_MEM_OBJECT, CL_INVALID_VALUE, CL_MEM_ALLOC_HOST_PTR, CL_MEM_COPY_HOST_PTR,
    CL_MEM_OBJECT_IMAGE1D, CL_MEM_OBJECT_IMAGE1D_ARRAY, CL_MEM_OBJECT_IMAGE1D_BUFFER,
    CL_MEM_OBJECT_IMAGE2D, CL_MEM_OBJECT_IMAGE2D_ARRAY, CL_MEM_OBJECT_IMAGE3D, CL_MEM_USE_HOST_PTR,
};
use tiledma_contract::surface::{Format, ImageKind, Surface};
use tiledma_contract::tiling::Tiling;

/// `cl_image_desc`, with the buffer of a 1D image buffer as a handle.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct ImageDesc {
    /// `CL_MEM_OBJECT_IMAGE*`.
    pub image_type: cl_mem_object_type,
    /// Width in pixels.
    pub width: usize,
    /// Height (2D, 2D array, 3D).
    pub height: usize,
    /// Depth (3D).
    pub depth: usize,
    /// Layers (arrays).
    pub array_size: usize,
    /// Row pitch of `host_ptr` (0: computed).
    pub row_pitch: usize,
    /// Slice pitch of `host_ptr` (0: computed).
    pub slice_pitch: usize,
    /// Mip levels (`cl_khr_mipmap_image`; 0 means 1).
    pub num_mip_levels: cl_uint,
    /// Must be 0.
    pub num_samples: cl_uint,
    /// The buffer of a 1D image buffer.
    pub buffer: Mem,
}

impl ImageDesc {
    /// A description of `image_type` with the given sizes (unused sizes 0).
    pub fn new(image_type: cl_mem_object_type, width: usize, height: usize, depth: usize) -> Self {
        ImageDesc {
            image_type,
            width,
            height,
            depth,
            array_size: 0,
            row_pitch: 0,
            slice_pitch: 0,
            num_mip_levels: 0,
            num_samples: 0,
            buffer: Mem::null(),
        }
    }
}

/// One mip level's place in the storage (offset from the object's start).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) struct Level {
    pub(crate) offset: u64,
    pub(crate) tiling: Tiling,
    pub(crate) row_pitch: u64,
    pub(crate) slice_pitch: u64,
}

/// Whether two formats are the same.
pub(crate) fn same_format(a: &cl_image_format, b: &cl_image_format) -> bool {
    a.image_channel_order == b.image_channel_order
        && a.image_channel_data_type == b.image_channel_data_type
}

/// The image part of a memory object.
pub(crate) struct ImageObj {
    pub(crate) desc: ImageDesc,
    pub(crate) format: cl_image_format,
    pub(crate) dims: ImageDims,
    pub(crate) levels: Vec<Level>,
}

impl ImageObj {
    /// Bytes per pixel.
    pub(crate) fn element_size(&self) -> u64 {
        self.dims.element_size
    }

    /// Level `level` as a surface in the type's coordinates, its byte 0 at
    /// `base` + the level's offset.
    pub(crate) fn view(&self, base: u64, level: u32) -> View {
        let l = self.levels[level as usize];
        let layers_are_rows = self.dims.ty == ImageType::D1Array;
        View {
            base: base + l.offset,
            tiling: l.tiling,
            row_pitch: if layers_are_rows {
                l.slice_pitch
            } else {
                l.row_pitch
            },
            slice_pitch: l.slice_pitch,
        }
    }
}

fn image_type(t: cl_mem_object_type) -> Option<ImageType> {
    Some(match t {
        CL_MEM_OBJECT_IMAGE1D => ImageType::D1,
        CL_MEM_OBJECT_IMAGE1D_BUFFER => ImageType::D1Buffer,
        CL_MEM_OBJECT_IMAGE1D_ARRAY => ImageType::D1Array,
        CL_MEM_OBJECT_IMAGE2D => ImageType::D2,
        CL_MEM_OBJECT_IMAGE2D_ARRAY => ImageType::D2Array,
        CL_MEM_OBJECT_IMAGE3D => ImageType::D3,
        _ => return None,
    })
}

fn kind(t: ImageType) -> ImageKind {
    match t {
        ImageType::D1 => ImageKind::D1,
        ImageType::D1Buffer => ImageKind::D1Buffer,
        ImageType::D1Array => ImageKind::D1Array,
        ImageType::D2 => ImageKind::D2,
        ImageType::D2Array => ImageKind::D2Array,
        ImageType::D3 => ImageKind::D3,
    }
}

/// The sizes of `desc` as [`ImageDims`] (`CL_INVALID_IMAGE_SIZE` for zero
/// or too large sizes of the dimensions the type uses).
fn dims(desc: &ImageDesc, ty: ImageType, element_size: u64) -> Result<ImageDims, cl_int> {
    let (w, h, d, a) = (
        desc.width as u64,
        desc.height as u64,
        desc.depth as u64,
        desc.array_size as u64,
    );
    let l = LIMITS;
    let ok = match ty {
        ImageType::D1 => (1..=l.image2d_max).contains(&w),
        ImageType::D1Buffer => (1..=l.image_max_buffer_size).contains(&w),
        ImageType::D1Array => {
            (1..=l.image2d_max).contains(&w) && (1..=l.image_max_array_size).contains(&a)
        }
        ImageType::D2 => (1..=l.image2d_max).contains(&w) && (1..=l.image2d_max).contains(&h),
        ImageType::D2Array => {
            (1..=l.image2d_max).contains(&w)
                && (1..=l.image2d_max).contains(&h)
                && (1..=l.image_max_array_size).contains(&a)
        }
        ImageType::D3 => [w, h, d].iter().all(|&v| (1..=l.image3d_max).contains(&v)),
    };
    if !ok {
        return Err(CL_INVALID_IMAGE_SIZE);
    }
    let two_d = matches!(ty, ImageType::D2 | ImageType::D2Array | ImageType::D3);
    let layered = matches!(ty, ImageType::D1Array | ImageType::D2Array);
    Ok(ImageDims {
        ty,
        width: w,
        height: if two_d { h } else { 1 },
        depth: if ty == ImageType::D3 { d } else { 1 },
        array_size: if layered { a } else { 1 },
        mip_levels: desc.num_mip_levels.max(1),
        element_size,
    })
}

/// `clCreateImage`.
///
/// # Safety
/// With `CL_MEM_USE_HOST_PTR` or `CL_MEM_COPY_HOST_PTR`, `host_ptr` points
/// to the image laid out with the description's pitches; with
/// `CL_MEM_USE_HOST_PTR` it stays valid while the image lives.
pub unsafe fn create_image(
    c: Context,
    flags: cl_mem_flags,
    format: Option<&cl_image_format>,
    desc: Option<&ImageDesc>,
    host_ptr: *mut u8,
) -> Result<Mem, cl_int> {
    let ctx = context(c).ok_or(CL_INVALID_CONTEXT)?;
    let given = flags;
    let mut flags = check_mem_flags(flags)?;
    let desc = desc.ok_or(CL_INVALID_IMAGE_DESCRIPTOR)?;
    let ty = image_type(desc.image_type).ok_or(CL_INVALID_IMAGE_DESCRIPTOR)?;
    // A 1D image buffer takes its buffer's access where it gives none and
    // may not widen it.
    let buffer = if ty == ImageType::D1Buffer {
        let b = mem(desc.buffer)
            .filter(|b| b.is_buffer())
            .ok_or(CL_INVALID_IMAGE_DESCRIPTOR)?;
        if flags & (CL_MEM_USE_HOST_PTR | CL_MEM_ALLOC_HOST_PTR | CL_MEM_COPY_HOST_PTR) != 0 {
            return Err(CL_INVALID_VALUE);
        }
        flags = inherit_flags(b.flags, given)?;
        Some(b)
    } else {
        None
    };
    let format = format
        .filter(|f| is_known(f))
        .ok_or(CL_INVALID_IMAGE_FORMAT_DESCRIPTOR)?;
    let e = element_size(format);
    if desc.num_samples != 0
        || (ty != ImageType::D1Buffer && !desc.buffer.as_raw().is_null())
        || (host_ptr.is_null() && (desc.row_pitch != 0 || desc.slice_pitch != 0))
    {
        return Err(CL_INVALID_IMAGE_DESCRIPTOR);
    }
    let es = e.unwrap_or(1);
    let dims = dims(desc, ty, es)?;
    // Pitches of host_ptr: given ones hold a row (a slice) and are whole pixels.
    let row_bytes = dims.width * es;
    let row_pitch = if desc.row_pitch == 0 {
        row_bytes
    } else {
        desc.row_pitch as u64
    };
    let rows = if ty == ImageType::D1Array {
        1
    } else {
        dims.height
    };
    let slice_pitch = if desc.slice_pitch == 0 {
        row_pitch * rows
    } else {
        desc.slice_pitch as u64
    };
    if row_pitch < row_bytes
        || !row_pitch.is_multiple_of(es)
        || slice_pitch < row_pitch * rows
        || !slice_pitch.is_multiple_of(row_pitch)
    {
        return Err(CL_INVALID_IMAGE_DESCRIPTOR);
    }
    let largest = dims.width.max(dims.height).max(dims.depth);
    if dims.mip_levels > 64 - largest.leading_zeros()
        || (dims.mip_levels > 1 && ty == ImageType::D1Buffer)
    {
        return Err(CL_INVALID_IMAGE_DESCRIPTOR);
    }
    if ty == ImageType::D1Buffer {
        let b = buffer.as_ref().unwrap();
        if row_bytes > b.size {
            return Err(CL_INVALID_IMAGE_SIZE);
        }
    }
    check_host_ptr(flags, host_ptr)?;
    if !host_ptr.is_null() && dims.mip_levels > 1 {
        return Err(CL_INVALID_HOST_PTR);
    }
    if !is_supported(format) {
        return Err(CL_IMAGE_FORMAT_NOT_SUPPORTED);
    }
    let slices = if ty == ImageType::D3 {
        dims.depth
    } else {
        dims.array_size
    };
    let image_obj = |levels| ImageObj {
        desc: ImageDesc {
            row_pitch: row_pitch as usize,
            slice_pitch: if matches!(ty, ImageType::D1Array | ImageType::D2Array | ImageType::D3) {
                slice_pitch as usize
            } else {
                0
            },
            num_mip_levels: desc.num_mip_levels,
            ..*desc
        },
        format: *format,
        dims,
        levels,
    };
    if let Some(b) = buffer {
        let img = image_obj(vec![Level {
            offset: 0,
            tiling: Tiling::Linear,
            row_pitch,
            slice_pitch,
        }]);
        return Ok(register_mem(|handle| MemObj {
            parent: Some(b.clone()),
            image: Some(img),
            ..MemObj::new(handle, ctx, flags, row_bytes, b.storage.clone(), b.offset)
        }));
    }
    let (levels, len) = if flags & CL_MEM_USE_HOST_PTR != 0 {
        let level = Level {
            offset: 0,
            tiling: Tiling::Linear,
            row_pitch,
            slice_pitch,
        };
        (vec![level], slice_pitch * slices)
    } else {
        let tiling = if flags & CL_MEM_ALLOC_HOST_PTR != 0 {
            Tiling::Linear
        } else {
            kind(ty).card_tiling()
        };
        let surface = Surface {
            kind: kind(ty),
            format: Format::element(es as u32),
            width: dims.width as u32,
            height: dims.height as u32,
            depth: dims.depth as u32,
            layers: dims.array_size as u32,
            levels: dims.mip_levels,
            tiling,
        };
        surface.validate().map_err(|_| CL_INVALID_IMAGE_SIZE)?;
        let levels = (0..dims.mip_levels)
            .map(|l| {
                let s = surface.level(l);
                Level {
                    offset: s.offset,
                    tiling: s.tiling,
                    row_pitch: s.row_pitch,
                    slice_pitch: s.slice_pitch,
                }
            })
            .collect();
        (levels, surface.total_bytes())
    };
    let img = image_obj(levels);
    let storage = new_storage(&ctx.card, flags, len, host_ptr, |s, src| {
        // host_ptr in the description's pitches → level 0.
        let from = View::linear(
            src,
            if ty == ImageType::D1Array {
                slice_pitch
            } else {
                row_pitch
            },
            slice_pitch,
        );
        let extent = dims.level_extent(0);
        let c = Copy3d::region(
            &from,
            [0; 3],
            &img.view(s.addr()?, 0),
            [0; 3],
            [extent[0] * es, extent[1], extent[2]],
        )
        .map_err(|_| CL_INVALID_IMAGE_SIZE)?;
        run_copies(&ctx.card, &[c])
    })?;
    Ok(register_mem(|handle| MemObj {
        host_ptr: used_host_ptr(flags, host_ptr),
        image: Some(img),
        ..MemObj::new(handle, ctx, flags, len, storage, 0)
    }))
}

/// What `clGetImageInfo` reports.
#[derive(Clone, Copy, Debug)]
pub struct ImageInfo {
    /// `CL_IMAGE_FORMAT`.
    pub format: cl_image_format,
    /// `CL_IMAGE_ELEMENT_SIZE`.
    pub element_size: usize,
    /// `CL_IMAGE_ROW_PITCH`.
    pub row_pitch: usize,
    /// `CL_IMAGE_SLICE_PITCH`.
    pub slice_pitch: usize,
    /// `CL_IMAGE_WIDTH`.
    pub width: usize,
    /// `CL_IMAGE_HEIGHT` (0 for 1D kinds).
    pub height: usize,
    /// `CL_IMAGE_DEPTH` (0 unless 3D).
    pub depth: usize,
    /// `CL_IMAGE_ARRAY_SIZE` (0 unless an array).
    pub array_size: usize,
    /// `CL_IMAGE_NUM_MIP_LEVELS`.
    pub num_mip_levels: cl_uint,
    /// `CL_IMAGE_BUFFER`.
    pub buffer: Mem,
}

/// `clGetImageInfo`, every query at once.
pub fn image_info(image: Mem) -> Result<ImageInfo, cl_int> {
    let m = mem(image).ok_or(CL_INVALID_MEM_OBJECT)?;
    let i = m.image.as_ref().ok_or(CL_INVALID_MEM_OBJECT)?;
    let (row_pitch, slice_pitch) = {
        let l = i.levels[0];
        let arrays_or_3d = matches!(
            i.dims.ty,
            ImageType::D1Array | ImageType::D2Array | ImageType::D3
        );
        (l.row_pitch, if arrays_or_3d { l.slice_pitch } else { 0 })
    };
    let d = &i.desc;
    let two_d = matches!(
        i.dims.ty,
        ImageType::D2 | ImageType::D2Array | ImageType::D3
    );
    Ok(ImageInfo {
        format: i.format,
        element_size: i.element_size() as usize,
        row_pitch: row_pitch as usize,
        slice_pitch: slice_pitch as usize,
        width: d.width,
        height: if two_d { d.height } else { 0 },
        depth: if i.dims.ty == ImageType::D3 {
            d.depth
        } else {
            0
        },
        array_size: if matches!(i.dims.ty, ImageType::D1Array | ImageType::D2Array) {
            d.array_size
        } else {
            0
        },
        num_mip_levels: d.num_mip_levels,
        buffer: if i.dims.ty == ImageType::D1Buffer {
            d.buffer
        } else {
            Mem::null()
        },
    })
}

/// `clGetSupportedImageFormats`.
pub fn get_supported_image_formats(
    c: Context,
    flags: cl_mem_flags,
    image_type: cl_mem_object_type,
) -> Result<Vec<cl_image_format>, cl_int> {
    context(c).ok_or(CL_INVALID_CONTEXT)?;
    check_mem_flags(flags)?;
    image_type_ok(image_type)?;
    Ok(super::format::supported_formats())
}

fn image_type_ok(t: cl_mem_object_type) -> Result<(), cl_int> {
    image_type(t).map(|_| ()).ok_or(CL_INVALID_VALUE)
}
