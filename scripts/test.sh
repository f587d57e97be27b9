#!/usr/bin/env bash
# Every check CI runs: formatting, clippy, and all tests (unit, Verilator
# lint, byte-exact engine tests, lock-step rust-hdl vs Verilator, bus errors).
set -euo pipefail
cd "$(dirname "$0")/.."
source scripts/setup.sh
cargo fmt --all -- --check
cargo clippy --release --workspace --all-targets -q -- -D warnings
cargo test --release --workspace
