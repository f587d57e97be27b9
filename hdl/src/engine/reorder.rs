//! Block mode, data side: the staging RAM that turns one side's beats of a
//! block into the other side's.
//!
//! A block is 256 cells of 16 bytes, cell column c' = x / 16 and row r:
//! 8 × 32 (narrow, 128 B × 32 rows) or 16 × 16 (wide, 256 B × 16 rows).
//! Every 64-byte beat is four cells, either a row segment (linear or X
//! side: beat j of the block's runs holds row j / 2, cells 4 (j % 2)..+4;
//! wide: row j / 4, cells 4 (j % 4)..+4) or a column of four rows (Y or
//! Tile4 side: cell column c' = 8t + c, rows 4q..4q+3, from beat i of the
//! side's runs as below).
//!
//! | side | narrow | wide |
//! |---|---|---|
//! | Y | c = i[5:3], q = i[2:0] | t = i[5], c = i[4:2], q = i[1:0] |
//! | Tile4 | c = {i[3], i[1:0]}, q = {i[5:4], i[2]} | t = i[5], c = {i[3], i[1:0]}, q = {i[4], i[2]} |
//!
//! The cells live in four banks of `C` bits (a cell) with a skewed layout:
//! cell (c', r) is in bank (c' + r) mod 4 at entry {slot (2 bits), r, c' / 4}
//! (r 5 bits and c' / 4 one bit narrow, 4 and 2 wide). A row segment and a 4-row column then each touch every bank
//! once, so a beat goes in (scatter) and comes out (gather) in one cycle
//! with a rotation by whole cells. Four slots, used in turn: the scatter
//! side fills blocks while the gather side drains earlier ones; with more
//! than two the scatter side never waits for the block being drained, so
//! no bubble opens at block boundaries (four cost the same block RAMs as
//! two: each bank is 256 × `C` bits). A block whose read beats included an
//! error gives every one of its output beats the error flag.

use rust_hdl::prelude::*;

/// Staging RAM of four blocks for a `D`-bit bus (`C = D / 4` bits per cell).
#[derive(LogicBlock)]
pub struct Reorder<const D: usize, const C: usize> {
    /// Clock.
    pub clock: Signal<In, Clock>,
    /// Synchronous flush: every slot empty, both indices at the start.
    pub flush: Signal<In, Bit>,
    /// Source tiling code (0/1 row-type, 2 Y, 3 Tile4).
    pub src_kind: Signal<In, Bits<2>>,
    /// Destination tiling code.
    pub dst_kind: Signal<In, Bits<2>>,
    /// Wide blocks (256 B × 16 rows) instead of 128 B × 32.
    pub wide: Signal<In, Bit>,
    /// Take input beats (block mode, not aborting).
    pub enable: Signal<In, Bit>,
    /// An input (read) beat is waiting.
    pub in_valid: Signal<In, Bit>,
    /// The input beat.
    pub in_data: Signal<In, Bits<D>>,
    /// The input beat came back with an error.
    pub in_err: Signal<In, Bit>,
    /// The input beat is taken this cycle.
    pub in_pop: Signal<Out, Bit>,
    /// An output (write) beat is on offer.
    pub out_valid: Signal<Out, Bit>,
    /// The output beat.
    pub out_data: Signal<Out, Bits<D>>,
    /// The output beat's block had a read error.
    pub out_err: Signal<Out, Bit>,
    /// Take the output beat this cycle.
    pub out_pop: Signal<In, Bit>,
    bank0: RAM<Bits<C>, 8>,
    bank1: RAM<Bits<C>, 8>,
    bank2: RAM<Bits<C>, 8>,
    bank3: RAM<Bits<C>, 8>,
    s_idx: DFF<Bits<8>>,
    g_idx: DFF<Bits<8>>,
    g_valid: DFF<Bit>,
    g_rot: DFF<Bits<2>>,
    count: DFF<Bits<3>>,
    err0: DFF<Bit>,
    err1: DFF<Bit>,
    err2: DFF<Bit>,
    err3: DFF<Bit>,
    s_done: Signal<Local, Bit>,
    g_done: Signal<Local, Bit>,
    block_err: Signal<Local, Bit>,
    err_acc: DFF<Bit>,
    s_free: Signal<Local, Bit>,
    s_c: Signal<Local, Bits<3>>,
    s_q: Signal<Local, Bits<3>>,
    s_rot: Signal<Local, Bits<2>>,
    s_k0: Signal<Local, Bits<2>>,
    s_k1: Signal<Local, Bits<2>>,
    s_k2: Signal<Local, Bits<2>>,
    s_k3: Signal<Local, Bits<2>>,
    s_base: Signal<Local, Bits<8>>,
    s_t: Signal<Local, Bits<1>>,
    s_kshift: Signal<Local, Bits<8>>,
    rot_in: Signal<Local, Bits<D>>,
    advance: Signal<Local, Bit>,
    g_next: Signal<Local, Bits<8>>,
    g_at: Signal<Local, Bits<8>>,
    g_c: Signal<Local, Bits<3>>,
    g_q: Signal<Local, Bits<3>>,
    g_rot_at: Signal<Local, Bits<2>>,
    g_k0: Signal<Local, Bits<2>>,
    g_k1: Signal<Local, Bits<2>>,
    g_k2: Signal<Local, Bits<2>>,
    g_k3: Signal<Local, Bits<2>>,
    g_base: Signal<Local, Bits<8>>,
    g_t: Signal<Local, Bits<1>>,
    g_kshift: Signal<Local, Bits<8>>,
    w0: Signal<Local, Bits<D>>,
    w1: Signal<Local, Bits<D>>,
    w2: Signal<Local, Bits<D>>,
    w3: Signal<Local, Bits<D>>,
    banks_out: Signal<Local, Bits<D>>,
    zero: Constant<Bits<2>>,
    one: Constant<Bits<2>>,
    two: Constant<Bits<2>>,
    three: Constant<Bits<2>>,
    shift1: Constant<Bits<16>>,
    shift2: Constant<Bits<16>>,
    shift3: Constant<Bits<16>>,
}

