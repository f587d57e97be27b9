//! Command queues: each runs its commands one after another on a worker
//! thread, each after its wait list; a command's work submits card
//! commands and waits for their completions. Also the argument plumbing
//! every enqueue call shares: the queue, the wait list, the returned event,
//! blocking.
//!
//! Out-of-order queues are accepted and run in order, which the
//! specification allows (the property permits reordering, never requires it).

use super::context::{context, ContextObj};
use super::event::{event, EventObj};
use super::handle::{self, CommandQueue, Context, DeviceId, Event, Mem, Object};
use super::mem::mem;
use opencl_sys::{
    cl_command_queue_properties, cl_command_type, cl_int, cl_mem_migration_flags, cl_uint,
    CL_COMMAND_BARRIER, CL_COMMAND_MARKER, CL_COMMAND_MIGRATE_MEM_OBJECTS, CL_COMPLETE,
    CL_EXEC_STATUS_ERROR_FOR_EVENTS_IN_WAIT_LIST, CL_INVALID_COMMAND_QUEUE, CL_INVALID_CONTEXT,
    CL_INVALID_DEVICE, CL_INVALID_EVENT_WAIT_LIST, CL_INVALID_MEM_OBJECT,
    CL_INVALID_QUEUE_PROPERTIES, CL_INVALID_VALUE, CL_MIGRATE_MEM_OBJECT_CONTENT_UNDEFINED,
    CL_MIGRATE_MEM_OBJECT_HOST, CL_QUEUED, CL_QUEUE_ON_DEVICE, CL_QUEUE_ON_DEVICE_DEFAULT,
    CL_QUEUE_OUT_OF_ORDER_EXEC_MODE_ENABLE, CL_QUEUE_PROFILING_ENABLE, CL_RUNNING, CL_SUBMITTED,
};
use std::sync::mpsc::{channel, Sender};
use std::sync::{Arc, Mutex};

/// What a command does once its wait list is complete.
pub(crate) type Work = Box<dyn FnOnce() -> Result<(), cl_int> + Send>;

struct Job {
    event: Arc<EventObj>,
    waits: Vec<Arc<EventObj>>,
    work: Work,
}

/// A queue's body.
pub(crate) struct QueueObj {
    pub(crate) handle: CommandQueue,
    pub(crate) context: Arc<ContextObj>,
    pub(crate) device: DeviceId,
    pub(crate) properties: cl_command_queue_properties,
    jobs: Mutex<Option<Sender<Job>>>,
}

/// The live queue behind `q` (`CL_INVALID_COMMAND_QUEUE` otherwise).
pub(crate) fn queue(q: CommandQueue) -> Result<Arc<QueueObj>, cl_int> {
    match handle::lookup(q.0) {
        Some(Object::Queue(q)) => Ok(q),
        _ => Err(CL_INVALID_COMMAND_QUEUE),
    }
}

/// `clCreateCommandQueue`.
pub fn create_command_queue(
    c: Context,
    device: DeviceId,
    properties: cl_command_queue_properties,
) -> Result<CommandQueue, cl_int> {
    let ctx = context(c).ok_or(CL_INVALID_CONTEXT)?;
    if !ctx.devices.contains(&device) {
        return Err(CL_INVALID_DEVICE);
    }
    let known = CL_QUEUE_OUT_OF_ORDER_EXEC_MODE_ENABLE
        | CL_QUEUE_PROFILING_ENABLE
        | CL_QUEUE_ON_DEVICE
        | CL_QUEUE_ON_DEVICE_DEFAULT;
    if properties & !known != 0 {
        return Err(CL_INVALID_VALUE);
    }
    if properties & (CL_QUEUE_ON_DEVICE | CL_QUEUE_ON_DEVICE_DEFAULT) != 0 {
        // A copy engine runs no kernels: no device-side queues.
        return Err(CL_INVALID_QUEUE_PROPERTIES);
    }
    let (tx, rx) = channel::<Job>();
    let h = handle::register_with(|h| {
        Object::Queue(Arc::new(QueueObj {
            handle: CommandQueue(h),
            context: ctx,
            device,
            properties,
            jobs: Mutex::new(Some(tx)),
        }))
    });
    std::thread::Builder::new()
        .name(format!("tiledma-queue-{h:x}"))
        .spawn(move || {
            for job in rx {
                run(job);
            }
        })
        .map_err(|_| opencl_sys::CL_OUT_OF_HOST_MEMORY)?;
    Ok(CommandQueue(h))
}

