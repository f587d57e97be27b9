#!/usr/bin/env bash
# Installs what tiledma needs on a Debian machine, once; quiet when all is there.
# Sourced by scripts/demo.sh and scripts/test.sh. Needs: cargo (rustup),
# Verilator 5 (Debian package), a C++ compiler and make, Python 3 with pip
# (for PicoRV32's Verilog from PyPI), the riscv32imc rustup target, and for
# the OpenCL ICD the loader, headers, clinfo and PoCL (Debian packages).
set -euo pipefail

need_apt=()
command -v verilator >/dev/null 2>&1 || need_apt+=(verilator)
command -v make >/dev/null 2>&1 || need_apt+=(make)
command -v g++ >/dev/null 2>&1 || need_apt+=(g++)
command -v python3 >/dev/null 2>&1 || need_apt+=(python3)
python3 -m pip --version >/dev/null 2>&1 || need_apt+=(python3-pip)
# The OpenCL ICD's tests: the ICD loader with its link library, the Khronos
# headers, clinfo, and PoCL as a second implementation to compare with.
[ -e "/usr/lib/$(gcc -print-multiarch 2>/dev/null)/libOpenCL.so" ] || need_apt+=(ocl-icd-opencl-dev ocl-icd-libopencl1)
[ -f /usr/include/CL/cl.h ] || need_apt+=(opencl-c-headers)
command -v clinfo >/dev/null 2>&1 || need_apt+=(clinfo)
[ -f /etc/OpenCL/vendors/pocl.icd ] || need_apt+=(pocl-opencl-icd)

if [ ${#need_apt[@]} -gt 0 ]; then
  if [ "$(id -u)" -eq 0 ]; then
    sudo=""
  elif command -v sudo >/dev/null 2>&1 && sudo -n true 2>/dev/null; then
    sudo="sudo"
  else
    echo "tiledma needs: ${need_apt[*]}. Run as root:" >&2
    echo "  apt-get update && apt-get install -y ${need_apt[*]}" >&2
    exit 1
  fi
  echo "setup: installing ${need_apt[*]} (apt)" >&2
  $sudo apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq "${need_apt[@]}" >/dev/null
fi

if ! command -v cargo >/dev/null 2>&1; then
  echo "tiledma needs Rust (cargo). Install it with rustup:" >&2
  echo "  curl --proto '=https' --tlsv1.2 -sSf https://sh.rustup.rs | sh" >&2
  exit 1
fi

if ! cargo clippy --version >/dev/null 2>&1 || ! cargo fmt --version >/dev/null 2>&1; then
  echo "setup: adding rustup components clippy and rustfmt" >&2
  rustup component add clippy rustfmt
fi

# The soft core's Verilog, by package name (never copied into the repository).
PICORV32_PKG="pythondata-cpu-picorv32==1.0.post218"
if ! python3 -c "import pythondata_cpu_picorv32" >/dev/null 2>&1; then
  echo "setup: installing $PICORV32_PKG (pip)" >&2
  python3 -m pip install --quiet --disable-pip-version-check "$PICORV32_PKG" 2>/dev/null \
    || python3 -m pip install --quiet --disable-pip-version-check --break-system-packages "$PICORV32_PKG"
fi

# The firmware's target.
if ! rustup target list --installed 2>/dev/null | grep -qx riscv32imc-unknown-none-elf; then
  echo "setup: adding rustup target riscv32imc-unknown-none-elf" >&2
  rustup target add riscv32imc-unknown-none-elf
fi

ver=$(verilator --version | awk '{print $2}')
case "$ver" in
  5.*) ;;
  *) echo "tiledma needs Verilator 5 (found $ver)" >&2; exit 1 ;;
esac
