//! The card's PCI configuration space, as the vfio-user server presents it:
//! a type-0 header with BAR0 (32-bit memory, [`BAR0_BYTES`]), INTx pin A,
//! an MSI capability (one vector, 64-bit address) and a power-management
//! capability without No_Soft_Reset, so that D3hot → D0 resets the
//! function: the reset a kernel (`reset_method` "pm") can ask for.
//!
//! The client (QEMU's vfio-user-pci) virtualises BAR addresses and the MSI
//! capability itself; what it takes from here is the identity, the BAR's
//! type, the capability list, and the live bits: Command (memory space,
//! bus master, INTx disable) and Status.INTERRUPT, which a guest's
//! vfio-pci reads to tell whether INTx is this device's.

use tiledma_contract::regs::{BAR0_BYTES, PCI_CLASS_CODE, PCI_DEVICE_ID, PCI_VENDOR_ID};

/// Config space size served (the conventional PCI header and capabilities).
pub const CONFIG_BYTES: usize = 256;

const COMMAND: usize = 0x04;
const STATUS: usize = 0x06;
const BAR0: usize = 0x10;
const CAP_PTR: usize = 0x34;
const INTERRUPT_LINE: usize = 0x3c;
const MSI_CAP: usize = 0x40;
const PM_CAP: usize = 0x58;
/// PMCSR: the power state field (0 = D0, 3 = D3hot).
const PMCSR: usize = PM_CAP + 4;

/// Command register bits.
pub const COMMAND_MEMORY: u16 = 1 << 1;
/// Command: Bus Master Enable.
pub const COMMAND_BUS_MASTER: u16 = 1 << 2;
/// Command: INTx disable.
pub const COMMAND_INTX_DISABLE: u16 = 1 << 10;
const STATUS_INTERRUPT: u16 = 1 << 3;
const STATUS_CAP_LIST: u16 = 1 << 4;

/// Bits software may write, per byte (everything else is read-only).
fn writable_mask(offset: usize) -> u8 {
    let bar_mask = (!(BAR0_BYTES - 1)).to_le_bytes();
    match offset {
        // Command: memory space, bus master, INTx disable.
        0x04 => (COMMAND_MEMORY | COMMAND_BUS_MASTER) as u8,
        0x05 => (COMMAND_INTX_DISABLE >> 8) as u8,
        // BAR0 address bits above its size; the low 4 bits are its type.
        0x10 => bar_mask[0] & 0xf0,
        0x11..=0x13 => bar_mask[offset - 0x10],
        0x3c => 0xff,
        // MSI: enable bit of Message Control; address and data.
        o if o == MSI_CAP + 2 => 0x01,
        // MSI address (dword-aligned: low 2 bits read-only), upper address, data.
        o if o == MSI_CAP + 4 => 0xfc,
        o if (MSI_CAP + 5..MSI_CAP + 14).contains(&o) => 0xff,
        PMCSR => 0x03,
        _ => 0,
    }
}

/// The configuration space's bytes.
#[derive(Clone)]
pub struct PciConfig {
    bytes: [u8; CONFIG_BYTES],
}

impl Default for PciConfig {
    fn default() -> Self {
        let mut b = [0u8; CONFIG_BYTES];
        b[0..2].copy_from_slice(&PCI_VENDOR_ID.to_le_bytes());
        b[2..4].copy_from_slice(&PCI_DEVICE_ID.to_le_bytes());
        b[STATUS..STATUS + 2].copy_from_slice(&STATUS_CAP_LIST.to_le_bytes());
        b[0x08] = 1; // revision
        b[0x09..0x0c].copy_from_slice(&PCI_CLASS_CODE.to_le_bytes()[..3]);
        // BAR0: memory, 32-bit, not prefetchable (type bits 0).
        b[0x2c..0x2e].copy_from_slice(&PCI_VENDOR_ID.to_le_bytes());
        b[0x2e..0x30].copy_from_slice(&PCI_DEVICE_ID.to_le_bytes());
        b[CAP_PTR] = MSI_CAP as u8;
        b[INTERRUPT_LINE + 1] = 1; // INTA#
        b[MSI_CAP] = 0x05; // MSI
        b[MSI_CAP + 1] = PM_CAP as u8;
        b[MSI_CAP + 2] = 1 << 7; // 64-bit address capable, one vector
        b[PM_CAP] = 0x01; // power management
        b[PM_CAP + 1] = 0; // end of list
        b[PM_CAP + 2] = 0x03; // PMC: version 1.2, no PME
                              // PMCSR: D0, No_Soft_Reset clear.
        Self { bytes: b }
    }
}

