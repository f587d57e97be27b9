//! Burst splitting: how many beats the next burst from `addr` may carry.
//!
//! A burst ends at the first of: the beats left in the row, the longest burst
//! ([`tiledma_contract::bus::MAX_BURST_BEATS`]) and the next 4 KiB boundary.
//! The address and write-data sides both use this block, so they agree on
//! where every burst ends.

use rust_hdl::prelude::*;
use tiledma_contract::bus::{BURST_BOUNDARY, MAX_BURST_BEATS};

/// Combinational burst-length calculator for a bus of `2^beat_shift` bytes.
#[derive(LogicBlock)]
pub struct BurstSplit {
    /// Beat-aligned address of the burst's first beat.
    pub addr: Signal<In, Bits<64>>,
    /// Beats still to transfer in this row (at least 1 when used).
    pub beats_left: Signal<In, Bits<32>>,
    /// Beats in the burst: 1..=MAX_BURST_BEATS.
    pub beats: Signal<Out, Bits<32>>,
    to_boundary: Signal<Local, Bits<32>>,
    capped: Signal<Local, Bits<32>>,
    beat_shift: Constant<Bits<32>>,
    boundary: Constant<Bits<32>>,
    max_beats: Constant<Bits<32>>,
}

impl BurstSplit {
    /// A splitter for a bus of `beat_bytes` bytes per beat (a power of two).
    pub fn new(beat_bytes: usize) -> Self {
        assert!(beat_bytes.is_power_of_two());
        Self {
            beat_shift: Constant::new(bits(beat_bytes.trailing_zeros() as u64)),
            boundary: Constant::new(bits(BURST_BOUNDARY)),
            max_beats: Constant::new(bits(MAX_BURST_BEATS as u64)),
            addr: Default::default(),
            beats_left: Default::default(),
            beats: Default::default(),
            to_boundary: Default::default(),
            capped: Default::default(),
        }
    }
}

impl Logic for BurstSplit {
    #[hdl_gen]
    fn update(&mut self) {
        // Beats until the 4 KiB boundary: (4096 - addr % 4096) / beat_bytes.
        self.to_boundary.next = (self.boundary.val()
            - (bit_cast::<32, 64>(self.addr.val()) & (self.boundary.val() - 1)))
            >> self.beat_shift.val();
        // (A signal is never read in the block that writes it: rust-hdl's
        // native simulator would not settle.)
        self.capped.next = self.beats_left.val();
        if self.max_beats.val() < self.beats_left.val() {
            self.capped.next = self.max_beats.val();
        }
        self.beats.next = self.capped.val();
        if self.to_boundary.val() < self.capped.val() {
            self.beats.next = self.to_boundary.val();
        }
    }
}
