//! Contexts: `clCreateContext`, retain, release, queries. A context holds
//! the card; memory objects, queues and events belong to one context, and
//! calls compare contexts by identity.

use super::destructor::{Destructor, Destructors};
use super::handle::{self, Context, DeviceId, Object};
use super::platform::{card, valid_device};
use crate::Device;
use opencl_sys::{cl_int, cl_uint, CL_INVALID_CONTEXT, CL_INVALID_DEVICE, CL_INVALID_VALUE};
use std::sync::Arc;

/// A context's body.
pub(crate) struct ContextObj {
    pub(crate) handle: Context,
    pub(crate) devices: Vec<DeviceId>,
    pub(crate) card: Arc<Device>,
    pub(crate) destructors: Destructors,
}

impl ContextObj {
    /// Whether two contexts are the same one.
    pub(crate) fn same(a: &Arc<ContextObj>, b: &Arc<ContextObj>) -> bool {
        Arc::ptr_eq(a, b)
    }
}

/// The live context behind `c`.
pub(crate) fn context(c: Context) -> Option<Arc<ContextObj>> {
    match handle::lookup(c.0) {
        Some(Object::Context(c)) => Some(c),
        _ => None,
    }
}

/// `clCreateContext` (no properties, no notification callback).
pub fn create_context(devices: &[DeviceId]) -> Result<Context, cl_int> {
    if devices.is_empty() {
        return Err(CL_INVALID_VALUE);
    }
    if !devices.iter().all(|&d| valid_device(d)) {
        return Err(CL_INVALID_DEVICE);
    }
    let card = card()?;
    let h = handle::register_with(|h| {
        Object::Context(Arc::new(ContextObj {
            handle: Context(h),
            devices: devices.to_vec(),
            card,
            destructors: Destructors::default(),
        }))
    });
    Ok(Context(h))
}

/// `clRetainContext`.
pub fn retain_context(c: Context) -> Result<(), cl_int> {
    match context(c) {
        Some(_) if handle::retain(c.0) => Ok(()),
        _ => Err(CL_INVALID_CONTEXT),
    }
}

/// `clReleaseContext`.
pub fn release_context(c: Context) -> Result<(), cl_int> {
    context(c).ok_or(CL_INVALID_CONTEXT)?;
    handle::release(c.0).map_err(|_| CL_INVALID_CONTEXT)?;
    Ok(())
}

/// `CL_CONTEXT_REFERENCE_COUNT`.
pub fn context_reference_count(c: Context) -> Result<cl_uint, cl_int> {
    context(c).ok_or(CL_INVALID_CONTEXT)?;
    handle::ref_count(c.0).ok_or(CL_INVALID_CONTEXT)
}

/// `CL_CONTEXT_DEVICES`.
pub fn context_devices(c: Context) -> Result<Vec<DeviceId>, cl_int> {
    Ok(context(c).ok_or(CL_INVALID_CONTEXT)?.devices.clone())
}

/// `clSetContextDestructorCallback`: `f` runs once the context is gone
/// (released, and no object of it left).
pub fn set_context_destructor_callback(c: Context, f: Destructor) -> Result<(), cl_int> {
    context(c).ok_or(CL_INVALID_CONTEXT)?.destructors.push(f);
    Ok(())
}
