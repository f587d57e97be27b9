//! OpenCL object handles: what `cl_context`, `cl_command_queue`, `cl_mem`
//! and `cl_event` point at, and how a call tells a live handle from a stale
//! or foreign one.
//!
//! Every object gets a small header allocation whose address is the handle
//! (its first word is reserved for the ICD dispatch table, so an installable
//! client driver can hand the same pointers to the loader). A registry maps
//! live addresses to the objects with their reference counts; a handle whose
//! count has dropped to zero leaves the registry, so later calls see
//! `CL_INVALID_*`. Headers are never freed: a stale handle can never alias a
//! new object (a 16-byte cost per object ever created).
//!
//! The object bodies are reference counted separately (`Arc`): commands in
//! flight keep the memory objects and events they use alive after the
//! application releases them, as the specification asks.

use super::context::ContextObj;
use super::event::EventObj;
use super::mem::MemObj;
use super::queue::QueueObj;
use opencl_sys::cl_uint;
use std::any::Any;
use std::collections::HashMap;
use std::ffi::c_void;
use std::sync::atomic::AtomicPtr;
use std::sync::{Arc, LazyLock, Mutex};

/// The first bytes of every object: the ICD dispatch table pointer.
#[repr(C)]
struct Header {
    dispatch: AtomicPtr<c_void>,
}

impl Header {
    /// A new header with the current dispatch table; its address is the handle.
    fn leak() -> usize {
        let h = Box::leak(Box::new(Header {
            dispatch: AtomicPtr::new(DISPATCH.load(std::sync::atomic::Ordering::Relaxed)),
        }));
        h as *mut Header as usize
    }
}

/// A live object.
#[derive(Clone)]
pub(crate) enum Object {
    Context(Arc<ContextObj>),
    Queue(Arc<QueueObj>),
    Mem(Arc<MemObj>),
    Event(Arc<EventObj>),
    /// An object of a front end that exists only at the API (see [`api`]).
    Api(Arc<dyn Any + Send + Sync>),
}

struct Entry {
    refs: cl_uint,
    object: Object,
}

static REGISTRY: LazyLock<Mutex<HashMap<usize, Entry>>> = LazyLock::new(Default::default);

/// The dispatch table every new header gets (set once by an ICD front end).
static DISPATCH: AtomicPtr<c_void> = AtomicPtr::new(std::ptr::null_mut());

/// Sets the ICD dispatch table stored in every object created from now on.
pub fn set_dispatch_table(table: *mut c_void) {
    DISPATCH.store(table, std::sync::atomic::Ordering::Relaxed);
}

/// The two objects that live for the whole process: the platform and its
/// one device (their reference counts are not counted, as for root devices).
pub(crate) fn static_handle(which: usize) -> usize {
    static HEADERS: LazyLock<[usize; 2]> = LazyLock::new(|| [Header::leak(), Header::leak()]);
    HEADERS[which]
}

/// Registers the object `make` builds around its new handle, with a
/// reference count of 1, and returns the handle.
pub(crate) fn register_with(make: impl FnOnce(usize) -> Object) -> usize {
    let addr = Header::leak();
    let object = make(addr);
    REGISTRY
        .lock()
        .unwrap()
        .insert(addr, Entry { refs: 1, object });
    addr
}

/// The object behind `handle`, if it is live.
pub(crate) fn lookup(handle: usize) -> Option<Object> {
    REGISTRY
        .lock()
        .unwrap()
        .get(&handle)
        .map(|e| e.object.clone())
}

/// Adds a reference; `false` if the handle is not live.
pub(crate) fn retain(handle: usize) -> bool {
    match REGISTRY.lock().unwrap().get_mut(&handle) {
        Some(e) => {
            e.refs += 1;
            true
        }
        None => false,
    }
}

/// Drops a reference; returns the object when that was the last one (the
/// handle is dead from then on), `Err(())` if the handle is not live.
pub(crate) fn release(handle: usize) -> Result<Option<Object>, ()> {
    let mut r = REGISTRY.lock().unwrap();
    let e = r.get_mut(&handle).ok_or(())?;
    e.refs -= 1;
    if e.refs == 0 {
        Ok(r.remove(&handle).map(|e| e.object))
    } else {
        Ok(None)
    }
}

/// The reference count of a live handle.
pub(crate) fn ref_count(handle: usize) -> Option<cl_uint> {
    REGISTRY.lock().unwrap().get(&handle).map(|e| e.refs)
}

/// Objects a front end keeps that the card never sees (the ICD's programs
/// and samplers), in the same registry as the rest: one header layout with
/// the dispatch table, one space of handles, one reference count rule.
/// Every call is typed, so a handle of another kind is not found.
pub mod api {
    use super::Object;
    use std::any::Any;
    use std::sync::Arc;

    /// Registers `obj` with a reference count of 1; returns its handle.
    pub fn register<T: Any + Send + Sync>(obj: T) -> usize {
        super::register_with(|_| Object::Api(Arc::new(obj)))
    }

    /// The live `T` behind `handle`.
    pub fn get<T: Any + Send + Sync>(handle: usize) -> Option<Arc<T>> {
        match super::lookup(handle) {
            Some(Object::Api(o)) => o.downcast().ok(),
            _ => None,
        }
    }

    /// The reference count of a live `T`.
    pub fn ref_count<T: Any + Send + Sync>(handle: usize) -> Option<u32> {
        get::<T>(handle).and(super::ref_count(handle))
    }

    /// Adds a reference to a live `T`; `false` otherwise.
    pub fn retain<T: Any + Send + Sync>(handle: usize) -> bool {
        get::<T>(handle).is_some() && super::retain(handle)
    }

    /// Drops a reference to a live `T`: `None` if there is none, else
    /// `Some` of the object when that was the last reference.
    pub fn release<T: Any + Send + Sync>(handle: usize) -> Option<Option<Arc<T>>> {
        get::<T>(handle)?;
        match super::release(handle).ok()? {
            Some(Object::Api(o)) => Some(o.downcast().ok()),
            _ => Some(None),
        }
    }
}

/// Declares a handle type: a copyable wrapper of the object's address.
macro_rules! handle_type {
    ($(#[$doc:meta])* $name:ident) => {
        $(#[$doc])*
        #[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
        pub struct $name(pub(crate) usize);

        impl $name {
            /// The C handle.
            pub fn as_raw(self) -> *mut std::ffi::c_void {
                self.0 as *mut std::ffi::c_void
            }
            /// Wraps a C handle. Any value is accepted; calls check it.
            pub fn from_raw(raw: *mut std::ffi::c_void) -> Self {
                Self(raw as usize)
            }
            /// The NULL handle.
            pub fn null() -> Self {
                Self(0)
            }
        }
    };
}

handle_type!(
    /// A `cl_platform_id`.
    PlatformId
);
handle_type!(
    /// A `cl_device_id`.
    DeviceId
);
handle_type!(
    /// A `cl_context`.
    Context
);
handle_type!(
    /// A `cl_command_queue`.
    CommandQueue
);
handle_type!(
    /// A `cl_mem`: buffer, sub-buffer or image.
    Mem
);
handle_type!(
    /// A `cl_event`.
    Event
);
