//! Kernel VFIO: the transport that drives a real card (or, in the VM test,
//! the simulated card behind a guest kernel's vfio-pci and IOMMU).
//!
//! - the device is opened by PCI address through its IOMMU group and a
//!   type1 container (`vfio-ioctls`);
//! - BAR0 is mapped with `memmap2` and registers are `volatile-register`
//!   cells in that mapping (plain region reads and writes if the kernel
//!   does not allow mapping it);
//! - DMA mappings are `VFIO_IOMMU_MAP_DMA` of the driver's pages at the
//!   IOVAs its allocators chose; what is still mapped is unmapped on drop;
//! - interrupts arrive on an eventfd: MSI when the device offers it, else
//!   INTx (unmasked after each one, as VFIO masks it automatically);
//! - the device is reset (if it can be) and bus mastering enabled at open.

mod preflight;

pub use preflight::parse_address;

use crate::transport::Transport;
use memmap2::{MmapOptions, MmapRaw};
use std::collections::BTreeMap;
use std::fs::File;
use std::os::fd::{AsRawFd, FromRawFd};
use std::path::PathBuf;
use std::sync::{Arc, Mutex};
use std::time::Duration;
use tiledma_contract::regs::BAR0_BYTES;
use vfio_bindings::bindings::vfio::{
    VFIO_PCI_BAR0_REGION_INDEX, VFIO_PCI_CONFIG_REGION_INDEX, VFIO_PCI_INTX_IRQ_INDEX,
    VFIO_PCI_MSI_IRQ_INDEX, VFIO_REGION_INFO_FLAG_MMAP,
};
use vfio_ioctls::{VfioContainer, VfioDevice, VfioOps};
use vmm_sys_util::eventfd::{EventFd, EFD_NONBLOCK};

/// PCI Command register: memory space and bus master enable.
const PCI_COMMAND: u64 = 0x04;
const PCI_COMMAND_MEMORY: u16 = 1 << 1;
const PCI_COMMAND_MASTER: u16 = 1 << 2;

/// How BAR0 is reached.
enum Bar {
    Mapped(MmapRaw),
    /// Through pread/pwrite on the device file.
    Region,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum IrqKind {
    Msi,
    Intx,
}

/// A card opened through kernel VFIO.
pub struct VfioTransport {
    address: String,
    // Declared before the container: the device closes first.
    device: VfioDevice,
    container: Arc<VfioContainer>,
    bar: Bar,
    irq: EventFd,
    irq_kind: IrqKind,
    irq_count: Mutex<u64>,
    /// How the kernel resets the function (sysfs `reset_method`), if it can.
    reset_method: Option<String>,
    /// IOVA → size of each live DMA mapping.
    maps: Mutex<BTreeMap<u64, u64>>,
}

impl VfioTransport {
    /// Opens the card at PCI address `address` (bound to vfio-pci).
    pub fn open(address: &str) -> Result<Self, String> {
        let address = parse_address(address)?;
        let (sysfs, group) = preflight::check(&address)?;
        let container =
            Arc::new(VfioContainer::new(None).map_err(|e| format!("VFIO container: {e}"))?);
        let device = VfioDevice::new(&sysfs, container.clone() as Arc<dyn VfioOps>, false)
            .map_err(|e| format!("VFIO device {address} (group {group}): {e}"))?;
        // A known state before anything else: a function reset if the
        // device has one, then memory decoding and bus mastering on (the
        // card's DMA is refused without Bus Master Enable).
        let reset_method = std::fs::read_to_string(sysfs.join("reset_method"))
            .ok()
            .map(|s| s.trim().to_string())
            .filter(|s| !s.is_empty());
        reset_and_enable(&device);

        let size = device.get_region_size(VFIO_PCI_BAR0_REGION_INDEX);
        if size < BAR0_BYTES as u64 {
            return Err(format!(
                "{address}: BAR0 is {size:#x} bytes, a tiledma card has {BAR0_BYTES:#x}"
            ));
        }
        let bar = if device.get_region_flags(VFIO_PCI_BAR0_REGION_INDEX)
            & VFIO_REGION_INFO_FLAG_MMAP
            != 0
        {
            // SAFETY: the device fd is valid for the device's lifetime and
            // is only borrowed here (ManuallyDrop: the File never closes it).
            let file =
                std::mem::ManuallyDrop::new(unsafe { File::from_raw_fd(device.as_raw_fd()) });
            let map = MmapOptions::new()
                .offset(device.get_region_offset(VFIO_PCI_BAR0_REGION_INDEX))
                .len(BAR0_BYTES as usize)
                .map_raw(&*file)
                .map_err(|e| format!("{address}: mapping BAR0: {e}"))?;
            Bar::Mapped(map)
        } else {
            Bar::Region
        };

        let irq = EventFd::new(EFD_NONBLOCK).map_err(|e| format!("eventfd: {e}"))?;
        let offers = |i| device.get_irq_info(i).is_some_and(|x| x.count > 0);
        let irq_kind = if offers(VFIO_PCI_MSI_IRQ_INDEX) {
            device
                .enable_msi(vec![&irq])
                .map_err(|e| format!("{address}: enabling MSI: {e}"))?;
            IrqKind::Msi
        } else if offers(VFIO_PCI_INTX_IRQ_INDEX) {
            device
                .enable_irq(VFIO_PCI_INTX_IRQ_INDEX, vec![&irq])
                .map_err(|e| format!("{address}: enabling INTx: {e}"))?;
            IrqKind::Intx
        } else {
            return Err(format!("{address} offers neither MSI nor INTx"));
        };
        Ok(Self {
            address,
            device,
            container,
            bar,
            irq,
            irq_kind,
            irq_count: Mutex::new(0),
            reset_method,
            maps: Mutex::new(BTreeMap::new()),
        })
    }

