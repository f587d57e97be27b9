//! Verilator `--lint-only -Wall` on the generated Verilog. The waivers are
//! `tiledma_hdl::verilog::VERILATOR_WAIVERS`, each with its reason; any
//! other warning fails.

use std::process::Command;
use tiledma_contract::bus::SUPPORTED_BEAT_BYTES;
use tiledma_hdl::verilog::{engine_module_name, VERILATOR_WAIVERS};

#[test]
fn verilator_lint_wall_is_clean() {
    for w in SUPPORTED_BEAT_BYTES {
        let module = engine_module_name(w);
        let file = format!("{}/{module}.v", tiledma_sim::VERILOG_DIR);
        let mut cmd = Command::new("verilator");
        cmd.args([
            "--lint-only",
            "-Wall",
            "--timescale",
            "1ns/1ps",
            "--top-module",
            &module,
        ]);
        for (warning, _) in VERILATOR_WAIVERS {
            cmd.arg(format!("-Wno-{warning}"));
        }
        let out = cmd.arg(&file).output().expect("verilator runs");
        let text = String::from_utf8_lossy(&out.stderr);
        assert!(
            out.status.success() && !text.contains("%Warning"),
            "lint of {file}:\n{text}"
        );
    }
}
