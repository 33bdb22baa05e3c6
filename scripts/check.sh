#!/usr/bin/env bash
# scripts/check.sh - `make check`: the project's own tests.
#   1. build (ASan+UBSan)            2. unit + model tests (cmocka)
#   3. mock end-to-end (mockenv), third-party clients   4. suites x profiles, fault detection
#   5. fuzz corpus + regress replay  6. short fuzz smoke (CI)
# Prints one closing line "check: N passed, N failed, N skipped" and exits non-zero on any failure.
set -uo pipefail
cd "$(dirname "$0")/.."
JOBS=${JOBS:-$(nproc)}
VARS_WHO=check; . scripts/vars.sh
need_uint JOBS 1 1024
pass=0; fail=0; skip=0; failed=(); skipped=()
# A step passes (exit 0), fails, or says it could not run here (exit 77, e.g. a third-party
# client that cannot be fetched): that is counted and listed as skipped, never as passed.
step() { # name cmd...
  local name=$1 rc; shift
  echo "=== check: $name"
  "$@"; rc=$?
  if [ $rc = 0 ]; then pass=$((pass+1)); echo "--- ok: $name"
  elif [ $rc = 77 ]; then skip=$((skip+1)); skipped+=("$name"); echo "--- SKIPPED: $name"
  else fail=$((fail+1)); failed+=("$name"); echo "--- FAILED: $name"; fi
}

step build make -j"$JOBS" all
export ASAN_OPTIONS=${ASAN_OPTIONS:-detect_leaks=1:abort_on_error=1}
export UBSAN_OPTIONS=${UBSAN_OPTIONS:-print_stacktrace=1:halt_on_error=1}
for t in build/tests/test_*; do
  [ -x "$t" ] || continue
  step "unit/$(basename "$t")" "$t"
done
for s in scripts/check.d/*.sh; do
  [ -f "$s" ] || continue
  step "$(basename "$s" .sh)" bash "$s"
done

echo
if [ $skip -gt 0 ]; then printf 'skipped step (not run, see its output): %s\n' "${skipped[@]}"; fi
if [ $fail -gt 0 ]; then printf 'failed step: %s\n' "${failed[@]}"; fi
echo "check: $pass passed, $fail failed, $skip skipped"
[ $fail -eq 0 ]
