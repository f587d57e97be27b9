//! Block mode, walk side: one side's runs for a descriptor copied in whole
//! blocks aligned to the Y/Tile4 tile grid (see `docs/engine.md`, "Block
//! mode"): 128 B × 32 rows ("narrow", one tile), or 256 B × 16 rows ("wide":
//! the top or bottom half of two tiles side by side) when the row allows it.
//! Both shapes are 4 KiB, 64 beats.
//!
//! Blocks go slices, block rows, block columns. Per block a side emits:
//!
//! | side | narrow | wide |
//! |---|---|---|
//! | Y (placed at 0, 0) | 1 run: the 4 KiB tile | 16 runs of 256 B (half a 16-byte column), 512 B apart |
//! | Tile4 (placed at 0, 0) | 1 run: the 4 KiB tile | 2 runs of 2 KiB (half a tile), 4 KiB apart |
//! | linear, X | 32 runs of 128 B, one per row | 16 runs of 256 B |
//!
//! The read side and the write side each have their own `BlockSide`, so
//! reads run ahead of writes by as much as the read credits allow. Both walk
//! the same blocks in the same order; `Reorder` maps every beat of the runs
//! to its cells.

use rust_hdl::prelude::*;

/// Run generator for one side of a block-mode descriptor.
#[derive(LogicBlock)]
pub struct BlockSide {
    /// Clock.
    pub clock: Signal<In, Clock>,
    /// Synchronous reset: stops the walk.
    pub reset: Signal<In, Bit>,
    /// Start walking the descriptor on the inputs below.
    pub load: Signal<In, Bit>,
    /// Wide blocks (256 B × 16 rows) for this descriptor.
    pub wide: Signal<In, Bit>,
    /// Descriptor: the side's base address.
    pub addr: Signal<In, Bits<64>>,
    /// Descriptor: the side's row pitch.
    pub row_pitch: Signal<In, Bits<32>>,
    /// Descriptor: the side's slice pitch.
    pub slice_pitch: Signal<In, Bits<64>>,
    /// Descriptor: the side's placement (tiling in 1:0, x in 15:7).
    pub placement: Signal<In, Bits<16>>,
    /// Descriptor: bytes per row (a multiple of the block width).
    pub row_bytes: Signal<In, Bits<32>>,
    /// Descriptor: rows (a multiple of 32).
    pub rows: Signal<In, Bits<32>>,
    /// Descriptor: slices (> 0).
    pub slices: Signal<In, Bits<32>>,
    /// Stop (the descriptor failed).
    pub abort: Signal<In, Bit>,
    /// The run FIFOs this side feeds have room.
    pub space: Signal<In, Bit>,
    /// Push a run this cycle.
    pub push: Signal<Out, Bit>,
    /// Run: beat-aligned address.
    pub run_addr: Signal<Out, Bits<64>>,
    /// Run: bytes (whole beats).
    pub run_len: Signal<Out, Bits<32>>,
    /// Runs remain to be emitted.
    pub busy: Signal<Out, Bit>,
    active: DFF<Bit>,
    tiled: DFF<Bit>,
    is_x: DFF<Bit>,
    x0: DFF<Bits<64>>,
    xcol0: DFF<Bits<2>>,
    xcol: DFF<Bits<2>>,
    xinc: DFF<Bits<2>>,
    blocks_across: DFF<Bits<32>>,
    block_rows: DFF<Bits<32>>,
    bc_left: DFF<Bits<32>>,
    br_left: DFF<Bits<32>>,
    z_left: DFF<Bits<32>>,
    r: DFF<Bits<5>>,
    last_r: DFF<Bits<5>>,
    len: DFF<Bits<32>>,
    h: DFF<Bit>,
    wide_q: DFF<Bit>,
    slice_base: DFF<Bits<64>>,
    band_base: DFF<Bits<64>>,
    blk_base: DFF<Bits<64>>,
    rowoff: DFF<Bits<64>>,
    pitch: DFF<Bits<64>>,
    tiled_step: DFF<Bits<64>>,
    col_plain: DFF<Bits<64>>,
    col_wrap: DFF<Bits<64>>,
    brow_step0: DFF<Bits<64>>,
    brow_step1: DFF<Bits<64>>,
    slice_step: DFF<Bits<64>>,
    x_band_step: DFF<Bits<64>>,
    load_tiling: Signal<Local, Bits<2>>,
    load_x0: Signal<Local, Bits<64>>,
    load_pitch: Signal<Local, Bits<64>>,
    load_half: Signal<Local, Bits<64>>,
    col_step: Signal<Local, Bits<64>>,
    row_step: Signal<Local, Bits<64>>,
    xcol_sum: Signal<Local, Bits<3>>,
    next_band: Signal<Local, Bits<64>>,
    next_slice: Signal<Local, Bits<64>>,
    last_row: Signal<Local, Bit>,
    c128: Constant<Bits<64>>,
    c256: Constant<Bits<64>>,
    c512: Constant<Bits<64>>,
    c2048: Constant<Bits<64>>,
    c4096: Constant<Bits<64>>,
    c8192: Constant<Bits<64>>,
    x_wrap_narrow: Constant<Bits<64>>,
    x_wrap_wide: Constant<Bits<64>>,
    x_back: Constant<Bits<64>>,
}

