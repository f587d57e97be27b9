//! Contexts, command queues, memory objects and events: creation with
//! their property lists, reference counts, callbacks and every
//! `clGet*Info` query, over `tiledma::cl`.

use crate::args::{code, object, wait_list};
use crate::info::{reply, Value};
use opencl_sys::*;
use std::collections::HashMap;
use std::ffi::{c_char, c_void};
use std::sync::{LazyLock, Mutex};
use tiledma::cl::{self, CommandQueue, Context, DeviceId, Event, ImageDesc, Mem, PlatformId};

/// Property lists as the application gave them, by handle, for the
/// `*_PROPERTIES` queries (handles are never reused, so entries of released
/// objects are never read again).
static PROPERTIES: LazyLock<Mutex<HashMap<usize, Value>>> = LazyLock::new(Default::default);

fn remember_properties(handle: *mut c_void, v: Value) {
    PROPERTIES.lock().unwrap().insert(handle as usize, v);
}

fn properties_of(handle: *mut c_void) -> Value {
    PROPERTIES
        .lock()
        .unwrap()
        .get(&(handle as usize))
        .cloned()
        .unwrap_or_else(Value::empty)
}

/// A zero-terminated property list as (name, value) pairs and the whole
/// list with its terminator (empty for NULL).
///
/// # Safety
/// `p` is NULL or a zero-terminated list of pairs.
unsafe fn property_pairs<T: Copy + Word>(p: *const T) -> (Vec<(i64, i64)>, Vec<T>) {
    let (mut pairs, mut all) = (Vec::new(), Vec::new());
    if p.is_null() {
        return (pairs, all);
    }
    let mut i = 0;
    loop {
        let name = *p.add(i);
        all.push(name);
        if name.word() == 0 {
            break;
        }
        let value = *p.add(i + 1);
        all.push(value);
        pairs.push((name.word(), value.word()));
        i += 2;
    }
    (pairs, all)
}

/// The property types (`intptr_t` or `cl_ulong` words) as one integer.
trait Word {
    fn word(self) -> i64;
}
impl Word for isize {
    fn word(self) -> i64 {
        self as i64
    }
}
impl Word for u64 {
    fn word(self) -> i64 {
        self as i64
    }
}

// ---------------------------------------------------------------- contexts

type ContextNotify = Option<unsafe extern "C" fn(*const c_char, *const c_void, usize, *mut c_void)>;

/// Checks context properties: the platform must be ours, names known and
/// given once.
unsafe fn context_properties(
    properties: *const cl_context_properties,
    pfn_notify: ContextNotify,
    user_data: *mut c_void,
) -> Result<(PlatformId, Vec<cl_context_properties>), cl_int> {
    let (pairs, all) = property_pairs(properties);
    let mut platform = PlatformId::null();
    let mut seen = Vec::new();
    for (name, value) in pairs {
        if seen.contains(&name) {
            return Err(CL_INVALID_PROPERTY);
        }
        seen.push(name);
        match name as cl_context_properties {
            CL_CONTEXT_PLATFORM => {
                platform = PlatformId::from_raw(value as isize as *mut c_void);
                if platform != cl::platform_id() {
                    return Err(CL_INVALID_PLATFORM);
                }
            }
            CL_CONTEXT_INTEROP_USER_SYNC if value == 0 || value == 1 => {}
            _ => return Err(CL_INVALID_PROPERTY),
        }
    }
    if pfn_notify.is_none() && !user_data.is_null() {
        return Err(CL_INVALID_VALUE);
    }
    Ok((platform, all))
}

/// `clCreateContext`. The card reports no errors asynchronously, so
/// `pfn_notify` is kept by no one: it would never be called.
pub unsafe extern "C" fn create_context(
    properties: *const cl_context_properties,
    num_devices: cl_uint,
    devices: *const cl_device_id,
    pfn_notify: ContextNotify,
    user_data: *mut c_void,
    errcode_ret: *mut cl_int,
) -> cl_context {
    let r = (|| {
        let (_, all) = context_properties(properties, pfn_notify, user_data)?;
        if devices.is_null() || num_devices == 0 {
            return Err(CL_INVALID_VALUE);
        }
        let list: Vec<DeviceId> = (0..num_devices as usize)
            .map(|i| DeviceId::from_raw(*devices.add(i)))
            .collect();
        let c = cl::create_context(&list)?;
        remember_properties(c.as_raw(), Value::of(&all));
        Ok(c.as_raw())
    })();
    object(r, errcode_ret, std::ptr::null_mut())
}

