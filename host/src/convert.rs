//! Converting image bytes between layouts on the card: the bytes go to the
//! card's DMA space, the card copies the region from one layout to the
//! other, and the result comes back. What `tiledma convert` runs.

use crate::copy::{Copy3d, View};
use crate::device::Device;
use crate::error::DeviceError;
use tiledma_contract::CompletionStatus;

/// One conversion: a box of `size` (bytes across, rows, slices) from
/// `src_origin` in the source surface to `dst_origin` in a fresh,
/// zero-filled destination of `dst_bytes` bytes. The views' `base` is the
/// surface's offset in the input and output bytes.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Conversion {
    /// Source surface.
    pub src: View,
    /// Destination surface.
    pub dst: View,
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
    let at = |iova: u64, v: &View| View {
        base: iova + v.base,
        ..*v
    };
    let copy = Copy3d::region(
        &at(src.iova(), &c.src),
        c.src_origin,
        &at(dst.iova(), &c.dst),
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
