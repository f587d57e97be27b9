//! OpenCL semantics on the card: the objects (platform, device, contexts,
//! command queues, buffers, sub-buffers, images, events) and every memory
//! command — read, write, copy and fill of buffers, rectangles and images,
//! copies between images and buffers, maps and unmaps — with the error
//! codes of the Khronos reference pages, checked in the order the pages
//! list them. The card moves every byte.
//!
//! The API mirrors the C calls one to one: handles are copyable values
//! ([`Context`], [`CommandQueue`], [`Mem`], [`Event`]) that may be stale or
//! NULL; wait lists are the C pair (`num_events_in_wait_list`,
//! `event_wait_list`); `event` is an optional out-parameter; calls return
//! `Result<_, cl_int>` in place of `errcode_ret`. Error codes and constants
//! are OpenCL's own (`opencl-sys`). See `docs/opencl.md` for the sentences
//! that needed interpreting.

pub mod buffer_cmds;
pub mod context;
pub mod destructor;
pub mod event;
pub mod format;
pub mod handle;
pub mod image;
pub mod image_box;
pub mod image_cmds;
pub mod map;
pub mod map_cmds;
pub mod mem;
pub mod platform;
pub mod queue;
mod transfer;

pub use buffer_cmds::*;
pub use context::{
    context_devices, context_reference_count, create_context, release_context, retain_context,
    set_context_destructor_callback,
};
pub use destructor::Destructor;
pub use event::{
    create_user_event, event_command_type, event_context, event_profiling_info, event_queue,
    event_reference_count, event_status, release_event, retain_event, set_event_callback,
    set_user_event_status, wait_for_events, EventCallback,
};
pub use format::supported_formats;
pub use handle::{CommandQueue, Context, DeviceId, Event, Mem, PlatformId};
pub use image::{create_image, get_supported_image_formats, image_info, ImageDesc, ImageInfo};
pub use image_box::{check_box, ImageBox, ImageDims, ImageType};
pub use image_cmds::*;
pub use map::{check_host_access, check_map_flags, MapAccess, MapRegion, MapTracker};
pub use map_cmds::*;
pub use mem::{
    create_buffer, create_sub_buffer, mem_info, release_mem_object, retain_mem_object,
    set_mem_object_destructor_callback, MemInfo,
};
pub use platform::{
    card_cycles, device_id, device_info, get_device_ids, get_platform_ids, platform_id,
    DeviceLimits, LIMITS,
};
pub use queue::{
    command_queue_info, create_command_queue, enqueue_barrier_with_wait_list,
    enqueue_marker_with_wait_list, enqueue_migrate_mem_objects, finish, flush,
    release_command_queue, retain_command_queue,
};
