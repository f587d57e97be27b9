//! One side (source or destination) of a copy: how far it reaches in
//! memory, for the window and overlap checks, and where it is after moving
//! down whole rows, for splitting. Addresses follow `tiledma_contract::layout`.

use tiledma_contract::layout::Placement;
use tiledma_contract::tiling::{Tiling, TILE_BYTES};
use tiledma_contract::CommandRecord;

/// A side's addressing: base, pitches and placement.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Side {
    /// Base address (see `tiledma_contract::layout`).
    pub addr: u64,
    /// Row pitch.
    pub row_pitch: u32,
    /// Slice pitch.
    pub slice_pitch: u64,
    /// Tiling and start inside the first tile.
    pub placement: Placement,
}

impl Side {
    /// The source side of `rec`.
    pub fn src(rec: &CommandRecord) -> Self {
        Side {
            addr: rec.src_addr,
            row_pitch: rec.src_row_pitch,
            slice_pitch: rec.src_slice_pitch,
            placement: tiledma_contract::Layout::from_word(rec.layout).src,
        }
    }

    /// The destination side of `rec`.
    pub fn dst(rec: &CommandRecord) -> Self {
        Side {
            addr: rec.dst_addr,
            row_pitch: rec.dst_row_pitch,
            slice_pitch: rec.dst_slice_pitch,
            placement: tiledma_contract::Layout::from_word(rec.layout).dst,
        }
    }

    /// Whether the placement and pitch suit the tiling.
    pub fn layout_ok(&self) -> bool {
        let t = self.placement.tiling;
        self.placement.valid() && (t == Tiling::Linear || t.pitch_ok(self.row_pitch as u64))
    }

    /// Bytes from `addr` that a non-empty region of `row_bytes × rows ×
    /// slices` may touch, or `None` when rows or slices would overlap each
    /// other (or a tiled row would leave its surface row) or the arithmetic
    /// overflows. For a destination.
    pub fn span(&self, row_bytes: u32, rows: u32, slices: u32) -> Option<u64> {
        self.extent(row_bytes, rows, slices, false)
    }

    /// [`Side::span`] for a source, which may re-read its bytes: a linear
    /// source whose pitches are smaller than a row or a slice (0 replays one
    /// block — the pattern of a fill) is allowed; rows still read in order.
    pub fn read_span(&self, row_bytes: u32, rows: u32, slices: u32) -> Option<u64> {
        self.extent(row_bytes, rows, slices, true)
    }

    fn extent(&self, row_bytes: u32, rows: u32, slices: u32, replay: bool) -> Option<u64> {
        let linear = self.placement.tiling == Tiling::Linear;
        let (row_bytes, rows, slices) = (row_bytes as u64, rows as u64, slices as u64);
        let pitch = self.row_pitch as u64;
        let p = self.placement;
        let slice_len = if linear {
            if rows > 1 && row_bytes > pitch && !replay {
                return None;
            }
            // The last row reaches furthest, even when rows overlap.
            pitch.checked_mul(rows - 1)?.checked_add(row_bytes)?
        } else {
            // Whole tiles: from the first tile to the last column of the
            // last tile row the region reaches.
            let (tw, th) = (p.tiling.tile_width(), p.tiling.tile_height());
            let right = p.x as u64 + row_bytes;
            if right > pitch {
                return None;
            }
            let last_band = (p.y as u64 + rows - 1) / th;
            let columns = right.div_ceil(tw);
            (last_band * th * pitch).checked_add(columns * TILE_BYTES)?
        };
        if slices > 1 && slice_len > self.slice_pitch && !(replay && linear) {
            return None;
        }
        let span = self
            .slice_pitch
            .checked_mul(slices - 1)?
            .checked_add(slice_len)?;
        self.addr.checked_add(span)?;
        Some(span)
    }

    /// The side moved to row `row` of slice `slice`: its base and placement.
    pub fn at(&self, row: u32, slice: u32) -> (u64, Placement) {
        let (delta, p) = self
            .placement
            .advance_rows(self.row_pitch as u64, row as u64);
        (self.addr + self.slice_pitch * slice as u64 + delta, p)
    }
}
