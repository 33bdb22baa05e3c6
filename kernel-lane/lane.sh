#!/usr/bin/env bash
# kernel-lane/lane.sh: `make kernel-lane`, the whole lane. For every kernel series in
# pins.txt (KL_SERIES to choose) and every platform (KL_PLATFORMS, default "tdx snp"):
# fetch and check the packages (cached), build the shimmed drivers, boot the kernel in QEMU
# and run the suites there, run the same suites in mockenv on the derived profile, run the
# mock side again with a few planted model faults, and write the differential report
# (reports/kernel-lane/summary.json, index.html) with kernel-lane/diff.py.
# Exit: 0 the lane passes, 1 a difference is open / a run broke, 77 it cannot run here
# (archive unreachable, no QEMU), with the reason.
set -euo pipefail
. "$(dirname "$0")/lib.sh"
cd "$KL_ROOT"
out=${KL_REPORTS:-reports/kernel-lane}
work=${KL_WORK:-build/klane/lane}
series=${KL_SERIES:-$(kl_series | tr '\n' ' ')}
platforms=${KL_PLATFORMS:-tdx snp}
start=$(date +%s)

command -v qemu-system-x86_64 >/dev/null || { kl_say "SKIP: qemu-system-x86_64 is not installed (scripts/deps.sh kernel-lane)"; exit 77; }
for c in busybox cpio gzip xz; do command -v $c >/dev/null || { kl_say "SKIP: $c is not installed (scripts/deps.sh kernel-lane)"; exit 77; }; done

notes=()
# The shipped bundle (`make dist`: static, -O2, no sanitisers): the guest runs its tarball,
# the mock side the same files unpacked here. The lane-only programs beside it: SAN=0 builds.
kl_say "building the bundle (scripts/dist.sh) and the lane's own programs (SAN=0, build/klane)"
rm -rf "$work"; mkdir -p "$work/host"
scripts/dist.sh > "$work/dist.log" 2>&1 || { tail -20 "$work/dist.log" >&2; kl_die "make dist failed"; }
export KL_BUNDLE_TGZ KL_BUNDLE
KL_BUNDLE_TGZ=$KL_ROOT/build/dist/teeabi-$(cat VERSION)-x86_64.tar.gz
make -s -j"$(nproc)" SAN=0 B=build/klane OPT=-O2 build/klane/bin/teeabi-fwd build/klane/bin/dcap_client >&2

# Intel DCAP's libtdx_attest.so.1 for the client comparison: $TEEABI_LIBTDX_ATTEST, or the npm
# package scripts/check.d/36-intel-dcap.sh pins (fetched once with its npm_fetch into
# build/third-party/, sha256 of the tarball and of the library checked)
d36=scripts/check.d/36-intel-dcap.sh
pin_of() { sed -n "s/^.*\b$1=\([^ ]*\).*/\1/p" "$d36" | head -1; }
dcaplib=${TEEABI_LIBTDX_ATTEST:-}
if [ -z "$dcaplib" ]; then
  # shellcheck disable=SC2034,SC1091  # ROOT and B are npm_fetch's
  dir=$(ROOT=$PWD B=build; . scripts/clients_lib.sh; npm_fetch "$(pin_of PKG)" "$(pin_of VER)" "$(pin_of TGZ_PIN)" 2>/dev/null) || dir=""
  f=${dir:+$dir/$(pin_of MEMBER)}
  if [ -n "$f" ] && [ -f "$f" ] && [ "$(sha256sum < "$f" | cut -c1-64)" = "$(pin_of PIN)" ]; then dcaplib=$f; fi
fi
if [ -n "$dcaplib" ] && [ -f "$dcaplib" ]; then
  export KL_DCAPLIB
  KL_DCAPLIB=$(cd "$(dirname "$dcaplib")" && pwd)/$(basename "$dcaplib")
  kl_say "Intel DCAP libtdx_attest: $KL_DCAPLIB"
else
  kl_say "Intel DCAP libtdx_attest not available (no npm registry, no TEEABI_LIBTDX_ATTEST): the TDX client comparison uses the shell client only"
  notes+=(--note "Intel DCAP libtdx_attest was not available (npm registry unreachable, no TEEABI_LIBTDX_ATTEST): not compared")
fi

declare -A planted=( [tdx]="tdx-reportdata-not-echoed tsm-generation-not-bumped" [snp]="sev-reportdata-not-echoed tsm-generation-not-bumped" )
# faults planted in the firmware model behind the kernel's drivers (one more boot each):
# RTMR extend with the wrong hash (TDG.MR.RTMR.EXTEND; reached through 7.x tsm-mr), an SNP
# report without the caller's report data (MSG_REPORT_REQ)
planted_fw=${KL_PLANTED_FW-"7.3:tdx:tdx-extend-wrong-hash 6.12:snp:sev-reportdata-not-echoed"}
args=() fwargs=()
tar -xzf "$KL_BUNDLE_TGZ" -C "$work/host"
KL_BUNDLE=$(echo "$work"/host/teeabi-*)
KL_BUNDLE=$(cd "$KL_BUNDLE" && pwd)
for s in $series; do
  rc=0; "$KL_SRC/fetch.sh" "$s" || rc=$?
  [ $rc = 0 ] || exit $rc
  rc=0; "$KL_SRC/probe.sh" "$s" || rc=$?
  [ $rc = 0 ] || exit $rc
  "$KL_SRC/build-modules.sh" "$s"
  t=$(kl_tree "$s")
  for p in $platforms; do
    d=$work/$s-$p
    kl_say "[$s $p] booting the kernel ($(( $(date +%s) - start )) s into the lane)"
    "$KL_SRC/boot.sh" "$s" "$p" "$d/real" || kl_say "[$s $p] the guest gave no results"
    rel=$(cat "$d/real/kernel" 2>/dev/null || basename "$(ls -d "$t"/root/{,usr/}lib/modules/*/ 2>/dev/null | head -1)")
    kl_say "[$s $p] mock side on the derived profile"
    "$KL_SRC/mock.sh" "$rel" "$p" "$d/mock"
    args+=(--run "$s:$p:$d/real:$d/mock:$t/drivers.sha256")
    for f in ${planted[$p]}; do
      KL_FAULT=$f "$KL_SRC/mock.sh" "$rel" "$p" "$d/planted-$f"
      args+=(--planted "$s:$p:$f:$d/planted-$f")
    done
    for sp in $planted_fw; do
      [ "${sp%:*}" = "$s:$p" ] || continue
      f=${sp##*:}
      kl_say "[$s $p] booting again with $f planted in the firmware model"
      KL_FAULT=$f "$KL_SRC/boot.sh" "$s" "$p" "$d/planted-fw-$f" || kl_say "[$s $p] the guest gave no results"
      fwargs+=(--planted-fw "$s:$p:$f:$d/planted-fw-$f")
    done
    kl_say "[$s $p] done: $(cat "$d/real/status" 2>/dev/null || echo 'no results')"
  done
done
rc=0
python3 "$KL_SRC/diff.py" --out "$out" --resolutions "$KL_SRC/resolutions.txt" "${args[@]}" "${fwargs[@]}" "${notes[@]}" || rc=$?
kl_say "$(python3 -c 'import json,sys; d=json.load(open(sys.argv[1])); print(d["verdict"], "-", len(d["kernels"]), "kernel runs,", sum(len(k["differences"]) for k in d["kernels"]), "differences,", sum(p["detected"] for p in d["planted"]), "of", len(d["planted"]), "planted faults seen")' "$out/summary.json") in $(( $(date +%s) - start )) s; $out/index.html"
exit $rc
