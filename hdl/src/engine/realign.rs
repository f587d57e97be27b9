//! Write-data side: realigns source beats to destination alignment and
//! drives the W channel.
//!
//! Per row, with source offset `so` and destination offset `do` inside their
//! first beats, each output beat is two neighbouring input beats shifted by
//! `rot = (do - so) mod beat`: `out = prev >> (beat - rot) | cur << rot`
//! (in bytes). When `do < so` the first output beat needs two input beats,
//! so one beat is primed into `prev` first (one bubble per such row).
//! First and last beats carry partial byte strobes. A beat that came back
//! with a read error, and everything after it (`abort`), is written with
//! no strobes, so a failed copy never writes bad data.

use super::burst::BurstSplit;
use rust_hdl::prelude::*;

/// Realigner and W-channel driver; `D` data bits, `S = D / 8` strobe bits.
#[derive(LogicBlock)]
pub struct WriteData<const D: usize, const S: usize> {
    /// Clock.
    pub clock: Signal<In, Clock>,
    /// Synchronous reset: drops the current row.
    pub reset: Signal<In, Bit>,
    // ---- row input ----
    /// A row is waiting.
    pub row_valid: Signal<In, Bit>,
    /// Destination byte address of the row.
    pub row_dst: Signal<In, Bits<64>>,
    /// Offset of the row's first source byte within its beat.
    pub row_src_off: Signal<In, Bits<8>>,
    /// Bytes in the row (> 0).
    pub row_len: Signal<In, Bits<32>>,
    /// Take the waiting row this cycle.
    pub row_pop: Signal<Out, Bit>,
    // ---- read data input (head of the read buffer) ----
    /// A read beat is waiting.
    pub data_valid: Signal<In, Bit>,
    /// The read beat.
    pub data: Signal<In, Bits<D>>,
    /// The read beat came back with an error response.
    pub data_err: Signal<In, Bit>,
    /// Take the read beat this cycle.
    pub data_pop: Signal<Out, Bit>,
    /// The descriptor has failed: write nothing more. Only the beats the
    /// address side already announced are sent (no strobes, no waiting for
    /// data); then the row and the waiting rows are dropped.
    pub abort: Signal<In, Bit>,
    /// Announced write beats (AW) not yet sent on W.
    pub beats_owed: Signal<In, Bits<32>>,
    // ---- W channel ----
    /// W valid.
    pub w_valid: Signal<Out, Bit>,
    /// W data.
    pub w_data: Signal<Out, Bits<D>>,
    /// W byte strobes.
    pub w_strb: Signal<Out, Bits<S>>,
    /// Last beat of a burst.
    pub w_last: Signal<Out, Bit>,
    /// W ready.
    pub w_ready: Signal<In, Bit>,
    // ---- events ----
    /// A W beat was accepted this cycle.
    pub w_fire: Signal<Out, Bit>,
    /// A row's last beat was accepted this cycle.
    pub row_done: Signal<Out, Bit>,
    /// Bytes in the current row (for the bytes-moved counter).
    pub row_bytes: Signal<Out, Bits<32>>,
    /// A beat with a read error was consumed this cycle.
    pub read_error: Signal<Out, Bit>,
    /// A row is in progress.
    pub busy: Signal<Out, Bit>,
    split: BurstSplit,
    active: DFF<Bit>,
    prime: DFF<Bit>,
    first: DFF<Bit>,
    prev: DFF<Bits<D>>,
    rot: DFF<Bits<8>>,
    in_left: DFF<Bits<32>>,
    out_left: DFF<Bits<32>>,
    beat_addr: DFF<Bits<64>>,
    burst_left: DFF<Bits<32>>,
    first_strb: DFF<Bits<S>>,
    last_strb: DFF<Bits<S>>,
    cur_len: DFF<Bits<32>>,
    need_in: Signal<Local, Bit>,
    cur: Signal<Local, Bits<D>>,
    burst_now: Signal<Local, Bits<32>>,
    last_beat: Signal<Local, Bit>,
    head_strb: Signal<Local, Bits<S>>,
    tail_strb: Signal<Local, Bits<S>>,
    shr_bits: Signal<Local, Bits<16>>,
    shl_bits: Signal<Local, Bits<16>>,
    dst_off: Signal<Local, Bits<8>>,
    end_off: Signal<Local, Bits<8>>,
    out_beats: Signal<Local, Bits<40>>,
    in_beats: Signal<Local, Bits<40>>,
    beat_bytes: Constant<Bits<8>>,
    offset_mask: Constant<Bits<8>>,
    addr_mask: Constant<Bits<64>>,
    beat_shift: Constant<Bits<8>>,
    strb_ones: Constant<Bits<S>>,
}