impl Default for BlockSide {
    fn default() -> Self {
        Self {
            clock: Default::default(),
            reset: Default::default(),
            load: Default::default(),
            wide: Default::default(),
            addr: Default::default(),
            row_pitch: Default::default(),
            slice_pitch: Default::default(),
            placement: Default::default(),
            row_bytes: Default::default(),
            rows: Default::default(),
            slices: Default::default(),
            abort: Default::default(),
            space: Default::default(),
            push: Default::default(),
            run_addr: Default::default(),
            run_len: Default::default(),
            busy: Default::default(),
            active: Default::default(),
            tiled: Default::default(),
            is_x: Default::default(),
            x0: Default::default(),
            xcol0: Default::default(),
            xcol: Default::default(),
            xinc: Default::default(),
            blocks_across: Default::default(),
            block_rows: Default::default(),
            bc_left: Default::default(),
            br_left: Default::default(),
            z_left: Default::default(),
            r: Default::default(),
            last_r: Default::default(),
            len: Default::default(),
            h: Default::default(),
            wide_q: Default::default(),
            slice_base: Default::default(),
            band_base: Default::default(),
            blk_base: Default::default(),
            rowoff: Default::default(),
            pitch: Default::default(),
            tiled_step: Default::default(),
            col_plain: Default::default(),
            col_wrap: Default::default(),
            brow_step0: Default::default(),
            brow_step1: Default::default(),
            slice_step: Default::default(),
            x_band_step: Default::default(),
            load_tiling: Default::default(),
            load_x0: Default::default(),
            load_pitch: Default::default(),
            load_half: Default::default(),
            col_step: Default::default(),
            row_step: Default::default(),
            xcol_sum: Default::default(),
            next_band: Default::default(),
            next_slice: Default::default(),
            last_row: Default::default(),
            c128: Constant::new(bits(128)),
            c256: Constant::new(bits(256)),
            c512: Constant::new(bits(512)),
            c2048: Constant::new(bits(2048)),
            c4096: Constant::new(bits(4096)),
            c8192: Constant::new(bits(8192)),
            // X: from the last block of one 512-byte tile row to the first
            // of the next tile (4 KiB on, back over the blocks before it);
            // and from row 7 of an X tile row to row 0 of the next (8
            // pitches on, 7 × 512 back).
            x_wrap_narrow: Constant::new(bits(4096 - 384)),
            x_wrap_wide: Constant::new(bits(4096 - 256)),
            x_back: Constant::new(bits(7 * 512)),
        }
    }
}

