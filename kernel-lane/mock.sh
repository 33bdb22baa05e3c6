#!/usr/bin/env bash
# kernel-lane/mock.sh RELEASE PLATFORM OUTDIR: the mock side of the differential: the same
# suite binaries with the same arguments inside mockenv, on the profile the project derives
# for that kernel release and platform (kernel-lane/profile.sh). OUTDIR gets tap/, junit/,
# logs/, suites.rc like the guest's.
#   env: KL_BUILD (the SAN=0 build tree), KL_FAULT (a model fault for mockenv)
set -euo pipefail
. "$(dirname "$0")/lib.sh"
rel=${1:?release}; plat=${2:?platform}; out=${3:?outdir}
bld=${KL_BUILD:-$KL_ROOT/build/klane}
rm -rf "$out"; mkdir -p "$out"/{tap,junit,logs,profiles}
cp "$KL_ROOT"/mocks/profiles/*.conf "$out/profiles/"
ln -s "$KL_ROOT/mocks/faults" "$out/faults"   # mockenv finds faults beside the profiles
name=$("$KL_SRC/profile.sh" --name "$rel" "$plat")
"$KL_SRC/profile.sh" "$rel" "$plat" > "$out/profiles/$name.conf"
export TEEABI_PROFILE_DIR=$out/profiles
: > "$out/suites.rc"
for s in $(for f in "$bld"/suites/*; do n=${f##*/}; [ "$n" = selftest ] || echo "$n"; done); do
  rc=0
  "$bld/bin/mockenv" --profile "$name" ${KL_FAULT:+--fault "$KL_FAULT"} -- \
    "$bld/suites/$s" --profile "$name" --allow-destructive \
    --tap "$out/tap/$s.tap" --junit "$out/junit/$s.xml" > "$out/logs/$s.log" 2>&1 || rc=$?
  echo "$s $rc" >> "$out/suites.rc"
done
# the clients, the same commands as in the guest (not with a planted fault: nothing compares
# those answers, and a client may wait for what the fault withholds, e.g. libtdx_attest for
# a generation that never moves)
if [ -z "${KL_FAULT:-}" ]; then
  [ -n "${KL_DCAPLIB:-}" ] && export DCAP=$bld/bin/dcap_client DCAPLIB=$KL_DCAPLIB
  "$bld/bin/mockenv" --profile "$name" -- \
    sh "$KL_SRC/clients.sh" "$plat" "$out/clients" > "$out/logs/clients.log" 2>&1 || true
fi
echo "$name" > "$out/profile"
