//! Converting image bytes between layouts on the card: the bytes go to the
//! card's DMA space, the card copies the region from one layout to the
//! other, and the result comes back. What `tiledma convert` runs.

use crate::copy::{Copy3d, View};
use crate::device::Device;
use crate::error::DeviceError;
use tiledma_contract::tiling::Tiling;
use tiledma_contract::CompletionStatus;

/// How one side's bytes are laid out.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Layout {
    /// Tiling.
    pub tiling: Tiling,
    /// Row pitch in bytes.
    pub row_pitch: u64,
    /// Bytes between slices.
    pub slice_pitch: u64,
}

impl Layout {
    /// The default layout of an image `row_bytes` wide, `rows` high: linear
    /// rows are packed; tiled rows round up to the tile width and slices
    /// to whole tile rows.
    pub fn packed(tiling: Tiling, row_bytes: u64, rows: u64) -> Self {
        let row_pitch = row_bytes.next_multiple_of(tiling.tile_width());
        Layout {
            tiling,
            row_pitch,
            slice_pitch: row_pitch * rows.next_multiple_of(tiling.tile_height()),
        }
    }

    /// Bytes a surface of `slices` slices occupies in this layout.
    pub fn bytes(&self, slices: u64) -> u64 {
        self.slice_pitch * slices
    }
}

/// One conversion: a box of `size` (bytes across, rows, slices) from
/// `src_origin` in the source layout to `dst_origin` in a fresh,
/// zero-filled destination of `dst_bytes` bytes.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Conversion {
    /// Source layout.
    pub src: Layout,
    /// Destination layout.
    pub dst: Layout,
    /// Box origin in the source (bytes, rows, slices).
    pub src_origin: [u64; 3],
    /// Box origin in the destination.
    pub dst_origin: [u64; 3],
    /// Box size.
    pub size: [u64; 3],
    /// Size of the destination.
    pub dst_bytes: u64,
}

/// Runs `c` on the card over `input` and returns the destination bytes.
pub fn convert(dev: &Device, input: &[u8], c: &Conversion) -> Result<Vec<u8>, DeviceError> {
    let src = dev.alloc_dma(input.len().max(1))?;
    let dst = dev.alloc_dma(c.dst_bytes.max(1) as usize)?;
    src.write(0, input);
    dst.write(0, &vec![0; c.dst_bytes as usize]);
    let view = |base, l: &Layout| View {
        base,
        tiling: l.tiling,
        row_pitch: l.row_pitch,
        slice_pitch: l.slice_pitch,
    };
    let copy = Copy3d::region(
        &view(src.iova(), &c.src),
        c.src_origin,
        &view(dst.iova(), &c.dst),
        c.dst_origin,
        c.size,
    )?;
    let done = dev.copy(&copy)?.wait();
    if done.status != CompletionStatus::Ok {
        return Err(DeviceError::Command(done.status));
    }
    let mut out = dst.to_vec();
    out.truncate(c.dst_bytes as usize);
    Ok(out)
}
