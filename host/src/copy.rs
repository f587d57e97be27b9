//! What a copy command says: a 3D region between two sides of the card's
//! DMA space, each linear or tiled.
//!
//! [`Copy3d`] is the command as the card takes it. [`View`] is a surface as
//! a user thinks of it (a base address, a tiling and pitches); a region
//! between two views in surface coordinates becomes a [`Copy3d`] through
//! the contract's placement rules ([`tiledma_contract::layout`]).

use crate::device::{CardBuffer, Device};
use crate::error::DeviceError;
use tiledma_contract::command::OP_COPY;
use tiledma_contract::surface::Subresource;
use tiledma_contract::tiling::Tiling;
use tiledma_contract::{CommandRecord, Layout, Placement};

/// A 3D region copy in the card's DMA space (IOVAs of
/// [`crate::dma::DmaBuffer`]s, or card-memory addresses from
/// [`crate::Device::alloc_card`]). Addresses and placements follow
/// [`tiledma_contract::layout`]; for linear sides `src`/`dst` is simply the
/// first byte.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Copy3d {
    /// Source base.
    pub src: u64,
    /// Source row pitch.
    pub src_row_pitch: u32,
    /// Source slice pitch.
    pub src_slice_pitch: u64,
    /// Destination base.
    pub dst: u64,
    /// Destination row pitch.
    pub dst_row_pitch: u32,
    /// Destination slice pitch.
    pub dst_slice_pitch: u64,
    /// Bytes per row.
    pub row_bytes: u32,
    /// Rows per slice.
    pub rows: u32,
    /// Slices.
    pub slices: u32,
    /// Both sides' tiling and placement.
    pub layout: Layout,
}

impl Copy3d {
    /// A contiguous copy of `len` bytes.
    pub fn linear(src: u64, dst: u64, len: u32) -> Self {
        Self {
            src,
            dst,
            row_bytes: len,
            rows: 1,
            slices: 1,
            ..Default::default()
        }
    }

    /// Copies the box of `size` (bytes across, rows, slices) at `src_origin`
    /// of `src` to `dst_origin` of `dst` (origins in the same units).
    pub fn region(
        src: &View,
        src_origin: [u64; 3],
        dst: &View,
        dst_origin: [u64; 3],
        size: [u64; 3],
    ) -> Result<Self, DeviceError> {
        let (src_addr, src_place) = src.locate(src_origin)?;
        let (dst_addr, dst_place) = dst.locate(dst_origin)?;
        let small =
            |v: u64, what: &'static str| u32::try_from(v).map_err(|_| DeviceError::BadRegion(what));
        Ok(Self {
            src: src_addr,
            src_row_pitch: small(src.row_pitch, "source row pitch")?,
            src_slice_pitch: src.slice_pitch,
            dst: dst_addr,
            dst_row_pitch: small(dst.row_pitch, "destination row pitch")?,
            dst_slice_pitch: dst.slice_pitch,
            row_bytes: small(size[0], "row bytes")?,
            rows: small(size[1], "rows")?,
            slices: small(size[2], "slices")?,
            layout: Layout {
                src: src_place,
                dst: dst_place,
            },
        })
    }

    /// The command record (cookie filled in at submission).
    pub(crate) fn record(&self) -> CommandRecord {
        CommandRecord {
            opcode: OP_COPY,
            flags: 0,
            row_bytes: self.row_bytes,
            cookie: 0,
            layout: self.layout.to_word(),
            src_addr: self.src,
            dst_addr: self.dst,
            src_slice_pitch: self.src_slice_pitch,
            dst_slice_pitch: self.dst_slice_pitch,
            src_row_pitch: self.src_row_pitch,
            dst_row_pitch: self.dst_row_pitch,
            rows: self.rows,
            slices: self.slices,
        }
    }
}

/// A surface in the card's DMA space: where it starts, how it is laid out.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct View {
    /// Address of the surface's byte (0, 0, 0).
    pub base: u64,
    /// Layout.
    pub tiling: Tiling,
    /// Row pitch in bytes (a multiple of the tile width when tiled).
    pub row_pitch: u64,
    /// Bytes between slices.
    pub slice_pitch: u64,
}