impl PciConfig {
    /// Reads `buf.len()` bytes at `offset`; Status.INTERRUPT shows
    /// `irq_pending`. Bytes past the space read as zero.
    pub fn read(&self, offset: u64, buf: &mut [u8], irq_pending: bool) {
        let mut b = self.bytes;
        if irq_pending {
            b[STATUS] |= STATUS_INTERRUPT as u8;
        }
        for (i, v) in buf.iter_mut().enumerate() {
            *v = usize::try_from(offset)
                .ok()
                .and_then(|o| b.get(o + i).copied())
                .unwrap_or(0);
        }
    }

    /// Writes `data` at `offset`, keeping read-only bits. Returns true
    /// when the write moved the function from D3hot to D0, which resets
    /// it (No_Soft_Reset is clear): the caller resets the card, and the
    /// config space is back at its power-on values.
    pub fn write(&mut self, offset: u64, data: &[u8]) -> bool {
        let was_d3 = self.power_state() == 3;
        self.write_bytes(offset, data);
        if was_d3 && self.power_state() == 0 {
            *self = Self::default();
            return true;
        }
        false
    }

    /// The PMCSR power state (0 = D0 … 3 = D3hot).
    pub fn power_state(&self) -> u8 {
        self.bytes[PMCSR] & 3
    }

    fn write_bytes(&mut self, offset: u64, data: &[u8]) {
        for (i, v) in data.iter().enumerate() {
            let Some(o) = usize::try_from(offset).ok().map(|o| o + i) else {
                return;
            };
            if o >= CONFIG_BYTES {
                return;
            }
            let m = writable_mask(o);
            self.bytes[o] = (self.bytes[o] & !m) | (v & m);
        }
    }

    /// The Command register.
    pub fn command(&self) -> u16 {
        u16::from_le_bytes([self.bytes[COMMAND], self.bytes[COMMAND + 1]])
    }

    /// The MSI capability's enable bit.
    pub fn msi_enabled(&self) -> bool {
        self.bytes[MSI_CAP + 2] & 1 != 0
    }

    /// BAR0 as software programmed it.
    pub fn bar0(&self) -> u32 {
        u32::from_le_bytes(self.bytes[BAR0..BAR0 + 4].try_into().unwrap())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn bar_sizing_reads_back_the_size() {
        let mut c = PciConfig::default();
        c.write(BAR0 as u64, &u32::MAX.to_le_bytes());
        assert_eq!(c.bar0(), !(BAR0_BYTES - 1));
        assert_eq!(!(c.bar0() & !0xf) + 1, BAR0_BYTES);
    }

    #[test]
    fn identity_and_read_only_bits() {
        let mut c = PciConfig::default();
        c.write(0, &[0xff; 4]);
        let mut id = [0u8; 4];
        c.read(0, &mut id, false);
        assert_eq!(u16::from_le_bytes([id[0], id[1]]), PCI_VENDOR_ID);
        assert_eq!(u16::from_le_bytes([id[2], id[3]]), PCI_DEVICE_ID);
        c.write(COMMAND as u64, &0xffffu16.to_le_bytes());
        assert_eq!(
            c.command(),
            COMMAND_MEMORY | COMMAND_BUS_MASTER | COMMAND_INTX_DISABLE
        );
    }

    #[test]
    fn d3hot_to_d0_resets_the_function() {
        let mut c = PciConfig::default();
        c.write(COMMAND as u64, &COMMAND_BUS_MASTER.to_le_bytes());
        assert!(!c.write(PMCSR as u64, &[3]));
        assert_eq!(c.power_state(), 3);
        assert!(c.write(PMCSR as u64, &[0]));
        assert_eq!(c.command(), 0, "config space back at power-on values");
        assert!(!c.write(PMCSR as u64, &[0]), "D0 → D0 is no reset");
    }

    #[test]
    fn status_shows_the_interrupt_and_the_capability_list() {
        let c = PciConfig::default();
        let mut s = [0u8; 2];
        c.read(STATUS as u64, &mut s, true);
        assert_eq!(u16::from_le_bytes(s), STATUS_CAP_LIST | STATUS_INTERRUPT);
        c.read(STATUS as u64, &mut s, false);
        assert_eq!(u16::from_le_bytes(s), STATUS_CAP_LIST);
        let mut cap = [0u8; 1];
        c.read(CAP_PTR as u64, &mut cap, false);
        assert_eq!(cap[0] as usize, MSI_CAP);
    }
}
