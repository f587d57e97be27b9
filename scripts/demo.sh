#!/usr/bin/env bash
# The main job: one copy through the whole spine on the simulated card (host
# API → command ring → doorbell → firmware on the PicoRV32 → engine →
# completion + interrupt), verified byte by byte, with its cycle counts; a
# raw image converted linear -> Y-tiled -> linear on the card; the OpenCL
# memory API on an image; Vulkan host image copy; the OpenCL ICD as clinfo sees it through the
# loader; then the engine alone, per layout pair and on one long row.
set -euo pipefail
cd "$(dirname "$0")/.."
source scripts/setup.sh
cargo build --release -q -p tiledma --bin tiledma -p tiledma-sim --bin engine-bench -p tiledma-opencl
echo "== tiledma demo (simulated card) =="
target/release/tiledma demo
echo
echo "== tiledma convert: 1024x768 RGBA8 linear -> Y-tiled -> linear on the card =="
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
head -c $((1024 * 768 * 4)) /dev/urandom > "$work/img.rgba"
size=(--width 1024 --height 768 --element-size 4)
target/release/tiledma convert --in "$work/img.rgba" --out "$work/img.y" "${size[@]}" --from linear --to y
target/release/tiledma convert --in "$work/img.y" --out "$work/back.rgba" "${size[@]}" --from y --to linear
cmp "$work/img.rgba" "$work/back.rgba" && echo "round trip: identical"
echo
echo "== OpenCL on the card: write, map, copy image to buffer, fill (1024x768 RGBA8, Tile4) =="
target/release/tiledma cl-demo
echo
echo "== Vulkan host image copy on the card: mip levels with padded rows, MEMCPY into a second image =="
target/release/tiledma vk-demo
echo
echo "== OpenCL ICD: clinfo through the system's loader (OCL_ICD_VENDORS=target/release/icd) =="
OCL_ICD_VENDORS="$PWD/target/release/icd" clinfo | grep -E "Platform (Name|Version)|Device (Name|Type|Version|Extensions)  |Image support|Max 2D image size|Alignment of base address|Compiler Available"
echo
echo "== engine alone: every layout pair, 256 KiB image, 128-cycle read latency =="
target/release/engine-bench --layouts --bytes 262144 --beat-bytes 64
target/release/engine-bench --layouts --bytes 262144 --beat-bytes 8
echo
echo "== engine alone: 64 KiB, 128-cycle read latency =="
target/release/engine-bench --beat-bytes 64 --bytes 65536 --latency 128
target/release/engine-bench --beat-bytes 8 --bytes 65536 --latency 128
