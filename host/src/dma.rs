//! DMA memory: page-aligned host allocations mapped for the card at IOVAs.
//!
//! The card reads and writes this memory behind the compiler's back, so the
//! host touches it only through volatile accesses, with fences where the
//! order matters (see the command ring).

use crate::alloc::RangeAllocator;
use crate::error::DeviceError;
use crate::transport::Transport;
use std::alloc::{alloc_zeroed, dealloc, Layout};
use std::ptr::NonNull;
use std::sync::{Arc, Mutex};

/// Host pages mapped for the card.
pub struct DmaBuffer {
    ptr: NonNull<u8>,
    layout: Layout,
    len: usize,
    iova: u64,
    transport: Arc<dyn Transport>,
    arena: Arc<Mutex<RangeAllocator>>,
}

// The buffer is plain memory; all access is volatile through &self.
unsafe impl Send for DmaBuffer {}
unsafe impl Sync for DmaBuffer {}

impl DmaBuffer {
    /// Allocates `len` zeroed bytes and maps them at an IOVA from `arena`.
    pub(crate) fn new(
        transport: Arc<dyn Transport>,
        arena: Arc<Mutex<RangeAllocator>>,
        len: usize,
    ) -> Result<Self, DeviceError> {
        let layout =
            Layout::from_size_align(len.max(1).next_multiple_of(4096), 4096).map_err(|_| {
                DeviceError::OutOfSpace {
                    what: "host memory",
                    bytes: len as u64,
                }
            })?;
        let iova =
            arena
                .lock()
                .unwrap()
                .alloc(layout.size() as u64)
                .ok_or(DeviceError::OutOfSpace {
                    what: "IOVA space",
                    bytes: len as u64,
                })?;
        // SAFETY: non-zero size.
        let ptr = NonNull::new(unsafe { alloc_zeroed(layout) }).ok_or(DeviceError::OutOfSpace {
            what: "host memory",
            bytes: len as u64,
        })?;
        // SAFETY: the allocation lives until Drop, which unmaps first.
        if let Err(e) = unsafe { transport.dma_map(ptr.as_ptr(), layout.size() as u64, iova) } {
            unsafe { dealloc(ptr.as_ptr(), layout) };
            arena.lock().unwrap().free(iova, layout.size() as u64);
            return Err(DeviceError::Map(e));
        }
        Ok(Self {
            ptr,
            layout,
            len,
            iova,
            transport,
            arena,
        })
    }

    /// The card's address of byte 0.
    pub fn iova(&self) -> u64 {
        self.iova
    }

    /// Bytes usable (as requested).
    pub fn len(&self) -> usize {
        self.len
    }

    /// Zero length.
    pub fn is_empty(&self) -> bool {
        self.len == 0
    }

    /// Copies `data` into the buffer at `offset`.
    pub fn write(&self, offset: usize, data: &[u8]) {
        assert!(
            offset + data.len() <= self.len,
            "write past the end of a DMA buffer"
        );
        for (i, b) in data.iter().enumerate() {
            // SAFETY: in bounds (asserted).
            unsafe { self.ptr.as_ptr().add(offset + i).write_volatile(*b) };
        }
    }

    /// Copies bytes at `offset` out into `buf`.
    pub fn read(&self, offset: usize, buf: &mut [u8]) {
        assert!(
            offset + buf.len() <= self.len,
            "read past the end of a DMA buffer"
        );
        for (i, b) in buf.iter_mut().enumerate() {
            // SAFETY: in bounds (asserted).
            *b = unsafe { self.ptr.as_ptr().add(offset + i).read_volatile() };
        }
    }

    /// The whole buffer as a vector.
    pub fn to_vec(&self) -> Vec<u8> {
        let mut v = vec![0; self.len];
        self.read(0, &mut v);
        v
    }
}

impl Drop for DmaBuffer {
    fn drop(&mut self) {
        // FIRST take the card's access away, THEN free the memory.
        let _ = self.transport.dma_unmap(self.iova);
        self.arena
            .lock()
            .unwrap()
            .free(self.iova, self.layout.size() as u64);
        // SAFETY: allocated in `new` with this layout.
        unsafe { dealloc(self.ptr.as_ptr(), self.layout) };
    }
}

impl DmaBuffer {
    /// The host address of byte 0 (for handing to an application, as a
    /// mapped pointer; the driver itself uses `read`/`write`).
    pub fn as_ptr(&self) -> *mut u8 {
        self.ptr.as_ptr()
    }
}

/// Application memory mapped for the card in place (pinned), as VFIO maps
/// user pages: the pages around `[ptr, ptr + len)` at an IOVA, until drop.
pub struct PinnedHost {
    iova: u64,
    offset: u64,
    pages: u64,
    transport: Arc<dyn Transport>,
    arena: Arc<Mutex<RangeAllocator>>,
}

impl PinnedHost {
    /// Maps the pages holding `[ptr, ptr + len)`.
    ///
    /// # Safety
    /// The memory must stay allocated until the value is dropped; the card
    /// may read and write it meanwhile.
    pub(crate) unsafe fn new(
        transport: Arc<dyn Transport>,
        arena: Arc<Mutex<RangeAllocator>>,
        ptr: *mut u8,
        len: usize,
    ) -> Result<Self, DeviceError> {
        let first = ptr as u64 & !4095;
        let offset = ptr as u64 - first;
        let pages = (offset + len.max(1) as u64).next_multiple_of(4096);
        let iova = arena
            .lock()
            .unwrap()
            .alloc(pages)
            .ok_or(DeviceError::OutOfSpace {
                what: "IOVA space",
                bytes: pages,
            })?;
        if let Err(e) = transport.dma_map(first as *mut u8, pages, iova) {
            arena.lock().unwrap().free(iova, pages);
            return Err(DeviceError::Map(e));
        }
        Ok(Self {
            iova,
            offset,
            pages,
            transport,
            arena,
        })
    }

    /// The card's address of `ptr`.
    pub fn iova(&self) -> u64 {
        self.iova + self.offset
    }
}

impl Drop for PinnedHost {
    fn drop(&mut self) {
        let _ = self.transport.dma_unmap(self.iova);
        self.arena.lock().unwrap().free(self.iova, self.pages);
    }
}

// Only addresses are kept; the memory belongs to the application.
unsafe impl Send for PinnedHost {}
unsafe impl Sync for PinnedHost {}