/// `clCreateContextFromType`.
pub unsafe extern "C" fn create_context_from_type(
    properties: *const cl_context_properties,
    device_type: cl_device_type,
    pfn_notify: ContextNotify,
    user_data: *mut c_void,
    errcode_ret: *mut cl_int,
) -> cl_context {
    let r = (|| {
        let (platform, all) = context_properties(properties, pfn_notify, user_data)?;
        let devices = cl::get_device_ids(platform, device_type)?;
        let c = cl::create_context(&devices)?;
        remember_properties(c.as_raw(), Value::of(&all));
        Ok(c.as_raw())
    })();
    object(r, errcode_ret, std::ptr::null_mut())
}

pub unsafe extern "C" fn retain_context(c: cl_context) -> cl_int {
    code(cl::retain_context(Context::from_raw(c)))
}

pub unsafe extern "C" fn release_context(c: cl_context) -> cl_int {
    code(cl::release_context(Context::from_raw(c)))
}

pub unsafe extern "C" fn get_context_info(
    c: cl_context,
    param_name: cl_context_info,
    size: usize,
    value: *mut c_void,
    size_ret: *mut usize,
) -> cl_int {
    let c = Context::from_raw(c);
    let q = (|| {
        let devices = cl::context_devices(c)?;
        Ok(match param_name {
            CL_CONTEXT_REFERENCE_COUNT => Value::one(cl::context_reference_count(c)?),
            CL_CONTEXT_NUM_DEVICES => Value::one(devices.len() as cl_uint),
            CL_CONTEXT_DEVICES => {
                Value::of(&devices.iter().map(|d| d.as_raw()).collect::<Vec<_>>())
            }
            CL_CONTEXT_PROPERTIES => properties_of(c.as_raw()),
            _ => return Err(CL_INVALID_VALUE),
        })
    })();
    reply(q, size, value, size_ret)
}

/// A C `user_data` pointer carried to another thread (the application
/// promises it may be used from the callback's thread).
#[derive(Clone, Copy)]
struct UserData(*mut c_void);
// SAFETY: only handed back to the application's own callback.
unsafe impl Send for UserData {}

pub unsafe extern "C" fn set_context_destructor_callback(
    c: cl_context,
    pfn_notify: Option<unsafe extern "C" fn(cl_context, *mut c_void)>,
    user_data: *mut c_void,
) -> cl_int {
    let c = Context::from_raw(c);
    if let Err(e) = cl::context_reference_count(c) {
        return e;
    }
    let Some(f) = pfn_notify else {
        return CL_INVALID_VALUE;
    };
    let data = UserData(user_data);
    code(cl::set_context_destructor_callback(
        c,
        Box::new(move || {
            let data = data;
            f(c.as_raw(), data.0)
        }),
    ))
}

// ------------------------------------------------------------------ queues

pub unsafe extern "C" fn create_command_queue(
    c: cl_context,
    device: cl_device_id,
    properties: cl_command_queue_properties,
    errcode_ret: *mut cl_int,
) -> cl_command_queue {
    let r = cl::create_command_queue(Context::from_raw(c), DeviceId::from_raw(device), properties)
        .map(|q| q.as_raw());
    object(r, errcode_ret, std::ptr::null_mut())
}

pub unsafe extern "C" fn create_command_queue_with_properties(
    c: cl_context,
    device: cl_device_id,
    properties: *const cl_queue_properties,
    errcode_ret: *mut cl_int,
) -> cl_command_queue {
    let r = (|| {
        let (pairs, all) = property_pairs(properties);
        let mut bits = 0;
        let mut size = false;
        for (name, value) in pairs {
            match name as cl_command_queue_info {
                CL_QUEUE_PROPERTIES => bits = value as cl_command_queue_properties,
                CL_QUEUE_SIZE => size = true,
                _ => return Err(CL_INVALID_VALUE),
            }
        }
        // CL_QUEUE_SIZE belongs to device queues, which the device refuses.
        if size && bits & CL_QUEUE_ON_DEVICE == 0 {
            cl::context_devices(Context::from_raw(c))?;
            return Err(CL_INVALID_VALUE);
        }
        let q = cl::create_command_queue(Context::from_raw(c), DeviceId::from_raw(device), bits)?;
        remember_properties(q.as_raw(), Value::of(&all));
        Ok(q.as_raw())
    })();
    object(r, errcode_ret, std::ptr::null_mut())
}

