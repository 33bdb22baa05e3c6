#!/usr/bin/env bash
# kernel-lane/build-modules.sh SERIES: build the firmware channel and the kernel's own
# tdx-guest.c / sev-guest.c (byte for byte from the linux-source package, checked against
# the sha256 fetch.sh recorded) with their shims, as out-of-tree modules of that kernel.
# Output: $KL_CACHE/<series>/modules/*.ko
set -euo pipefail
. "$(dirname "$0")/lib.sh"
s=${1:?series}
t=$(kl_tree "$s")
[ -f "$t/.unpacked" ] || kl_die "$s: not fetched (kernel-lane/fetch.sh $s)"
kdir=$(ls -d "$t"/root/usr/src/linux-headers-*-cloud-amd64 2>/dev/null | head -1)
[ -n "$kdir" ] || kl_die "$s: no headers tree"
b=$t/build
rm -rf "$b"; mkdir -p "$b" "$t/modules"
cp "$KL_SRC"/shim/*.[ch] "$KL_SRC/shim/Kbuild" "$b/"
cp "$t/src/drivers/virt/coco/tdx-guest/tdx-guest.c" "$b/tdx_guest_drv.c"
cp "$t/src/drivers/virt/coco/sev-guest/sev-guest.c" "$b/sev_guest_drv.c"
# the files compiled are the package's, byte for byte
want=$(awk '{print $1}' "$t/drivers.sha256" | tr '\n' ' ')
got="$(sha256sum < "$b/tdx_guest_drv.c" | cut -d' ' -f1) $(sha256sum < "$b/sev_guest_drv.c" | cut -d' ' -f1) "
[ "$want" = "$got" ] || kl_die "$s: driver sources differ from the source package ($got vs $want)"
kl_say "$s: building modules against $(basename "$kdir")"
# The headers package's Makefile includes the common tree by its installed absolute path;
# name the unpacked one instead (srctree is where that Makefile is, objtree is -C).
common=$(ls -d "$t"/root/usr/src/linux-headers-*-common | head -1)
make -s -C "$kdir" -f "$common/Makefile" M="$b" modules > "$b/build.log" 2>&1 || { cat "$b/build.log" >&2; kl_die "$s: module build failed"; }
cp "$b"/*.ko "$t/modules/"
kl_say "$s: built $(cd "$t/modules" && ls *.ko | tr '\n' ' ')"
