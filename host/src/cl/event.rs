//! OpenCL events: command events (queued → submitted → running →
//! complete, or a negative error), user events, callbacks, waits.

use super::context::{context, ContextObj};
use super::handle::{self, CommandQueue, Context, Event, Object};
use opencl_sys::{
    cl_command_type, cl_int, cl_profiling_info, cl_uint, CL_COMMAND_USER, CL_COMPLETE,
    CL_EXEC_STATUS_ERROR_FOR_EVENTS_IN_WAIT_LIST, CL_INVALID_CONTEXT, CL_INVALID_EVENT,
    CL_INVALID_OPERATION, CL_INVALID_VALUE, CL_PROFILING_COMMAND_COMPLETE,
    CL_PROFILING_COMMAND_END, CL_PROFILING_COMMAND_QUEUED, CL_PROFILING_COMMAND_START,
    CL_PROFILING_COMMAND_SUBMIT, CL_PROFILING_INFO_NOT_AVAILABLE, CL_RUNNING, CL_SUBMITTED,
};
use std::sync::{Arc, Condvar, Mutex};

/// A status callback: gets the event and the status it fired for (or the
/// error the command ended with).
pub type EventCallback = Box<dyn FnOnce(Event, cl_int) + Send>;

struct State {
    status: cl_int,
    callbacks: Vec<(cl_int, EventCallback)>,
    /// When the event reached queued, submitted, running, complete (ns of
    /// the device clock: the host's monotonic clock since the first event).
    times: [u64; 4],
}

/// The device timer: nanoseconds since the process made its first event.
fn now_ns() -> u64 {
    static EPOCH: std::sync::OnceLock<std::time::Instant> = std::sync::OnceLock::new();
    EPOCH
        .get_or_init(std::time::Instant::now)
        .elapsed()
        .as_nanos() as u64
}

/// An event's body.
pub(crate) struct EventObj {
    pub(crate) handle: Event,
    pub(crate) context: Arc<ContextObj>,
    pub(crate) queue: Option<CommandQueue>,
    pub(crate) command_type: cl_command_type,
    /// Whether its queue had `CL_QUEUE_PROFILING_ENABLE`.
    profiling: bool,
    state: Mutex<State>,
    changed: Condvar,
}

impl EventObj {
    /// Registers a new event in status `status`.
    pub(crate) fn create(
        context: Arc<ContextObj>,
        queue: Option<CommandQueue>,
        command_type: cl_command_type,
        profiling: bool,
        status: cl_int,
    ) -> Arc<EventObj> {
        let t = now_ns();
        let mut body = None;
        handle::register_with(|h| {
            let e = Arc::new(EventObj {
                handle: Event(h),
                context,
                queue,
                command_type,
                profiling,
                state: Mutex::new(State {
                    status,
                    callbacks: Vec::new(),
                    times: [t, 0, 0, 0],
                }),
                changed: Condvar::new(),
            });
            body = Some(e.clone());
            Object::Event(e)
        });
        body.expect("registered")
    }

    /// The execution status now.
    pub(crate) fn status(&self) -> cl_int {
        self.state.lock().unwrap().status
    }

    /// Moves to `status` (a later state, or an error) and runs the
    /// callbacks that became due, outside the lock.
    pub(crate) fn set_status(&self, status: cl_int) {
        let due: Vec<_> = {
            let mut s = self.state.lock().unwrap();
            if s.status <= CL_COMPLETE {
                return; // finished states are final
            }
            s.status = status;
            // A finished command passed every earlier state, even one it
            // skipped (a failed wait list never runs).
            let t = now_ns();
            let reached = [CL_SUBMITTED, CL_RUNNING, CL_COMPLETE];
            for (i, at) in reached.iter().enumerate() {
                if status <= *at && s.times[i + 1] == 0 {
                    s.times[i + 1] = t;
                }
            }
            let (due, keep) = std::mem::take(&mut s.callbacks)
                .into_iter()
                .partition(|(at, _)| status <= *at);
            s.callbacks = keep;
            due
        };
        self.changed.notify_all();
        for (at, f) in due {
            f(self.handle, if status < 0 { status } else { at });
        }
    }

    /// Blocks until the event is complete or failed; returns the final status.
    pub(crate) fn wait(&self) -> cl_int {
        let mut s = self.state.lock().unwrap();
        while s.status > CL_COMPLETE {
            s = self.changed.wait(s).unwrap();
        }
        s.status
    }

    fn add_callback(&self, at: cl_int, f: EventCallback) {
        let mut s = self.state.lock().unwrap();
        if s.status <= at {
            let status = s.status;
            drop(s);
            f(self.handle, if status < 0 { status } else { at });
        } else {
            s.callbacks.push((at, f));
        }
    }
}

/// The live event behind `e`.
pub(crate) fn event(e: Event) -> Option<Arc<EventObj>> {
    match handle::lookup(e.0) {
        Some(Object::Event(e)) => Some(e),
        _ => None,
    }
}