/// One command: wait for the list, then work, reporting each state.
fn run(job: Job) {
    let ev = job.event;
    ev.set_status(CL_SUBMITTED);
    let mut failed = false;
    for w in &job.waits {
        failed |= w.wait() < 0;
    }
    if failed {
        ev.set_status(CL_EXEC_STATUS_ERROR_FOR_EVENTS_IN_WAIT_LIST);
        return;
    }
    ev.set_status(CL_RUNNING);
    match (job.work)() {
        Ok(()) => ev.set_status(CL_COMPLETE),
        Err(e) => ev.set_status(e),
    }
}

/// `clRetainCommandQueue`.
pub fn retain_command_queue(q: CommandQueue) -> Result<(), cl_int> {
    queue(q)?;
    if handle::retain(q.0) {
        Ok(())
    } else {
        Err(CL_INVALID_COMMAND_QUEUE)
    }
}

/// `clReleaseCommandQueue`: at the last reference the queue stops taking
/// commands; those already queued still run (an implicit flush).
pub fn release_command_queue(q: CommandQueue) -> Result<(), cl_int> {
    queue(q)?;
    match handle::release(q.0) {
        Ok(Some(Object::Queue(obj))) => {
            // Dropping the sender ends the worker after its last job.
            obj.jobs.lock().unwrap().take();
            Ok(())
        }
        Ok(_) => Ok(()),
        Err(()) => Err(CL_INVALID_COMMAND_QUEUE),
    }
}

/// `CL_QUEUE_CONTEXT`, `CL_QUEUE_DEVICE`, `CL_QUEUE_PROPERTIES`, `CL_QUEUE_REFERENCE_COUNT`.
pub fn command_queue_info(
    q: CommandQueue,
) -> Result<(Context, DeviceId, cl_command_queue_properties, cl_uint), cl_int> {
    let o = queue(q)?;
    Ok((
        o.context.handle,
        o.device,
        o.properties,
        handle::ref_count(q.0).unwrap_or(0),
    ))
}

/// A wait list as given: its events if it is well formed and every event
/// is live, and whether any live event is of another context.
pub(crate) struct WaitList {
    events: Option<Vec<Arc<EventObj>>>,
    pub(crate) foreign: bool,
}

impl WaitList {
    /// Reads `num` events from `list` (the C pair).
    pub(crate) fn parse(q: &QueueObj, num: cl_uint, list: Option<&[Event]>) -> Self {
        let given: Option<&[Event]> = match list {
            None if num == 0 => Some(&[]),
            Some(l) if num > 0 && l.len() >= num as usize => Some(&l[..num as usize]),
            _ => None,
        };
        let live: Vec<Option<Arc<EventObj>>> = given
            .unwrap_or(list.unwrap_or(&[]))
            .iter()
            .map(|&e| event(e))
            .collect();
        let foreign = live
            .iter()
            .flatten()
            .any(|e| !ContextObj::same(&e.context, &q.context));
        let events = given.and_then(|_| live.into_iter().collect::<Option<Vec<_>>>());
        WaitList { events, foreign }
    }

    /// The events, or `CL_INVALID_EVENT_WAIT_LIST`.
    pub(crate) fn events(self) -> Result<Vec<Arc<EventObj>>, cl_int> {
        self.events.ok_or(CL_INVALID_EVENT_WAIT_LIST)
    }
}

impl QueueObj {
    /// Queues `work` as a command of `command_type` after `waits`; returns
    /// the event to the application through `event` (or drops it), and
    /// with `blocking` waits for the command: an error status is returned
    /// (`CL_EXEC_STATUS_ERROR_FOR_EVENTS_IN_WAIT_LIST` when a wait-list
    /// event failed).
    pub(crate) fn submit(
        &self,
        command_type: cl_command_type,
        waits: Vec<Arc<EventObj>>,
        blocking: bool,
        event: Option<&mut Event>,
        work: Work,
    ) -> Result<Arc<EventObj>, cl_int> {
        let ev = EventObj::create(
            self.context.clone(),
            Some(self.handle),
            command_type,
            self.properties & CL_QUEUE_PROFILING_ENABLE != 0,
            CL_QUEUED,
        );
        let tx = self
            .jobs
            .lock()
            .unwrap()
            .clone()
            .ok_or(CL_INVALID_COMMAND_QUEUE)?;
        tx.send(Job {
            event: ev.clone(),
            waits,
            work,
        })
        .map_err(|_| CL_INVALID_COMMAND_QUEUE)?;
        match event {
            Some(out) => *out = ev.handle,
            None => {
                let _ = handle::release(ev.handle.0);
            }
        }
        if blocking {
            let status = ev.wait();
            if status < 0 {
                return Err(status);
            }
        }
        Ok(ev)
    }
}