impl<const D: usize, const C: usize> Reorder<D, C> {
    /// Empty staging RAM.
    pub fn new() -> Self {
        assert_eq!(4 * C, D, "a cell is a quarter beat");
        Self {
            clock: Default::default(),
            flush: Default::default(),
            src_kind: Default::default(),
            dst_kind: Default::default(),
            wide: Default::default(),
            enable: Default::default(),
            in_valid: Default::default(),
            in_data: Default::default(),
            in_err: Default::default(),
            in_pop: Default::default(),
            out_valid: Default::default(),
            out_data: Default::default(),
            out_err: Default::default(),
            out_pop: Default::default(),
            bank0: Default::default(),
            bank1: Default::default(),
            bank2: Default::default(),
            bank3: Default::default(),
            s_idx: Default::default(),
            g_idx: Default::default(),
            g_valid: Default::default(),
            g_rot: Default::default(),
            count: Default::default(),
            err0: Default::default(),
            err1: Default::default(),
            err2: Default::default(),
            err3: Default::default(),
            s_done: Default::default(),
            g_done: Default::default(),
            block_err: Default::default(),
            err_acc: Default::default(),
            s_free: Default::default(),
            s_c: Default::default(),
            s_q: Default::default(),
            s_rot: Default::default(),
            s_k0: Default::default(),
            s_k1: Default::default(),
            s_k2: Default::default(),
            s_k3: Default::default(),
            s_base: Default::default(),
            s_t: Default::default(),
            s_kshift: Default::default(),
            rot_in: Default::default(),
            advance: Default::default(),
            g_next: Default::default(),
            g_at: Default::default(),
            g_c: Default::default(),
            g_q: Default::default(),
            g_rot_at: Default::default(),
            g_k0: Default::default(),
            g_k1: Default::default(),
            g_k2: Default::default(),
            g_k3: Default::default(),
            g_base: Default::default(),
            g_t: Default::default(),
            g_kshift: Default::default(),
            w0: Default::default(),
            w1: Default::default(),
            w2: Default::default(),
            w3: Default::default(),
            banks_out: Default::default(),
            zero: Constant::new(bits(0)),
            one: Constant::new(bits(1)),
            two: Constant::new(bits(2)),
            three: Constant::new(bits(3)),
            shift1: Constant::new(bits(C as u64)),
            shift2: Constant::new(bits(2 * C as u64)),
            shift3: Constant::new(bits(3 * C as u64)),
        }
    }
}

impl<const D: usize, const C: usize> Default for Reorder<D, C> {
    fn default() -> Self {
        Self::new()
    }
}

