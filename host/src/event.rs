//! Events: one per submitted command; complete when its completion record
//! arrives. Wait on them, poll them, or register callbacks.

use std::sync::{Arc, Condvar, Mutex};
use std::time::Duration;
use tiledma_contract::{CompletionRecord, CompletionStatus};

/// How a command ended.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Completion {
    /// The status the firmware reported.
    pub status: CompletionStatus,
    /// The whole completion record.
    pub record: CompletionRecord,
}

impl Completion {
    /// Card cycles from the firmware fetching the command to its completion.
    pub fn firmware_cycles(&self) -> u64 {
        self.record.done_at - self.record.fetched_at
    }
}

type Callback = Box<dyn FnOnce(&Completion) + Send>;

struct Inner {
    cookie: u32,
    state: Mutex<(Option<Completion>, Vec<Callback>)>,
    done: Condvar,
}

/// A submitted command.
#[derive(Clone)]
pub struct Event(Arc<Inner>);

impl Event {
    pub(crate) fn new(cookie: u32) -> Self {
        Self(Arc::new(Inner {
            cookie,
            state: Mutex::new((None, Vec::new())),
            done: Condvar::new(),
        }))
    }

    /// The command's cookie (its identity on the wire).
    pub fn cookie(&self) -> u32 {
        self.0.cookie
    }

    /// The completion, if it has arrived.
    pub fn status(&self) -> Option<Completion> {
        self.0.state.lock().unwrap().0
    }

    /// Blocks until the command completes.
    pub fn wait(&self) -> Completion {
        let mut s = self.0.state.lock().unwrap();
        while s.0.is_none() {
            s = self.0.done.wait(s).unwrap();
        }
        s.0.unwrap()
    }

    /// Blocks until the command completes or `timeout` passes.
    pub fn wait_timeout(&self, timeout: Duration) -> Option<Completion> {
        let s = self.0.state.lock().unwrap();
        let (s, _) = self
            .0
            .done
            .wait_timeout_while(s, timeout, |s| s.0.is_none())
            .unwrap();
        s.0
    }

    /// Calls `f` once the command completes (at once if it already has).
    /// Callbacks run on the driver's completion thread, right after waiters
    /// are released: `wait` may return before a callback has run. Keep them
    /// short.
    pub fn on_complete(&self, f: impl FnOnce(&Completion) + Send + 'static) {
        let mut s = self.0.state.lock().unwrap();
        match s.0 {
            Some(c) => {
                drop(s);
                f(&c)
            }
            None => s.1.push(Box::new(f)),
        }
    }

    /// Marks the event complete and runs its callbacks (exactly once).
    pub(crate) fn complete(&self, c: Completion) {
        let callbacks = {
            let mut s = self.0.state.lock().unwrap();
            assert!(s.0.is_none(), "command {} completed twice", self.0.cookie);
            s.0 = Some(c);
            std::mem::take(&mut s.1)
        };
        self.0.done.notify_all();
        for f in callbacks {
            f(&c);
        }
    }
}