/// `clCreateUserEvent`: an event the application completes.
pub fn create_user_event(c: Context) -> Result<Event, cl_int> {
    let ctx = context(c).ok_or(CL_INVALID_CONTEXT)?;
    Ok(EventObj::create(ctx, None, CL_COMMAND_USER, false, CL_SUBMITTED).handle)
}

/// `clSetUserEventStatus`: `CL_COMPLETE` or a negative error, once.
pub fn set_user_event_status(e: Event, status: cl_int) -> Result<(), cl_int> {
    let ev = event(e)
        .filter(|ev| ev.command_type == CL_COMMAND_USER)
        .ok_or(CL_INVALID_EVENT)?;
    if status > CL_COMPLETE {
        return Err(CL_INVALID_VALUE);
    }
    if ev.status() <= CL_COMPLETE {
        return Err(CL_INVALID_OPERATION);
    }
    ev.set_status(status);
    Ok(())
}

/// `clSetEventCallback` for `CL_SUBMITTED`, `CL_RUNNING` or `CL_COMPLETE`.
pub fn set_event_callback(e: Event, at: cl_int, f: EventCallback) -> Result<(), cl_int> {
    let ev = event(e).ok_or(CL_INVALID_EVENT)?;
    if ![CL_SUBMITTED, CL_RUNNING, CL_COMPLETE].contains(&at) {
        return Err(CL_INVALID_VALUE);
    }
    ev.add_callback(at, f);
    Ok(())
}

/// `clWaitForEvents`.
pub fn wait_for_events(events: &[Event]) -> Result<(), cl_int> {
    if events.is_empty() {
        return Err(CL_INVALID_VALUE);
    }
    let evs = events
        .iter()
        .map(|&e| event(e).ok_or(CL_INVALID_EVENT))
        .collect::<Result<Vec<_>, _>>()?;
    if evs
        .iter()
        .any(|e| !ContextObj::same(&e.context, &evs[0].context))
    {
        return Err(CL_INVALID_CONTEXT);
    }
    let mut failed = false;
    for e in &evs {
        failed |= e.wait() < 0;
    }
    if failed {
        Err(CL_EXEC_STATUS_ERROR_FOR_EVENTS_IN_WAIT_LIST)
    } else {
        Ok(())
    }
}

/// `CL_EVENT_COMMAND_EXECUTION_STATUS`.
pub fn event_status(e: Event) -> Result<cl_int, cl_int> {
    Ok(event(e).ok_or(CL_INVALID_EVENT)?.status())
}

/// `CL_EVENT_COMMAND_TYPE`.
pub fn event_command_type(e: Event) -> Result<cl_command_type, cl_int> {
    Ok(event(e).ok_or(CL_INVALID_EVENT)?.command_type)
}

/// `CL_EVENT_COMMAND_QUEUE` (NULL for user events).
pub fn event_queue(e: Event) -> Result<CommandQueue, cl_int> {
    Ok(event(e)
        .ok_or(CL_INVALID_EVENT)?
        .queue
        .unwrap_or(CommandQueue::null()))
}

/// `CL_EVENT_CONTEXT`.
pub fn event_context(e: Event) -> Result<Context, cl_int> {
    Ok(event(e).ok_or(CL_INVALID_EVENT)?.context.handle)
}

/// `CL_EVENT_REFERENCE_COUNT`.
pub fn event_reference_count(e: Event) -> Result<cl_uint, cl_int> {
    handle::ref_count(e.0)
        .filter(|_| event(e).is_some())
        .ok_or(CL_INVALID_EVENT)
}

/// `clRetainEvent`.
pub fn retain_event(e: Event) -> Result<(), cl_int> {
    match event(e) {
        Some(_) if handle::retain(e.0) => Ok(()),
        _ => Err(CL_INVALID_EVENT),
    }
}

/// `clReleaseEvent`.
pub fn release_event(e: Event) -> Result<(), cl_int> {
    event(e).ok_or(CL_INVALID_EVENT)?;
    handle::release(e.0).map_err(|_| CL_INVALID_EVENT)?;
    Ok(())
}

/// `clGetEventProfilingInfo`: `CL_PROFILING_COMMAND_QUEUED`, `_SUBMIT`,
/// `_START`, `_END` or `_COMPLETE` of a complete command of a profiling queue.
pub fn event_profiling_info(e: Event, param: cl_profiling_info) -> Result<u64, cl_int> {
    let ev = event(e).ok_or(CL_INVALID_EVENT)?;
    let index = match param {
        CL_PROFILING_COMMAND_QUEUED => 0,
        CL_PROFILING_COMMAND_SUBMIT => 1,
        CL_PROFILING_COMMAND_START => 2,
        // No child commands: complete is end.
        CL_PROFILING_COMMAND_END | CL_PROFILING_COMMAND_COMPLETE => 3,
        _ => return Err(CL_INVALID_VALUE),
    };
    let s = ev.state.lock().unwrap();
    if !ev.profiling || s.status != CL_COMPLETE {
        return Err(CL_PROFILING_INFO_NOT_AVAILABLE);
    }
    Ok(s.times[index])
}
