//! Objects that exist only at the API, never on the card (programs,
//! samplers): a handle whose first word is the dispatch table, a registry
//! of live handles with reference counts, and the context each holds a
//! reference to.

use std::collections::HashMap;
use std::ffi::c_void;
use std::sync::{Arc, LazyLock, Mutex};
use tiledma::cl::{self, Context};

#[repr(C)]
struct Header {
    dispatch: *const c_void,
}

/// Live handles: reference count and object.
type Live<T> = HashMap<usize, (u32, Arc<T>)>;

/// A registry of one kind of local object.
pub struct Registry<T> {
    live: LazyLock<Mutex<Live<T>>>,
}

/// What every local object keeps: the context it belongs to.
pub trait InContext {
    fn context(&self) -> Context;
}

impl<T: InContext> Registry<T> {
    pub const fn new() -> Self {
        Registry {
            live: LazyLock::new(Default::default),
        }
    }

    /// Registers `obj` (reference count 1; it retains its context) and
    /// returns its handle. Headers are never freed, so handles never repeat.
    pub fn create(&self, obj: T) -> *mut c_void {
        let _ = cl::retain_context(obj.context());
        let h = Box::leak(Box::new(Header {
            dispatch: crate::dispatch::table(),
        })) as *mut Header as usize;
        self.live.lock().unwrap().insert(h, (1, Arc::new(obj)));
        h as *mut c_void
    }

    pub fn get(&self, h: *mut c_void) -> Option<Arc<T>> {
        self.live
            .lock()
            .unwrap()
            .get(&(h as usize))
            .map(|e| e.1.clone())
    }

    pub fn ref_count(&self, h: *mut c_void) -> Option<u32> {
        self.live.lock().unwrap().get(&(h as usize)).map(|e| e.0)
    }

    pub fn retain(&self, h: *mut c_void) -> bool {
        match self.live.lock().unwrap().get_mut(&(h as usize)) {
            Some(e) => {
                e.0 += 1;
                true
            }
            None => false,
        }
    }

    /// Drops a reference; the last one releases the context too.
    pub fn release(&self, h: *mut c_void) -> bool {
        let gone = {
            let mut live = self.live.lock().unwrap();
            let Some(e) = live.get_mut(&(h as usize)) else {
                return false;
            };
            e.0 -= 1;
            if e.0 == 0 {
                live.remove(&(h as usize))
            } else {
                None
            }
        };
        if let Some((_, obj)) = gone {
            let _ = cl::release_context(obj.context());
        }
        true
    }
}
