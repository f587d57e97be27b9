//! Objects that exist only at the API, never on the card (programs,
//! samplers): kept in `tiledma::cl`'s handle registry (`handle::api`), so
//! they share its headers, dispatch table and reference counting; each
//! holds a reference to its context while it lives.

use std::ffi::c_void;
use std::marker::PhantomData;
use std::sync::Arc;
use tiledma::cl::handle::api;
use tiledma::cl::{self, Context};

/// What every local object keeps: the context it belongs to.
pub trait InContext {
    fn context(&self) -> Context;
}

/// The handles of one kind of local object.
pub struct Registry<T>(PhantomData<fn() -> T>);

impl<T: InContext + Send + Sync + 'static> Registry<T> {
    pub const fn new() -> Self {
        Registry(PhantomData)
    }

    /// Registers `obj` (reference count 1; it retains its context).
    pub fn create(&self, obj: T) -> *mut c_void {
        let _ = cl::retain_context(obj.context());
        api::register(obj) as *mut c_void
    }

    pub fn get(&self, h: *mut c_void) -> Option<Arc<T>> {
        api::get(h as usize)
    }

    pub fn ref_count(&self, h: *mut c_void) -> Option<u32> {
        api::ref_count::<T>(h as usize)
    }

    pub fn retain(&self, h: *mut c_void) -> bool {
        api::retain::<T>(h as usize)
    }

    /// Drops a reference; the last one releases the context too.
    pub fn release(&self, h: *mut c_void) -> bool {
        match api::release::<T>(h as usize) {
            Some(Some(obj)) => {
                let _ = cl::release_context(obj.context());
                true
            }
            Some(None) => true,
            None => false,
        }
    }
}
