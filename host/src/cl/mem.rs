//! Memory objects: where their bytes live, buffers and sub-buffers,
//! flags, queries.
//!
//! Every memory object sits on a [`Storage`], shared with the objects that
//! alias it (a buffer, its sub-buffers, 1D image buffers made from it):
//!
//! - **card** (the default): card memory, allocated at the first command
//!   that needs it (`CL_MEM_OBJECT_ALLOCATION_FAILURE` then) or at creation
//!   when `CL_MEM_COPY_HOST_PTR` asks for contents. Maps go through a
//!   staging area in host memory that the card fills and drains.
//! - **host** (`CL_MEM_ALLOC_HOST_PTR`): host pages mapped for the card;
//!   maps return pointers into them, without copies.
//! - **user** (`CL_MEM_USE_HOST_PTR`): the application's `host_ptr` itself,
//!   pinned for the card; maps return `host_ptr`-derived pointers and the
//!   memory is always the latest bits.
//!
//! Whatever the storage, the card moves every byte: the host never copies
//! into card memory.

use super::context::{context, ContextObj};
use super::destructor::{Destructor, Destructors};
use super::handle::{self, Context, Mem, Object};
use super::image::ImageObj;
use super::map::{MapId, MapTracker};
use super::platform::{BASE_ADDR_ALIGN, LIMITS};
use crate::device::CardBuffer;
use crate::dma::{DmaBuffer, PinnedHost};
use crate::{Copy3d, Device};
use opencl_sys::{
    cl_int, cl_mem_flags, cl_mem_object_type, cl_uint, CL_INVALID_BUFFER_SIZE, CL_INVALID_CONTEXT,
    CL_INVALID_HOST_PTR, CL_INVALID_MEM_OBJECT, CL_INVALID_VALUE, CL_MEM_ALLOC_HOST_PTR,
    CL_MEM_COPY_HOST_PTR, CL_MEM_HOST_NO_ACCESS, CL_MEM_HOST_READ_ONLY, CL_MEM_HOST_WRITE_ONLY,
    CL_MEM_OBJECT_ALLOCATION_FAILURE, CL_MEM_OBJECT_BUFFER, CL_MEM_READ_ONLY, CL_MEM_READ_WRITE,
    CL_MEM_USE_HOST_PTR, CL_MEM_WRITE_ONLY, CL_MISALIGNED_SUB_BUFFER_OFFSET, CL_OUT_OF_RESOURCES,
};
use std::sync::atomic::{AtomicU32, Ordering};
use std::sync::{Arc, Mutex};

/// The memory a storage lives in, once it exists.
enum Backing {
    Card(CardBuffer),
    Host(DmaBuffer),
    User(PinnedHost),
}

/// Bytes shared by a memory object and everything aliasing it.
pub(crate) struct Storage {
    len: u64,
    card: Arc<Device>,
    backing: Mutex<Option<Backing>>,
    /// Host address of byte 0 for host and user storage.
    host: Option<usize>,
    /// Live maps of these bytes.
    pub(crate) maps: Mutex<MapTracker>,
}

impl Storage {
    fn new(card: Arc<Device>, len: u64, backing: Option<Backing>, host: Option<usize>) -> Self {
        Storage {
            len,
            card,
            backing: Mutex::new(backing),
            host,
            maps: Mutex::new(MapTracker::default()),
        }
    }

    /// The card's address of byte 0, allocating card memory now if this is
    /// the first use (`CL_MEM_OBJECT_ALLOCATION_FAILURE` if it is full).
    pub(crate) fn addr(&self) -> Result<u64, cl_int> {
        let mut b = self.backing.lock().unwrap();
        if b.is_none() {
            let buf = self
                .card
                .alloc_card(self.len)
                .map_err(|_| CL_MEM_OBJECT_ALLOCATION_FAILURE)?;
            *b = Some(Backing::Card(buf));
        }
        Ok(match b.as_ref().unwrap() {
            Backing::Card(c) => c.addr(),
            Backing::Host(h) => h.iova(),
            Backing::User(u) => u.iova(),
        })
    }

    /// Host address of byte 0 when the host can reach the bytes directly.
    pub(crate) fn host(&self) -> Option<usize> {
        self.host
    }
}

