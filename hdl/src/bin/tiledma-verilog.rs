//! Writes the Verilog: `tiledma-verilog [BEAT_BYTES|card|card-yosys] [OUT.v]`.
//! `BEAT_BYTES` (8 or 64) selects the copy engine alone; `card` is the card
//! top for simulation (PicoRV32 comes from its own file), `card-yosys` the
//! same with a black-box stub for the core. Without OUT the Verilog goes to
//! standard output.

use std::process::ExitCode;

fn main() -> ExitCode {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let which = args.first().map(String::as_str).unwrap_or("64");
    let code = match which {
        "card" => tiledma_hdl::verilog::card_verilog(false),
        "card-yosys" => tiledma_hdl::verilog::card_verilog(true),
        n => match n.parse::<usize>() {
            Ok(n) if tiledma_contract::bus::SUPPORTED_BEAT_BYTES.contains(&n) => {
                tiledma_hdl::verilog::engine_verilog(n)
            }
            _ => {
                eprintln!(
                    "usage: tiledma-verilog [BEAT_BYTES|card|card-yosys] [OUT.v]; BEAT_BYTES is one of {:?}",
                    tiledma_contract::bus::SUPPORTED_BEAT_BYTES
                );
                return ExitCode::from(2);
            }
        },
    };
    match args.get(1) {
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
