#!/usr/bin/env bash
# Prepares what the VM test (scripts/vm-test.sh) runs on, once, into a cache:
#  - QEMU >= 10.1 for its vfio-user-pci client. Debian bookworm's QEMU is 7.2,
#    so QEMU comes from trixie-backports, installed in a debootstrap'd trixie
#    root and started there with that root's own dynamic loader (no chroot,
#    no mounts at run time).
#  - The guest's Debian kernel and its VFIO modules, and a static busybox.
# Everything comes from deb.debian.org; the versions used are written to
# $VM_CACHE/versions.txt. Needs root for debootstrap (CI runs as root).
set -euo pipefail

VM_CACHE=${TILEDMA_VM_CACHE:-${XDG_CACHE_HOME:-$HOME/.cache}/tiledma/vm}
STAMP=$VM_CACHE/ready-v1
MIRROR=${TILEDMA_DEBIAN_MIRROR:-http://deb.debian.org/debian}
[ -f "$STAMP" ] && exit 0

if [ "$(id -u)" -ne 0 ]; then
  echo "vm-setup: debootstrap needs root. Run: sudo $0" >&2
  exit 1
fi
need=()
command -v debootstrap >/dev/null 2>&1 || need+=(debootstrap)
command -v cpio >/dev/null 2>&1 || need+=(cpio)
command -v xz >/dev/null 2>&1 || need+=(xz-utils)
command -v zstd >/dev/null 2>&1 || need+=(zstd)
if [ ${#need[@]} -gt 0 ]; then
  echo "vm-setup: installing ${need[*]} (apt)" >&2
  apt-get update -qq
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${need[@]}" >/dev/null
fi

root=$VM_CACHE/root
rm -rf "$VM_CACHE"
mkdir -p "$VM_CACHE"
echo "vm-setup: debootstrap trixie into $root (first run only, a few minutes)" >&2
debootstrap --variant=minbase trixie "$root" "$MIRROR" >"$VM_CACHE/debootstrap.log" 2>&1 \
  || { tail -20 "$VM_CACHE/debootstrap.log" >&2; exit 1; }
echo "deb $MIRROR trixie-backports main" >"$root/etc/apt/sources.list.d/backports.list"
in_root() { chroot "$root" env DEBIAN_FRONTEND=noninteractive LC_ALL=C "$@"; }
in_root apt-get update -qq
echo "vm-setup: installing qemu-system-x86 from trixie-backports" >&2
in_root apt-get install -y -qq --no-install-recommends -t trixie-backports \
  qemu-system-x86 >"$VM_CACHE/apt.log" 2>&1 || { tail -20 "$VM_CACHE/apt.log" >&2; exit 1; }

# The guest kernel and busybox are unpacked, not installed (no initramfs-tools run).
mkdir -p "$VM_CACHE/debs" "$VM_CACHE/guest"
kpkg=$(in_root apt-cache depends linux-image-amd64 | awk '/Depends: linux-image-[0-9]/ {print $2; exit}')
(cd "$root/tmp" && in_root sh -c "cd /tmp && apt-get download -qq $kpkg busybox-static")
mv "$root"/tmp/*.deb "$VM_CACHE/debs/"
for d in "$VM_CACHE"/debs/*.deb; do dpkg-deb -x "$d" "$VM_CACHE/guest"; done

{
  echo "qemu: $(in_root dpkg-query -W -f '${Version}' qemu-system-x86)"
  echo "kernel: $kpkg $(dpkg-deb -f "$VM_CACHE"/debs/linux-image-*.deb Version)"
  echo "busybox: $(dpkg-deb -f "$VM_CACHE"/debs/busybox-static*.deb Version)"
} >"$VM_CACHE/versions.txt"
# Documentation and locales are not needed at run time.
rm -rf "$root"/usr/share/doc "$root"/usr/share/man "$root"/usr/share/locale "$root"/var/cache/apt/archives/*.deb
touch "$STAMP"
echo "vm-setup: ready ($(tr '\n' ' ' <"$VM_CACHE/versions.txt"))" >&2