/// A memory object's body.
pub(crate) struct MemObj {
    pub(crate) handle: Mem,
    pub(crate) context: Arc<ContextObj>,
    pub(crate) flags: cl_mem_flags,
    /// `CL_MEM_SIZE`.
    pub(crate) size: u64,
    /// `CL_MEM_HOST_PTR` (0 unless `CL_MEM_USE_HOST_PTR`).
    pub(crate) host_ptr: usize,
    pub(crate) storage: Arc<Storage>,
    /// Where this object starts in its storage.
    pub(crate) offset: u64,
    /// Sub-buffer parent, or the buffer of a 1D image buffer.
    pub(crate) parent: Option<Arc<MemObj>>,
    pub(crate) image: Option<ImageObj>,
    pub(crate) map_count: AtomicU32,
    pub(crate) mappings: Mutex<Vec<Mapping>>,
    pub(crate) destructors: Destructors,
}

/// One live map of a memory object.
pub(crate) struct Mapping {
    pub(crate) ptr: usize,
    pub(crate) id: MapId,
    /// Host memory the card filled, and the copies that write it back
    /// (none unless the map was for writing), for card storage.
    pub(crate) staging: Option<(Arc<Staging>, Vec<Copy3d>)>,
}

/// Host memory staged for maps of card storage, all maps together, at
/// most (pinned memory is a budget, as VFIO's locked-memory limit makes it
/// on a real machine): past it a map fails with `CL_MAP_FAILURE`.
pub const STAGING_BUDGET: u64 = 128 << 20;

static STAGED: std::sync::atomic::AtomicU64 = std::sync::atomic::AtomicU64::new(0);

/// Staging memory of one map, inside [`STAGING_BUDGET`].
pub(crate) struct Staging {
    pub(crate) buf: DmaBuffer,
}

impl Staging {
    /// `len` bytes, or `None` when the budget or the host is out of them.
    pub(crate) fn new(card: &Device, len: u64) -> Option<Self> {
        let before = STAGED.fetch_add(len, Ordering::SeqCst);
        if before + len > STAGING_BUDGET {
            STAGED.fetch_sub(len, Ordering::SeqCst);
            return None;
        }
        match card.alloc_dma(len as usize) {
            Ok(buf) => Some(Staging { buf }),
            Err(_) => {
                STAGED.fetch_sub(len, Ordering::SeqCst);
                None
            }
        }
    }
}

impl Drop for Staging {
    fn drop(&mut self) {
        STAGED.fetch_sub(self.buf.len() as u64, Ordering::SeqCst);
    }
}

impl MemObj {
    /// An object of `size` bytes at `offset` of `storage`, unmapped, with no
    /// host pointer, parent or image part (set those with struct update).
    pub(crate) fn new(
        handle: Mem,
        context: Arc<ContextObj>,
        flags: cl_mem_flags,
        size: u64,
        storage: Arc<Storage>,
        offset: u64,
    ) -> Self {
        MemObj {
            handle,
            context,
            flags,
            size,
            host_ptr: 0,
            storage,
            offset,
            parent: None,
            image: None,
            map_count: AtomicU32::new(0),
            mappings: Mutex::new(Vec::new()),
            destructors: Destructors::default(),
        }
    }

    /// Whether this is a buffer or sub-buffer.
    pub(crate) fn is_buffer(&self) -> bool {
        self.image.is_none()
    }

    /// Whether this is a sub-buffer.
    pub(crate) fn is_sub_buffer(&self) -> bool {
        self.image.is_none() && self.parent.is_some()
    }

    /// `CL_MEM_TYPE`.
    pub(crate) fn mem_type(&self) -> cl_mem_object_type {
        match &self.image {
            None => CL_MEM_OBJECT_BUFFER,
            Some(i) => i.desc.image_type,
        }
    }

    /// The card's address of byte `at` of this object.
    pub(crate) fn addr(&self, at: u64) -> Result<u64, cl_int> {
        Ok(self.storage.addr()? + self.offset + at)
    }

    /// `CL_MISALIGNED_SUB_BUFFER_OFFSET` for a sub-buffer whose origin the
    /// device cannot use.
    pub(crate) fn check_alignment(&self) -> Result<(), cl_int> {
        if self.is_sub_buffer() && !self.offset.is_multiple_of(BASE_ADDR_ALIGN) {
            return Err(CL_MISALIGNED_SUB_BUFFER_OFFSET);
        }
        Ok(())
    }

