//! Builds the card firmware (`../firmware`, riscv32imc-unknown-none-elf) with
//! a nested cargo and points `TILEDMA_FIRMWARE_ELF` at the ELF. Kept apart
//! from the Verilator build (sim/build.rs): a firmware edit never
//! re-verilates the card.

use std::path::PathBuf;
use std::process::Command;

const TARGET: &str = "riscv32imc-unknown-none-elf";

fn main() {
    let manifest = PathBuf::from(std::env::var("CARGO_MANIFEST_DIR").unwrap());
    let fw = manifest.join("../firmware");
    let contract = manifest.join("../contract");
    for p in [
        "src",
        "Cargo.toml",
        "Cargo.lock",
        "memory.x",
        "build.rs",
        ".cargo/config.toml",
    ] {
        println!("cargo:rerun-if-changed={}", fw.join(p).display());
    }
    println!("cargo:rerun-if-changed={}", contract.join("src").display());
    let target_dir = PathBuf::from(std::env::var("OUT_DIR").unwrap()).join("firmware-target");
    let cargo = std::env::var("CARGO").unwrap_or_else(|_| "cargo".into());
    // The outer build's flags and target must not leak into the firmware's
    // (its linker script would be dropped: `undefined symbol: _stack_start`).
    let status = Command::new(cargo)
        .args([
            "build",
            "--release",
            "--locked",
            "--target",
            TARGET,
            "--target-dir",
        ])
        .arg(&target_dir)
        .current_dir(&fw)
        .env_remove("CARGO_ENCODED_RUSTFLAGS")
        .env_remove("RUSTFLAGS")
        .env_remove("TARGET")
        .env_remove("PROFILE")
        .env_remove("CARGO_TARGET_DIR")
        .env_remove("CARGO_BUILD_TARGET")
        .env_remove("RUSTC_WORKSPACE_WRAPPER")
        .status()
        .expect("cannot run cargo for the firmware");
    assert!(
        status.success(),
        "firmware build failed. Is the target installed? `rustup target add {TARGET}` (scripts/setup.sh does it)"
    );
    let elf = target_dir.join(TARGET).join("release/tiledma-firmware");
    println!("cargo:rustc-env=TILEDMA_FIRMWARE_ELF={}", elf.display());
}
