//! The simulated card answers on BAR0: identity, capabilities, host-owned
//! and card-owned register banks, and the interrupt path.

use tiledma_contract::regs::*;
use tiledma_sim::card::{CardConfig, SimCard};

#[test]
fn bar0_identity_and_registers() {
    let card = SimCard::start(CardConfig::default()).unwrap();
    assert_eq!(card.read32(ID), ID_VALUE);
    assert_eq!(card.read32(VERSION), VERSION_VALUE);
    for (off, v) in tiledma_hdl::card::HW_CONSTANTS {
        assert_eq!(card.read32(off), v, "register {off:#x}");
    }
    card.write32(CMD_RING_ENTRIES, 64);
    card.write32(WINDOW_BASE + 0xF0 + 12, 0xdead_beef);
    assert_eq!(card.read32(CMD_RING_ENTRIES), 64);
    assert_eq!(card.read32(WINDOW_BASE + 0xFC), 0xdead_beef);
    // Card-owned registers are read-only for the host.
    card.write32(FW_STATUS, 7);
    assert_eq!(card.read32(FW_STATUS), 0);
    let c0 = card.read32(CYCLES_LO);
    let c1 = card.read32(CYCLES_LO);
    assert!(c1 > c0, "cycle counter runs");
    assert_eq!(card.read32(CONTROL), 0, "CPU held in reset at power-on");
}

/// Firmware-RAM window writes must not alias onto the registers (0x1040C
/// once started the CPU in the middle of a firmware load).
#[test]
fn firmware_window_does_not_alias_registers() {
    let card = SimCard::start(CardConfig::default()).unwrap();
    for off in [CONTROL, IRQ_STATUS, IRQ_MASK, CMD_RING_ENTRIES] {
        card.write32(FW_RAM_WINDOW + off, 0xFFFF_FFFF);
    }
    assert_eq!(card.read32(CONTROL), 0);
    assert_eq!(card.read32(IRQ_MASK), 0);
    assert_ne!(card.read32(CMD_RING_ENTRIES), 0xFFFF_FFFF);
}