    /// Whether two objects share storage.
    pub(crate) fn aliases(&self, other: &MemObj) -> bool {
        Arc::ptr_eq(&self.storage, &other.storage)
    }
}

/// The live memory object behind `m`.
pub(crate) fn mem(m: Mem) -> Option<Arc<MemObj>> {
    match handle::lookup(m.0) {
        Some(Object::Mem(m)) => Some(m),
        _ => None,
    }
}

/// Checks `flags` of a new buffer or image (`CL_INVALID_VALUE` for unknown
/// bits or exclusive pairs) and returns them with `CL_MEM_READ_WRITE`
/// filled in when no access flag is given.
pub(crate) fn check_mem_flags(flags: cl_mem_flags) -> Result<cl_mem_flags, cl_int> {
    let access = CL_MEM_READ_WRITE | CL_MEM_WRITE_ONLY | CL_MEM_READ_ONLY;
    let host = CL_MEM_HOST_WRITE_ONLY | CL_MEM_HOST_READ_ONLY | CL_MEM_HOST_NO_ACCESS;
    let ptr = CL_MEM_USE_HOST_PTR | CL_MEM_ALLOC_HOST_PTR | CL_MEM_COPY_HOST_PTR;
    if flags & !(access | host | ptr) != 0
        || (flags & access).count_ones() > 1
        || (flags & host).count_ones() > 1
        || (flags & CL_MEM_USE_HOST_PTR != 0
            && flags & (CL_MEM_ALLOC_HOST_PTR | CL_MEM_COPY_HOST_PTR) != 0)
    {
        return Err(CL_INVALID_VALUE);
    }
    Ok(if flags & access == 0 {
        flags | CL_MEM_READ_WRITE
    } else {
        flags
    })
}

/// Flags of an object made from a buffer (a sub-buffer, a 1D image
/// buffer) given `flags`: the buffer's access and host access where `flags`
/// names none; `CL_INVALID_VALUE` for host-pointer flags, unknown bits,
/// two access or two host-access flags, or flags that grant what the buffer
/// withholds. Host-pointer flags are not included.
pub(crate) fn inherit_flags(
    parent: cl_mem_flags,
    flags: cl_mem_flags,
) -> Result<cl_mem_flags, cl_int> {
    let access = CL_MEM_READ_WRITE | CL_MEM_WRITE_ONLY | CL_MEM_READ_ONLY;
    let host = CL_MEM_HOST_WRITE_ONLY | CL_MEM_HOST_READ_ONLY | CL_MEM_HOST_NO_ACCESS;
    if flags & !(access | host) != 0
        || (flags & access).count_ones() > 1
        || (flags & host).count_ones() > 1
    {
        return Err(CL_INVALID_VALUE);
    }
    let clash = (parent & CL_MEM_WRITE_ONLY != 0
        && flags & (CL_MEM_READ_WRITE | CL_MEM_READ_ONLY) != 0)
        || (parent & CL_MEM_READ_ONLY != 0 && flags & (CL_MEM_READ_WRITE | CL_MEM_WRITE_ONLY) != 0)
        || (parent & CL_MEM_HOST_WRITE_ONLY != 0 && flags & CL_MEM_HOST_READ_ONLY != 0)
        || (parent & CL_MEM_HOST_READ_ONLY != 0 && flags & CL_MEM_HOST_WRITE_ONLY != 0)
        || (parent & CL_MEM_HOST_NO_ACCESS != 0
            && flags & (CL_MEM_HOST_READ_ONLY | CL_MEM_HOST_WRITE_ONLY) != 0);
    if clash {
        return Err(CL_INVALID_VALUE);
    }
    let pick = |mask: cl_mem_flags| {
        if flags & mask == 0 {
            parent & mask
        } else {
            flags & mask
        }
    };
    Ok(pick(access) | pick(host))
}

/// `CL_MEM_HOST_PTR` of a new object: `host_ptr` when it is used in place.
pub(crate) fn used_host_ptr(flags: cl_mem_flags, host_ptr: *mut u8) -> usize {
    if flags & CL_MEM_USE_HOST_PTR != 0 {
        host_ptr as usize
    } else {
        0
    }
}

