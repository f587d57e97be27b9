//! What the command processor needs from the card.

use tiledma_contract::EngineDescriptor;

/// A bus error on a bridge access (unmapped IOVA, target error).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct BusError;

/// The card as the firmware sees it.
pub trait Hardware {
    /// Reads a register of the register block (BAR0 offset).
    fn reg(&self, offset: u32) -> u32;
    /// Writes a card-owned register (BAR0 offset `0x200..0x400`).
    fn set_reg(&mut self, offset: u32, value: u32);
    /// The card's free-running cycle counter.
    fn cycles(&self) -> u64;
    /// Reads the 64-byte beat at `addr` (64-byte aligned) of the DMA space.
    fn read_beat(&mut self, addr: u64) -> Result<[u8; 64], BusError>;
    /// Writes the bytes of `data` selected by `strobes` at `addr` (aligned).
    fn write_beat(&mut self, addr: u64, data: &[u8; 64], strobes: u64) -> Result<(), BusError>;
    /// The engine can take a descriptor now.
    fn engine_ready(&self) -> bool;
    /// Queues a descriptor (only when [`Hardware::engine_ready`]).
    fn engine_push(&mut self, desc: &EngineDescriptor);
    /// Takes the oldest engine status: `(tag, error code)`.
    fn engine_status(&mut self) -> Option<(u16, u8)>;
    /// Raises the completion interrupt.
    fn raise_irq(&mut self);
}
