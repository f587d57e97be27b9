//! The simulated card served as a vfio-user PCI device, so that a VM's
//! kernel (QEMU's `vfio-user-pci` client, a guest's vfio-pci and IOMMU)
//! drives it exactly as it would drive a board.
//!
//! The protocol is the `vfio_user` crate's server; this is its backend:
//!
//! - region 0 (BAR0) is the card's register block, 32-bit accesses;
//! - region 7 is the [`PciConfig`] space; Bus Master Enable gates the
//!   card's requests to host memory; D3hot → D0 resets the card (the
//!   kernel's "pm" reset method), as does the protocol's DEVICE_RESET;
//! - DMA_MAP hands over a file (the VM's shared RAM) and an IOVA range;
//!   the file is mapped once here and the range enters the card's IOMMU;
//!   DMA_UNMAP removes ranges, so an IOVA the guest has not mapped is a
//!   bus error on the card, as behind a real IOMMU;
//! - interrupts go out through the eventfds SET_IRQS gives: MSI when the
//!   client set one up, INTx otherwise (re-sent on unmask while the line
//!   is still high, as a level-triggered line would be).

use crate::card::SimCard;
use crate::pci_config::{PciConfig, COMMAND_BUS_MASTER, CONFIG_BYTES};
use std::collections::HashMap;
use std::fs::File;
use std::io::{Error, ErrorKind, Write};
use std::os::fd::AsRawFd;
use std::os::unix::fs::MetadataExt;
use std::path::Path;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex};
use std::time::Duration;
use tiledma_contract::regs::BAR0_BYTES;
use vfio_bindings::bindings::vfio::*;
use vfio_user::{DmaMapFlags, DmaUnmapFlags, IrqInfo, Server, ServerBackend, ServerRegion};

/// The eventfds the client gave for each interrupt kind.
#[derive(Default)]
struct IrqFds {
    intx: Option<File>,
    msi: Option<File>,
}

impl IrqFds {
    /// Signals one interrupt: MSI if set up, else INTx.
    fn signal(&mut self) {
        let one = 1u64.to_le_bytes();
        if let Some(f) = self.msi.as_mut().or(self.intx.as_mut()) {
            // An eventfd write only fails when its counter would overflow.
            let _ = f.write_all(&one);
        }
    }
}

/// A file the client shared for DMA, mapped here once in full.
struct SharedFile {
    base: *mut u8,
    len: u64,
}

impl Drop for SharedFile {
    fn drop(&mut self) {
        // SAFETY: mapped in `map_file` with this length; the card's IOMMU
        // entries into it are removed before (see `Backend::drop`).
        unsafe { libc::munmap(self.base.cast(), self.len as usize) };
    }
}

/// The vfio-user backend of one card.
pub struct Backend {
    card: Arc<SimCard>,
    config: PciConfig,
    irqs: Arc<Mutex<IrqFds>>,
    files: HashMap<(u64, u64), SharedFile>,
    stop: Arc<AtomicBool>,
    forwarder: Option<std::thread::JoinHandle<()>>,
}

impl Backend {
    /// Wraps `card`; its bus mastering starts off, as after PCI reset.
    pub fn new(card: Arc<SimCard>) -> Self {
        card.set_bus_master(false);
        let irqs = Arc::new(Mutex::new(IrqFds::default()));
        let stop = Arc::new(AtomicBool::new(false));
        let (c, i, s) = (card.clone(), irqs.clone(), stop.clone());
        let forwarder = std::thread::Builder::new()
            .name("tiledma-sim-irq".into())
            .spawn(move || forward_interrupts(&c, &i, &s))
            .expect("cannot start the interrupt thread");
        Self {
            card,
            config: PciConfig::default(),
            irqs,
            files: HashMap::new(),
            stop,
            forwarder: Some(forwarder),
        }
    }

    fn map_file(&mut self, fd: &File) -> std::io::Result<&SharedFile> {
        let meta = fd.metadata()?;
        let key = (meta.dev(), meta.ino());
        if let std::collections::hash_map::Entry::Vacant(slot) = self.files.entry(key) {
            let len = meta.len();
            // SAFETY: a fresh shared mapping of the whole file; only the
            // card touches it, through volatile accesses.
            let p = unsafe {
                libc::mmap(
                    std::ptr::null_mut(),
                    len as usize,
                    libc::PROT_READ | libc::PROT_WRITE,
                    libc::MAP_SHARED,
                    fd.as_raw_fd(),
                    0,
                )
            };
            if p == libc::MAP_FAILED {
                return Err(Error::last_os_error());
            }
            slot.insert(SharedFile {
                base: p.cast(),
                len,
            });
        }
        Ok(&self.files[&key])
    }
}

