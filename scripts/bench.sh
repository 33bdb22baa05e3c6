#!/usr/bin/env bash
# scripts/bench.sh - `make bench`: build an optimised tree without sanitizers and run every
# bench/*.sh with BIN pointing at its binaries. Benchmarks report; they are not unit tests.
set -euo pipefail
cd "$(dirname "$0")/.."
B=build/rel
make -s -j"$(nproc)" B="$B" SAN=0 OPT=-O2 all >/dev/null
export BIN=$PWD/$B/bin
rc=0
for b in bench/*.sh; do
  [ -f "$b" ] || continue
  echo "=== bench: $(basename "$b" .sh)"
  bash "$b" || rc=1
done
exit $rc
