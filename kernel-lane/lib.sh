# shellcheck shell=bash
# kernel-lane/lib.sh: shared settings of the kernel-lane scripts (sourced, not run).
# shellcheck disable=SC2034  # the variables are for the scripts that source this file
KL_SRC=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
KL_ROOT=$(cd "$KL_SRC/.." && pwd)
KL_CACHE=${TEEABI_CACHE:-/var/cache/teeabi}/kernel-lane
KL_PINS=$KL_SRC/pins.txt
# the driver files the lane compiles unmodified, relative to the source tree
KL_DRIVERS=(drivers/virt/coco/tdx-guest/tdx-guest.c drivers/virt/coco/sev-guest/sev-guest.c)

kl_say() { printf 'kernel-lane: %s\n' "$*" >&2; }
kl_die() { kl_say "$*"; exit 1; }

# kl_pins SERIES: "package version sha256" lines of one kernel series
kl_pins() { awk -v s="$1" '$1 == s { print $2, $3, $4 }' "$KL_PINS"; }
kl_series() { awk '!/^#/ && NF { print $1 }' "$KL_PINS" | uniq; }
# the kernel tree of a series, unpacked (after fetch.sh)
kl_tree() { echo "$KL_CACHE/$1"; }
