//! Block mode, walk side: one side's runs for a descriptor copied in whole
//! 128 B × 32-row blocks (the Y/Tile4 tile; see `docs/engine.md`, "Block
//! mode").
//!
//! Blocks go slices, tile rows, tile columns. For each block a tiled side
//! (Y or Tile4, placed at (0, 0)) emits one run: its whole 4 KiB tile,
//! contiguous. A row-type side (linear, or X placed at x % 128 == 0, y == 0)
//! emits 32 runs of 128 bytes, one per row of the block. The read side and
//! the write side each have their own `BlockSide`, so reads run ahead of
//! writes by as much as the read credits allow. Both walk the same blocks
//! in the same order; `Reorder` maps every beat of a run to its cells.

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
    /// Descriptor: the side's base address.
    pub addr: Signal<In, Bits<64>>,
    /// Descriptor: the side's row pitch.
    pub row_pitch: Signal<In, Bits<32>>,
    /// Descriptor: the side's slice pitch.
    pub slice_pitch: Signal<In, Bits<64>>,
    /// Descriptor: the side's placement (tiling in 1:0, x in 15:7).
    pub placement: Signal<In, Bits<16>>,
    /// Descriptor: bytes per row (a multiple of 128).
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
    /// Run: bytes (4096 or 128).
    pub run_len: Signal<Out, Bits<32>>,
    /// Runs remain to be emitted.
    pub busy: Signal<Out, Bit>,
    active: DFF<Bit>,
    tiled: DFF<Bit>,
    is_x: DFF<Bit>,
    x0: DFF<Bits<64>>,
    xcol0: DFF<Bits<2>>,
    xcol: DFF<Bits<2>>,
    tiles_across: DFF<Bits<32>>,
    tile_rows: DFF<Bits<32>>,
    tc_left: DFF<Bits<32>>,
    tr_left: DFF<Bits<32>>,
    z_left: DFF<Bits<32>>,
    r: DFF<Bits<5>>,
    slice_base: DFF<Bits<64>>,
    band_base: DFF<Bits<64>>,
    blk_base: DFF<Bits<64>>,
    rowoff: DFF<Bits<64>>,
    pitch: DFF<Bits<64>>,
    band_step: DFF<Bits<64>>,
    slice_step: DFF<Bits<64>>,
    x_band_step: DFF<Bits<64>>,
    load_tiling: Signal<Local, Bits<2>>,
    load_x0: Signal<Local, Bits<64>>,
    load_pitch: Signal<Local, Bits<64>>,
    col_step: Signal<Local, Bits<64>>,
    row_step: Signal<Local, Bits<64>>,
    next_band: Signal<Local, Bits<64>>,
    next_slice: Signal<Local, Bits<64>>,
    last_row: Signal<Local, Bit>,
    tile_bytes: Constant<Bits<64>>,
    seg_bytes: Constant<Bits<64>>,
    x_col_wrap: Constant<Bits<64>>,
    x_row_bytes: Constant<Bits<64>>,
    x_back: Constant<Bits<64>>,
    tile_run: Constant<Bits<32>>,
    seg_run: Constant<Bits<32>>,
}

