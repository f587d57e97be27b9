#!/usr/bin/env bash
# The main job: one copy through the whole spine on the simulated card (host
# API → command ring → doorbell → firmware on the PicoRV32 → engine →
# completion + interrupt), verified byte by byte, with its cycle counts;
# then the engine alone at full bus rate.
set -euo pipefail
cd "$(dirname "$0")/.."
source scripts/setup.sh
cargo build --release -q -p tiledma --bin tiledma -p tiledma-sim --bin engine-bench
echo "== tiledma demo (simulated card) =="
target/release/tiledma demo
echo
echo "== engine alone: 64 KiB, 128-cycle read latency =="
target/release/engine-bench --beat-bytes 64 --bytes 65536 --latency 128
target/release/engine-bench --beat-bytes 8 --bytes 65536 --latency 128
