//! Checks of a command record, in the order the completion status lists
//! them: opcode, flags, layout, geometry, source window, destination window.

use crate::hw::Hardware;
use crate::side::Side;
use tiledma_contract::command::{OP_COPY, OP_NOP};
use tiledma_contract::regs::{CARD_MEMORY_BASE, CARD_MEMORY_BYTES, WINDOWS, WINDOW_BASE};
use tiledma_contract::{CommandRecord, CompletionStatus};

/// The DMA windows the host registered, plus card memory.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Windows {
    /// The registered windows (size not 0) first, in register order.
    ranges: [(u64, u64); WINDOWS as usize],
    /// How many of `ranges` are registered.
    count: usize,
}

impl Windows {
    /// Windows as `(base, size)`; a size of 0 is no window.
    pub fn new(ranges: [(u64, u64); WINDOWS as usize]) -> Self {
        let mut w = Self::default();
        for r in ranges {
            if r.1 != 0 {
                w.ranges[w.count] = r;
                w.count += 1;
            }
        }
        w
    }

    /// Reads the window registers.
    pub fn read(hw: &impl Hardware) -> Self {
        Self::new(core::array::from_fn(|i| {
            let at = WINDOW_BASE + 16 * i as u32;
            let base = hw.reg(at) as u64 | (hw.reg(at + 4) as u64) << 32;
            let size = hw.reg(at + 8) as u64 | (hw.reg(at + 12) as u64) << 32;
            (base, size)
        }))
    }

    /// `[start, start + len)` lies inside one window or inside card memory.
    #[inline]
    pub fn contains(&self, start: u64, len: u64) -> bool {
        let inside = |base: u64, size: u64| {
            start >= base && start - base <= size && len <= size - (start - base)
        };
        inside(CARD_MEMORY_BASE, CARD_MEMORY_BYTES)
            || self.ranges[..self.count]
                .iter()
                .any(|&(base, size)| inside(base, size))
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
#[inline]
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

#[cfg(test)]
mod tests {
    use super::*;

    fn windows() -> Windows {
        let mut r = [(0, 0); WINDOWS as usize];
        r[3] = (0x10_0000, 0x1_0000);
        r[7] = (0x40_0000, 0x1000);
        Windows::new(r)
    }

    fn copy(src: u64, dst: u64, len: u32) -> CommandRecord {
        CommandRecord {
            opcode: OP_COPY,
            row_bytes: len,
            rows: 1,
            slices: 1,
            src_addr: src,
            dst_addr: dst,
            ..Default::default()
        }
    }

    #[test]
    fn valid_copies_pass() {
        let w = windows();
        assert_eq!(
            check_command(&copy(0x10_0000, 0x40_0000, 0x1000), &w),
            Ok(())
        );
        assert_eq!(
            check_command(&copy(0x10_0000, CARD_MEMORY_BASE + 5, 0x1_0000), &w),
            Ok(())
        );
        let mut r = copy(0x10_0000, 0x40_0000, 16);
        r.rows = 4;
        r.src_row_pitch = 100;
        r.dst_row_pitch = 16;
        r.slices = 2;
        r.src_slice_pitch = 400;
        r.dst_slice_pitch = 64;
        assert_eq!(check_command(&r, &w), Ok(()));
        // A pattern fill: the source replays one 16-byte block.
        r.src_row_pitch = 0;
        r.src_slice_pitch = 0;
        assert_eq!(check_command(&r, &w), Ok(()), "replaying source");
        r.src_row_pitch = 8;
        assert_eq!(check_command(&r, &w), Ok(()), "overlapping source rows");
    }

    #[test]
    fn malformed_records_get_their_status() {
        let w = windows();
        let mut r = copy(0x10_0000, 0x40_0000, 16);
        r.opcode = 77;
        assert_eq!(check_command(&r, &w), Err(CompletionStatus::BadOpcode));
        let mut r = copy(0x10_0000, 0x40_0000, 16);
        r.flags = 1;
        assert_eq!(check_command(&r, &w), Err(CompletionStatus::BadFlags));
        let mut r = copy(0x10_0000, 0x40_0000, 16);
        r.rows = 2;
        r.src_row_pitch = 16;
        r.dst_row_pitch = 8;
        assert_eq!(
            check_command(&r, &w),
            Err(CompletionStatus::BadGeometry),
            "destination rows overlap"
        );
        r.slices = 2;
        r.dst_row_pitch = 16;
        r.dst_slice_pitch = 16;
        assert_eq!(
            check_command(&r, &w),
            Err(CompletionStatus::BadGeometry),
            "destination slices overlap"
        );
        let mut r = copy(0x10_0000, 0x40_0000, 16);
        r.slices = 3;
        r.src_slice_pitch = u64::MAX / 2;
        assert_eq!(
            check_command(&r, &w),
            Err(CompletionStatus::BadGeometry),
            "overflow"
        );
        assert_eq!(
            check_command(&copy(0x10_0001, 0x40_0000, 0x1_0000), &w),
            Err(CompletionStatus::BadSource)
        );
        assert_eq!(
            check_command(&copy(0x20_0000, 0x40_0000, 1), &w),
            Err(CompletionStatus::BadSource)
        );
        assert_eq!(
            check_command(&copy(0x10_0000, 0x40_0001, 0x1000), &w),
            Err(CompletionStatus::BadDestination)
        );
        assert_eq!(
            check_command(&copy(0x10_0000, 0x10_0800, 0x1000), &w),
            Err(CompletionStatus::BadGeometry),
            "overlap"
        );
        assert_eq!(
            check_command(&copy(u64::MAX - 2, 0x40_0000, 16), &w),
            Err(CompletionStatus::BadGeometry)
        );
    }

    #[test]
    fn tiled_sides_are_checked() {
        use tiledma_contract::{tiling::Tiling, Layout, Placement};
        let w = windows();
        let mut r = copy(0x10_0000, 0x40_0000, 100);
        r.rows = 8;
        r.dst_row_pitch = 512;
        let layout = |tiling, x| Layout {
            src: Placement::LINEAR,
            dst: Placement { tiling, x, y: 0 },
        };
        r.src_row_pitch = 100;
        r.layout = layout(Tiling::X, 400).to_word();
        assert_eq!(check_command(&r, &w), Ok(()), "one X tile, 4 KiB window");
        r.layout = layout(Tiling::Y, 200).to_word();
        assert_eq!(
            check_command(&r, &w),
            Err(CompletionStatus::BadLayout),
            "x outside a 128-byte tile"
        );
        r.layout = layout(Tiling::Y, 0).to_word();
        r.dst_row_pitch = 200;
        assert_eq!(check_command(&r, &w), Err(CompletionStatus::BadLayout));
        r.dst_row_pitch = 512;
        r.rows = 9;
        r.layout = layout(Tiling::X, 0).to_word();
        assert_eq!(
            check_command(&r, &w),
            Err(CompletionStatus::BadDestination),
            "a second tile row leaves the 4 KiB window"
        );
        r.rows = 8;
        r.layout = layout(Tiling::X, 413).to_word();
        assert_eq!(
            check_command(&r, &w),
            Err(CompletionStatus::BadGeometry),
            "row leaves the surface row"
        );
    }

    #[test]
    fn empty_and_nop_need_no_window() {
        let w = Windows::default();
        assert_eq!(check_command(&copy(0xdead, 0xbeef, 0), &w), Ok(()));
        let nop = CommandRecord {
            opcode: OP_NOP,
            ..Default::default()
        };
        assert_eq!(check_command(&nop, &w), Ok(()));
    }
}
