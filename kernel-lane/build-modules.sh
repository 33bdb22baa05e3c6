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
common=$(ls -d "$t"/root/usr/src/linux-headers-*-common | head -1)
mkargs=(CONFIG_DEBUG_INFO_BTF_MODULES=)   # no BTF for the lane's modules (pahole of this
                                          # machine may not know the kernel's BTF flags)

# Host tools (fixdep, modpost, objtool). Debian's linux-kbuild-7.* is built for glibc
# >= 2.38; on an older system they are built here from the linux-source package (the
# package's config, this machine's gcc: modules_prepare), once, into the cache.
if ! ldd "$kdir/scripts/mod/modpost" >/dev/null 2>&1 || ldd "$kdir/scripts/mod/modpost" 2>&1 | grep -q 'not found'; then
  tree=$t/tree
  if [ ! -x "$tree/scripts/mod/modpost" ]; then
    kl_say "$s: building the kernel's host tools from the source package (once)"
    rm -rf "$tree"; mkdir -p "$tree"
    tar -xJf "$t"/linux-source-*.tar.xz -C "$tree" --strip-components=1
    cp "$kdir/.config" "$tree/.config"
    make -s -C "$tree" CC=gcc HOSTCC=gcc olddefconfig > "$t/tools.log" 2>&1 &&
      make -s -C "$tree" -j"$(nproc)" CC=gcc HOSTCC=gcc modules_prepare >> "$t/tools.log" 2>&1 ||
      { tail -20 "$t/tools.log" >&2; kl_die "$s: building the host tools failed"; }
  fi
  kb=$(readlink "$kdir/scripts"); kb=$(cd "$kdir" && dirname "$kb")   # ../../lib/linux-kbuild-*
  mkdir -p "$kdir/$kb"
  ln -sfn "$tree/scripts" "$kdir/$kb/scripts"; ln -sfn "$tree/tools" "$kdir/$kb/tools"
fi
# The compiler the kernel was built with (.kernelvariables: CC = ...gcc-14), else this
# machine's gcc through cc-compat.sh.
kcc=$(sed -n 's/^CC = .*(CROSS_COMPILE)\(gcc[^ ]*\).*/\1/p' "$kdir/.kernelvariables" 2>/dev/null)
if [ -n "$kcc" ] && ! command -v "x86_64-linux-gnu-$kcc" >/dev/null && ! command -v "$kcc" >/dev/null; then
  kl_say "$s: $kcc is not installed, compiling with $(gcc -dumpfullversion 2>/dev/null || echo gcc) (kernel-lane/cc-compat.sh)"
  mkargs+=("CC=$KL_SRC/cc-compat.sh" HOSTCC=gcc)
fi

# sev-guest.c of 6.x encrypts its messages and calls snp_issue_guest_request() (sev_shim);
# from 6.13 the message layer moved to arch/x86/coco/sev (snp_send_guest_request()).
if grep -q 'snp_issue_guest_request(' "$t/src/drivers/virt/coco/sev-guest/sev-guest.c"; then
  mkargs+=(TEEABI_SEV_SHIM=sev_shim)
elif grep -q 'snp_send_guest_request(' "$t/src/drivers/virt/coco/sev-guest/sev-guest.c"; then
  mkargs+=(TEEABI_SEV_SHIM=sev7_shim)
else
  kl_say "$s: no shim for this sev-guest.c form: no SNP module"
fi

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
# name the unpacked one instead (srctree is where that Makefile is, objtree is O=).
make -s -C "$kdir" -f "$common/Makefile" O="$kdir" M="$b" "${mkargs[@]}" modules > "$b/build.log" 2>&1 || { cat "$b/build.log" >&2; kl_die "$s: module build failed"; }
cp "$b"/*.ko "$t/modules/"
kl_say "$s: built $(cd "$t/modules" && ls *.ko | tr '\n' ' ')"