pub unsafe extern "C" fn retain_command_queue(q: cl_command_queue) -> cl_int {
    code(cl::retain_command_queue(CommandQueue::from_raw(q)))
}

pub unsafe extern "C" fn release_command_queue(q: cl_command_queue) -> cl_int {
    code(cl::release_command_queue(CommandQueue::from_raw(q)))
}

pub unsafe extern "C" fn get_command_queue_info(
    q: cl_command_queue,
    param_name: cl_command_queue_info,
    size: usize,
    value: *mut c_void,
    size_ret: *mut usize,
) -> cl_int {
    let q = CommandQueue::from_raw(q);
    let v = (|| {
        let (context, device, properties, refs) = cl::command_queue_info(q)?;
        Ok(match param_name {
            CL_QUEUE_CONTEXT => Value::one(context.as_raw()),
            CL_QUEUE_DEVICE => Value::one(device.as_raw()),
            CL_QUEUE_REFERENCE_COUNT => Value::one(refs),
            CL_QUEUE_PROPERTIES => Value::one(properties),
            CL_QUEUE_PROPERTIES_ARRAY => properties_of(q.as_raw()),
            // Host queues only: no default device queue.
            CL_QUEUE_DEVICE_DEFAULT => Value::one(std::ptr::null_mut::<c_void>()),
            CL_QUEUE_SIZE => return Err(CL_INVALID_COMMAND_QUEUE),
            _ => return Err(CL_INVALID_VALUE),
        })
    })();
    reply(v, size, value, size_ret)
}

/// OpenCL 1.0's `clSetCommandQueueProperty`, gone since 1.1: properties
/// are fixed at creation.
pub unsafe extern "C" fn set_command_queue_property(
    q: cl_command_queue,
    _properties: cl_command_queue_properties,
    _enable: cl_bool,
    _old: *mut cl_command_queue_properties,
) -> cl_int {
    match cl::command_queue_info(CommandQueue::from_raw(q)) {
        Ok(_) => CL_INVALID_OPERATION,
        Err(e) => e,
    }
}

pub unsafe extern "C" fn flush(q: cl_command_queue) -> cl_int {
    code(cl::flush(CommandQueue::from_raw(q)))
}

pub unsafe extern "C" fn finish(q: cl_command_queue) -> cl_int {
    code(cl::finish(CommandQueue::from_raw(q)))
}

// ---------------------------------------------------------- memory objects

/// Memory properties: the core API defines none, so any is unknown.
unsafe fn mem_properties(properties: *const cl_mem_properties) -> Result<Value, cl_int> {
    let (pairs, all) = property_pairs(properties);
    if !pairs.is_empty() {
        return Err(CL_INVALID_PROPERTY);
    }
    Ok(Value::of(&all))
}

pub unsafe extern "C" fn create_buffer(
    c: cl_context,
    flags: cl_mem_flags,
    size: usize,
    host_ptr: *mut c_void,
    errcode_ret: *mut cl_int,
) -> cl_mem {
    let r =
        cl::create_buffer(Context::from_raw(c), flags, size, host_ptr.cast()).map(|m| m.as_raw());
    object(r, errcode_ret, std::ptr::null_mut())
}

/// The `*WithProperties` calls: the context, the property list (empty:
/// none is defined), then the plain call; the list is kept for
/// `CL_MEM_PROPERTIES`.
unsafe fn with_mem_properties(
    c: cl_context,
    properties: *const cl_mem_properties,
    errcode_ret: *mut cl_int,
    create: impl FnOnce() -> Result<Mem, cl_int>,
) -> cl_mem {
    let r = (|| {
        cl::context_devices(Context::from_raw(c))?;
        let props = mem_properties(properties)?;
        let m = create()?;
        remember_properties(m.as_raw(), props);
        Ok(m.as_raw())
    })();
    object(r, errcode_ret, std::ptr::null_mut())
}

