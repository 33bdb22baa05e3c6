#!/usr/bin/env bash
# kernel-lane/mock.sh RELEASE PLATFORM OUTDIR: the mock side of the differential: the same
# shipped bundle, its same entry point and arguments (teeabi-qualify --allow-destructive:
# every suite in teeabi-run's order against one machine, as in the guest), inside the
# bundle's own mockenv on the profile the project derives for that kernel release and
# platform (kernel-lane/profile.sh). OUTDIR gets what the guest's run gives: bundle/ (the
# bundle's reports), suites.list, qualify.rc, clients/, logs/.
#   env: KL_BUNDLE (the bundle unpacked on this machine; lane.sh), KL_BUILD (the SAN=0 build
#   tree of dcap_client), KL_PYTHON (the Python client's interpreter, default /usr/bin/python3:
#   the one copied into the guest), KL_FAULT (a model fault for mockenv)
set -euo pipefail
. "$(dirname "$0")/lib.sh"
rel=${1:?release}; plat=${2:?platform}; out=${3:?outdir}
B=${KL_BUNDLE:?KL_BUNDLE: the unpacked bundle}
bld=${KL_BUILD:-$KL_ROOT/build/klane}
rm -rf "$out"; mkdir -p "$out"/logs
# the derived profile, by name, where the bundle's mockenv and teeabi-run look for profiles
# (in the guest the suites derive the same profile from the kernel without a file)
name=$("$KL_SRC/profile.sh" --name "$rel" "$plat")
"$KL_SRC/profile.sh" "$rel" "$plat" > "$B/profiles/$name.conf"
export TEEABI_PROFILE_DIR=$B/profiles TEEABI_FAULT_DIR=$B/faults
ls "$B/suites" > "$out/suites.list"
rc=0
"$B/bin/mockenv" --profile "$name" ${KL_FAULT:+--fault "$KL_FAULT"} -- \
  "$B/teeabi-qualify" --allow-destructive --reports "$out/bundle" > "$out/logs/qualify.log" 2>&1 || rc=$?
echo $rc > "$out/qualify.rc"
# the clients, the same commands as in the guest (not with a planted fault: nothing compares
# those answers, and a client may wait for what the fault withholds, e.g. libtdx_attest for
# a generation that never moves)
if [ -z "${KL_FAULT:-}" ]; then
  [ -n "${KL_DCAPLIB:-}" ] && export DCAP=$bld/bin/dcap_client DCAPLIB=$KL_DCAPLIB
  PYCLIENT=$KL_ROOT/mocks/clients/pyclient.py PYTHON=${KL_PYTHON:-/usr/bin/python3} \
    "$B/bin/mockenv" --profile "$name" -- \
    sh "$KL_SRC/clients.sh" "$plat" "$out/clients" > "$out/logs/clients.log" 2>&1 || true
fi
echo "$name" > "$out/profile"