/// `CL_INVALID_HOST_PTR` rules shared by buffers and images.
pub(crate) fn check_host_ptr(flags: cl_mem_flags, host_ptr: *mut u8) -> Result<(), cl_int> {
    let wants = flags & (CL_MEM_USE_HOST_PTR | CL_MEM_COPY_HOST_PTR) != 0;
    if wants == host_ptr.is_null() {
        return Err(CL_INVALID_HOST_PTR);
    }
    Ok(())
}

/// New storage of `len` bytes as `flags` ask: pinned `host_ptr`, host
/// pages, or (lazily) card memory. `CL_MEM_COPY_HOST_PTR` contents are
/// copied in by the card before this returns.
pub(crate) fn new_storage(
    card: &Arc<Device>,
    flags: cl_mem_flags,
    len: u64,
    host_ptr: *mut u8,
    fill: impl FnOnce(&Storage, u64) -> Result<(), cl_int>,
) -> Result<Arc<Storage>, cl_int> {
    let storage = if flags & CL_MEM_USE_HOST_PTR != 0 {
        // SAFETY: CL_MEM_USE_HOST_PTR: the application keeps host_ptr valid
        // for the object's life (the specification's contract).
        let pin =
            unsafe { card.pin_host(host_ptr, len as usize) }.map_err(|_| CL_OUT_OF_RESOURCES)?;
        Storage::new(
            card.clone(),
            len,
            Some(Backing::User(pin)),
            Some(host_ptr as usize),
        )
    } else if flags & CL_MEM_ALLOC_HOST_PTR != 0 {
        let buf = card
            .alloc_dma(len as usize)
            .map_err(|_| CL_MEM_OBJECT_ALLOCATION_FAILURE)?;
        let host = buf.as_ptr() as usize;
        Storage::new(card.clone(), len, Some(Backing::Host(buf)), Some(host))
    } else {
        Storage::new(card.clone(), len, None, None)
    };
    if flags & CL_MEM_COPY_HOST_PTR != 0 {
        // SAFETY: host_ptr holds `len` bytes (the call's contract); the pin
        // lives until the card's copy has completed.
        let pin =
            unsafe { card.pin_host(host_ptr, len as usize) }.map_err(|_| CL_OUT_OF_RESOURCES)?;
        fill(&storage, pin.iova())?;
    }
    Ok(Arc::new(storage))
}

/// Runs copies on the card and waits for all of them.
pub(crate) fn run_copies(card: &Device, copies: &[Copy3d]) -> Result<(), cl_int> {
    card.run(copies).map_err(|_| CL_OUT_OF_RESOURCES)
}

/// Copies `len` bytes in 32-bit-sized pieces (a command moves < 4 GiB).
pub(crate) fn linear_copies(src: u64, dst: u64, len: u64) -> Vec<Copy3d> {
    const PIECE: u64 = 1 << 30;
    (0..len)
        .step_by(PIECE as usize)
        .map(|at| Copy3d::linear(src + at, dst + at, (len - at).min(PIECE) as u32))
        .collect()
}

pub(crate) fn register_mem(make: impl FnOnce(Mem) -> MemObj) -> Mem {
    Mem(handle::register_with(|h| {
        Object::Mem(Arc::new(make(Mem(h))))
    }))
}

/// `clCreateBuffer`.
///
/// # Safety
/// With `CL_MEM_USE_HOST_PTR` or `CL_MEM_COPY_HOST_PTR`, `host_ptr` points
/// to `size` bytes; with `CL_MEM_USE_HOST_PTR` they stay valid while the
/// buffer lives.
pub unsafe fn create_buffer(
    c: Context,
    flags: cl_mem_flags,
    size: usize,
    host_ptr: *mut u8,
) -> Result<Mem, cl_int> {
    let ctx = context(c).ok_or(CL_INVALID_CONTEXT)?;
    let flags = check_mem_flags(flags)?;
    let size = size as u64;
    if size == 0 || size > LIMITS.max_mem_alloc_size {
        return Err(CL_INVALID_BUFFER_SIZE);
    }
    check_host_ptr(flags, host_ptr)?;
    let storage = new_storage(&ctx.card, flags, size, host_ptr, |s, src| {
        run_copies(&ctx.card, &linear_copies(src, s.addr()?, size))
    })?;
    Ok(register_mem(|handle| MemObj {
        host_ptr: used_host_ptr(flags, host_ptr),
        ..MemObj::new(handle, ctx, flags, size, storage, 0)
    }))
}

