//! Row generator: walks a descriptor's slices and rows and emits one row job
//! (source address, destination address, length) per cycle.
//!
//! Addresses advance by adding pitches (no multiplier): row `y` of slice `z`
//! is `base + z*slice_pitch + y*row_pitch`, wrapping at 64 bits.

use rust_hdl::prelude::*;

/// Descriptor-to-rows walker.
#[derive(LogicBlock, Default)]
pub struct RowGen {
    /// Clock.
    pub clock: Signal<In, Clock>,
    /// Synchronous reset: stops the walk.
    pub reset: Signal<In, Bit>,
    // ---- descriptor input ----
    /// The engine is ready for a new descriptor.
    pub may_start: Signal<In, Bit>,
    /// A descriptor is waiting.
    pub desc_valid: Signal<In, Bit>,
    /// Descriptor: source address.
    pub src_addr: Signal<In, Bits<64>>,
    /// Descriptor: destination address.
    pub dst_addr: Signal<In, Bits<64>>,
    /// Descriptor: source slice pitch.
    pub src_slice_pitch: Signal<In, Bits<64>>,
    /// Descriptor: destination slice pitch.
    pub dst_slice_pitch: Signal<In, Bits<64>>,
    /// Descriptor: source row pitch.
    pub src_row_pitch: Signal<In, Bits<32>>,
    /// Descriptor: destination row pitch.
    pub dst_row_pitch: Signal<In, Bits<32>>,
    /// Descriptor: bytes per row.
    pub row_bytes: Signal<In, Bits<32>>,
    /// Descriptor: rows per slice.
    pub rows: Signal<In, Bits<32>>,
    /// Descriptor: slices.
    pub slices: Signal<In, Bits<32>>,
    /// The waiting descriptor is taken this cycle.
    pub desc_pop: Signal<Out, Bit>,
    // ---- row output ----
    /// Stop emitting rows (the descriptor failed).
    pub abort: Signal<In, Bit>,
    /// Every row FIFO has room.
    pub space: Signal<In, Bit>,
    /// Push a row job this cycle.
    pub row_push: Signal<Out, Bit>,
    /// Row job: source address.
    pub row_src: Signal<Out, Bits<64>>,
    /// Row job: destination address.
    pub row_dst: Signal<Out, Bits<64>>,
    /// Row job: bytes.
    pub row_len: Signal<Out, Bits<32>>,
    /// Rows remain to be emitted.
    pub busy: Signal<Out, Bit>,
    active: DFF<Bit>,
    src_row: DFF<Bits<64>>,
    dst_row: DFF<Bits<64>>,
    src_slice: DFF<Bits<64>>,
    dst_slice: DFF<Bits<64>>,
    src_rp: DFF<Bits<32>>,
    dst_rp: DFF<Bits<32>>,
    src_sp: DFF<Bits<64>>,
    dst_sp: DFF<Bits<64>>,
    len: DFF<Bits<32>>,
    rows_per_slice: DFF<Bits<32>>,
    y_left: DFF<Bits<32>>,
    z_left: DFF<Bits<32>>,
    next_src_slice: Signal<Local, Bits<64>>,
    next_dst_slice: Signal<Local, Bits<64>>,
}

impl Logic for RowGen {
    #[hdl_gen]
    fn update(&mut self) {
        dff_setup!(
            self,
            clock,
            active,
            src_row,
            dst_row,
            src_slice,
            dst_slice,
            src_rp,
            dst_rp,
            src_sp,
            dst_sp,
            len,
            rows_per_slice,
            y_left,
            z_left
        );
        self.busy.next = self.active.q.val();
        self.row_src.next = self.src_row.q.val();
        self.row_dst.next = self.dst_row.q.val();
        self.row_len.next = self.len.q.val();
        self.row_push.next = self.active.q.val() && self.space.val() && !self.abort.val();
        self.next_src_slice.next = self.src_slice.q.val() + self.src_sp.q.val();
        self.next_dst_slice.next = self.dst_slice.q.val() + self.dst_sp.q.val();
        if self.row_push.val() {
            if self.y_left.q.val() > 1 {
                self.y_left.d.next = self.y_left.q.val() - 1;
                self.src_row.d.next =
                    self.src_row.q.val() + bit_cast::<64, 32>(self.src_rp.q.val());
                self.dst_row.d.next =
                    self.dst_row.q.val() + bit_cast::<64, 32>(self.dst_rp.q.val());
            } else if self.z_left.q.val() > 1 {
                self.z_left.d.next = self.z_left.q.val() - 1;
                self.y_left.d.next = self.rows_per_slice.q.val();
                self.src_slice.d.next = self.next_src_slice.val();
                self.dst_slice.d.next = self.next_dst_slice.val();
                self.src_row.d.next = self.next_src_slice.val();
                self.dst_row.d.next = self.next_dst_slice.val();
            } else {
                self.active.d.next = false;
            }
        }
        if self.abort.val() {
            self.active.d.next = false;
        }
        self.desc_pop.next = self.may_start.val() && self.desc_valid.val() && !self.active.q.val();
        if self.desc_pop.val() {
            // An empty region (any dimension zero) emits no rows at all.
            self.active.d.next =
                self.row_bytes.val().any() && self.rows.val().any() && self.slices.val().any();
            self.src_row.d.next = self.src_addr.val();
            self.dst_row.d.next = self.dst_addr.val();
            self.src_slice.d.next = self.src_addr.val();
            self.dst_slice.d.next = self.dst_addr.val();
            self.src_rp.d.next = self.src_row_pitch.val();
            self.dst_rp.d.next = self.dst_row_pitch.val();
            self.src_sp.d.next = self.src_slice_pitch.val();
            self.dst_sp.d.next = self.dst_slice_pitch.val();
            self.len.d.next = self.row_bytes.val();
            self.rows_per_slice.d.next = self.rows.val();
            self.y_left.d.next = self.rows.val();
            self.z_left.d.next = self.slices.val();
        }
        if self.reset.val() {
            self.active.d.next = false;
        }
    }
}
