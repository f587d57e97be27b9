//! What the host crate's integration tests share: running the `tiledma`
//! binary, and opening a simulated card. Each test crate uses part of it.
#![allow(dead_code)]

use std::process::{Command, Output};

fn run(args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_tiledma"))
        .args(args)
        .output()
        .expect("tiledma runs")
}

/// Runs `tiledma ARGS`, which must succeed; returns its standard output.
pub fn tiledma_ok(args: &[&str]) -> String {
    let out = run(args);
    let text = String::from_utf8_lossy(&out.stdout).into_owned();
    assert!(
        out.status.success(),
        "tiledma {args:?} failed:\n{text}\n{}",
        String::from_utf8_lossy(&out.stderr)
    );
    text
}

/// Runs `tiledma ARGS`, which must fail; returns its standard error.
pub fn tiledma_fails(args: &[&str]) -> String {
    let out = run(args);
    assert!(!out.status.success());
    String::from_utf8_lossy(&out.stderr).into_owned()
}

/// A simulated card with the built-in firmware.
pub fn sim_card() -> tiledma::Device {
    tiledma::open("sim", tiledma::sim_config(None)).expect("simulated card")
}