impl<const D: usize, const S: usize> WriteData<D, S> {
    /// A write side for a bus of `S` bytes per beat.
    pub fn new() -> Self {
        assert!(S.is_power_of_two() && D == 8 * S && S <= 128);
        Self {
            split: BurstSplit::new(S),
            beat_bytes: Constant::new(bits(S as u64)),
            offset_mask: Constant::new(bits(S as u64 - 1)),
            addr_mask: Constant::new(bits(!(S as u64 - 1))),
            beat_shift: Constant::new(bits(S.trailing_zeros() as u64)),
            strb_ones: Constant::new(Bits::<S>::mask()),
            clock: Default::default(),
            reset: Default::default(),
            row_valid: Default::default(),
            row_dst: Default::default(),
            row_src_off: Default::default(),
            row_len: Default::default(),
            row_pop: Default::default(),
            data_valid: Default::default(),
            data: Default::default(),
            data_err: Default::default(),
            data_pop: Default::default(),
            abort: Default::default(),
            beats_owed: Default::default(),
            w_valid: Default::default(),
            w_data: Default::default(),
            w_strb: Default::default(),
            w_last: Default::default(),
            w_ready: Default::default(),
            w_fire: Default::default(),
            row_done: Default::default(),
            row_bytes: Default::default(),
            read_error: Default::default(),
            busy: Default::default(),
            active: Default::default(),
            prime: Default::default(),
            first: Default::default(),
            prev: Default::default(),
            rot: Default::default(),
            in_left: Default::default(),
            out_left: Default::default(),
            beat_addr: Default::default(),
            burst_left: Default::default(),
            first_strb: Default::default(),
            last_strb: Default::default(),
            cur_len: Default::default(),
            need_in: Default::default(),
            cur: Default::default(),
            burst_now: Default::default(),
            last_beat: Default::default(),
            head_strb: Default::default(),
            tail_strb: Default::default(),
            shr_bits: Default::default(),
            shl_bits: Default::default(),
            dst_off: Default::default(),
            end_off: Default::default(),
            out_beats: Default::default(),
            in_beats: Default::default(),
        }
    }
}

impl<const D: usize, const S: usize> Default for WriteData<D, S> {
    fn default() -> Self {
        Self::new()
    }
}