pub unsafe extern "C" fn create_buffer_with_properties(
    c: cl_context,
    properties: *const cl_mem_properties,
    flags: cl_mem_flags,
    size: usize,
    host_ptr: *mut c_void,
    errcode_ret: *mut cl_int,
) -> cl_mem {
    with_mem_properties(c, properties, errcode_ret, || {
        cl::create_buffer(Context::from_raw(c), flags, size, host_ptr.cast())
    })
}

pub unsafe extern "C" fn create_sub_buffer(
    buffer: cl_mem,
    flags: cl_mem_flags,
    create_type: cl_buffer_create_type,
    info: *const c_void,
    errcode_ret: *mut cl_int,
) -> cl_mem {
    let m = Mem::from_raw(buffer);
    let r = if create_type != CL_BUFFER_CREATE_TYPE_REGION || info.is_null() {
        // The buffer is checked first; then the type and its info.
        cl::mem_info(m).and(Err(CL_INVALID_VALUE))
    } else {
        let region = &*info.cast::<cl_buffer_region>();
        cl::create_sub_buffer(m, flags, region.origin, region.size).map(|m| m.as_raw())
    };
    object(r, errcode_ret, std::ptr::null_mut())
}

/// A C image description as the Rust API's.
unsafe fn image_desc(d: *const cl_image_desc) -> Option<ImageDesc> {
    let d = d.cast::<_cl_image_desc>().as_ref()?;
    Some(ImageDesc {
        image_type: d.image_type,
        width: d.image_width,
        height: d.image_height,
        depth: d.image_depth,
        array_size: d.image_array_size,
        row_pitch: d.image_row_pitch,
        slice_pitch: d.image_slice_pitch,
        num_mip_levels: d.num_mip_levels,
        num_samples: d.num_samples,
        buffer: Mem::from_raw(d.buffer),
    })
}

/// `clCreateImage` with the C description.
unsafe fn new_image(
    c: cl_context,
    flags: cl_mem_flags,
    format: *const cl_image_format,
    desc: *const cl_image_desc,
    host_ptr: *mut c_void,
) -> Result<Mem, cl_int> {
    let desc = image_desc(desc);
    cl::create_image(
        Context::from_raw(c),
        flags,
        format.as_ref(),
        desc.as_ref(),
        host_ptr.cast(),
    )
}

pub unsafe extern "C" fn create_image(
    c: cl_context,
    flags: cl_mem_flags,
    format: *const cl_image_format,
    desc: *const cl_image_desc,
    host_ptr: *mut c_void,
    errcode_ret: *mut cl_int,
) -> cl_mem {
    let r = new_image(c, flags, format, desc, host_ptr).map(|m| m.as_raw());
    object(r, errcode_ret, std::ptr::null_mut())
}

pub unsafe extern "C" fn create_image_with_properties(
    c: cl_context,
    properties: *const cl_mem_properties,
    flags: cl_mem_flags,
    format: *const cl_image_format,
    desc: *const cl_image_desc,
    host_ptr: *mut c_void,
    errcode_ret: *mut cl_int,
) -> cl_mem {
    with_mem_properties(c, properties, errcode_ret, || {
        new_image(c, flags, format, desc, host_ptr)
    })
}

/// The OpenCL 1.0 image calls: a description of the old arguments, and
/// their error for bad sizes (`CL_INVALID_IMAGE_SIZE`; there was no
/// descriptor then).
unsafe fn create_image_v1(
    c: cl_context,
    flags: cl_mem_flags,
    format: *const cl_image_format,
    desc: ImageDesc,
    host_ptr: *mut c_void,
) -> Result<cl_mem, cl_int> {
    if desc.image_type == CL_MEM_OBJECT_IMAGE3D && (desc.depth < 2 || desc.height < 1) {
        cl::context_devices(Context::from_raw(c))?;
        return Err(CL_INVALID_IMAGE_SIZE);
    }
    match cl::create_image(
        Context::from_raw(c),
        flags,
        format.as_ref(),
        Some(&desc),
        host_ptr.cast(),
    ) {
        Ok(m) => Ok(m.as_raw()),
        Err(CL_INVALID_IMAGE_DESCRIPTOR) => Err(CL_INVALID_IMAGE_SIZE),
        Err(e) => Err(e),
    }
}

