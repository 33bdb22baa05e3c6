#!/usr/bin/env bash
# check step: the make variables and environment the scripts read are validated (issue 12,
# item 8): a missing or malformed value is exit 2 with one line naming the variable, within
# seconds, never a Python traceback or a run with another value; and `make fuzz-planted`
# stopped by SIGTERM to its process group (a CI cancel) removes its teeabi-planted.* scratch
# tree (14 MB) and kills its build and fuzzer.
# Budget: about 10 s (the SIGTERM case builds one fuzz target for a few seconds).
set -uo pipefail
cd "$(dirname "$0")/../.."
fails=0
fail() { echo "FAIL: $*"; fails=$((fails + 1)); }
ok() { echo "ok: $*"; }
T=$(mktemp -d /tmp/teeabi-33-vars.XXXXXX)
trap 'rm -rf "$T"' EXIT

# bad VAR_TEXT_IN_MESSAGE COMMAND...: exit 2 (make: 2 as well), the variable named, no traceback, < 10 s
bad() {
  local want=$1 t0 rc ms; shift
  t0=$(date +%s%N)
  timeout 20 "$@" >"$T/out" 2>&1; rc=$?
  ms=$((($(date +%s%N) - t0) / 1000000))
  if [ $rc = 2 ] && grep -q -- "$want" "$T/out" && ! grep -q Traceback "$T/out" && [ $ms -lt 10000 ]; then
    ok "$* -> 2 in $ms ms: $(grep -- "$want" "$T/out" | head -1)"
  else
    fail "$*: exit $rc after $ms ms: $(tail -3 "$T/out")"
  fi
}
bad "PLANT_SECONDS='abc'" make -s fuzz-planted PLANT_SECONDS=abc
bad "PLANT_SECONDS='0'" make -s fuzz-planted PLANT_SECONDS=0
bad "PLANT_SECONDS=''" make -s fuzz-planted PLANT_SECONDS=
bad "PLANT_SEEDS='bogus'" make -s fuzz-planted PLANT_SEEDS=bogus
bad "unknown plant nosuch" make -s fuzz-planted PLANTS=nosuch
bad "FUZZ_SECONDS='abc'" make -s fuzz FUZZ_SECONDS=abc
bad "FUZZ_SECONDS='-1'" make -s fuzz FUZZ_SECONDS=-1
bad "ENGINE='aflx'" make -s fuzz ENGINE=aflx
bad "unknown target 'nosuch'" make -s fuzz TARGETS=nosuch
bad "unknown target '../fuzz_x'" make -s fuzz TARGETS=../fuzz_x
bad "JOBS='x'" make -s fuzz JOBS=x FUZZ_SECONDS=1
bad "COV_MIN_LINE='ninety'" make -s coverage COV_MIN_LINE=ninety
bad "JOBS='abc'" env JOBS=abc bash scripts/check.sh
bad "ITERS='5'" env ITERS=5 bash bench/fuse.sh
bad "PROFILE='a b'" env PROFILE='a b' bash bench/fuse.sh
bad "RUNS='x'" env RUNS=x bash bench/process.sh
bad "RUNS='3'" env RUNS=3 bash bench/process.sh
bad "FUZZ_STATIC_DEPS='yes'" env CC=clang FUZZ_STATIC_DEPS=yes OUT="$T/fz" TARGETS=sgx_report bash fuzz/build.sh

# SIGTERM to the process group of a planted run: scratch tree removed, nothing left running
if ! command -v clang >/dev/null; then
  echo "clang missing (scripts/deps.sh fuzz installs it): the SIGTERM case of fuzz-planted was not run"
  echo "33-make-vars: $fails failure(s), SIGTERM case SKIPPED"
  [ $fails = 0 ] && exit 77 || exit 1
fi
mkdir -p "$T/tmp"
TMPDIR=$T/tmp PLANTS=snp-report-short-off-by-one PLANT_SECONDS=60 setsid python3 scripts/planted.py --report "$T/rep" >"$T/p.log" 2>&1 &
pid=$!
i=0; while [ -z "$(ls -A "$T/tmp" 2>/dev/null)" ] && [ $i -lt 200 ]; do sleep 0.05; i=$((i + 1)); done
sleep 2
size=$(du -sk "$T/tmp" | cut -f1)
kill -TERM -- "-$pid"
wait "$pid"; rc=$?
sleep 0.5
left=$(ls -A "$T/tmp")
running=$(pgrep -f -- "$T/tmp" | grep -v -x "$$" | head -3)
if [ $rc = 143 ] && [ -z "$left" ] && [ -z "$running" ] && grep -q 'interrupted by SIGTERM' "$T/p.log" && [ "$size" -gt 0 ]; then
  ok "fuzz-planted stopped by SIGTERM after building in a ${size} kB scratch tree: exit 143, tree removed, nothing left running"
else
  fail "fuzz-planted SIGTERM: exit $rc, left: '$left', running: '$running', scratch ${size} kB, log: $(tail -2 "$T/p.log")"
  [ -n "$running" ] && pkill -9 -f -- "$T/tmp"
fi
echo "33-make-vars: $fails failure(s)"
[ $fails = 0 ]
