#!/usr/bin/env bash
# The OpenCL ICD through the real loader: builds the ICD, checks that clinfo
# lists it without errors, compiles the C programs in tests/c against the
# Khronos headers with -lOpenCL, and runs each
#   1. on tiledma (simulated card, real firmware): every check must pass;
#   2. on PoCL, when installed: the checks that fail must be exactly the ones
#      recorded in tests/c/pocl-deviations.txt (a deviation that disappears
#      or a new one fails the run, so the list stays true).
set -euo pipefail
shopt -s nullglob
cd "$(dirname "$0")/../.."
root=$PWD
cargo build --release -q -p tiledma-opencl
icd_dir=$root/target/release/icd
out=$root/target/c-tests
mkdir -p "$out"

echo "== clinfo through the loader"
clinfo_out=$(OCL_ICD_VENDORS=$icd_dir clinfo)
# Here-strings, not `echo | grep -q`: under pipefail, grep -q exiting at its
# first match can SIGPIPE the echo and fail a check whose line is present.
grep -q "Platform Name *tiledma" <<<"$clinfo_out" || { echo "clinfo does not list tiledma"; echo "$clinfo_out"; exit 1; }
grep -q "Device Type *Custom" <<<"$clinfo_out" || { echo "clinfo: no custom device"; echo "$clinfo_out"; exit 1; }
if grep -E "<error|CL_INVALID|CL_OUT_OF|Invalid" <<<"$clinfo_out"; then
  echo "clinfo reported errors (above)"; exit 1
fi
echo "clinfo: $(echo "$clinfo_out" | grep -c .) lines, no errors"

status=0
for src in tests/c/*.c; do
  name=$(basename "$src" .c)
  gcc -std=c11 -O1 -Wall -Wextra -Werror -o "$out/$name" "$src" -lOpenCL
  echo "== $name on tiledma"
  if OCL_ICD_VENDORS=$icd_dir "$out/$name" > "$out/$name.tiledma.log"; then
    tail -1 "$out/$name.tiledma.log"
  else
    grep -E "^(FAIL|SETUP)" "$out/$name.tiledma.log" || true
    tail -1 "$out/$name.tiledma.log"
    status=1
  fi
  pocl=/etc/OpenCL/vendors/pocl.icd
  if [ -f "$pocl" ]; then
    echo "== $name on PoCL"
    OCL_ICD_VENDORS=$pocl "$out/$name" > "$out/$name.pocl.log" || true
    tail -1 "$out/$name.pocl.log"
    if ! grep -qE "^[0-9]+ checks, [0-9]+ failed$" "$out/$name.pocl.log"; then
      echo "$name did not finish on PoCL (crashed in an unisolated check?)"; status=1
    fi
    if grep -q "^SETUP" "$out/$name.pocl.log"; then
      grep "^SETUP" "$out/$name.pocl.log"; status=1
    fi
    got=$(grep "^FAIL" "$out/$name.pocl.log" | sed 's/^FAIL \([^:]*\):.*/\1/' | sort || true)
    want=$(grep "^$name: " tests/c/pocl-deviations.txt | sed 's/^[^:]*: \([^ ]*\).*/\1/' | sort || true)
    if [ "$got" != "$want" ]; then
      echo "PoCL's failures differ from tests/c/pocl-deviations.txt for $name:"
      diff <(echo "$want") <(echo "$got") | sed 's/^/  /' || true
      status=1
    else
      echo "PoCL deviates from the spec in $(echo -n "$got" | grep -c . || true) recorded checks"
    fi
  fi
done
exit $status
