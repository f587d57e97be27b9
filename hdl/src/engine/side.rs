//! One side (source or destination) of the walk: where the current piece
//! starts and how far that side stays contiguous, for any tiling.
//!
//! The side keeps the base of the current tile row ("band") and the row
//! inside it; the byte offset inside the band is bit fields of
//! `xs = x0 + x` and the row (see `tiledma_contract::tiling`), so no
//! multiplier is needed. Linear sides are bands of one row.

use rust_hdl::prelude::*;
use tiledma_contract::tiling::Tiling;

/// Address generator for one side of a descriptor.
#[derive(LogicBlock)]
pub struct SideWalk {
    /// Clock.
    pub clock: Signal<In, Clock>,
    /// Load a new descriptor's side this cycle.
    pub load: Signal<In, Bit>,
    /// Descriptor: base address (see `tiledma_contract::layout`).
    pub addr: Signal<In, Bits<64>>,
    /// Descriptor: row pitch.
    pub row_pitch: Signal<In, Bits<32>>,
    /// Descriptor: slice pitch.
    pub slice_pitch: Signal<In, Bits<64>>,
    /// Descriptor: the side's 16-bit placement (tiling, y, x).
    pub placement: Signal<In, Bits<16>>,
    /// Region byte offset of the current piece inside its row.
    pub x: Signal<In, Bits<32>>,
    /// Move to the next row of the slice.
    pub next_row: Signal<In, Bit>,
    /// Move to the first row of the next slice.
    pub next_slice: Signal<In, Bit>,
    /// Address of region byte `x` of the current row.
    pub piece_addr: Signal<Out, Bits<64>>,
    /// Bytes from `x` to the end of this side's contiguous run
    /// (all ones for linear: rows never break).
    pub run: Signal<Out, Bits<32>>,
    tiling: DFF<Bits<2>>,
    x0: DFF<Bits<32>>,
    y0: DFF<Bits<5>>,
    /// Tile height - 1: the last row of a tile row (0 for linear).
    row_mask: DFF<Bits<5>>,
    row: DFF<Bits<5>>,
    band: DFF<Bits<64>>,
    slice_start: DFF<Bits<64>>,
    band_step: DFF<Bits<64>>,
    slice_step: DFF<Bits<64>>,
    xs: Signal<Local, Bits<32>>,
    tile_col: Signal<Local, Bits<64>>,
    in_tile: Signal<Local, Bits<64>>,
    load_tiling: Signal<Local, Bits<2>>,
    load_mask: Signal<Local, Bits<5>>,
    sixteen: Constant<Bits<32>>,
    unbroken: Constant<Bits<32>>,
    x_tile_width: Constant<Bits<32>>,
}

impl Default for SideWalk {
    fn default() -> Self {
        Self {
            clock: Default::default(),
            load: Default::default(),
            addr: Default::default(),
            row_pitch: Default::default(),
            slice_pitch: Default::default(),
            placement: Default::default(),
            x: Default::default(),
            next_row: Default::default(),
            next_slice: Default::default(),
            piece_addr: Default::default(),
            run: Default::default(),
            tiling: Default::default(),
            x0: Default::default(),
            y0: Default::default(),
            row: Default::default(),
            band: Default::default(),
            slice_start: Default::default(),
            band_step: Default::default(),
            slice_step: Default::default(),
            xs: Default::default(),
            tile_col: Default::default(),
            in_tile: Default::default(),
            row_mask: Default::default(),
            load_tiling: Default::default(),
            load_mask: Default::default(),
            sixteen: Constant::new(bits(16)),
            unbroken: Constant::new(bits(u32::MAX as u64)),
            x_tile_width: Constant::new(bits(Tiling::X.tile_width())),
        }
    }
}

#[cfg(test)]
#[test]
fn tiling_codes_match_the_contract() {
    assert_eq!(
        Tiling::ALL.map(|t| t as u8),
        [0, 1, 2, 3],
        "SideWalk's literals"
    );
}

// hdl_gen needs literals: tiling codes are 0 linear, 1 X, 2 Y, 3 Tile4
// (`Tiling` in the contract; a test below pins them).

