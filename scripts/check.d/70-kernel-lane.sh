#!/usr/bin/env bash
# check step: the kernel lane (kernel-lane/DESIGN.md): the oldest and the newest kernel
# series of kernel-lane/pins.txt (KL_SERIES to choose others; `make kernel-lane` runs every
# series) x TDX and SNP booted in QEMU with the kernel's own drivers, the shipped bundle's
# teeabi-qualify there and in mockenv, every difference resolved, planted model faults seen.
# Budget: about 4 minutes once the packages are cached (216 s measured on 2 cores under TCG
# with other work on the machine, hard limit 15 min); the first run downloads about 400 MB
# per series and builds the 7.x host tools (about 3 min more per 7.x series).
# Exit 77 (SKIPPED, with the reason) when the lane cannot run here: no QEMU, the Debian
# archive cannot be reached for packages not in the cache, or QEMU cannot boot the kernel.
set -uo pipefail
cd "$(dirname "$0")/../.." || exit 1
for c in qemu-system-x86_64 busybox cpio xz; do
  command -v $c >/dev/null || { echo "SKIP: $c is not installed (scripts/deps.sh kernel-lane)"; exit 77; }
done
export KL_REPORTS=${KL_REPORTS:-build/klane/check-report}
if [ -z "${KL_SERIES:-}" ]; then
  KL_SERIES=$(awk '!/^#/ && NF { print $1 }' kernel-lane/pins.txt | uniq | sed -n '1p;$p' | uniq | tr '\n' ' ')
  export KL_SERIES
fi
rc=0
timeout 900 kernel-lane/lane.sh || rc=$?
[ $rc = 124 ] && { echo "FAIL: the kernel lane exceeded its 15-minute limit"; exit 1; }
exit $rc