pub unsafe extern "C" fn create_image_2d(
    c: cl_context,
    flags: cl_mem_flags,
    format: *const cl_image_format,
    width: usize,
    height: usize,
    row_pitch: usize,
    host_ptr: *mut c_void,
    errcode_ret: *mut cl_int,
) -> cl_mem {
    let desc = ImageDesc {
        row_pitch,
        ..ImageDesc::new(CL_MEM_OBJECT_IMAGE2D, width, height, 0)
    };
    object(
        create_image_v1(c, flags, format, desc, host_ptr),
        errcode_ret,
        std::ptr::null_mut(),
    )
}

#[allow(clippy::too_many_arguments)]
pub unsafe extern "C" fn create_image_3d(
    c: cl_context,
    flags: cl_mem_flags,
    format: *const cl_image_format,
    width: usize,
    height: usize,
    depth: usize,
    row_pitch: usize,
    slice_pitch: usize,
    host_ptr: *mut c_void,
    errcode_ret: *mut cl_int,
) -> cl_mem {
    let desc = ImageDesc {
        row_pitch,
        slice_pitch,
        ..ImageDesc::new(CL_MEM_OBJECT_IMAGE3D, width, height, depth)
    };
    object(
        create_image_v1(c, flags, format, desc, host_ptr),
        errcode_ret,
        std::ptr::null_mut(),
    )
}

pub unsafe extern "C" fn retain_mem_object(m: cl_mem) -> cl_int {
    code(cl::retain_mem_object(Mem::from_raw(m)))
}

pub unsafe extern "C" fn release_mem_object(m: cl_mem) -> cl_int {
    code(cl::release_mem_object(Mem::from_raw(m)))
}

pub unsafe extern "C" fn get_supported_image_formats(
    c: cl_context,
    flags: cl_mem_flags,
    image_type: cl_mem_object_type,
    num_entries: cl_uint,
    formats: *mut cl_image_format,
    num_formats: *mut cl_uint,
) -> cl_int {
    let list = match cl::get_supported_image_formats(Context::from_raw(c), flags, image_type) {
        Ok(l) => l,
        Err(e) => return e,
    };
    if num_entries == 0 && !formats.is_null() {
        return CL_INVALID_VALUE;
    }
    if !formats.is_null() {
        for (i, f) in list.iter().take(num_entries as usize).enumerate() {
            *formats.add(i) = *f;
        }
    }
    if !num_formats.is_null() {
        *num_formats = list.len() as cl_uint;
    }
    CL_SUCCESS
}

pub unsafe extern "C" fn get_mem_object_info(
    m: cl_mem,
    param_name: cl_mem_info,
    size: usize,
    value: *mut c_void,
    size_ret: *mut usize,
) -> cl_int {
    let v = cl::mem_info(Mem::from_raw(m)).and_then(|i| {
        Ok(match param_name {
            CL_MEM_TYPE => Value::one(i.mem_type),
            CL_MEM_FLAGS => Value::one(i.flags),
            CL_MEM_SIZE => Value::one(i.size),
            CL_MEM_HOST_PTR => Value::one(i.host_ptr),
            CL_MEM_MAP_COUNT => Value::one(i.map_count),
            CL_MEM_REFERENCE_COUNT => Value::one(i.reference_count),
            CL_MEM_CONTEXT => Value::one(i.context.as_raw()),
            CL_MEM_ASSOCIATED_MEMOBJECT => Value::one(i.associated.as_raw()),
            CL_MEM_OFFSET => Value::one(i.offset),
            CL_MEM_USES_SVM_POINTER => Value::bool(false),
            CL_MEM_PROPERTIES => properties_of(m),
            _ => return Err(CL_INVALID_VALUE),
        })
    });
    reply(v, size, value, size_ret)
}

pub unsafe extern "C" fn get_image_info(
    m: cl_mem,
    param_name: cl_image_info,
    size: usize,
    value: *mut c_void,
    size_ret: *mut usize,
) -> cl_int {
    let v = cl::image_info(Mem::from_raw(m)).and_then(|i| {
        Ok(match param_name {
            CL_IMAGE_FORMAT => Value::one(i.format),
            CL_IMAGE_ELEMENT_SIZE => Value::one(i.element_size),
            CL_IMAGE_ROW_PITCH => Value::one(i.row_pitch),
            CL_IMAGE_SLICE_PITCH => Value::one(i.slice_pitch),
            CL_IMAGE_WIDTH => Value::one(i.width),
            CL_IMAGE_HEIGHT => Value::one(i.height),
            CL_IMAGE_DEPTH => Value::one(i.depth),
            CL_IMAGE_ARRAY_SIZE => Value::one(i.array_size),
            CL_IMAGE_BUFFER => Value::one(i.buffer.as_raw()),
            CL_IMAGE_NUM_MIP_LEVELS => Value::one(i.num_mip_levels),
            CL_IMAGE_NUM_SAMPLES => Value::one(0 as cl_uint),
            _ => return Err(CL_INVALID_VALUE),
        })
    });
    reply(v, size, value, size_ret)
}