impl Logic for SideWalk {
    #[hdl_gen]
    fn update(&mut self) {
        dff_setup!(
            self,
            clock,
            tiling,
            x0,
            y0,
            row_mask,
            row,
            band,
            slice_start,
            band_step,
            slice_step
        );
        self.xs.next = self.x0.q.val() + self.x.val();
        // Offset of the tile column inside the band (4 KiB tiles), and of
        // the byte inside its tile.
        self.tile_col.next = bit_cast::<64, 32>(self.xs.val() >> 7) << 12;
        self.in_tile.next = bit_cast::<64, 4>(self.xs.val().get_bits::<4>(0))
            | (bit_cast::<64, 5>(self.row.q.val()) << 4)
            | (bit_cast::<64, 3>(self.xs.val().get_bits::<3>(4)) << 9);
        self.run.next = self.sixteen.val() - bit_cast::<32, 4>(self.xs.val().get_bits::<4>(0));
        if self.tiling.q.val() == 0 {
            self.tile_col.next = bit_cast::<64, 32>(self.xs.val());
            self.in_tile.next = 0.into();
            self.run.next = self.unbroken.val();
        } else if self.tiling.q.val() == 1 {
            self.tile_col.next = bit_cast::<64, 32>(self.xs.val() >> 9) << 12;
            self.in_tile.next = bit_cast::<64, 9>(self.xs.val().get_bits::<9>(0))
                | (bit_cast::<64, 3>(self.row.q.val().get_bits::<3>(0)) << 9);
            self.run.next =
                self.x_tile_width.val() - bit_cast::<32, 9>(self.xs.val().get_bits::<9>(0));
        } else if self.tiling.q.val() == 2 {
            // Y's fields are the defaults above.
        } else {
            // Tile4: 8-row blocks, 64-byte halves, 4-row pairs, OWord columns.
            self.in_tile.next = bit_cast::<64, 4>(self.xs.val().get_bits::<4>(0))
                | (bit_cast::<64, 2>(self.row.q.val().get_bits::<2>(0)) << 4)
                | (bit_cast::<64, 2>(self.xs.val().get_bits::<2>(4)) << 6)
                | (bit_cast::<64, 1>(self.row.q.val().get_bits::<1>(2)) << 8)
                | (bit_cast::<64, 1>(self.xs.val().get_bits::<1>(6)) << 9)
                | (bit_cast::<64, 2>(self.row.q.val().get_bits::<2>(3)) << 10);
        }
        self.piece_addr.next = self.band.q.val() + self.tile_col.val() + self.in_tile.val();
        if self.next_row.val() {
            self.row.d.next = self.row.q.val() + 1;
            if self.row.q.val() == self.row_mask.q.val() {
                self.row.d.next = 0.into();
                self.band.d.next = self.band.q.val() + self.band_step.q.val();
            }
        }
        if self.next_slice.val() {
            self.row.d.next = self.y0.q.val();
            self.band.d.next = self.slice_start.q.val() + self.slice_step.q.val();
            self.slice_start.d.next = self.slice_start.q.val() + self.slice_step.q.val();
        }
        // Loading: the tile height decides the band step and which row bits
        // count (the engine ignores y bits above the tile height).
        self.load_tiling.next = self.placement.val().get_bits::<2>(0);
        self.load_mask.next = 31.into();
        if self.load_tiling.val() == 0 {
            self.load_mask.next = 0.into();
        } else if self.load_tiling.val() == 1 {
            self.load_mask.next = 7.into();
        }
        if self.load.val() {
            self.tiling.d.next = self.load_tiling.val();
            self.row_mask.d.next = self.load_mask.val();
            self.x0.d.next = bit_cast::<32, 9>(self.placement.val().get_bits::<9>(7));
            self.y0.d.next = self.placement.val().get_bits::<5>(2) & self.load_mask.val();
            self.row.d.next = self.placement.val().get_bits::<5>(2) & self.load_mask.val();
            self.band.d.next = self.addr.val();
            self.slice_start.d.next = self.addr.val();
            self.slice_step.d.next = self.slice_pitch.val();
            self.band_step.d.next = bit_cast::<64, 32>(self.row_pitch.val()) << 5;
            if self.load_tiling.val() == 0 {
                self.band_step.d.next = bit_cast::<64, 32>(self.row_pitch.val());
            } else if self.load_tiling.val() == 1 {
                self.band_step.d.next = bit_cast::<64, 32>(self.row_pitch.val()) << 3;
            }
        }
    }
}
