//! The ECP5 boards (no PCIe): what the fabric around the card decodes and
//! the UART link that stands in for PCIe.
//!
//! On a board there is no host memory the card could reach. Both of the
//! card's master ports (engine, bridge) go to on-chip block RAM, decoded in
//! three windows that sit where the host driver places its allocations: the
//! ring arena, the data-buffer arena (DMA window 0) and card memory. Every
//! other address answers `DECERR`. The host's UART transport stages its DMA
//! buffers into the first two windows (`docs/uart.md`).

/// Bytes of on-chip memory behind the card's master ports.
pub const BOARD_MEMORY_BYTES: u64 = 64 << 10;

/// A window of the board's on-chip memory in the card's DMA address space.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct BoardWindow {
    /// First DMA address of the window.
    pub base: u64,
    /// Bytes (a power of two).
    pub bytes: u64,
    /// Byte offset of the window in the on-chip memory.
    pub offset: u64,
}

impl BoardWindow {
    /// The on-chip offset of `addr`, if the window holds `[addr, addr + len)`.
    pub const fn offset_of(&self, addr: u64, len: u64) -> Option<u64> {
        if addr >= self.base && len <= self.bytes && addr - self.base <= self.bytes - len {
            Some(self.offset + addr - self.base)
        } else {
            None
        }
    }
}

/// The ring arena (`regs::RING_IOVA`): 16 KiB.
pub const BOARD_RING_WINDOW: BoardWindow = BoardWindow {
    base: crate::regs::RING_IOVA.0,
    bytes: 16 << 10,
    offset: 0,
};
/// The data-buffer arena (DMA window 0, `regs::DATA_IOVA`): 32 KiB.
pub const BOARD_DATA_WINDOW: BoardWindow = BoardWindow {
    base: crate::regs::DATA_IOVA.0,
    bytes: 32 << 10,
    offset: 32 << 10,
};
/// Card memory (`regs::CARD_MEMORY_BASE`): 16 KiB.
pub const BOARD_CARD_WINDOW: BoardWindow = BoardWindow {
    base: crate::regs::CARD_MEMORY_BASE,
    bytes: 16 << 10,
    offset: 16 << 10,
};
/// All windows.
pub const BOARD_WINDOWS: [BoardWindow; 3] =
    [BOARD_RING_WINDOW, BOARD_DATA_WINDOW, BOARD_CARD_WINDOW];

// ---- the UART link (docs/uart.md) ----

/// Default line rate, bits per second (8N1).
pub const UART_DEFAULT_BAUD: u32 = 1_000_000;
/// Card clock the board tops run at, Hz (a PLL from the board oscillator;
/// the card closes timing at ~48 MHz on the ECP5, see bitstreams/README.md).
pub const BOARD_CLOCK_HZ: u32 = 40_000_000;

/// Request: does nothing; reply `PING | REPLY`.
pub const UART_PING: u8 = 0x00;
/// Request: BAR0 write. Then offset (4 bytes), value (4 bytes), both big-endian.
pub const UART_BAR_WRITE: u8 = 0x01;
/// Request: BAR0 read. Then offset (4 bytes, big-endian). Reply: the value,
/// 4 bytes little-endian.
pub const UART_BAR_READ: u8 = 0x02;
/// Request: memory write. Then address (8 bytes), word count (2 bytes), both
/// big-endian, then 4 × count data bytes in memory order. Reply: status byte.
pub const UART_MEM_WRITE: u8 = 0x03;
/// Request: memory read. Then address (8 bytes), word count (2 bytes), both
/// big-endian. Reply: 4 × count data bytes in memory order, then a status byte.
pub const UART_MEM_READ: u8 = 0x04;
/// Request: reset the card (as a PCI function reset would). Reply `RESET | REPLY`
/// once the reset is over.
pub const UART_RESET: u8 = 0x05;
/// Added to a request's opcode to form its reply's first byte.
pub const UART_REPLY: u8 = 0x80;
/// Sent by the board between replies when the interrupt line rises.
pub const UART_IRQ: u8 = 0xC0;
/// Reply to an unknown opcode (the request is dropped, nothing follows).
pub const UART_BAD_OPCODE: u8 = 0xEE;
/// Status byte bit: an access of the frame hit no window (`DECERR`).
pub const UART_STATUS_DECERR: u8 = 1;
/// Most words one memory frame moves.
pub const UART_MAX_WORDS: usize = 0xFFFF;

/// Bytes of a request's header after the opcode.
pub const fn uart_header_bytes(op: u8) -> Option<usize> {
    match op {
        UART_PING | UART_RESET => Some(0),
        UART_BAR_READ => Some(4),
        UART_BAR_WRITE => Some(8),
        UART_MEM_WRITE | UART_MEM_READ => Some(10),
        _ => None,
    }
}

const _: () = {
    let mut i = 0;
    while i < BOARD_WINDOWS.len() {
        let w = BOARD_WINDOWS[i];
        assert!(w.bytes.is_power_of_two() && w.base & (w.bytes - 1) == 0);
        assert!(w.offset + w.bytes <= BOARD_MEMORY_BYTES);
        i += 1;
    }
    assert!(BOARD_RING_WINDOW.offset + BOARD_RING_WINDOW.bytes <= BOARD_CARD_WINDOW.offset);
    assert!(BOARD_CARD_WINDOW.offset + BOARD_CARD_WINDOW.bytes <= BOARD_DATA_WINDOW.offset);
};

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn windows_are_disjoint_and_decode() {
        assert_eq!(BOARD_RING_WINDOW.offset_of(0x1000_0000, 64), Some(0));
        assert_eq!(BOARD_RING_WINDOW.offset_of(0x1000_1fc0, 64), Some(0x1fc0));
        assert_eq!(BOARD_RING_WINDOW.offset_of(0x1000_3fc0, 128), None);
        assert_eq!(BOARD_DATA_WINDOW.offset_of(0x1_0000_0010, 4), Some(0x8010));
        assert_eq!(
            BOARD_CARD_WINDOW.offset_of(crate::regs::CARD_MEMORY_BASE + 4, 4),
            Some(0x4004)
        );
        assert_eq!(BOARD_CARD_WINDOW.offset_of(0, 4), None);
    }
}