impl<const D: usize, const S: usize> Logic for WriteData<D, S> {
    #[hdl_gen]
    fn update(&mut self) {
        dff_setup!(
            self, clock, active, prime, first, prev, rot, in_left, out_left, beat_addr, burst_left,
            first_strb, last_strb, cur_len
        );
        // ---- the beat on offer ----
        self.need_in.next = self.in_left.q.val().any();
        self.cur.next = 0.into();
        if self.need_in.val() {
            self.cur.next = self.data.val();
        }
        self.shr_bits.next = bit_cast::<16, 8>(self.beat_bytes.val() - self.rot.q.val()) << 3;
        self.shl_bits.next = bit_cast::<16, 8>(self.rot.q.val()) << 3;
        self.w_data.next = self.cur.val();
        if self.rot.q.val().any() {
            self.w_data.next = (self.prev.q.val() >> self.shr_bits.val())
                | (self.cur.val() << self.shl_bits.val());
        }
        self.last_beat.next = self.out_left.q.val() == 1;
        self.head_strb.next = self.strb_ones.val();
        if self.first.q.val() {
            self.head_strb.next = self.first_strb.q.val();
        }
        self.tail_strb.next = self.strb_ones.val();
        if self.last_beat.val() {
            self.tail_strb.next = self.last_strb.q.val();
        }
        self.w_strb.next = self.head_strb.val() & self.tail_strb.val();
        if self.abort.val() || (self.need_in.val() && self.data_err.val()) {
            self.w_strb.next = 0.into();
        }
        // A burst ends where the address side's identical splitter ends it.
        self.split.addr.next = self.beat_addr.q.val();
        self.split.beats_left.next = self.out_left.q.val();
        self.burst_now.next = self.burst_left.q.val();
        if !self.burst_left.q.val().any() {
            self.burst_now.next = self.split.beats.val();
        }
        self.w_last.next = self.burst_now.val() == 1;
        self.w_valid.next = self.active.q.val()
            && !self.prime.q.val()
            && (!self.need_in.val() || self.data_valid.val());
        if self.abort.val() {
            self.w_valid.next = self.active.q.val() && self.beats_owed.val().any();
        }
        self.w_fire.next = self.w_valid.val() && self.w_ready.val();
        self.row_done.next = self.w_fire.val() && self.last_beat.val();
        self.busy.next = self.active.q.val();
        self.row_bytes.next = self.cur_len.q.val();
        // ---- consuming read beats ----
        self.data_pop.next = false;
        self.read_error.next = false;
        if self.active.q.val() && self.prime.q.val() && self.data_valid.val() && !self.abort.val() {
            self.data_pop.next = true;
            self.read_error.next = self.data_err.val();
            self.prev.d.next = self.data.val();
            self.in_left.d.next = self.in_left.q.val() - 1;
            self.prime.d.next = false;
        }
        if self.w_fire.val() {
            self.data_pop.next = self.need_in.val() && !self.abort.val();
            self.read_error.next = self.need_in.val() && self.data_err.val() && !self.abort.val();
            self.prev.d.next = self.cur.val();
            if self.need_in.val() {
                self.in_left.d.next = self.in_left.q.val() - 1;
            }
            self.out_left.d.next = self.out_left.q.val() - 1;
            self.first.d.next = false;
            self.beat_addr.d.next =
                self.beat_addr.q.val() + bit_cast::<64, 8>(self.beat_bytes.val());
            self.burst_left.d.next = self.burst_now.val() - 1;
            if self.last_beat.val() {
                self.active.d.next = false;
            }
        }
        // ---- taking the next row (back to back with the last beat) ----
        self.dst_off.next = bit_cast::<8, 64>(self.row_dst.val()) & self.offset_mask.val();
        self.out_beats.next = (bit_cast::<40, 8>(self.dst_off.val())
            + bit_cast::<40, 32>(self.row_len.val())
            + bit_cast::<40, 8>(self.offset_mask.val()))
            >> self.beat_shift.val();
        self.in_beats.next = (bit_cast::<40, 8>(self.row_src_off.val())
            + bit_cast::<40, 32>(self.row_len.val())
            + bit_cast::<40, 8>(self.offset_mask.val()))
            >> self.beat_shift.val();
        // Offset just past the row's last byte in its beat: 1..=beat.
        self.end_off.next = ((bit_cast::<8, 32>(self.row_len.val()) + self.dst_off.val() - 1)
            & self.offset_mask.val())
            + 1;
        self.row_pop.next = self.row_valid.val() && (!self.active.q.val() || self.row_done.val());
        if self.row_pop.val() {
            self.active.d.next = true;
            self.prime.d.next = self.dst_off.val() < self.row_src_off.val();
            self.first.d.next = true;
            self.cur_len.d.next = self.row_len.val();
            self.rot.d.next = (self.dst_off.val() + self.beat_bytes.val() - self.row_src_off.val())
                & self.offset_mask.val();
            self.in_left.d.next = bit_cast::<32, 40>(self.in_beats.val());
            self.out_left.d.next = bit_cast::<32, 40>(self.out_beats.val());
            self.beat_addr.d.next = self.row_dst.val() & self.addr_mask.val();
            self.burst_left.d.next = 0.into();
            self.first_strb.d.next = self.strb_ones.val() << self.dst_off.val();
            self.last_strb.d.next =
                self.strb_ones.val() >> (self.beat_bytes.val() - self.end_off.val());
        }
        if self.abort.val() {
            self.prime.d.next = false;
            // Nothing more was announced: drop the row and the rows waiting.
            if !self.beats_owed.val().any() {
                self.active.d.next = false;
                self.row_pop.next = self.row_valid.val();
            }
        }
        if self.reset.val() {
            self.active.d.next = false;
            self.prime.d.next = false;
        }
    }
}
