#!/usr/bin/env bash
# kernel-lane/boot.sh SERIES PLATFORM OUTDIR: build the guest initramfs for one kernel and
# platform, boot it in QEMU (KVM when it works, else TCG), and unpack the guest's results
# into OUTDIR (bundle/: the shipped bundle's reports; suites.list, qualify.rc, clients/,
# logs/, nodes.tsv, dmesg, accel).
# The initramfs: busybox, the kernel's modules and the shimmed drivers, the shipped bundle
# tarball as it is (`make dist`: unpacked by busybox tar in the guest, its teeabi-qualify
# run there), and beside it the lane-only files: teeabi-fwd (the firmware), the clients
# (shell, Python with a stripped-down copy of this machine's python3, Intel DCAP's
# libtdx_attest), the derived profile the firmware model runs.
#   env: KL_BUNDLE_TGZ (the bundle tarball, default build/dist/teeabi-<version>-x86_64.tar.gz),
#   KL_BUILD (the SAN=0 build tree of teeabi-fwd and dcap_client, default build/klane),
#   KL_PYTHON (the interpreter copied for the Python client, default /usr/bin/python3),
#   KL_FAULT (a model fault for the firmware daemon), KL_ACCEL (kvm|tcg to force one),
#   KL_TIMEOUT (seconds, default 300)
set -euo pipefail
. "$(dirname "$0")/lib.sh"
s=${1:?series}; plat=${2:?platform}; out=${3:?outdir}
t=$(kl_tree "$s")
bld=${KL_BUILD:-$KL_ROOT/build/klane}
tgz=${KL_BUNDLE_TGZ:-$KL_ROOT/build/dist/teeabi-$(cat "$KL_ROOT/VERSION")-x86_64.tar.gz}
[ -f "$tgz" ] || kl_die "no bundle tarball $tgz (make dist)"
shopt -s nullglob
m=("$t"/root/lib/modules/*/ "$t"/root/usr/lib/modules/*/)
[ ${#m[@]} -gt 0 ] || kl_die "$s: no modules tree"
mods=${m[0]%/}; kver=$(basename "$mods")
m=("$t"/root/boot/vmlinuz-* "$mods/vmlinuz")
[ ${#m[@]} -gt 0 ] || kl_die "$s: no kernel image"
vmlinuz=${m[0]}
case "$plat" in
  tdx) driver=tdx-guest; nodes="/dev/tdx_guest" ;;
  snp) driver=sev-guest; nodes="/dev/sev-guest" ;;
  *) kl_die "platform $plat: tdx or snp" ;;
esac
[ -f "$t/modules/$driver.ko" ] || kl_die "$s: $driver.ko not built (kernel-lane/build-modules.sh $s)"
# configfs and the configfs-tsm report core (6.x tsm.ko, 7.x tsm_report.ko); for SNP the
# AEAD the 6.x driver asks the crypto API for, gcm(aes), where it is modular (no modprobe
# in the guest: loaded in dependency order)
want="configfs tsm tsm_report"
[ "$plat" = snp ] && want="$want crypto_null gcm gf128mul ghash-generic"
core=""
for m in $want; do
  f=$(find "$mods" -name "$m.ko.xz" | head -1); [ -n "$f" ] && core="$core $m"
done

rm -rf "$out"; mkdir -p "$out"
ir=$out/initramfs; mkdir -p "$ir"/{bin,lib/modules,proc,sys,dev,tmp,opt,teeabi/bin,teeabi/profiles,teeabi/clients,sys/kernel/config}
cp /bin/busybox "$ir/bin/busybox"
cp "$KL_SRC/init.sh" "$ir/init"; chmod 755 "$ir/init"
for m in $core virtio_blk; do
  xz -dc "$(find "$mods" -name "$m.ko.xz" | head -1)" > "$ir/lib/modules/$m.ko"
done
cp "$t"/modules/*.ko "$ir/lib/modules/"
# the shipped bundle, byte for byte the tarball `make dist` wrote
cp "$tgz" "$ir/bundle.tar.gz"
# lane-only, beside the bundle: the firmware daemon, the clients
cp "$bld/bin/teeabi-fwd" "$ir/teeabi/bin/"
cp "$KL_SRC/clients.sh" "$KL_ROOT/mocks/clients/shclient.sh" "$KL_ROOT/mocks/clients/pyclient.py" "$ir/teeabi/clients/"
if [ -n "${KL_DCAPLIB:-}" ] && [ -x "$bld/bin/dcap_client" ]; then
  cp "$bld/bin/dcap_client" "$ir/teeabi/bin/"; cp "$KL_DCAPLIB" "$ir/teeabi/clients/libtdx_attest.so.1"
fi
# Python for the Python client: the interpreter and the stdlib modules it loads (pyroot.py)
"${KL_PYTHON:-/usr/bin/python3}" "$KL_SRC/pyroot.py" "$ir" "$KL_ROOT/mocks/clients/pyclient.py" > "$out/python.files"
# the profile the firmware model runs (the one the project derives for this kernel)
fwprof=$("$KL_SRC/profile.sh" --name "$kver" "$plat")
"$KL_SRC/profile.sh" "$kver" "$plat" > "$ir/teeabi/profiles/$fwprof.conf"
# shared libraries of the lane's dynamic binaries and Python's extension modules, at their paths
for f in "$ir"/teeabi/bin/* "$ir"/usr/bin/python3.* "$ir"/usr/lib/python3*/lib-dynload/*.so; do ldd "$f" | awk '/=> \//{print $3} /^\t\/lib/{print $1}'; done |
  sort -u | while read -r l; do mkdir -p "$ir$(dirname "$l")"; cp -L "$l" "$ir$l"; done
[ -e "$ir/lib64/ld-linux-x86-64.so.2" ] || { mkdir -p "$ir/lib64"; cp -L /lib64/ld-linux-x86-64.so.2 "$ir/lib64/"; }
cat > "$ir/lane.conf" <<CONF
LANE_MODULES_CORE="$core"
LANE_DRIVER="$driver"
LANE_PLATFORM="$plat"
LANE_NODES="$nodes"
LANE_FW_PROFILE=$fwprof
LANE_FW_ARGS="${KL_FAULT:+--fault $KL_FAULT}"
LANE_QUALIFY_ARGS="--allow-destructive"
CONF
(cd "$ir" && find . | cpio -o -H newc --quiet | gzip -1) > "$out/initrd.gz"
rm -rf "$ir"

run_qemu() { # ACCEL
  # qemu64 without CMPXCHG16B: QEMU 7.2's TCG corrupts RFLAGS on SLUB's
  # "cmpxchg16b %gs:(...)" fast path (double fault in kmem_cache_alloc within seconds);
  # without cx16 the kernel takes its emulated path and boots reliably.
  # shellcheck disable=SC2054  # the commas are QEMU's
  local acc=(-accel tcg -cpu qemu64,-cx16)
  # shellcheck disable=SC2054
  [ "$1" = kvm ] && acc=(-accel kvm -cpu host,-arch-capabilities)
  truncate -s 0 "$out/disk.img"; truncate -s 64M "$out/disk.img"
  local log=$out/console.$1.log
  qemu-system-x86_64 "${acc[@]}" -m 1024 -smp 1 -nographic -no-reboot \
    -kernel "$vmlinuz" -initrd "$out/initrd.gz" \
    -append "console=ttyS0 quiet panic=-1 loglevel=4" \
    -drive "file=$out/disk.img,format=raw,if=virtio" -nic none > "$log" 2>&1 &
  local q=$! n=0
  # until QEMU exits, the time is up, or the guest is dead (a KVM emulation failure stops
  # the vCPU without ending QEMU; a panic with panic=-1 ends it)
  while kill -0 $q 2>/dev/null; do
    if [ $n -ge "$KL_TIMEOUT" ] || grep -q 'emulation failure\|KVM internal error\|end Kernel panic' "$log" 2>/dev/null; then
      kill $q 2>/dev/null; break
    fi
    sleep 1; n=$((n + 1))
  done
  wait $q 2>/dev/null || true
  tar -xf "$out/disk.img" -C "$out" 2>/dev/null && [ -f "$out/status" ]
}
accels="kvm tcg"
[ -n "${KL_ACCEL:-}" ] && accels=$KL_ACCEL
[ -w /dev/kvm ] || accels=${accels/kvm/}
for a in $accels; do
  start=$(date +%s)
  if KL_TIMEOUT=$([ "$a" = kvm ] && echo 60 || echo "${KL_TIMEOUT:-300}") run_qemu "$a"; then
    echo "$a" > "$out/accel"; echo $(( $(date +%s) - start )) > "$out/boot_seconds"
    kl_say "$s/$plat: ran under $a in $(cat "$out/boot_seconds") s: $(cat "$out/status")"
    exit 0
  fi
  kl_say "$s/$plat: no results under $a (console: $out/console.$a.log)"
done
exit 1
