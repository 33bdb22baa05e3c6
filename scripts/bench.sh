#!/usr/bin/env bash
# scripts/bench.sh - `make bench`: build an optimised tree without sanitizers and run every
# bench/*.sh with BIN pointing at its binaries. Benchmarks report; they are not unit tests.
# Exit 1 when a benchmark failed (missed its target, or could not run), else 77 when one
# was SKIPPED (exit 77: a comparison it could not make, e.g. no npm registry; never a
# pass), else 0.
set -euo pipefail
cd "$(dirname "$0")/.."
B=build/rel
make -s -j"$(nproc)" B="$B" SAN=0 OPT=-O2 all >/dev/null
export BIN=$PWD/$B/bin
echo "bench: $(nproc) CPUs, load average $(cut -d' ' -f1-3 /proc/loadavg) (the ratios are measured in one run; noise only slows a side down)"
rc=0 skipped=()
for b in bench/*.sh; do
  [ -f "$b" ] || continue
  echo "=== bench: $(basename "$b" .sh)"
  r=0
  bash "$b" || r=$?
  if [ $r = 77 ]; then
    skipped+=("$(basename "$b" .sh)")
  elif [ $r != 0 ]; then
    rc=1
  fi
done
[ ${#skipped[@]} = 0 ] || echo "bench: SKIPPED (not passed): ${skipped[*]}"
[ $rc != 0 ] || [ ${#skipped[@]} = 0 ] || rc=77
exit $rc
