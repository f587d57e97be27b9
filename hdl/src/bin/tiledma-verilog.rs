//! Writes the Verilog: `tiledma-verilog [BEAT_BYTES|card|card-yosys] [OUT.v]`
//! or `tiledma-verilog board FIRMWARE.elf OUT.v [BAUD [CLOCK_HZ]]`.
//! `BEAT_BYTES` (8 or 64) selects the copy engine alone; `card` is the card
//! top for simulation (PicoRV32 comes from its own file), `card-yosys` the
//! same with a black-box stub for the core; `board` the ECP5 board top (card,
//! on-chip memory, UART bridge at BAUD bits/s for a card clock of CLOCK_HZ,
//! defaults `tiledma_contract::board::{UART_DEFAULT_BAUD, BOARD_CLOCK_HZ}`)
//! with the firmware ELF baked into the firmware RAM. Without OUT the Verilog goes to standard output.

use object::{Object, ObjectSegment};
use std::process::ExitCode;
use tiledma_contract::board::{BOARD_CLOCK_HZ, UART_DEFAULT_BAUD};
use tiledma_contract::regs::FW_RAM_BYTES;

fn main() -> ExitCode {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let which = args.first().map(String::as_str).unwrap_or("64");
    let (code, out) = match which {
        "card" => (tiledma_hdl::verilog::card_verilog(false), args.get(1)),
        "card-yosys" => (tiledma_hdl::verilog::card_verilog(true), args.get(1)),
        "board" => match board(&args[1..]) {
            Ok(code) => (code, args.get(2)),
            Err(e) => {
                eprintln!("tiledma-verilog board: {e}");
                eprintln!("usage: tiledma-verilog board FIRMWARE.elf OUT.v [BAUD [CLOCK_HZ]]");
                return ExitCode::from(2);
            }
        },
        n => match n.parse::<usize>() {
            Ok(n) if tiledma_contract::bus::SUPPORTED_BEAT_BYTES.contains(&n) => {
                (tiledma_hdl::verilog::engine_verilog(n), args.get(1))
            }
            _ => {
                eprintln!(
                    "usage: tiledma-verilog [BEAT_BYTES|card|card-yosys] [OUT.v] | board FIRMWARE.elf OUT.v [BAUD [CLOCK_HZ]]; BEAT_BYTES is one of {:?}",
                    tiledma_contract::bus::SUPPORTED_BEAT_BYTES
                );
                return ExitCode::from(2);
            }
        },
    };
    match out {
        Some(path) => {
            if let Err(e) = std::fs::write(path, code) {
                eprintln!("tiledma-verilog: cannot write {path}: {e}");
                return ExitCode::FAILURE;
            }
        }
        None => print!("{code}"),
    }
    ExitCode::SUCCESS
}

fn board(args: &[String]) -> Result<String, String> {
    let elf_path = args.first().ok_or("no firmware ELF given")?;
    let baud: u32 = match args.get(2) {
        Some(b) => b.parse().map_err(|_| format!("bad baud rate {b:?}"))?,
        None => UART_DEFAULT_BAUD,
    };
    let clks_per_bit = BOARD_CLOCK_HZ / baud;
    if !(4..65536).contains(&clks_per_bit) {
        return Err(format!(
            "{baud} bits/s is out of reach of a {BOARD_CLOCK_HZ} Hz clock"
        ));
    }
    let elf = std::fs::read(elf_path).map_err(|e| format!("cannot read {elf_path}: {e}"))?;
    let image = firmware_words(&elf)?;
    Ok(tiledma_hdl::verilog::board_verilog(
        &image,
        clks_per_bit,
        false,
    ))
}

/// The firmware RAM's contents from the ELF's loadable segments (the same
/// segments the host's loader writes through BAR0).
fn firmware_words(elf: &[u8]) -> Result<Vec<u32>, String> {
    let file = object::File::parse(elf).map_err(|e| e.to_string())?;
    if file.entry() != 0 {
        return Err(format!(
            "entry point {:#x}, the core starts at 0",
            file.entry()
        ));
    }
    let mut bytes = vec![0u8; FW_RAM_BYTES as usize];
    let mut end = 0;
    for seg in file.segments() {
        let data = seg.data().map_err(|e| e.to_string())?;
        let addr = seg.address() as usize;
        if data.is_empty() {
            continue;
        }
        if addr + data.len() > bytes.len() {
            return Err(format!(
                "segment {addr:#x}+{:#x} does not fit the {FW_RAM_BYTES:#x}-byte RAM",
                data.len()
            ));
        }
        bytes[addr..addr + data.len()].copy_from_slice(data);
        end = end.max(addr + data.len());
    }
    Ok(bytes[..end.next_multiple_of(4)]
        .chunks(4)
        .map(|c| u32::from_le_bytes([c[0], c[1], c[2], c[3]]))
        .collect())
}
