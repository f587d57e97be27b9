//! C arguments to the Rust API's: wait lists, event out-parameters,
//! `errcode_ret`, origin/region triples.

use opencl_sys::{
    cl_event, cl_int, cl_mem, cl_uint, CL_MEM_OBJECT_IMAGE2D_ARRAY, CL_MEM_OBJECT_IMAGE3D,
    CL_SUCCESS,
};
use tiledma::cl::{self, Event, Mem};

/// A C wait list as the Rust API takes it: `None` for NULL, else the
/// `num` events (none when `num` is 0, so the API sees the mismatch).
///
/// # Safety
/// `list` is NULL or points to `num` events.
pub unsafe fn wait_list(num: cl_uint, list: *const cl_event) -> Option<Vec<Event>> {
    if list.is_null() {
        return None;
    }
    Some(
        (0..num as usize)
            .map(|i| Event::from_raw(*list.add(i)))
            .collect(),
    )
}

/// Runs `f` with the event out-parameter and writes the event through
/// `event` (when not NULL) on success.
///
/// # Safety
/// `event` is NULL or writable.
pub unsafe fn with_event<T>(
    event: *mut cl_event,
    f: impl FnOnce(Option<&mut Event>) -> Result<T, cl_int>,
) -> Result<T, cl_int> {
    let mut e = Event::null();
    let r = f(if event.is_null() { None } else { Some(&mut e) });
    if r.is_ok() && !event.is_null() {
        *event = e.as_raw();
    }
    r
}

/// The code of a call that returns `cl_int`.
pub fn code(r: Result<(), cl_int>) -> cl_int {
    r.err().unwrap_or(CL_SUCCESS)
}

/// The value of a call that returns an object (NULL on error), with the
/// code through `errcode_ret`.
///
/// # Safety
/// `errcode_ret` is NULL or writable.
pub unsafe fn object<T>(r: Result<T, cl_int>, errcode_ret: *mut cl_int, null: T) -> T {
    let (v, c) = match r {
        Ok(v) => (v, CL_SUCCESS),
        Err(e) => (null, e),
    };
    if !errcode_ret.is_null() {
        *errcode_ret = c;
    }
    v
}

/// A `const size_t[3]` origin; NULL becomes an origin out of every image
/// and buffer (its offset overflows), so the API reports `CL_INVALID_VALUE`
/// where its range check stands.
///
/// # Safety
/// `p` is NULL or points to 3 values.
pub unsafe fn origin(p: *const usize) -> [usize; 3] {
    if p.is_null() {
        [usize::MAX; 3]
    } else {
        [*p, *p.add(1), *p.add(2)]
    }
}

/// An image call's origin: `size_t[3]`, or `size_t[4]` for a mipmapped 2D
/// image array or 3D image, whose `origin[3]` is the mip level
/// (`cl_khr_mipmap_image`); the fourth element is read only then, so a
/// caller's 3-element array is never over-read.
///
/// # Safety
/// `p` is NULL or points to the elements the image type calls for.
pub unsafe fn image_origin(image: cl_mem, p: *const usize) -> Vec<usize> {
    let mut o = origin(p).to_vec();
    let mip_level_fourth = cl::image_info(Mem::from_raw(image)).is_ok_and(|i| {
        i.num_mip_levels > 1
            && cl::mem_info(Mem::from_raw(image)).is_ok_and(|m| {
                matches!(
                    m.mem_type,
                    CL_MEM_OBJECT_IMAGE2D_ARRAY | CL_MEM_OBJECT_IMAGE3D
                )
            })
    });
    if mip_level_fourth && !p.is_null() {
        o.push(*p.add(3));
    }
    o
}

/// A `const size_t[3]` region; NULL becomes an empty region
/// (`CL_INVALID_VALUE` where the API checks the region).
///
/// # Safety
/// `p` is NULL or points to 3 values.
pub unsafe fn region(p: *const usize) -> [usize; 3] {
    if p.is_null() {
        [0; 3]
    } else {
        [*p, *p.add(1), *p.add(2)]
    }
}