impl Backend {
    fn map_range(
        &mut self,
        offset: u64,
        address: u64,
        size: u64,
        fd: Option<File>,
    ) -> std::io::Result<()> {
        // Memory the client cannot share (a ROM, or RAM without share=on)
        // would need DMA_READ/DMA_WRITE messages, which this server does
        // not take: the card cannot reach it.
        let fd = fd.ok_or_else(|| {
            invalid("no shared file (guest RAM needs a memory backend with share=on)".into())
        })?;
        let file = self.map_file(&fd)?;
        if offset.checked_add(size).is_none_or(|end| end > file.len) {
            return Err(invalid(format!(
                "{offset:#x}+{size:#x} is past the end of a {:#x}-byte file",
                file.len
            )));
        }
        // SAFETY: in bounds of the mapping (checked), which lives until
        // the backend drops, after the card's entries are removed.
        let host = unsafe { file.base.add(offset as usize) };
        // A remap of a live range replaces it, as the IOMMU would.
        self.card.dma_unmap_range(address, size);
        // SAFETY: as above.
        unsafe { self.card.dma_map(host, size, address) }.map_err(|e| invalid(e.to_string()))
    }
}

impl Drop for Backend {
    fn drop(&mut self) {
        self.stop.store(true, Ordering::Relaxed);
        if let Some(t) = self.forwarder.take() {
            let _ = t.join();
        }
        // The card must not reach the files once they are unmapped.
        self.card.dma_unmap_range(0, u64::MAX);
    }
}

/// Turns each interrupt the card raises into an eventfd signal.
fn forward_interrupts(card: &SimCard, irqs: &Mutex<IrqFds>, stop: &AtomicBool) {
    let mut seen = card.interrupts();
    while !stop.load(Ordering::Relaxed) {
        let n = card.wait_interrupt(seen, Duration::from_millis(50));
        if n > seen {
            seen = n;
            irqs.lock().unwrap().signal();
        }
    }
}

fn invalid(what: String) -> Error {
    Error::new(ErrorKind::InvalidInput, what)
}

impl ServerBackend for Backend {
    fn region_read(&mut self, region: u32, offset: u64, data: &mut [u8]) -> std::io::Result<()> {
        match region {
            VFIO_PCI_CONFIG_REGION_INDEX => {
                self.config.read(offset, data, self.card.irq_level());
                Ok(())
            }
            VFIO_PCI_BAR0_REGION_INDEX => {
                check_bar_access(offset, data.len())?;
                for (i, w) in data.chunks_mut(4).enumerate() {
                    let v = self.card.read32(offset as u32 + 4 * i as u32);
                    w.copy_from_slice(&v.to_le_bytes());
                }
                Ok(())
            }
            _ => Err(invalid(format!("region {region} has no reads"))),
        }
    }

    fn region_write(&mut self, region: u32, offset: u64, data: &[u8]) -> std::io::Result<()> {
        match region {
            VFIO_PCI_CONFIG_REGION_INDEX => {
                if self.config.write(offset, data) {
                    eprintln!("tiledma-sim: function reset (D3hot → D0)");
                    self.card.reset();
                }
                self.card
                    .set_bus_master(self.config.command() & COMMAND_BUS_MASTER != 0);
                Ok(())
            }
            VFIO_PCI_BAR0_REGION_INDEX => {
                check_bar_access(offset, data.len())?;
                for (i, w) in data.chunks(4).enumerate() {
                    let v = u32::from_le_bytes(w.try_into().unwrap());
                    self.card.write32(offset as u32 + 4 * i as u32, v);
                }
                Ok(())
            }
            _ => Err(invalid(format!("region {region} has no writes"))),
        }
    }

    fn dma_map(
        &mut self,
        _flags: DmaMapFlags,
        offset: u64,
        address: u64,
        size: u64,
        fd: Option<File>,
    ) -> std::io::Result<()> {
        self.map_range(offset, address, size, fd).inspect_err(|e| {
            eprintln!("tiledma-sim: DMA map of IOVA {address:#x}+{size:#x} refused: {e}")
        })
    }