impl<const D: usize, const C: usize> Logic for Reorder<D, C> {
    #[hdl_gen]
    fn update(&mut self) {
        dff_setup!(
            self, clock, s_idx, g_idx, g_valid, g_rot, count, err0, err1, err2, err3, err_acc
        );
        self.bank0.write_clock.next = self.clock.val();
        self.bank0.read_clock.next = self.clock.val();
        self.bank1.write_clock.next = self.clock.val();
        self.bank1.read_clock.next = self.clock.val();
        self.bank2.write_clock.next = self.clock.val();
        self.bank2.read_clock.next = self.clock.val();
        self.bank3.write_clock.next = self.clock.val();
        self.bank3.read_clock.next = self.clock.val();

        // ---- scatter: input beat s_idx (slot in bits 7:6) into the banks ----
        self.s_free.next = !self.count.q.val().get_bit(2);
        self.in_pop.next = self.enable.val() && self.in_valid.val() && self.s_free.val();
        // Tiled sides: cell column and row quad of the beat (Y; Tile4 below).
        self.s_t.next = self.s_idx.q.val().get_bits::<1>(5);
        self.s_c.next = self.s_idx.q.val().get_bits::<3>(3);
        self.s_q.next = self.s_idx.q.val().get_bits::<3>(0);
        if self.wide.val() {
            self.s_c.next = self.s_idx.q.val().get_bits::<3>(2);
            self.s_q.next = bit_cast::<3, 2>(self.s_idx.q.val().get_bits::<2>(0));
        }
        if self.src_kind.val() == 3 {
            self.s_c.next = bit_cast::<3, 2>(self.s_idx.q.val().get_bits::<2>(0))
                | (bit_cast::<3, 1>(self.s_idx.q.val().get_bits::<1>(3)) << 2);
            self.s_q.next = bit_cast::<3, 1>(self.s_idx.q.val().get_bits::<1>(2))
                | (bit_cast::<3, 2>(self.s_idx.q.val().get_bits::<2>(4)) << 1);
            if self.wide.val() {
                self.s_q.next = bit_cast::<3, 1>(self.s_idx.q.val().get_bits::<1>(2))
                    | (bit_cast::<3, 1>(self.s_idx.q.val().get_bits::<1>(4)) << 1);
            }
        }
        // Rotation: row-type beats by row % 4, tiled beats by column % 4.
        self.s_rot.next = self.s_c.val().get_bits::<2>(0);
        if !self.src_kind.val().get_bit(1) {
            self.s_rot.next = self.s_idx.q.val().get_bits::<2>(1);
            if self.wide.val() {
                self.s_rot.next = self.s_idx.q.val().get_bits::<2>(2);
            }
        }
        // Bank m holds the beat's cell k = (m - rot) mod 4.
        self.s_k0.next = self.zero.val() - self.s_rot.val();
        self.s_k1.next = self.one.val() - self.s_rot.val();
        self.s_k2.next = self.two.val() - self.s_rot.val();
        self.s_k3.next = self.three.val() - self.s_rot.val();
        self.rot_in.next = self.in_data.val();
        if self.s_rot.val() == 1 {
            self.rot_in.next = (self.in_data.val() << self.shift1.val())
                | (self.in_data.val() >> self.shift3.val());
        } else if self.s_rot.val() == 2 {
            self.rot_in.next = (self.in_data.val() << self.shift2.val())
                | (self.in_data.val() >> self.shift2.val());
        } else if self.s_rot.val() == 3 {
            self.rot_in.next = (self.in_data.val() << self.shift3.val())
                | (self.in_data.val() >> self.shift1.val());
        }
        self.bank0.write_data.next = bit_cast::<C, D>(self.rot_in.val());
        self.bank1.write_data.next = bit_cast::<C, D>(self.rot_in.val() >> self.shift1.val());
        self.bank2.write_data.next = bit_cast::<C, D>(self.rot_in.val() >> self.shift2.val());
        self.bank3.write_data.next = bit_cast::<C, D>(self.rot_in.val() >> self.shift3.val());
        // Entry {slot, row, c / 4}: a row-type beat's index is that already.
        self.s_base.next = (bit_cast::<8, 2>(self.s_idx.q.val().get_bits::<2>(6)) << 6)
            | (bit_cast::<8, 3>(self.s_q.val()) << 3)
            | bit_cast::<8, 1>(self.s_c.val().get_bits::<1>(2));
        self.s_kshift.next = 1.into();
        if self.wide.val() {
            self.s_base.next = (bit_cast::<8, 2>(self.s_idx.q.val().get_bits::<2>(6)) << 6)
                | (bit_cast::<8, 2>(self.s_q.val().get_bits::<2>(0)) << 4)
                | (bit_cast::<8, 1>(self.s_t.val()) << 1)
                | bit_cast::<8, 1>(self.s_c.val().get_bits::<1>(2));
            self.s_kshift.next = 2.into();
        }
        self.bank0.write_address.next = self.s_idx.q.val();
        self.bank1.write_address.next = self.s_idx.q.val();
        self.bank2.write_address.next = self.s_idx.q.val();
        self.bank3.write_address.next = self.s_idx.q.val();
        if self.src_kind.val().get_bit(1) {
            self.bank0.write_address.next =
                self.s_base.val() | (bit_cast::<8, 2>(self.s_k0.val()) << self.s_kshift.val());
            self.bank1.write_address.next =
                self.s_base.val() | (bit_cast::<8, 2>(self.s_k1.val()) << self.s_kshift.val());
            self.bank2.write_address.next =
                self.s_base.val() | (bit_cast::<8, 2>(self.s_k2.val()) << self.s_kshift.val());
            self.bank3.write_address.next =
                self.s_base.val() | (bit_cast::<8, 2>(self.s_k3.val()) << self.s_kshift.val());
        }
        self.bank0.write_enable.next = self.in_pop.val();
        self.bank1.write_enable.next = self.in_pop.val();
        self.bank2.write_enable.next = self.in_pop.val();
        self.bank3.write_enable.next = self.in_pop.val();
        self.s_done.next = self.in_pop.val() && self.s_idx.q.val().get_bits::<6>(0).all();
        self.block_err.next = self.err_acc.q.val() || self.in_err.val();
        if self.in_pop.val() {
            self.s_idx.d.next = self.s_idx.q.val() + 1;
            self.err_acc.d.next = self.block_err.val();
        }
        if self.s_done.val() {
            self.err_acc.d.next = false;
            if self.s_idx.q.val().get_bits::<2>(6) == 0 {
                self.err0.d.next = self.block_err.val();
            } else if self.s_idx.q.val().get_bits::<2>(6) == 1 {
                self.err1.d.next = self.block_err.val();
            } else if self.s_idx.q.val().get_bits::<2>(6) == 2 {
                self.err2.d.next = self.block_err.val();
            } else {
                self.err3.d.next = self.block_err.val();
            }
        }

        // ---- gather: output beat g_idx, read one cycle ahead ----
        self.out_valid.next = self.g_valid.q.val();
        self.out_err.next = self.err0.q.val();
        if self.g_idx.q.val().get_bits::<2>(6) == 1 {
            self.out_err.next = self.err1.q.val();
        } else if self.g_idx.q.val().get_bits::<2>(6) == 2 {
            self.out_err.next = self.err2.q.val();
        } else if self.g_idx.q.val().get_bits::<2>(6) == 3 {
            self.out_err.next = self.err3.q.val();
        }
        self.advance.next = self.g_valid.q.val() && self.out_pop.val();
        self.g_done.next = self.advance.val() && self.g_idx.q.val().get_bits::<6>(0).all();
        self.g_next.next = self.g_idx.q.val() + 1;
        self.g_at.next = self.g_idx.q.val();
        // The beat being addressed is valid once its block is complete
        // (counted at the edge after the block's last write, so the read
        // sees it): the current block while it lasts, the next one if it
        // is complete too.
        self.g_valid.d.next = self.count.q.val().any();
        if self.advance.val() {
            self.g_at.next = self.g_next.val();
            self.g_idx.d.next = self.g_next.val();
            self.g_valid.d.next = true;
            if self.g_done.val() {
                self.g_valid.d.next = self.count.q.val().get_bits::<2>(1).any();
            }
        }
        if self.s_done.val() && !self.g_done.val() {
            self.count.d.next = self.count.q.val() + 1;
        }
        if self.g_done.val() && !self.s_done.val() {
            self.count.d.next = self.count.q.val() - 1;
        }
        self.g_t.next = self.g_at.val().get_bits::<1>(5);
        self.g_c.next = self.g_at.val().get_bits::<3>(3);
        self.g_q.next = self.g_at.val().get_bits::<3>(0);
        if self.wide.val() {
            self.g_c.next = self.g_at.val().get_bits::<3>(2);
            self.g_q.next = bit_cast::<3, 2>(self.g_at.val().get_bits::<2>(0));
        }
        if self.dst_kind.val() == 3 {
            self.g_c.next = bit_cast::<3, 2>(self.g_at.val().get_bits::<2>(0))
                | (bit_cast::<3, 1>(self.g_at.val().get_bits::<1>(3)) << 2);
            self.g_q.next = bit_cast::<3, 1>(self.g_at.val().get_bits::<1>(2))
                | (bit_cast::<3, 2>(self.g_at.val().get_bits::<2>(4)) << 1);
            if self.wide.val() {
                self.g_q.next = bit_cast::<3, 1>(self.g_at.val().get_bits::<1>(2))
                    | (bit_cast::<3, 1>(self.g_at.val().get_bits::<1>(4)) << 1);
            }
        }
        self.g_rot_at.next = self.g_c.val().get_bits::<2>(0);
        if !self.dst_kind.val().get_bit(1) {
            self.g_rot_at.next = self.g_at.val().get_bits::<2>(1);
            if self.wide.val() {
                self.g_rot_at.next = self.g_at.val().get_bits::<2>(2);
            }
        }
        self.g_rot.d.next = self.g_rot_at.val();
        self.g_k0.next = self.zero.val() - self.g_rot_at.val();
        self.g_k1.next = self.one.val() - self.g_rot_at.val();
        self.g_k2.next = self.two.val() - self.g_rot_at.val();
        self.g_k3.next = self.three.val() - self.g_rot_at.val();
        self.g_base.next = (bit_cast::<8, 2>(self.g_at.val().get_bits::<2>(6)) << 6)
            | (bit_cast::<8, 3>(self.g_q.val()) << 3)
            | bit_cast::<8, 1>(self.g_c.val().get_bits::<1>(2));
        self.g_kshift.next = 1.into();
        if self.wide.val() {
            self.g_base.next = (bit_cast::<8, 2>(self.g_at.val().get_bits::<2>(6)) << 6)
                | (bit_cast::<8, 2>(self.g_q.val().get_bits::<2>(0)) << 4)
                | (bit_cast::<8, 1>(self.g_t.val()) << 1)
                | bit_cast::<8, 1>(self.g_c.val().get_bits::<1>(2));
            self.g_kshift.next = 2.into();
        }
        self.bank0.read_address.next = self.g_at.val();
        self.bank1.read_address.next = self.g_at.val();
        self.bank2.read_address.next = self.g_at.val();
        self.bank3.read_address.next = self.g_at.val();
        if self.dst_kind.val().get_bit(1) {
            self.bank0.read_address.next =
                self.g_base.val() | (bit_cast::<8, 2>(self.g_k0.val()) << self.g_kshift.val());
            self.bank1.read_address.next =
                self.g_base.val() | (bit_cast::<8, 2>(self.g_k1.val()) << self.g_kshift.val());
            self.bank2.read_address.next =
                self.g_base.val() | (bit_cast::<8, 2>(self.g_k2.val()) << self.g_kshift.val());
            self.bank3.read_address.next =
                self.g_base.val() | (bit_cast::<8, 2>(self.g_k3.val()) << self.g_kshift.val());
        }
        // Output cell k is bank (k + rot) mod 4: rotate the banks right.
        self.w0.next = bit_cast::<D, C>(self.bank0.read_data.val());
        self.w1.next = bit_cast::<D, C>(self.bank1.read_data.val()) << self.shift1.val();
        self.w2.next = bit_cast::<D, C>(self.bank2.read_data.val()) << self.shift2.val();
        self.w3.next = bit_cast::<D, C>(self.bank3.read_data.val()) << self.shift3.val();
        self.banks_out.next = self.w0.val() | self.w1.val() | self.w2.val() | self.w3.val();
        self.out_data.next = self.banks_out.val();
        if self.g_rot.q.val() == 1 {
            self.out_data.next = (self.banks_out.val() >> self.shift1.val())
                | (self.banks_out.val() << self.shift3.val());
        } else if self.g_rot.q.val() == 2 {
            self.out_data.next = (self.banks_out.val() >> self.shift2.val())
                | (self.banks_out.val() << self.shift2.val());
        } else if self.g_rot.q.val() == 3 {
            self.out_data.next = (self.banks_out.val() >> self.shift3.val())
                | (self.banks_out.val() << self.shift1.val());
        }
        if self.flush.val() {
            self.s_idx.d.next = 0.into();
            self.g_idx.d.next = 0.into();
            self.g_valid.d.next = false;
            self.count.d.next = 0.into();
            self.err_acc.d.next = false;
        }
    }
}
