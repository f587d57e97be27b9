//! Descriptor walker: goes through a descriptor's slices, rows and the
//! bytes of each row, and emits one piece (source address, destination
//! address, length) per cycle. A piece is as long as both sides stay
//! contiguous: a whole row when both are linear, up to 512 bytes with an
//! X-tiled side, 16 bytes with a Y or Tile4 side. The order and the pieces
//! are exactly `EngineDescriptor::for_each_piece` in the contract.

use super::side::SideWalk;
use rust_hdl::prelude::*;

/// Descriptor-to-pieces walker.
#[derive(LogicBlock, Default)]
pub struct Walker {
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
    /// Descriptor: layout word (source placement in 15:0, destination in 31:16).
    pub layout: Signal<In, Bits<32>>,
    /// The waiting descriptor is taken this cycle.
    pub desc_pop: Signal<Out, Bit>,
    // ---- piece output ----
    /// Stop emitting pieces (the descriptor failed).
    pub abort: Signal<In, Bit>,
    /// Every piece FIFO has room.
    pub space: Signal<In, Bit>,
    /// Push a piece this cycle.
    pub row_push: Signal<Out, Bit>,
    /// Piece: source address.
    pub row_src: Signal<Out, Bits<64>>,
    /// Piece: destination address.
    pub row_dst: Signal<Out, Bits<64>>,
    /// Piece: bytes.
    pub row_len: Signal<Out, Bits<32>>,
    /// Pieces remain to be emitted.
    pub busy: Signal<Out, Bit>,
    src: SideWalk,
    dst: SideWalk,
    active: DFF<Bit>,
    x: DFF<Bits<32>>,
    len: DFF<Bits<32>>,
    rows_per_slice: DFF<Bits<32>>,
    y_left: DFF<Bits<32>>,
    z_left: DFF<Bits<32>>,
    left: Signal<Local, Bits<32>>,
    piece: Signal<Local, Bits<32>>,
    shorter_run: Signal<Local, Bits<32>>,
}

impl Logic for Walker {
    #[hdl_gen]
    fn update(&mut self) {
        dff_setup!(self, clock, active, x, len, rows_per_slice, y_left, z_left);
        clock!(self, clock, src, dst);
        self.busy.next = self.active.q.val();
        self.src.x.next = self.x.q.val();
        self.dst.x.next = self.x.q.val();
        self.left.next = self.len.q.val() - self.x.q.val();
        self.shorter_run.next = self.src.run.val();
        if self.dst.run.val() < self.src.run.val() {
            self.shorter_run.next = self.dst.run.val();
        }
        self.piece.next = self.left.val();
        if self.shorter_run.val() < self.left.val() {
            self.piece.next = self.shorter_run.val();
        }
        self.row_src.next = self.src.piece_addr.val();
        self.row_dst.next = self.dst.piece_addr.val();
        self.row_len.next = self.piece.val();
        self.row_push.next = self.active.q.val() && self.space.val() && !self.abort.val();
        self.src.next_row.next = false;
        self.dst.next_row.next = false;
        self.src.next_slice.next = false;
        self.dst.next_slice.next = false;
        if self.row_push.val() {
            self.x.d.next = self.x.q.val() + self.piece.val();
            if self.piece.val() == self.left.val() {
                self.x.d.next = 0.into();
                if self.y_left.q.val() > 1 {
                    self.y_left.d.next = self.y_left.q.val() - 1;
                    self.src.next_row.next = true;
                    self.dst.next_row.next = true;
                } else if self.z_left.q.val() > 1 {
                    self.z_left.d.next = self.z_left.q.val() - 1;
                    self.y_left.d.next = self.rows_per_slice.q.val();
                    self.src.next_slice.next = true;
                    self.dst.next_slice.next = true;
                } else {
                    self.active.d.next = false;
                }
            }
        }
        if self.abort.val() {
            self.active.d.next = false;
        }
        self.desc_pop.next = self.may_start.val() && self.desc_valid.val() && !self.active.q.val();
        self.src.load.next = self.desc_pop.val();
        self.dst.load.next = self.desc_pop.val();
        self.src.addr.next = self.src_addr.val();
        self.dst.addr.next = self.dst_addr.val();
        self.src.row_pitch.next = self.src_row_pitch.val();
        self.dst.row_pitch.next = self.dst_row_pitch.val();
        self.src.slice_pitch.next = self.src_slice_pitch.val();
        self.dst.slice_pitch.next = self.dst_slice_pitch.val();
        self.src.placement.next = self.layout.val().get_bits::<16>(0);
        self.dst.placement.next = self.layout.val().get_bits::<16>(16);
        if self.desc_pop.val() {
            // An empty region (any dimension zero) emits no pieces at all.
            self.active.d.next =
                self.row_bytes.val().any() && self.rows.val().any() && self.slices.val().any();
            self.x.d.next = 0.into();
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
