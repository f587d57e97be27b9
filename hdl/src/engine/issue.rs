//! Burst issuer: turns rows (address, length) into aligned bursts on an
//! address channel (AR for reads, AW for writes).
//!
//! A row may start and end anywhere; its bursts cover every beat that holds
//! one of its bytes. The parent gates each burst with `allow` (read-buffer
//! credits, or outstanding write responses), computed from `beats`. On
//! `abort` it stops at once and discards the rows still waiting.

use super::burst::BurstSplit;
use rust_hdl::prelude::*;

/// Row-to-burst address generator for a bus of `beat_bytes` bytes per beat.
#[derive(LogicBlock)]
pub struct BurstIssuer {
    /// Clock.
    pub clock: Signal<In, Clock>,
    /// Synchronous reset: drops the current row.
    pub reset: Signal<In, Bit>,
    // ---- row input (head of a row FIFO) ----
    /// A row is waiting.
    pub row_valid: Signal<In, Bit>,
    /// Byte address of the row's first byte.
    pub row_addr: Signal<In, Bits<64>>,
    /// Bytes in the row (> 0).
    pub row_len: Signal<In, Bits<32>>,
    /// Take the waiting row this cycle.
    pub row_pop: Signal<Out, Bit>,
    // ---- burst output (address channel) ----
    /// The parent permits the burst now on offer (`beats` long).
    pub allow: Signal<In, Bit>,
    /// Beats in the burst now on offer.
    pub beats: Signal<Out, Bits<32>>,
    /// Address channel valid.
    pub valid: Signal<Out, Bit>,
    /// Beat-aligned burst address.
    pub addr: Signal<Out, Bits<64>>,
    /// Burst length field: beats - 1.
    pub len: Signal<Out, Bits<8>>,
    /// Address channel ready.
    pub ready: Signal<In, Bit>,
    /// A burst was accepted this cycle.
    pub fire: Signal<Out, Bit>,
    /// A row is in progress.
    pub busy: Signal<Out, Bit>,
    /// The descriptor failed: issue nothing more, discard waiting rows.
    pub abort: Signal<In, Bit>,
    split: BurstSplit,
    active: DFF<Bit>,
    cur_addr: DFF<Bits<64>>,
    beats_left: DFF<Bits<32>>,
    last_burst: Signal<Local, Bit>,
    row_beats: Signal<Local, Bits<40>>,
    offset_mask: Constant<Bits<64>>,
    beat_shift: Constant<Bits<64>>,
}

impl BurstIssuer {
    /// An issuer for a bus of `beat_bytes` bytes per beat (a power of two).
    pub fn new(beat_bytes: usize) -> Self {
        Self {
            split: BurstSplit::new(beat_bytes),
            offset_mask: Constant::new(bits(beat_bytes as u64 - 1)),
            beat_shift: Constant::new(bits(beat_bytes.trailing_zeros() as u64)),
            clock: Default::default(),
            reset: Default::default(),
            row_valid: Default::default(),
            row_addr: Default::default(),
            row_len: Default::default(),
            row_pop: Default::default(),
            allow: Default::default(),
            beats: Default::default(),
            valid: Default::default(),
            addr: Default::default(),
            len: Default::default(),
            ready: Default::default(),
            fire: Default::default(),
            busy: Default::default(),
            abort: Default::default(),
            active: Default::default(),
            cur_addr: Default::default(),
            beats_left: Default::default(),
            last_burst: Default::default(),
            row_beats: Default::default(),
        }
    }
}

impl Logic for BurstIssuer {
    #[hdl_gen]
    fn update(&mut self) {
        dff_setup!(self, clock, active, cur_addr, beats_left);
        self.split.addr.next = self.cur_addr.q.val();
        self.split.beats_left.next = self.beats_left.q.val();
        self.beats.next = self.split.beats.val();
        self.addr.next = self.cur_addr.q.val();
        self.len.next = bit_cast::<8, 32>(self.split.beats.val() - 1);
        self.valid.next = self.active.q.val() && self.allow.val() && !self.abort.val();
        self.fire.next = self.valid.val() && self.ready.val();
        self.busy.next = self.active.q.val();
        self.last_burst.next = self.split.beats.val() == self.beats_left.q.val();
        // Beats the waiting row touches: ceil((addr % beat + len) / beat).
        self.row_beats.next = (bit_cast::<40, 64>(self.row_addr.val() & self.offset_mask.val())
            + bit_cast::<40, 32>(self.row_len.val())
            + bit_cast::<40, 64>(self.offset_mask.val()))
            >> self.beat_shift.val();
        self.row_pop.next = self.row_valid.val()
            && (!self.active.q.val() || (self.fire.val() && self.last_burst.val()));
        if self.fire.val() {
            self.cur_addr.d.next = self.cur_addr.q.val()
                + (bit_cast::<64, 32>(self.split.beats.val()) << self.beat_shift.val());
            self.beats_left.d.next = self.beats_left.q.val() - self.split.beats.val();
            if self.last_burst.val() {
                self.active.d.next = false;
            }
        }
        if self.row_pop.val() {
            self.active.d.next = true;
            self.cur_addr.d.next = self.row_addr.val() & !self.offset_mask.val();
            self.beats_left.d.next = bit_cast::<32, 40>(self.row_beats.val());
        }
        if self.abort.val() {
            self.row_pop.next = self.row_valid.val();
            self.active.d.next = false;
        }
        if self.reset.val() {
            self.active.d.next = false;
        }
    }
}
