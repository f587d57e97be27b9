//! The UART transport against the simulated ECP5 board: the board top's
//! real generated Verilog (card with PicoRV32, on-chip memory, UART bridge),
//! driven bit by bit on its serial pins. The driver loads the firmware over
//! the line, sets up its rings in staged memory and runs copies through the
//! firmware and the engine, exactly as it would on a board on /dev/ttyUSB0.

use std::sync::Arc;
use tiledma::uart::UartTransport;
use tiledma::{firmware, Copy3d, Device, DeviceConfig};
use tiledma_contract::board::{BOARD_DATA_WINDOW, BOARD_MEMORY_BYTES};
use tiledma_contract::regs;
use tiledma_contract::CompletionStatus;
use tiledma_sim::board::SimBoard;

fn open() -> Device {
    let t = UartTransport::new(Box::new(SimBoard::new())).expect("board answers");
    Device::open(
        Arc::new(t),
        firmware::builtin_image(),
        // The watchdog counts wall time, and the simulated board runs ~40×
        // slower than a real one (more on a loaded machine): give it room.
        tiledma::uart_config(DeviceConfig {
            command_timeout: std::time::Duration::from_secs(120),
            ..DeviceConfig::default()
        }),
    )
    .expect("firmware boots over the UART")
}

#[test]
fn copies_run_on_the_board_over_the_uart() {
    let dev = open();
    let t = dev.transport();
    assert_eq!(t.read32(regs::ID), regs::ID_VALUE);
    assert_eq!(t.read32(regs::FW_STATUS), regs::FW_RUNNING);

    let src = dev.alloc_dma(4096).unwrap();
    let dst = dev.alloc_dma(4096).unwrap();
    let msg: Vec<u8> = (0..300u32).map(|i| (i * 13 + 5) as u8).collect();
    src.write(7, &msg);
    // Byte-granular: unaligned source and destination.
    let ev = dev
        .copy(&Copy3d::linear(
            src.iova() + 7,
            dst.iova() + 3,
            msg.len() as u32,
        ))
        .unwrap();
    assert_eq!(ev.wait().status, CompletionStatus::Ok);
    let mut back = vec![0u8; msg.len()];
    dst.read(3, &mut back);
    assert_eq!(back, msg);
    let mut before = [0xffu8; 3];
    dst.read(0, &mut before);
    assert_eq!(before, [0; 3], "nothing written before the destination");

    // Through card memory and back, two commands behind one another.
    let card = dev.alloc_card(1024).unwrap();
    src.write(0, b"through the board's card memory");
    let a = dev
        .copy(&Copy3d::linear(src.iova(), card.addr(), 31))
        .unwrap();
    let b = dev
        .copy(&Copy3d::linear(card.addr(), dst.iova() + 1024, 31))
        .unwrap();
    assert_eq!(a.wait().status, CompletionStatus::Ok);
    assert_eq!(b.wait().status, CompletionStatus::Ok);
    let mut out = [0u8; 31];
    dst.read(1024, &mut out);
    assert_eq!(&out, b"through the board's card memory");
}

#[test]
fn mappings_outside_the_board_windows_are_refused_with_the_reason() {
    let dev = open();
    // The data window holds 32 KiB: the rest of it is free, more is not.
    let err = dev
        .alloc_dma(BOARD_DATA_WINDOW.bytes as usize + 4096)
        .err()
        .expect("a buffer larger than the board's data window");
    let text = err.to_string();
    assert!(text.contains("staging windows"), "{text}");
    assert!(
        text.contains(&format!("{} KiB", BOARD_MEMORY_BYTES >> 10)),
        "{text}"
    );
}