impl View {
    /// A linear surface.
    pub fn linear(base: u64, row_pitch: u64, slice_pitch: u64) -> Self {
        View {
            base,
            tiling: Tiling::Linear,
            row_pitch,
            slice_pitch,
        }
    }

    /// A surface whose rows are `row_pitch` apart and whose slices hold
    /// `rows` rows padded to whole tile rows.
    pub fn new(base: u64, tiling: Tiling, row_pitch: u64, rows: u64) -> Self {
        View {
            base,
            tiling,
            row_pitch,
            slice_pitch: row_pitch * rows.next_multiple_of(tiling.tile_height()),
        }
    }

    /// Bytes `slices` slices occupy from the base.
    pub fn bytes(&self, slices: u64) -> u64 {
        self.slice_pitch * slices
    }

    /// One level of an image whose byte 0 is at `image_base`.
    pub fn level(image_base: u64, level: &Subresource) -> Self {
        View {
            base: image_base + level.offset,
            tiling: level.tiling,
            row_pitch: level.row_pitch,
            slice_pitch: level.slice_pitch,
        }
    }

    /// The base and placement of a region starting at `origin`.
    fn locate(&self, origin: [u64; 3]) -> Result<(u64, Placement), DeviceError> {
        if !self.tiling.pitch_ok(self.row_pitch) && self.tiling != Tiling::Linear {
            return Err(DeviceError::BadRegion(
                "row pitch not a multiple of the tile width",
            ));
        }
        let (offset, p) = Placement::locate(self.tiling, self.row_pitch, origin[0], origin[1]);
        let addr = self
            .slice_pitch
            .checked_mul(origin[2])
            .and_then(|z| z.checked_add(offset))
            .and_then(|o| o.checked_add(self.base))
            .ok_or(DeviceError::BadRegion("origin outside the address space"))?;
        Ok((addr, p))
    }
}

/// A box in a view: its origin (x in bytes, rows, slices).
#[derive(Clone, Copy, Debug)]
pub struct Region {
    /// The surface.
    pub view: View,
    /// The box's first byte, row and slice.
    pub origin: [u64; 3],
}

/// The copy of a `size` box (bytes across, rows, slices) from `src` to
/// `dst`, as the card commands that do it, in order. The card refuses a
/// command whose source and destination spans share bytes even when the
/// boxes are disjoint, so `same_storage` routes the box through a bounce
/// buffer in card memory, kept alive in [`BoxCopy::bounce`].
pub struct BoxCopy {
    /// The commands; run them one after the other.
    pub copies: Vec<Copy3d>,
    /// The bounce buffer the commands use, if any.
    pub bounce: Option<CardBuffer>,
}

impl BoxCopy {
    /// Plans the copy (`OutOfSpace` when no card memory is left for the bounce).
    pub fn plan(
        card: &Device,
        src: Region,
        dst: Region,
        size: [u64; 3],
        same_storage: bool,
    ) -> Result<Self, DeviceError> {
        if !same_storage {
            let c = Copy3d::region(&src.view, src.origin, &dst.view, dst.origin, size)?;
            return Ok(Self {
                copies: vec![c],
                bounce: None,
            });
        }
        let tight = size[0] * size[1] * size[2];
        let tmp = card.alloc_card(tight)?;
        let mid = View::linear(tmp.addr(), size[0], size[0] * size[1]);
        let a = Copy3d::region(&src.view, src.origin, &mid, [0; 3], size)?;
        let b = Copy3d::region(&mid, [0; 3], &dst.view, dst.origin, size)?;
        Ok(Self {
            copies: vec![a, b],
            bounce: Some(tmp),
        })
    }

    /// Runs the commands one after the other and waits for each.
    pub fn run(&self, card: &Device) -> Result<(), DeviceError> {
        for c in &self.copies {
            card.run(std::slice::from_ref(c))?;
        }
        Ok(())
    }
}

/// Bytes from the first to one past the last byte of a `size` box (bytes
/// across, rows, slices; none zero) at the origin of a linear layout with
/// these pitches (`None` past `u64`, which no memory can hold).
pub fn linear_extent(size: [u64; 3], row_pitch: u64, slice_pitch: u64) -> Option<u64> {
    (size[2] - 1)
        .checked_mul(slice_pitch)?
        .checked_add((size[1] - 1).checked_mul(row_pitch)?)?
        .checked_add(size[0])
}