    fn register(&self, offset: u32) -> &volatile_register::RW<u32> {
        let Bar::Mapped(map) = &self.bar else {
            unreachable!("only for a mapped BAR")
        };
        assert!(
            offset.is_multiple_of(4) && offset < BAR0_BYTES,
            "BAR0 offset {offset:#x}"
        );
        // SAFETY: aligned and inside the mapping, which lives as long as
        // self; registers are only touched through volatile accesses.
        unsafe { &*(map.as_mut_ptr().add(offset as usize) as *const volatile_register::RW<u32>) }
    }
}

impl Transport for VfioTransport {
    fn read32(&self, offset: u32) -> u32 {
        match &self.bar {
            Bar::Mapped(_) => self.register(offset).read(),
            Bar::Region => {
                let mut b = [0u8; 4];
                self.device
                    .region_read(VFIO_PCI_BAR0_REGION_INDEX, &mut b, offset as u64);
                u32::from_le_bytes(b)
            }
        }
    }

    fn write32(&self, offset: u32, value: u32) {
        match &self.bar {
            // SAFETY: a device register; the write is the intended effect.
            Bar::Mapped(_) => unsafe { self.register(offset).write(value) },
            Bar::Region => self.device.region_write(
                VFIO_PCI_BAR0_REGION_INDEX,
                &value.to_le_bytes(),
                offset as u64,
            ),
        }
    }

    unsafe fn dma_map(&self, host: *mut u8, len: u64, iova: u64) -> Result<(), String> {
        // SAFETY: the caller keeps the memory alive until dma_unmap and
        // touches it only through raw pointers (Transport::dma_map).
        unsafe { self.container.vfio_dma_map(iova, len as usize, host) }
            .map_err(|e| preflight::explain_map_failure(&format!("{e:?}: {e}"), len))?;
        self.maps.lock().unwrap().insert(iova, len);
        Ok(())
    }

    fn dma_unmap(&self, iova: u64) -> Result<(), String> {
        let len = self
            .maps
            .lock()
            .unwrap()
            .remove(&iova)
            .ok_or_else(|| format!("nothing is mapped at IOVA {iova:#x}"))?;
        self.container
            .vfio_dma_unmap(iova, len as usize)
            .map_err(|e| e.to_string())
    }

    fn wait_interrupt(&self, seen: u64, timeout: Duration) -> u64 {
        let mut count = self.irq_count.lock().unwrap();
        if *count <= seen {
            let mut pfd = libc::pollfd {
                fd: self.irq.as_raw_fd(),
                events: libc::POLLIN,
                revents: 0,
            };
            let ms = timeout.as_millis().min(i32::MAX as u128) as i32;
            // SAFETY: one valid pollfd.
            if unsafe { libc::poll(&mut pfd, 1, ms) } > 0 {
                if let Ok(n) = self.irq.read() {
                    *count += n;
                    if self.irq_kind == IrqKind::Intx {
                        // VFIO masked the line when it fired.
                        let _ = self.device.unmask_irq(VFIO_PCI_INTX_IRQ_INDEX);
                    }
                }
            }
        }
        *count
    }

    fn describe(&self) -> String {
        format!(
            "VFIO {} ({}, BAR0 {}, {:?} interrupts, reset at open: {})",
            self.address,
            self.device_path().display(),
            match self.bar {
                Bar::Mapped(_) => "mapped",
                Bar::Region => "by region access",
            },
            self.irq_kind,
            self.reset_method
                .as_deref()
                .unwrap_or("none (the function has no reset)")
        )
    }

    fn reset(&self) -> Result<(), String> {
        if self.reset_method.is_none() {
            return Err(format!(
                "{}: the kernel has no reset method for it",
                self.address
            ));
        }
        reset_and_enable(&self.device);
        Ok(())
    }
}

/// A function reset (if the kernel has a method), then memory decoding
/// and Bus Master Enable on.
fn reset_and_enable(device: &VfioDevice) {
    device.reset();
    let mut cmd = [0u8; 2];
    device.region_read(VFIO_PCI_CONFIG_REGION_INDEX, &mut cmd, PCI_COMMAND);
    let on = u16::from_le_bytes(cmd) | PCI_COMMAND_MEMORY | PCI_COMMAND_MASTER;
    device.region_write(VFIO_PCI_CONFIG_REGION_INDEX, &on.to_le_bytes(), PCI_COMMAND);
}

impl VfioTransport {
    fn device_path(&self) -> PathBuf {
        PathBuf::from("/sys/bus/pci/devices").join(&self.address)
    }
}

impl Drop for VfioTransport {
    fn drop(&mut self) {
        let _ = match self.irq_kind {
            IrqKind::Msi => self.device.disable_msi(),
            IrqKind::Intx => self.device.disable_irq(VFIO_PCI_INTX_IRQ_INDEX),
        };
        for (iova, len) in std::mem::take(&mut *self.maps.lock().unwrap()) {
            let _ = self.container.vfio_dma_unmap(iova, len as usize);
        }
    }
}
