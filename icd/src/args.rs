//! C arguments to the Rust API's: wait lists, event out-parameters,
//! `errcode_ret`, origin/region triples.

use opencl_sys::{cl_event, cl_int, cl_uint, CL_SUCCESS};
use tiledma::cl::Event;

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

/// A `const size_t[3]` origin; NULL becomes an origin out of every image,
/// so the API reports `CL_INVALID_VALUE` where its range check stands.
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
