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
    /// Starts reading the 64-byte beat at `addr` (64-byte aligned) of the
    /// DMA space; [`Hardware::bridge_wait`] waits for it, then
    /// [`Hardware::beat_word`] gives its words. The processor may do other
    /// work (but no other bridge access) while the read is under way.
    fn start_read(&mut self, addr: u64);
    /// Waits for the bridge access under way (a read started by
    /// [`Hardware::start_read`]) and returns its outcome.
    fn bridge_wait(&mut self) -> Result<(), BusError>;
    /// Word `i` (0..16, little-endian) of the beat read last.
    fn beat_word(&self, i: usize) -> u32;
    /// Writes `words` at `addr` (4-byte aligned; the words stay inside one
    /// 64-byte beat) and waits for the write's response. Only those bytes
    /// are written.
    fn write_words(&mut self, addr: u64, words: &[u32]) -> Result<(), BusError>;
    /// The engine can take a descriptor now.
    fn engine_ready(&self) -> bool;
    /// Queues a descriptor (only when [`Hardware::engine_ready`]).
    fn engine_push(&mut self, desc: &EngineDescriptor);
    /// Takes the oldest engine status: `(tag, error code)`.
    fn engine_status(&mut self) -> Option<(u16, u8)>;
    /// Raises the completion interrupt.
    fn raise_irq(&mut self);
}
