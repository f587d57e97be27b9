//! Verilator `--lint-only -Wall` on the generated Verilog. The waivers are
//! `tiledma_hdl::verilog::VERILATOR_WAIVERS`, each with its reason; any
//! other warning fails.

use std::process::Command;
use tiledma_contract::bus::SUPPORTED_BEAT_BYTES;
use tiledma_hdl::verilog::{engine_module_name, CARD_MODULE, VERILATOR_WAIVERS};

fn lint(module: &str, files: &[&str]) {
    let mut cmd = Command::new("verilator");
    cmd.args([
        "--lint-only",
        "-Wall",
        "--timescale",
        "1ns/1ps",
        "--top-module",
        module,
    ]);
    for (warning, _) in VERILATOR_WAIVERS {
        cmd.arg(format!("-Wno-{warning}"));
    }
    let out = cmd.args(files).output().expect("verilator runs");
    let text = String::from_utf8_lossy(&out.stderr);
    assert!(
        out.status.success() && !text.contains("%Warning"),
        "lint of {module}:\n{text}"
    );
}

#[test]
fn engine_lints_clean_at_every_width() {
    for w in SUPPORTED_BEAT_BYTES {
        let module = engine_module_name(w);
        lint(
            &module,
            &[&format!("{}/{module}.v", tiledma_sim::VERILOG_DIR)],
        );
    }
}

/// The card top with the real PicoRV32; the core's own file is waived by
/// `hdl/picorv32.vlt` (third-party code), ours is not.
#[test]
fn card_top_lints_clean() {
    let card = format!("{}/{CARD_MODULE}.v", tiledma_sim::VERILOG_DIR);
    lint(
        CARD_MODULE,
        &[
            env!("TILEDMA_PICORV32_VLT"),
            &card,
            env!("TILEDMA_PICORV32_V"),
        ],
    );
}

/// The ECP5 board top (card, on-chip memory, UART bridge).
#[test]
fn board_top_lints_clean() {
    let board = format!(
        "{}/{}.v",
        tiledma_sim::VERILOG_DIR,
        tiledma_hdl::verilog::BOARD_MODULE
    );
    lint(
        tiledma_hdl::verilog::BOARD_MODULE,
        &[
            env!("TILEDMA_PICORV32_VLT"),
            &board,
            env!("TILEDMA_PICORV32_V"),
        ],
    );
}

/// The vendor flow's shim between XDMA and the card (bitstreams/vivado):
/// not built in CI, but linted with the card, so a change of the card's
/// ports breaks this test instead of a board build nobody runs here.
#[test]
fn vivado_xdma_shim_lints_clean_with_the_card() {
    let card = format!("{}/{CARD_MODULE}.v", tiledma_sim::VERILOG_DIR);
    let shim = concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/../bitstreams/vivado/tiledma_xdma_shim.v"
    );
    lint(
        "tiledma_xdma_shim",
        &[
            env!("TILEDMA_PICORV32_VLT"),
            shim,
            &card,
            env!("TILEDMA_PICORV32_V"),
        ],
    );
}
