//! What a driver gets from the platform: BAR0, DMA mappings, interrupts.
//! Two implementations sit behind this trait: the simulated card (here) and
//! kernel VFIO ([`crate::vfio`]). Nothing above this trait knows which one runs.

use std::time::Duration;
use tiledma_contract::regs::{CYCLES_HI, CYCLES_LO};
use tiledma_contract::trace::CardEvent;
#[cfg(feature = "sim")]
use tiledma_sim::card::{CardConfig, SimCard};

/// The card's transport surface.
pub trait Transport: Send + Sync {
    /// 32-bit read of BAR0 at `offset`.
    fn read32(&self, offset: u32) -> u32;
    /// 32-bit write of BAR0 at `offset`.
    fn write32(&self, offset: u32, value: u32);
    /// Maps `len` bytes at `host` for the card at `iova`.
    ///
    /// # Safety
    /// The memory must stay allocated until [`Transport::dma_unmap`]; the card
    /// may read and write it at any time.
    unsafe fn dma_map(&self, host: *mut u8, len: u64, iova: u64) -> Result<(), String>;
    /// Removes the mapping that starts at `iova`.
    fn dma_unmap(&self, iova: u64) -> Result<(), String>;
    /// Waits until more than `seen` interrupts have arrived or `timeout`
    /// passes; returns the interrupt count.
    fn wait_interrupt(&self, seen: u64, timeout: Duration) -> u64;
    /// A short description for `tiledma info`.
    fn describe(&self) -> String;
    /// Resets the card as a PCI function reset does (registers, soft core,
    /// engine; DMA mappings stay), leaving it enabled for DMA again.
    fn reset(&self) -> Result<(), String>;
    /// The card's cycle count now, to timestamp the host's trace marks
    /// (the `CYCLES` registers unless the transport knows it directly).
    fn cycles_now(&self) -> u64 {
        read_cycle_registers(|offset| self.read32(offset))
    }
    /// Starts or stops recording the card's own events; only a simulated
    /// card has any.
    fn set_card_tracing(&self, _on: bool) {}
    /// The card events recorded so far (see [`Transport::set_card_tracing`]).
    fn take_card_events(&self) -> Vec<CardEvent> {
        Vec::new()
    }
    /// Starts or stops counting cycles per soft-core instruction address
    /// (the firmware profile); only a simulated card can.
    fn set_cpu_profiling(&self, _on: bool) {}
    /// Cycles per firmware address since the last call (entry `a / 2` for
    /// address `a`); empty when the transport cannot count them.
    fn take_cpu_profile(&self) -> Vec<u64> {
        Vec::new()
    }
}

/// The card's 64-bit cycle counter from its two BAR0 registers: high, low,
/// high again, so a carry between the reads is caught.
pub(crate) fn read_cycle_registers(read32: impl Fn(u32) -> u32) -> u64 {
    loop {
        let hi = read32(CYCLES_HI);
        let lo = read32(CYCLES_LO);
        if read32(CYCLES_HI) == hi {
            return (hi as u64) << 32 | lo as u64;
        }
    }
}

/// The simulated card (Verilator model in its own thread).
#[cfg(feature = "sim")]
pub struct SimTransport {
    card: SimCard,
}

#[cfg(feature = "sim")]
impl SimTransport {
    /// Powers on a simulated card.
    pub fn start(config: CardConfig) -> std::io::Result<Self> {
        Ok(Self {
            card: SimCard::start(config)?,
        })
    }

    /// Card cycles simulated so far.
    pub fn cycles(&self) -> u64 {
        self.card.cycles()
    }

    /// The card itself, to inject faults into it.
    pub fn card(&self) -> &SimCard {
        &self.card
    }
}

#[cfg(feature = "sim")]
impl Transport for SimTransport {
    fn read32(&self, offset: u32) -> u32 {
        self.card.read32(offset)
    }
    fn write32(&self, offset: u32, value: u32) {
        // Posted, as on PCIe: the host does not wait for the card.
        self.card.write32_posted(offset, value)
    }
    unsafe fn dma_map(&self, host: *mut u8, len: u64, iova: u64) -> Result<(), String> {
        self.card
            .dma_map(host, len, iova)
            .map_err(|e| e.to_string())
    }
    fn dma_unmap(&self, iova: u64) -> Result<(), String> {
        self.card.dma_unmap(iova).map_err(|e| e.to_string())
    }
    fn wait_interrupt(&self, seen: u64, timeout: Duration) -> u64 {
        self.card.wait_interrupt(seen, timeout)
    }
    fn describe(&self) -> String {
        "simulated card (Verilator: PicoRV32 + copy engine, 64 B/beat)".into()
    }
    fn reset(&self) -> Result<(), String> {
        self.card.reset();
        Ok(())
    }
    fn cycles_now(&self) -> u64 {
        // Exact and free: no BAR access to perturb the timeline.
        self.card.cycles()
    }
    fn set_card_tracing(&self, on: bool) {
        self.card.set_tracing(on)
    }
    fn take_card_events(&self) -> Vec<CardEvent> {
        self.card.take_events()
    }
    fn set_cpu_profiling(&self, on: bool) {
        self.card.set_profiling(on)
    }
    fn take_cpu_profile(&self) -> Vec<u64> {
        self.card.take_profile()
    }
}