/// `clCreateSubBuffer` with `CL_BUFFER_CREATE_TYPE_REGION`.
pub fn create_sub_buffer(
    buffer: Mem,
    flags: cl_mem_flags,
    origin: usize,
    size: usize,
) -> Result<Mem, cl_int> {
    let parent = mem(buffer)
        .filter(|m| m.is_buffer() && !m.is_sub_buffer())
        .ok_or(CL_INVALID_MEM_OBJECT)?;
    let sub_flags = inherit_flags(parent.flags, flags)?;
    let (origin, size) = (origin as u64, size as u64);
    if origin.checked_add(size).is_none_or(|end| end > parent.size) {
        return Err(CL_INVALID_VALUE);
    }
    if size == 0 {
        return Err(CL_INVALID_BUFFER_SIZE);
    }
    // One device: no device can use an unaligned origin.
    if !origin.is_multiple_of(BASE_ADDR_ALIGN) {
        return Err(CL_MISALIGNED_SUB_BUFFER_OFFSET);
    }
    // Host-pointer flags describe the shared storage: the parent's.
    let ptr = CL_MEM_USE_HOST_PTR | CL_MEM_ALLOC_HOST_PTR | CL_MEM_COPY_HOST_PTR;
    Ok(register_mem(|handle| MemObj {
        host_ptr: if parent.host_ptr != 0 {
            parent.host_ptr + origin as usize
        } else {
            0
        },
        parent: Some(parent.clone()),
        ..MemObj::new(
            handle,
            parent.context.clone(),
            sub_flags | parent.flags & ptr,
            size,
            parent.storage.clone(),
            parent.offset + origin,
        )
    }))
}

/// `clRetainMemObject`.
pub fn retain_mem_object(m: Mem) -> Result<(), cl_int> {
    match mem(m) {
        Some(_) if handle::retain(m.0) => Ok(()),
        _ => Err(CL_INVALID_MEM_OBJECT),
    }
}

/// `clReleaseMemObject`.
pub fn release_mem_object(m: Mem) -> Result<(), cl_int> {
    mem(m).ok_or(CL_INVALID_MEM_OBJECT)?;
    handle::release(m.0).map_err(|_| CL_INVALID_MEM_OBJECT)?;
    Ok(())
}

/// `clSetMemObjectDestructorCallback`: `f` runs once the object is gone
/// (released and unused by any command).
pub fn set_mem_object_destructor_callback(m: Mem, f: Destructor) -> Result<(), cl_int> {
    mem(m).ok_or(CL_INVALID_MEM_OBJECT)?.destructors.push(f);
    Ok(())
}

/// What `clGetMemObjectInfo` reports.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct MemInfo {
    /// `CL_MEM_TYPE`.
    pub mem_type: cl_mem_object_type,
    /// `CL_MEM_FLAGS`.
    pub flags: cl_mem_flags,
    /// `CL_MEM_SIZE`.
    pub size: usize,
    /// `CL_MEM_HOST_PTR`.
    pub host_ptr: *mut u8,
    /// `CL_MEM_MAP_COUNT`.
    pub map_count: cl_uint,
    /// `CL_MEM_REFERENCE_COUNT`.
    pub reference_count: cl_uint,
    /// `CL_MEM_CONTEXT`.
    pub context: Context,
    /// `CL_MEM_ASSOCIATED_MEMOBJECT`.
    pub associated: Mem,
    /// `CL_MEM_OFFSET`.
    pub offset: usize,
}

/// `clGetMemObjectInfo`, every query at once.
pub fn mem_info(m: Mem) -> Result<MemInfo, cl_int> {
    let o = mem(m).ok_or(CL_INVALID_MEM_OBJECT)?;
    Ok(MemInfo {
        mem_type: o.mem_type(),
        flags: o.flags,
        size: o.size as usize,
        host_ptr: o.host_ptr as *mut u8,
        map_count: o.map_count.load(Ordering::Relaxed),
        reference_count: handle::ref_count(m.0).unwrap_or(0),
        context: o.context.handle,
        associated: o.parent.as_ref().map_or(Mem::null(), |p| p.handle),
        offset: match &o.parent {
            Some(p) if o.is_buffer() => (o.offset - p.offset) as usize,
            _ => 0,
        },
    })
}
