#!/usr/bin/env bash
# scripts/check.sh - `make check`: the project's own tests.
#   1. build (ASan+UBSan)            2. unit + model tests (cmocka)
#   3. mock end-to-end (mockenv)     4. suites x profiles, fault detection
#   5. fuzz corpus + regress replay  6. short fuzz smoke (CI)
# Prints one closing line "check: N passed, N failed" and exits non-zero on any failure.
set -uo pipefail
cd "$(dirname "$0")/.."
JOBS=${JOBS:-$(nproc)}
pass=0; fail=0; failed=()
step() { # name cmd...
  local name=$1; shift
  echo "=== check: $name"
  if "$@"; then pass=$((pass+1)); echo "--- ok: $name"; else fail=$((fail+1)); failed+=("$name"); echo "--- FAILED: $name"; fi
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
if [ $fail -gt 0 ]; then printf 'failed step: %s\n' "${failed[@]}"; fi
echo "check: $pass passed, $fail failed"
[ $fail -eq 0 ]
