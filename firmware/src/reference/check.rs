//! Checks of a command record, in the order the completion status lists
//! them: opcode, flags, layout, geometry, source window, destination window.

use super::side::Side;
use crate::hw::Hardware;
use tiledma_contract::command::{OP_COPY, OP_NOP};
use tiledma_contract::regs::{CARD_MEMORY_BASE, CARD_MEMORY_BYTES, WINDOWS, WINDOW_BASE};
use tiledma_contract::{CommandRecord, CompletionStatus};

/// The DMA windows the host registered, plus card memory.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Windows {
    ranges: [(u64, u64); WINDOWS as usize],
}

impl Windows {
    /// Windows as `(base, size)`; a size of 0 is no window.
    pub fn new(ranges: [(u64, u64); WINDOWS as usize]) -> Self {
        Self { ranges }
    }

    /// Reads the window registers.
    pub fn read(hw: &impl Hardware) -> Self {
        let mut w = Self::default();
        for (i, r) in w.ranges.iter_mut().enumerate() {
            let at = WINDOW_BASE + 16 * i as u32;
            let base = hw.reg(at) as u64 | (hw.reg(at + 4) as u64) << 32;
            let size = hw.reg(at + 8) as u64 | (hw.reg(at + 12) as u64) << 32;
            *r = (base, size);
        }
        w
    }

    /// `[start, start + len)` lies inside one window or inside card memory.
    pub fn contains(&self, start: u64, len: u64) -> bool {
        let inside = |base: u64, size: u64| {
            start >= base && start - base <= size && len <= size - (start - base)
        };
        inside(CARD_MEMORY_BASE, CARD_MEMORY_BYTES)
            || self
                .ranges
                .iter()
                .any(|&(base, size)| size != 0 && inside(base, size))
    }
}

/// A copy's source and destination spans: `(src_start, src_len, dst_start, dst_len)`.
fn spans(rec: &CommandRecord) -> Option<(u64, u64, u64, u64)> {
    let (src, dst) = (Side::src(rec), Side::dst(rec));
    let s = src.read_span(rec.row_bytes, rec.rows, rec.slices)?;
    let d = dst.span(rec.row_bytes, rec.rows, rec.slices)?;
    Some((src.addr, s, dst.addr, d))
}

/// Whether the command may run. An empty copy (a zero dimension) is valid
/// and touches nothing.
pub fn check_command(rec: &CommandRecord, windows: &Windows) -> Result<(), CompletionStatus> {
    match rec.opcode {
        OP_NOP | OP_COPY => {}
        _ => return Err(CompletionStatus::BadOpcode),
    }
    if rec.flags != 0 {
        return Err(CompletionStatus::BadFlags);
    }
    if !Side::src(rec).layout_ok() || !Side::dst(rec).layout_ok() {
        return Err(CompletionStatus::BadLayout);
    }
    if rec.opcode == OP_NOP || rec.row_bytes == 0 || rec.rows == 0 || rec.slices == 0 {
        return Ok(());
    }
    let (src, src_len, dst, dst_len) = spans(rec).ok_or(CompletionStatus::BadGeometry)?;
    if !windows.contains(src, src_len) {
        return Err(CompletionStatus::BadSource);
    }
    if !windows.contains(dst, dst_len) {
        return Err(CompletionStatus::BadDestination);
    }
    // The engine reads ahead of its writes: source and destination must not share bytes.
    if src < dst + dst_len && dst < src + src_len {
        return Err(CompletionStatus::BadGeometry);
    }
    Ok(())
}
