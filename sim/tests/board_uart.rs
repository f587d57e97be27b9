//! The UART bridge of the ECP5 board top, driven bit by bit on its serial
//! pins in the board's real generated Verilog (Verilated with PicoRV32):
//! every request of the protocol (`docs/uart.md`), the window decode of the
//! on-chip memory, the interrupt notification and the card reset.

use tiledma_contract::board::*;
use tiledma_contract::regs;
use tiledma_sim::board::{SimBoard, CLKS_PER_BIT};

/// Longest wait for one reply byte: a few byte times plus the access.
const BYTE_BUDGET: u64 = 64 * CLKS_PER_BIT as u64 + 1000;

fn recv(b: &mut SimBoard) -> u8 {
    b.recv(BYTE_BUDGET).expect("the board did not answer")
}

fn recv_n(b: &mut SimBoard, n: usize) -> Vec<u8> {
    (0..n).map(|_| recv(b)).collect()
}

fn bar_read(b: &mut SimBoard, off: u32) -> u32 {
    let mut req = vec![UART_BAR_READ];
    req.extend(off.to_be_bytes());
    b.send(&req);
    assert_eq!(recv(b), UART_BAR_READ | UART_REPLY);
    u32::from_le_bytes(recv_n(b, 4).try_into().unwrap())
}

fn bar_write(b: &mut SimBoard, off: u32, v: u32) {
    let mut req = vec![UART_BAR_WRITE];
    req.extend(off.to_be_bytes());
    req.extend(v.to_be_bytes());
    b.send(&req);
    assert_eq!(recv(b), UART_BAR_WRITE | UART_REPLY);
}

fn mem_write(b: &mut SimBoard, addr: u64, data: &[u8]) -> u8 {
    let mut req = vec![UART_MEM_WRITE];
    req.extend(addr.to_be_bytes());
    req.extend(((data.len() / 4) as u16).to_be_bytes());
    req.extend(data);
    b.send(&req);
    assert_eq!(recv(b), UART_MEM_WRITE | UART_REPLY);
    recv(b)
}

fn mem_read(b: &mut SimBoard, addr: u64, words: usize) -> (Vec<u8>, u8) {
    let mut req = vec![UART_MEM_READ];
    req.extend(addr.to_be_bytes());
    req.extend((words as u16).to_be_bytes());
    b.send(&req);
    assert_eq!(recv(b), UART_MEM_READ | UART_REPLY);
    let data = recv_n(b, 4 * words);
    (data, recv(b))
}

#[test]
fn ping_and_bad_opcode() {
    let mut b = SimBoard::new();
    b.send(&[UART_PING]);
    assert_eq!(recv(&mut b), UART_PING | UART_REPLY);
    b.send(&[0x7f]);
    assert_eq!(recv(&mut b), UART_BAD_OPCODE);
    // The link is in step again.
    b.send(&[UART_PING]);
    assert_eq!(recv(&mut b), UART_PING | UART_REPLY);
    assert_eq!(b.recv(20 * CLKS_PER_BIT as u64), None, "nothing unasked");
}

#[test]
fn bar_reads_and_writes_reach_the_register_block() {
    let mut b = SimBoard::new();
    assert_eq!(bar_read(&mut b, regs::ID), regs::ID_VALUE);
    assert_eq!(bar_read(&mut b, regs::VERSION), regs::VERSION_VALUE);
    bar_write(&mut b, regs::CMD_RING_ENTRIES, 0x1234_5678);
    assert_eq!(bar_read(&mut b, regs::CMD_RING_ENTRIES), 0x1234_5678);
    let c0 = bar_read(&mut b, regs::CYCLES_LO);
    let c1 = bar_read(&mut b, regs::CYCLES_LO);
    assert!(c1 > c0, "the card's cycle counter runs ({c0} then {c1})");
}

#[test]
fn memory_windows_decode_and_the_rest_is_decerr() {
    let mut b = SimBoard::new();
    let data: Vec<u8> = (0..64u32).map(|i| (i * 7 + 3) as u8).collect();
    for w in BOARD_WINDOWS {
        let at = w.base + w.bytes - 64;
        assert_eq!(mem_write(&mut b, at, &data), 0);
        let (back, status) = mem_read(&mut b, at, 16);
        assert_eq!(status, 0);
        assert_eq!(back, data, "window at {:#x}", w.base);
    }
    // The windows are distinct memory.
    let (ring, _) = mem_read(&mut b, BOARD_RING_WINDOW.base, 4);
    assert_eq!(ring, vec![0; 16]);
    // Outside every window: refused, nothing written.
    assert_eq!(
        mem_write(
            &mut b,
            BOARD_RING_WINDOW.base + BOARD_RING_WINDOW.bytes,
            &data[..4]
        ),
        UART_STATUS_DECERR
    );
    let (_, status) = mem_read(&mut b, 0x2000_0000, 2);
    assert_eq!(status, UART_STATUS_DECERR);
    // A zero-length frame: the reply and the status only.
    assert_eq!(mem_write(&mut b, BOARD_DATA_WINDOW.base, &[]), 0);
}

#[test]
fn interrupt_is_notified_between_replies_and_reset_clears_the_card() {
    let mut b = SimBoard::new();
    bar_write(&mut b, regs::IRQ_MASK, regs::IRQ_COMPLETION);
    // Only the soft core raises IRQ_STATUS bits (the host's writes clear
    // them): load a four-instruction program over the UART that does.
    //   lui a0, 0x10000 ; li a1, 1 ; sw a1, 0x410(a0) ; j .
    let prog: [u32; 4] = [0x1000_0537, 0x0010_0593, 0x40b5_2823, 0x0000_006f];
    for (i, w) in prog.iter().enumerate() {
        bar_write(&mut b, regs::FW_RAM_WINDOW + 4 * i as u32, *w);
    }
    bar_write(&mut b, regs::CONTROL, regs::CONTROL_CPU_RUN);
    b.run(2000);
    assert!(b.irq(), "the card raised its interrupt line");
    assert_eq!(recv(&mut b), UART_IRQ, "the bridge tells the host");
    assert_eq!(bar_read(&mut b, regs::IRQ_STATUS), regs::IRQ_COMPLETION);
    // A card reset: registers back to power-on, the link stays up.
    b.send(&[UART_RESET]);
    assert_eq!(recv(&mut b), UART_RESET | UART_REPLY);
    assert_eq!(bar_read(&mut b, regs::CONTROL), 0);
    assert_eq!(bar_read(&mut b, regs::IRQ_STATUS), 0);
    assert!(!b.irq());
}
