#!/usr/bin/env bash
# kernel-lane/probe.sh SERIES: can this machine boot that kernel in QEMU at all (TCG, a
# busybox initramfs that only says so)? Exit 0 yes, 77 no (the reason printed): the lane is
# then SKIPPED, not failed, since nothing of the project's ran.
set -euo pipefail
. "$(dirname "$0")/lib.sh"
s=${1:?series}
t=$(kl_tree "$s")
shopt -s nullglob
m=("$t"/root/boot/vmlinuz-* "$t"/root/usr/lib/modules/*/vmlinuz)
[ ${#m[@]} -gt 0 ] || kl_die "$s: no kernel image (fetch.sh $s)"
d=$(mktemp -d); trap 'rm -rf "$d"' EXIT
mkdir -p "$d/ir/bin"; cp /bin/busybox "$d/ir/bin/"
printf '#!/bin/busybox sh\n/bin/busybox echo TEEABI-LANE-PROBE-OK\n/bin/busybox poweroff -f\n' > "$d/ir/init"
chmod 755 "$d/ir/init"
(cd "$d/ir" && find . | cpio -o -H newc --quiet | gzip -1) > "$d/initrd.gz"
# shellcheck disable=SC2054  # the commas are QEMU's
timeout 120 qemu-system-x86_64 -accel tcg -cpu qemu64,-cx16 -m 512 -nographic -no-reboot \
  -kernel "${m[0]}" -initrd "$d/initrd.gz" -append "console=ttyS0 quiet panic=-1" -nic none > "$d/console.log" 2>&1 || true
if ! grep -q TEEABI-LANE-PROBE-OK "$d/console.log"; then
  kl_say "SKIP: QEMU cannot boot the $s kernel on this machine: $(grep -v '^\s*$' "$d/console.log" | tail -1 | cut -c1-160)"
  exit 77
fi
