//! Destructor callbacks (`clSetMemObjectDestructorCallback`,
//! `clSetContextDestructorCallback`): run when the object's body is
//! dropped — after the last release *and* after the last command using it —
//! in the reverse order of registration, as the specification asks.

use std::sync::Mutex;

/// A callback the application registered (its `user_data` inside).
pub type Destructor = Box<dyn FnOnce() + Send>;

/// The callbacks of one object.
#[derive(Default)]
pub(crate) struct Destructors(Mutex<Vec<Destructor>>);

impl Destructors {
    pub(crate) fn push(&self, f: Destructor) {
        self.0.lock().unwrap().push(f);
    }
}

/// The owner is being dropped (this is its last field, so the rest of it is
/// gone already): run the callbacks, latest first.
impl Drop for Destructors {
    fn drop(&mut self) {
        let fs = std::mem::take(self.0.get_mut().unwrap());
        for f in fs.into_iter().rev() {
            f();
        }
    }
}
