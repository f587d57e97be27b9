#!/usr/bin/env bash
# Every check CI runs: formatting, clippy, and all tests (unit, firmware
# logic on the host, Verilator lint, byte-exact engine tests, lock-step
# rust-hdl vs Verilator, bus errors, system tests on the simulated card, and
# the OpenCL ICD through the loader: clinfo and the C programs in tests/c on
# the simulated card and on PoCL).
set -euo pipefail
cd "$(dirname "$0")/.."
source scripts/setup.sh
cargo fmt --all -- --check
(cd firmware && cargo fmt -- --check)
cargo clippy --release --workspace --all-targets -q -- -D warnings
(cd firmware && cargo clippy -q --all-targets -- -D warnings \
  && cargo clippy -q --release --target riscv32imc-unknown-none-elf -- -D warnings)
(cd firmware && cargo test --quiet)
cargo test --release --workspace
tests/c/run.sh
