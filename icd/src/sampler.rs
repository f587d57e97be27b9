//! Sampler objects: a device with image support has them (they describe
//! how kernels read images); the card runs no kernels, so a sampler is its
//! three settings and its queries.

use crate::args::object;
use crate::info::{reply, Value};
use crate::local::{InContext, Registry};
use opencl_sys::*;
use std::ffi::c_void;
use tiledma::cl::{self, Context};

pub struct Sampler {
    context: Context,
    normalized: cl_bool,
    addressing: cl_addressing_mode,
    filter: cl_filter_mode,
    /// The property list as given (`CL_SAMPLER_PROPERTIES`).
    properties: Vec<cl_sampler_properties>,
}

impl InContext for Sampler {
    fn context(&self) -> Context {
        self.context
    }
}

static SAMPLERS: Registry<Sampler> = Registry::new();

fn make(
    c: cl_context,
    normalized: cl_bool,
    addressing: cl_addressing_mode,
    filter: cl_filter_mode,
    properties: Vec<cl_sampler_properties>,
) -> Result<cl_sampler, cl_int> {
    let context = Context::from_raw(c);
    cl::context_devices(context)?;
    let addressing_ok = matches!(
        addressing,
        CL_ADDRESS_NONE
            | CL_ADDRESS_CLAMP_TO_EDGE
            | CL_ADDRESS_CLAMP
            | CL_ADDRESS_REPEAT
            | CL_ADDRESS_MIRRORED_REPEAT
    );
    let filter_ok = matches!(filter, CL_FILTER_NEAREST | CL_FILTER_LINEAR);
    if normalized > 1 || !addressing_ok || !filter_ok {
        return Err(CL_INVALID_VALUE);
    }
    Ok(SAMPLERS.create(Sampler {
        context,
        normalized,
        addressing,
        filter,
        properties,
    }))
}

pub unsafe extern "C" fn create(
    c: cl_context,
    normalized_coords: cl_bool,
    addressing_mode: cl_addressing_mode,
    filter_mode: cl_filter_mode,
    errcode_ret: *mut cl_int,
) -> cl_sampler {
    let r = make(
        c,
        normalized_coords,
        addressing_mode,
        filter_mode,
        Vec::new(),
    );
    object(r, errcode_ret, std::ptr::null_mut())
}

pub unsafe extern "C" fn create_with_properties(
    c: cl_context,
    properties: *const cl_sampler_properties,
    errcode_ret: *mut cl_int,
) -> cl_sampler {
    let r = (|| {
        let (mut normalized, mut addressing, mut filter) =
            (CL_TRUE, CL_ADDRESS_CLAMP, CL_FILTER_NEAREST);
        let mut all = Vec::new();
        let mut seen = Vec::new();
        let mut p = properties;
        while !p.is_null() && *p != 0 {
            let (name, value) = (*p, *p.add(1));
            all.extend([name, value]);
            if seen.contains(&name) {
                return Err(CL_INVALID_VALUE);
            }
            seen.push(name);
            match name as cl_sampler_info {
                CL_SAMPLER_NORMALIZED_COORDS => normalized = value as cl_bool,
                CL_SAMPLER_ADDRESSING_MODE => addressing = value as cl_addressing_mode,
                CL_SAMPLER_FILTER_MODE => filter = value as cl_filter_mode,
                _ => return Err(CL_INVALID_VALUE),
            }
            p = p.add(2);
        }
        if !properties.is_null() {
            all.push(0);
        }
        make(c, normalized, addressing, filter, all)
    })();
    object(r, errcode_ret, std::ptr::null_mut())
}

pub unsafe extern "C" fn retain(s: cl_sampler) -> cl_int {
    if SAMPLERS.retain(s) {
        CL_SUCCESS
    } else {
        CL_INVALID_SAMPLER
    }
}

pub unsafe extern "C" fn release(s: cl_sampler) -> cl_int {
    if SAMPLERS.release(s) {
        CL_SUCCESS
    } else {
        CL_INVALID_SAMPLER
    }
}

pub unsafe extern "C" fn get_info(
    s: cl_sampler,
    param_name: cl_sampler_info,
    size: usize,
    value: *mut c_void,
    size_ret: *mut usize,
) -> cl_int {
    let v = SAMPLERS.get(s).ok_or(CL_INVALID_SAMPLER).and_then(|o| {
        Ok(match param_name {
            CL_SAMPLER_REFERENCE_COUNT => Value::one(SAMPLERS.ref_count(s).unwrap_or(0)),
            CL_SAMPLER_CONTEXT => Value::one(o.context.as_raw()),
            CL_SAMPLER_NORMALIZED_COORDS => Value::one(o.normalized),
            CL_SAMPLER_ADDRESSING_MODE => Value::one(o.addressing),
            CL_SAMPLER_FILTER_MODE => Value::one(o.filter),
            CL_SAMPLER_PROPERTIES => Value::of(&o.properties),
            _ => return Err(CL_INVALID_VALUE),
        })
    });
    reply(v, size, value, size_ret)
}