impl Default for BlockSide {
    fn default() -> Self {
        Self {
            clock: Default::default(),
            reset: Default::default(),
            load: Default::default(),
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
            tiles_across: Default::default(),
            tile_rows: Default::default(),
            tc_left: Default::default(),
            tr_left: Default::default(),
            z_left: Default::default(),
            r: Default::default(),
            slice_base: Default::default(),
            band_base: Default::default(),
            blk_base: Default::default(),
            rowoff: Default::default(),
            pitch: Default::default(),
            band_step: Default::default(),
            slice_step: Default::default(),
            x_band_step: Default::default(),
            load_tiling: Default::default(),
            load_x0: Default::default(),
            load_pitch: Default::default(),
            col_step: Default::default(),
            row_step: Default::default(),
            next_band: Default::default(),
            next_slice: Default::default(),
            last_row: Default::default(),
            tile_bytes: Constant::new(bits(4096)),
            seg_bytes: Constant::new(bits(128)),
            // X: from byte 384..511 of one 512-byte tile row to byte 0.. of
            // the next tile; and from row 7 of an X tile row to row 0 of the
            // next (8 pitches on, 7 × 512 back).
            x_col_wrap: Constant::new(bits(4096 - 384)),
            x_row_bytes: Constant::new(bits(512)),
            x_back: Constant::new(bits(7 * 512)),
            tile_run: Constant::new(bits(4096)),
            seg_run: Constant::new(bits(128)),
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
            tiles_across,
            tile_rows,
            tc_left,
            tr_left,
            z_left,
            r,
            slice_base,
            band_base,
            blk_base,
            rowoff,
            pitch,
            band_step,
            slice_step,
            x_band_step
        );
        self.busy.next = self.active.q.val();
        self.push.next = self.active.q.val() && self.space.val() && !self.abort.val();
        self.run_addr.next = self.blk_base.q.val() + self.rowoff.q.val();
        self.run_len.next = self.seg_run.val();
        self.last_row.next = self.r.q.val().all();
        if self.tiled.q.val() {
            self.run_len.next = self.tile_run.val();
            self.last_row.next = true;
        }
        self.row_step.next = self.pitch.q.val();
        if self.is_x.q.val() {
            self.row_step.next = self.x_row_bytes.val();
            if self.r.q.val().get_bits::<3>(0).all() {
                self.row_step.next = self.x_band_step.q.val();
            }
        }
        self.col_step.next = self.seg_bytes.val();
        if self.tiled.q.val() {
            self.col_step.next = self.tile_bytes.val();
        }
        if self.is_x.q.val() && self.xcol.q.val().all() {
            self.col_step.next = self.x_col_wrap.val();
        }
        self.next_band.next = self.band_base.q.val() + self.band_step.q.val();
        self.next_slice.next = self.slice_base.q.val() + self.slice_step.q.val();
        if self.push.val() {
            self.r.d.next = self.r.q.val() + 1;
            self.rowoff.d.next = self.rowoff.q.val() + self.row_step.val();
            if self.last_row.val() {
                self.r.d.next = 0.into();
                self.rowoff.d.next = 0.into();
                if self.tc_left.q.val() > 1 {
                    self.tc_left.d.next = self.tc_left.q.val() - 1;
                    self.blk_base.d.next = self.blk_base.q.val() + self.col_step.val();
                    self.xcol.d.next = self.xcol.q.val() + 1;
                } else {
                    self.tc_left.d.next = self.tiles_across.q.val();
                    self.xcol.d.next = self.xcol0.q.val();
                    if self.tr_left.q.val() > 1 {
                        self.tr_left.d.next = self.tr_left.q.val() - 1;
                        self.band_base.d.next = self.next_band.val();
                        self.blk_base.d.next = self.next_band.val() + self.x0.q.val();
                    } else if self.z_left.q.val() > 1 {
                        self.z_left.d.next = self.z_left.q.val() - 1;
                        self.tr_left.d.next = self.tile_rows.q.val();
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
        if self.load.val() {
            self.active.d.next = true;
            self.tiled.d.next = self.load_tiling.val().get_bit(1);
            self.is_x.d.next = self.load_tiling.val() == 1;
            self.x0.d.next = self.load_x0.val();
            self.xcol0.d.next = self.load_x0.val().get_bits::<2>(7);
            self.xcol.d.next = self.load_x0.val().get_bits::<2>(7);
            self.tiles_across.d.next = self.row_bytes.val() >> 7;
            self.tc_left.d.next = self.row_bytes.val() >> 7;
            self.tile_rows.d.next = self.rows.val() >> 5;
            self.tr_left.d.next = self.rows.val() >> 5;
            self.z_left.d.next = self.slices.val();
            self.r.d.next = 0.into();
            self.rowoff.d.next = 0.into();
            self.slice_base.d.next = self.addr.val();
            self.band_base.d.next = self.addr.val();
            self.blk_base.d.next = self.addr.val() + self.load_x0.val();
            self.pitch.d.next = self.load_pitch.val();
            self.band_step.d.next = self.load_pitch.val() << 5;
            self.slice_step.d.next = self.slice_pitch.val();
            self.x_band_step.d.next = (self.load_pitch.val() << 3) - self.x_back.val();
        }
        if self.reset.val() {
            self.active.d.next = false;
        }
    }
}
