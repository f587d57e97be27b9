//! The `clGet*Info` calling convention: a query's value as bytes, copied to
//! `param_value` when it is big enough, its size to `param_value_size_ret`.

use opencl_sys::{cl_int, cl_name_version, cl_version, CL_INVALID_VALUE, CL_SUCCESS};
use std::ffi::c_void;

/// A query's answer, as the bytes the C type has in memory.
#[derive(Clone)]
pub struct Value(Vec<u8>);

impl Value {
    /// Any plain C value or array of them (integers, handles, structs of those).
    pub fn of<T: Copy>(v: &[T]) -> Value {
        // SAFETY: T is Copy plain data; its bytes are read, not reinterpreted.
        let bytes = unsafe {
            std::slice::from_raw_parts(v.as_ptr().cast::<u8>(), std::mem::size_of_val(v))
        };
        Value(bytes.to_vec())
    }

    /// One value.
    pub fn one<T: Copy>(v: T) -> Value {
        Value::of(&[v])
    }

    /// A `cl_bool`.
    pub fn bool(b: bool) -> Value {
        Value::one(b as opencl_sys::cl_bool)
    }

    /// A `char[]` with its terminating NUL.
    pub fn str(s: &str) -> Value {
        let mut v = s.as_bytes().to_vec();
        v.push(0);
        Value(v)
    }

    /// Nothing (size 0: an empty property list).
    pub fn empty() -> Value {
        Value(Vec::new())
    }

    /// A `cl_name_version[]`.
    pub fn names(list: &[(&str, cl_version)]) -> Value {
        let v: Vec<cl_name_version> = list
            .iter()
            .map(|(name, version)| {
                let mut n = cl_name_version {
                    version: *version,
                    name: [0; opencl_sys::CL_NAME_VERSION_MAX_NAME_SIZE],
                };
                n.name[..name.len()].copy_from_slice(name.as_bytes());
                n
            })
            .collect();
        Value::of(&v)
    }

    /// Answers the query: `CL_INVALID_VALUE` if `param_value` is given and
    /// smaller than the value (nothing written then).
    ///
    /// # Safety
    /// `param_value` points to `param_value_size` writable bytes or is NULL;
    /// `param_value_size_ret` is writable or NULL.
    pub unsafe fn answer(
        &self,
        param_value_size: usize,
        param_value: *mut c_void,
        param_value_size_ret: *mut usize,
    ) -> cl_int {
        if !param_value.is_null() {
            if param_value_size < self.0.len() {
                return CL_INVALID_VALUE;
            }
            std::ptr::copy_nonoverlapping(self.0.as_ptr(), param_value.cast(), self.0.len());
        }
        if !param_value_size_ret.is_null() {
            *param_value_size_ret = self.0.len();
        }
        CL_SUCCESS
    }
}

/// Answers with `query`'s value, or returns its error.
///
/// # Safety
/// As [`Value::answer`].
pub unsafe fn reply(
    query: Result<Value, cl_int>,
    param_value_size: usize,
    param_value: *mut c_void,
    param_value_size_ret: *mut usize,
) -> cl_int {
    match query {
        Ok(v) => v.answer(param_value_size, param_value, param_value_size_ret),
        Err(e) => e,
    }
}