impl Logic for BlockSide {
    #[hdl_gen]
    fn update(&mut self) {
        dff_setup!(
            self,
            clock,
            active,
            tiled,
            is_x,
            x0,
            xcol0,
            xcol,
            xinc,
            blocks_across,
            block_rows,
            bc_left,
            br_left,
            z_left,
            r,
            last_r,
            len,
            h,
            wide_q,
            slice_base,
            band_base,
            blk_base,
            rowoff,
            pitch,
            tiled_step,
            col_plain,
            col_wrap,
            brow_step0,
            brow_step1,
            slice_step,
            x_band_step
        );
        self.busy.next = self.active.q.val();
        self.push.next = self.active.q.val() && self.space.val() && !self.abort.val();
        self.run_addr.next = self.blk_base.q.val() + self.rowoff.q.val();
        self.run_len.next = self.len.q.val();
        self.last_row.next = self.r.q.val() == self.last_r.q.val();
        // Between the runs of one block.
        self.row_step.next = self.pitch.q.val();
        if self.tiled.q.val() {
            self.row_step.next = self.tiled_step.q.val();
        } else if self.is_x.q.val() {
            self.row_step.next = self.c512.val();
            if self.r.q.val().get_bits::<3>(0).all() {
                self.row_step.next = self.x_band_step.q.val();
            }
        }
        // To the next block along the row.
        self.xcol_sum.next =
            bit_cast::<3, 2>(self.xcol.q.val()) + bit_cast::<3, 2>(self.xinc.q.val());
        self.col_step.next = self.col_plain.q.val();
        if self.is_x.q.val() && self.xcol_sum.val().get_bit(2) {
            self.col_step.next = self.col_wrap.q.val();
        }
        // To the next block row (wide tiled sides alternate half tiles).
        self.next_band.next = self.band_base.q.val() + self.brow_step0.q.val();
        if self.h.q.val() {
            self.next_band.next = self.band_base.q.val() + self.brow_step1.q.val();
        }
        self.next_slice.next = self.slice_base.q.val() + self.slice_step.q.val();
        if self.push.val() {
            self.r.d.next = self.r.q.val() + 1;
            self.rowoff.d.next = self.rowoff.q.val() + self.row_step.val();
            if self.last_row.val() {
                self.r.d.next = 0.into();
                self.rowoff.d.next = 0.into();
                if self.bc_left.q.val() > 1 {
                    self.bc_left.d.next = self.bc_left.q.val() - 1;
                    self.blk_base.d.next = self.blk_base.q.val() + self.col_step.val();
                    self.xcol.d.next = self.xcol.q.val() + self.xinc.q.val();
                } else {
                    self.bc_left.d.next = self.blocks_across.q.val();
                    self.xcol.d.next = self.xcol0.q.val();
                    if self.br_left.q.val() > 1 {
                        self.br_left.d.next = self.br_left.q.val() - 1;
                        self.h.d.next = self.wide_q.q.val() && !self.h.q.val();
                        self.band_base.d.next = self.next_band.val();
                        self.blk_base.d.next = self.next_band.val() + self.x0.q.val();
                    } else if self.z_left.q.val() > 1 {
                        self.z_left.d.next = self.z_left.q.val() - 1;
                        self.br_left.d.next = self.block_rows.q.val();
                        self.h.d.next = false;
                        self.slice_base.d.next = self.next_slice.val();
                        self.band_base.d.next = self.next_slice.val();
                        self.blk_base.d.next = self.next_slice.val() + self.x0.q.val();
                    } else {
                        self.active.d.next = false;
                    }
                }
            }
        }
        if self.abort.val() {
            self.active.d.next = false;
        }
        // ---- loading a descriptor ----
        self.load_tiling.next = self.placement.val().get_bits::<2>(0);
        self.load_pitch.next = bit_cast::<64, 32>(self.row_pitch.val());
        self.load_x0.next = 0.into();
        if self.load_tiling.val() == 1 {
            self.load_x0.next = bit_cast::<64, 9>(self.placement.val().get_bits::<9>(7));
        }
        // Wide tiled sides: offset of the bottom half of a tile.
        self.load_half.next = self.c256.val();
        if self.load_tiling.val() == 3 {
            self.load_half.next = self.c2048.val();
        }
        if self.load.val() {
            self.active.d.next = true;
            self.wide_q.d.next = self.wide.val();
            self.h.d.next = false;
            self.tiled.d.next = self.load_tiling.val().get_bit(1);
            self.is_x.d.next = self.load_tiling.val() == 1;
            self.x0.d.next = self.load_x0.val();
            self.xcol0.d.next = self.load_x0.val().get_bits::<2>(7);
            self.xcol.d.next = self.load_x0.val().get_bits::<2>(7);
            self.z_left.d.next = self.slices.val();
            self.r.d.next = 0.into();
            self.rowoff.d.next = 0.into();
            self.slice_base.d.next = self.addr.val();
            self.band_base.d.next = self.addr.val();
            self.blk_base.d.next = self.addr.val() + self.load_x0.val();
            self.pitch.d.next = self.load_pitch.val();
            self.slice_step.d.next = self.slice_pitch.val();
            self.x_band_step.d.next = (self.load_pitch.val() << 3) - self.x_back.val();
            self.tiled_step.d.next = self.c512.val();
            if self.load_tiling.val() == 3 {
                self.tiled_step.d.next = self.c4096.val();
            }
            if self.wide.val() {
                self.xinc.d.next = 2.into();
                self.col_wrap.d.next = self.x_wrap_wide.val();
                self.blocks_across.d.next = self.row_bytes.val() >> 8;
                self.bc_left.d.next = self.row_bytes.val() >> 8;
                self.block_rows.d.next = self.rows.val() >> 4;
                self.br_left.d.next = self.rows.val() >> 4;
                self.last_r.d.next = 15.into();
                self.len.d.next = 256.into();
                self.col_plain.d.next = self.c256.val();
                self.brow_step0.d.next = self.load_pitch.val() << 4;
                self.brow_step1.d.next = self.load_pitch.val() << 4;
                if self.load_tiling.val().get_bit(1) {
                    self.col_plain.d.next = self.c8192.val();
                    self.brow_step0.d.next = self.load_half.val();
                    self.brow_step1.d.next = (self.load_pitch.val() << 5) - self.load_half.val();
                    if self.load_tiling.val() == 3 {
                        self.last_r.d.next = 1.into();
                        self.len.d.next = 2048.into();
                    }
                }
            } else {
                self.xinc.d.next = 1.into();
                self.col_wrap.d.next = self.x_wrap_narrow.val();
                self.blocks_across.d.next = self.row_bytes.val() >> 7;
                self.bc_left.d.next = self.row_bytes.val() >> 7;
                self.block_rows.d.next = self.rows.val() >> 5;
                self.br_left.d.next = self.rows.val() >> 5;
                self.last_r.d.next = 31.into();
                self.len.d.next = 128.into();
                self.col_plain.d.next = self.c128.val();
                self.brow_step0.d.next = self.load_pitch.val() << 5;
                self.brow_step1.d.next = self.load_pitch.val() << 5;
                if self.load_tiling.val().get_bit(1) {
                    self.last_r.d.next = 0.into();
                    self.len.d.next = 4096.into();
                    self.col_plain.d.next = self.c4096.val();
                }
            }
        }
        if self.reset.val() {
            self.active.d.next = false;
        }
    }
}
