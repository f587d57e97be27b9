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
    /// Reads the 64-byte beat at `addr` (64-byte aligned) of the DMA space,
    /// as 16 little-endian words.
    fn read_beat(&mut self, addr: u64) -> Result<[u32; 16], BusError>;
    /// Writes the words of `data` whose 4-byte groups `strobes` selects
    /// (bit i = byte i) at `addr` (aligned).
    fn write_beat(&mut self, addr: u64, data: &[u32; 16], strobes: u64) -> Result<(), BusError>;
    /// The engine can take a descriptor now.
    fn engine_ready(&self) -> bool;
    /// Queues a descriptor (only when [`Hardware::engine_ready`]).
    fn engine_push(&mut self, desc: &EngineDescriptor);
    /// Takes the oldest engine status: `(tag, error code)`.
    fn engine_status(&mut self) -> Option<(u16, u8)>;
    /// Raises the completion interrupt.
    fn raise_irq(&mut self);
}