pub unsafe extern "C" fn set_mem_object_destructor_callback(
    m: cl_mem,
    pfn_notify: Option<unsafe extern "C" fn(cl_mem, *mut c_void)>,
    user_data: *mut c_void,
) -> cl_int {
    let handle = Mem::from_raw(m);
    if let Err(e) = cl::mem_info(handle) {
        return e;
    }
    let Some(f) = pfn_notify else {
        return CL_INVALID_VALUE;
    };
    let data = UserData(user_data);
    code(cl::set_mem_object_destructor_callback(
        handle,
        Box::new(move || {
            let data = data;
            f(handle.as_raw(), data.0)
        }),
    ))
}

// ------------------------------------------------------------------ events

pub unsafe extern "C" fn wait_for_events(num: cl_uint, list: *const cl_event) -> cl_int {
    match wait_list(num, list) {
        Some(events) if num > 0 => code(cl::wait_for_events(&events)),
        _ => CL_INVALID_VALUE,
    }
}

pub unsafe extern "C" fn get_event_info(
    e: cl_event,
    param_name: cl_event_info,
    size: usize,
    value: *mut c_void,
    size_ret: *mut usize,
) -> cl_int {
    let e = Event::from_raw(e);
    let v = cl::event_status(e).and_then(|status| {
        Ok(match param_name {
            CL_EVENT_COMMAND_QUEUE => Value::one(cl::event_queue(e)?.as_raw()),
            CL_EVENT_CONTEXT => Value::one(cl::event_context(e)?.as_raw()),
            CL_EVENT_COMMAND_TYPE => Value::one(cl::event_command_type(e)?),
            CL_EVENT_COMMAND_EXECUTION_STATUS => Value::one(status),
            CL_EVENT_REFERENCE_COUNT => Value::one(cl::event_reference_count(e)?),
            _ => return Err(CL_INVALID_VALUE),
        })
    });
    reply(v, size, value, size_ret)
}

pub unsafe extern "C" fn get_event_profiling_info(
    e: cl_event,
    param_name: cl_profiling_info,
    size: usize,
    value: *mut c_void,
    size_ret: *mut usize,
) -> cl_int {
    let v = cl::event_profiling_info(Event::from_raw(e), param_name).map(Value::one);
    reply(v, size, value, size_ret)
}

pub unsafe extern "C" fn retain_event(e: cl_event) -> cl_int {
    code(cl::retain_event(Event::from_raw(e)))
}

pub unsafe extern "C" fn release_event(e: cl_event) -> cl_int {
    code(cl::release_event(Event::from_raw(e)))
}

pub unsafe extern "C" fn create_user_event(c: cl_context, errcode_ret: *mut cl_int) -> cl_event {
    let r = cl::create_user_event(Context::from_raw(c)).map(|e| e.as_raw());
    object(r, errcode_ret, std::ptr::null_mut())
}

pub unsafe extern "C" fn set_user_event_status(e: cl_event, status: cl_int) -> cl_int {
    code(cl::set_user_event_status(Event::from_raw(e), status))
}

pub unsafe extern "C" fn set_event_callback(
    e: cl_event,
    command_exec_callback_type: cl_int,
    pfn_notify: Option<unsafe extern "C" fn(cl_event, cl_int, *mut c_void)>,
    user_data: *mut c_void,
) -> cl_int {
    let e = Event::from_raw(e);
    if let Err(err) = cl::event_status(e) {
        return err;
    }
    let Some(f) = pfn_notify else {
        return CL_INVALID_VALUE;
    };
    let data = UserData(user_data);
    code(cl::set_event_callback(
        e,
        command_exec_callback_type,
        Box::new(move |ev, status| {
            let data = data;
            f(ev.as_raw(), status, data.0)
        }),
    ))
}
