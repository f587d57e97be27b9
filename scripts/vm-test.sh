#!/usr/bin/env bash
# The VM test: the simulated card driven through a real Linux kernel.
#
#   tiledma-sim serve ──vfio-user socket── QEMU (TCG, q35, intel-iommu)
#                                            └─ guest: Debian kernel, vfio-pci,
#                                               /tiledma check --device vfio:ADDR
#
# The guest runs the same `tiledma` binary a board's host runs (built
# static, without the in-process simulator), over the guest kernel's
# vfio-pci and IOMMU. QEMU and the kernel come from scripts/vm-setup.sh.
# Passes when the guest prints the check's PASS and exits 0.
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/vm-setup.sh
VM_CACHE=${TILEDMA_VM_CACHE:-${XDG_CACHE_HOME:-$HOME/.cache}/tiledma/vm}
root=$VM_CACHE/root
guest=$VM_CACHE/guest
kver=$(ls "$guest/usr/lib/modules")
SECONDS=0

echo "vm-test: building tiledma-sim and the static guest binary" >&2
cargo build --release --locked -q -p tiledma-sim --bin tiledma-sim
RUSTFLAGS="-C target-feature=+crt-static" cargo build --release --locked -q \
  -p tiledma --no-default-features --target x86_64-unknown-linux-gnu --target-dir target/guest
bin=target/guest/x86_64-unknown-linux-gnu/release/tiledma

work=$(mktemp -d /tmp/tiledma-vm.XXXXXX)
server=""
cleanup() {
  [ -n "$server" ] && kill "$server" 2>/dev/null || true
  rm -rf "$work"
}
trap cleanup EXIT

# The initramfs: busybox, the VFIO modules (decompressed: busybox insmod
# takes plain .ko), the binary and an init that binds the card to vfio-pci.
ird=$work/initrd
mkdir -p "$ird"/{bin,dev,proc,sys,tmp,lib/modules}
cp "$guest/usr/bin/busybox" "$ird/bin/busybox"
kmods=$guest/usr/lib/modules/$kver/kernel
# In dependency order (their modinfo `depends=`).
for m in virt/lib/irqbypass drivers/vfio/vfio drivers/vfio/vfio_iommu_type1 \
         drivers/vfio/pci/vfio-pci-core drivers/vfio/pci/vfio-pci; do
  xz -dc "$kmods/$m.ko.xz" >"$ird/lib/modules/$(basename "$m").ko"
done
cp "$bin" "$ird/tiledma"
cat >"$ird/init" <<'INIT'
#!/bin/busybox sh
/bin/busybox --install -s /bin
mount -t proc proc /proc
mount -t sysfs sysfs /sys
mount -t devtmpfs devtmpfs /dev
for m in irqbypass vfio vfio_iommu_type1 vfio-pci-core vfio-pci; do
  insmod /lib/modules/$m.ko || echo "guest: insmod $m failed"
done
dev=""
for d in /sys/bus/pci/devices/*; do
  [ "$(cat $d/vendor)" = 0x10ee ] && [ "$(cat $d/device)" = 0x7464 ] && dev=${d##*/}
done
if [ -z "$dev" ]; then
  echo "guest: no tiledma card on the PCI bus"; echo "TILEDMA-VM-EXIT 2"; poweroff -f
fi
echo "guest: card at $dev, IOMMU group $(basename "$(readlink /sys/bus/pci/devices/$dev/iommu_group)")"
echo vfio-pci >/sys/bus/pci/devices/$dev/driver_override
echo $dev >/sys/bus/pci/drivers_probe
echo "guest: driver $(basename "$(readlink /sys/bus/pci/devices/$dev/driver)")"
/tiledma --device vfio:$dev info && /tiledma --device vfio:$dev check
echo "TILEDMA-VM-EXIT $?"
poweroff -f
INIT
chmod +x "$ird/init"
(cd "$ird" && find . | cpio -o -H newc --quiet | gzip -1) >"$work/initrd.gz"

echo "vm-test: starting the simulated card on a vfio-user socket" >&2
target/release/tiledma-sim serve --socket "$work/card.sock" 2>"$work/server.log" &
server=$!
for _ in $(seq 100); do [ -S "$work/card.sock" ] && break; sleep 0.1; done
[ -S "$work/card.sock" ] || { cat "$work/server.log" >&2; exit 1; }

echo "vm-test: booting the guest (QEMU $(cut -d' ' -f2 <<<"$(grep qemu "$VM_CACHE/versions.txt")"), TCG)" >&2
qemu=(
  "$root/lib64/ld-linux-x86-64.so.2" --library-path "$root/usr/lib/x86_64-linux-gnu"
  "$root/usr/bin/qemu-system-x86_64"
  -L "$root/usr/share/qemu" -L "$root/usr/share/seabios"
  -machine q35,accel=tcg,memory-backend=mem -cpu max -smp 1 -m 512M
  -object memory-backend-memfd,id=mem,size=512M,share=on
  -device intel-iommu,caching-mode=on
  -device "{\"driver\":\"vfio-user-pci\",\"socket\":{\"type\":\"unix\",\"path\":\"$work/card.sock\"}}"
  -kernel "$guest/boot/vmlinuz-$kver" -initrd "$work/initrd.gz"
  -append "console=ttyS0 intel_iommu=on quiet panic=-1"
  -nodefaults -nographic -serial stdio -no-reboot
)
set +e
boot=$SECONDS
timeout 900 "${qemu[@]}" </dev/null | tee "$work/guest.log" | grep -v '^\['
echo "vm-test: the guest ran $((SECONDS - boot)) s" >&2
cat "$work/server.log" >&2
set -e
if grep -q "^PASS tiledma check" "$work/guest.log" && grep -q "^TILEDMA-VM-EXIT 0" "$work/guest.log"; then
  echo "vm-test: PASS (${SECONDS} s wall, builds included)" >&2
else
  echo "vm-test: FAIL. Guest console:" >&2
  sed -n '1,400p' "$work/guest.log" >&2
  exit 1
fi
