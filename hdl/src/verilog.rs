//! Verilog generation with stable module names.
//!
//! rust-hdl names the top module `top` and every submodule `top$path`. The
//! simulator and the board flows need a name that says what it is and does
//! not change, so the prefix is replaced: `tiledma_copy_engine_w64`,
//! `tiledma_copy_engine_w64$rowgen`, ...

use crate::board::Board;
use crate::card::Card;
use crate::engine::CopyEngine;
use rust_hdl::prelude::*;

/// Module name of the copy engine with `beat_bytes` bytes per beat.
pub fn engine_module_name(beat_bytes: usize) -> String {
    format!("tiledma_copy_engine_w{beat_bytes}")
}

/// Verilog of the copy engine for a bus of `beat_bytes` bytes per beat
/// (8 or 64; see [`tiledma_contract::bus::SUPPORTED_BEAT_BYTES`]).
pub fn engine_verilog(beat_bytes: usize) -> String {
    let code = match beat_bytes {
        8 => top_verilog(CopyEngine::<64, 8, 16>::new()),
        64 => top_verilog(CopyEngine::<512, 64, 128>::new()),
        _ => panic!("no engine build for {beat_bytes} bytes per beat"),
    };
    rename_top(&code, &engine_module_name(beat_bytes))
}

/// Module name of the card top.
pub const CARD_MODULE: &str = "tiledma_card";

/// Verilog of the card top. With `blackbox_stubs` the PicoRV32 appears as a
/// `(* blackbox *)` stub (for yosys); without, the core's real Verilog
/// (`picorv32.v` from the `pythondata-cpu-picorv32` package) must be passed
/// to the tool alongside, as the simulator build does.
pub fn card_verilog(blackbox_stubs: bool) -> String {
    let code = rename_top(&top_verilog(Card::new()), CARD_MODULE);
    if blackbox_stubs {
        code
    } else {
        filter_blackbox_directives(&code)
    }
}

/// Module name of the board top.
pub const BOARD_MODULE: &str = "tiledma_board";

/// Clock cycles per UART bit of the simulated board (`tiledma-sim`): the
/// board's real Verilog with a faster line, so that a firmware load over the
/// UART takes seconds, not minutes (a board runs at 40 per bit: 1 Mbit/s at
/// 40 MHz).
pub const BOARD_SIM_CLKS_PER_BIT: u32 = 8;

/// Verilog of the board top (card, on-chip memory, UART bridge) with the
/// firmware RAM starting as `firmware` and the UART at `clks_per_bit`. As for
/// [`card_verilog`], without `blackbox_stubs` the real `picorv32.v` must be
/// passed to the tool alongside (synthesis and Verilator both do).
pub fn board_verilog(firmware: &[u32], clks_per_bit: u32, blackbox_stubs: bool) -> String {
    let code = rename_top(
        &top_verilog(Board::new(firmware, clks_per_bit)),
        BOARD_MODULE,
    );
    if blackbox_stubs {
        code
    } else {
        filter_blackbox_directives(&code)
    }
}

fn top_verilog<B: Block>(mut block: B) -> String {
    block.connect_all();
    generate_verilog(&block)
}

/// Replaces rust-hdl's `top` module prefix with `name`.
fn rename_top(code: &str, name: &str) -> String {
    code.replace("module top(", &format!("module {name}("))
        .replace("module top$", &format!("module {name}$"))
        .replace("\ntop$", &format!("\n{name}$"))
        .replace(" top$", &format!(" {name}$"))
}

/// Verilator warnings waived for rust-hdl's Verilog, with the reason for each.
/// Every other `-Wall` warning is an error in the lint test and the build.
pub const VERILATOR_WAIVERS: [(&str, &str); 5] = [
    ("WIDTH", "rust-hdl emits every integer literal 32 bits wide; results are sized by their target signals"),
    ("UNOPTFLAT", "rust-hdl flattens each block's combinational logic into one always block per module, which Verilator sees as circular through sibling modules; there is no real loop (rust-hdl's own loop check passes)"),
    ("UNUSEDSIGNAL", "general-purpose blocks (FIFOs, burst issuers) have outputs a given instance does not use, and packed words have spare bits"),
    ("UNUSEDPARAM", "rust-hdl declares every state enum's values as localparams in each module"),
    ("DECLFILENAME", "rust-hdl writes the top module and all its submodules into one file, named after the top"),
];
