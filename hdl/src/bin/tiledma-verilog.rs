//! Writes the copy engine's Verilog: `tiledma-verilog [BEAT_BYTES] [OUT.v]`.
//! Without OUT the Verilog goes to standard output.

use std::process::ExitCode;

fn main() -> ExitCode {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let beat_bytes = match args.first().map(|a| a.parse::<usize>()) {
        None => 64,
        Some(Ok(n)) if tiledma_contract::bus::SUPPORTED_BEAT_BYTES.contains(&n) => n,
        Some(_) => {
            eprintln!(
                "usage: tiledma-verilog [BEAT_BYTES] [OUT.v]; BEAT_BYTES is one of {:?}",
                tiledma_contract::bus::SUPPORTED_BEAT_BYTES
            );
            return ExitCode::from(2);
        }
    };
    let code = tiledma_hdl::verilog::engine_verilog(beat_bytes);
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