/// `clEnqueueMarkerWithWaitList`: completes when the wait list (or, with
/// none, every earlier command of the queue) has.
pub fn enqueue_marker_with_wait_list(
    q: CommandQueue,
    num_events_in_wait_list: cl_uint,
    event_wait_list: Option<&[Event]>,
    event: Option<&mut Event>,
) -> Result<(), cl_int> {
    sync_point(
        CL_COMMAND_MARKER,
        q,
        num_events_in_wait_list,
        event_wait_list,
        event,
    )
}

/// `clEnqueueBarrierWithWaitList`: later commands wait for it (in an
/// in-order queue they wait for everything before anyway).
pub fn enqueue_barrier_with_wait_list(
    q: CommandQueue,
    num_events_in_wait_list: cl_uint,
    event_wait_list: Option<&[Event]>,
    event: Option<&mut Event>,
) -> Result<(), cl_int> {
    sync_point(
        CL_COMMAND_BARRIER,
        q,
        num_events_in_wait_list,
        event_wait_list,
        event,
    )
}

fn sync_point(
    ty: cl_command_type,
    q: CommandQueue,
    num: cl_uint,
    list: Option<&[Event]>,
    event: Option<&mut Event>,
) -> Result<(), cl_int> {
    let q = queue(q)?;
    let waits = WaitList::parse(&q, num, list);
    if waits.foreign {
        return Err(CL_INVALID_CONTEXT);
    }
    let waits = waits.events()?;
    q.submit(ty, waits, false, event, Box::new(|| Ok(())))?;
    Ok(())
}

/// `clEnqueueMigrateMemObjects`: one device, so the objects are always
/// where its commands need them; the command orders like a marker.
pub fn enqueue_migrate_mem_objects(
    q: CommandQueue,
    num_mem_objects: cl_uint,
    mem_objects: Option<&[Mem]>,
    flags: cl_mem_migration_flags,
    num_events_in_wait_list: cl_uint,
    event_wait_list: Option<&[Event]>,
    event: Option<&mut Event>,
) -> Result<(), cl_int> {
    let q = queue(q)?;
    let objects = match mem_objects {
        Some(m) if num_mem_objects > 0 && m.len() >= num_mem_objects as usize => {
            &m[..num_mem_objects as usize]
        }
        _ => return Err(CL_INVALID_VALUE),
    };
    let objects = objects
        .iter()
        .map(|&m| mem(m).ok_or(CL_INVALID_MEM_OBJECT))
        .collect::<Result<Vec<_>, _>>()?;
    let waits = WaitList::parse(&q, num_events_in_wait_list, event_wait_list);
    if waits.foreign
        || objects
            .iter()
            .any(|m| !ContextObj::same(&m.context, &q.context))
    {
        return Err(CL_INVALID_CONTEXT);
    }
    let known = CL_MIGRATE_MEM_OBJECT_HOST | CL_MIGRATE_MEM_OBJECT_CONTENT_UNDEFINED;
    if flags & !known != 0 {
        return Err(CL_INVALID_VALUE);
    }
    let waits = waits.events()?;
    q.submit(
        CL_COMMAND_MIGRATE_MEM_OBJECTS,
        waits,
        false,
        event,
        Box::new(move || {
            drop(objects);
            Ok(())
        }),
    )?;
    Ok(())
}

/// `clFlush`: commands go to the worker as they are queued.
pub fn flush(q: CommandQueue) -> Result<(), cl_int> {
    queue(q).map(|_| ())
}

/// `clFinish`: waits for every command queued so far.
pub fn finish(q: CommandQueue) -> Result<(), cl_int> {
    let q = queue(q)?;
    let ev = q.submit(
        CL_COMMAND_MARKER,
        Vec::new(),
        false,
        None,
        Box::new(|| Ok(())),
    )?;
    ev.wait();
    Ok(())
}
