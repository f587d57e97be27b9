#!/usr/bin/env bash
# The main job: copies on the simulated card's engine (Verilator), verified
# byte by byte against the reference model, with cycles and bytes per cycle.
set -euo pipefail
cd "$(dirname "$0")/.."
source scripts/setup.sh
cargo build --release -q -p tiledma-sim --bin engine-bench
bench=target/release/engine-bench
echo "== 64 KiB copy, 128-cycle read latency, both bus widths =="
"$bench" --beat-bytes 64 --bytes 65536 --latency 128
"$bench" --beat-bytes 8 --bytes 65536 --latency 128
echo "== unaligned source and destination (3 and 61 bytes into a beat) =="
"$bench" --beat-bytes 64 --bytes 65536 --latency 128 --src-offset 3 --dst-offset 61
echo "== 30% random back-pressure on every channel =="
"$bench" --beat-bytes 64 --bytes 65536 --latency 128 --backpressure 0.3