    fn dma_unmap(&mut self, flags: DmaUnmapFlags, address: u64, size: u64) -> std::io::Result<()> {
        if flags.contains(DmaUnmapFlags::UNMAP_ALL) {
            self.card.dma_unmap_range(0, u64::MAX);
        } else {
            self.card.dma_unmap_range(address, size);
        }
        Ok(())
    }

    fn reset(&mut self) -> std::io::Result<()> {
        eprintln!("tiledma-sim: device reset (vfio-user DEVICE_RESET)");
        self.card.reset();
        self.config = PciConfig::default();
        self.card.set_bus_master(false);
        Ok(())
    }

    fn set_irqs(
        &mut self,
        index: u32,
        flags: u32,
        _start: u32,
        count: u32,
        fds: Vec<File>,
    ) -> std::io::Result<()> {
        let mut irqs = self.irqs.lock().unwrap();
        let slot = match index {
            VFIO_PCI_INTX_IRQ_INDEX => &mut irqs.intx,
            VFIO_PCI_MSI_IRQ_INDEX => &mut irqs.msi,
            _ => return Err(invalid(format!("interrupt index {index} is not offered"))),
        };
        match flags & VFIO_IRQ_SET_ACTION_TYPE_MASK {
            VFIO_IRQ_SET_ACTION_TRIGGER => {
                *slot = if flags & VFIO_IRQ_SET_DATA_EVENTFD != 0 && count > 0 {
                    Some(
                        fds.into_iter()
                            .next()
                            .ok_or_else(|| invalid("no eventfd".into()))?,
                    )
                } else {
                    None
                };
            }
            // The line is level-triggered: if it is still high when INTx
            // is unmasked, it interrupts again.
            VFIO_IRQ_SET_ACTION_UNMASK
                if index == VFIO_PCI_INTX_IRQ_INDEX && self.card.irq_level() =>
            {
                irqs.signal();
            }
            _ => {}
        }
        Ok(())
    }
}

/// BAR0 takes aligned 4- and 8-byte accesses inside its size.
fn check_bar_access(offset: u64, len: usize) -> std::io::Result<()> {
    if !(len == 4 || len == 8)
        || !offset.is_multiple_of(4)
        || offset + len as u64 > BAR0_BYTES as u64
    {
        return Err(invalid(format!(
            "BAR0 access of {len} bytes at {offset:#x} (aligned 32-bit registers)"
        )));
    }
    Ok(())
}

/// The regions offered: BAR0 and config space.
fn regions() -> Vec<ServerRegion> {
    (0..VFIO_PCI_NUM_REGIONS)
        .map(|index| {
            let size = match index {
                VFIO_PCI_BAR0_REGION_INDEX => BAR0_BYTES as u64,
                VFIO_PCI_CONFIG_REGION_INDEX => CONFIG_BYTES as u64,
                _ => 0,
            };
            ServerRegion {
                region_info: vfio_region_info {
                    argsz: std::mem::size_of::<vfio_region_info>() as u32,
                    index,
                    size,
                    flags: if size > 0 {
                        VFIO_REGION_INFO_FLAG_READ | VFIO_REGION_INFO_FLAG_WRITE
                    } else {
                        0
                    },
                    ..Default::default()
                },
                sparse_areas: Vec::new(),
                mmap_fd: None,
            }
        })
        .collect()
}

/// The interrupts offered: INTx and one MSI vector.
fn irqs() -> Vec<IrqInfo> {
    (0..VFIO_PCI_NUM_IRQS)
        .map(|index| match index {
            VFIO_PCI_INTX_IRQ_INDEX => IrqInfo {
                index,
                count: 1,
                flags: VFIO_IRQ_INFO_EVENTFD | VFIO_IRQ_INFO_MASKABLE | VFIO_IRQ_INFO_AUTOMASKED,
            },
            VFIO_PCI_MSI_IRQ_INDEX => IrqInfo {
                index,
                count: 1,
                flags: VFIO_IRQ_INFO_EVENTFD | VFIO_IRQ_INFO_NORESIZE,
            },
            _ => IrqInfo {
                index,
                count: 0,
                flags: 0,
            },
        })
        .collect()
}

/// Serves `card` on a Unix socket at `socket` until the client (one
/// connection) hangs up.
pub fn serve(card: Arc<SimCard>, socket: &Path) -> Result<(), String> {
    let server = Server::new(socket, true, irqs(), regions())
        .map_err(|e| format!("cannot listen on {}: {e}", socket.display()))?;
    let mut backend = Backend::new(card);
    server
        .run(&mut backend)
        .map_err(|e| format!("vfio-user session: {e}"))
}
