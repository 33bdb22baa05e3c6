#!/usr/bin/env bash
# bench/verify.sh - each signature check (quote, QE report, SNP report) against the bare
# OpenSSL verify of its curve, over every TDX quote in vectors/ and a report the SNP model
# signs (tools/bench_verify.c, target 1.2x). Exits non-zero when a check misses it.
# BIN: directory of the benchmark binaries (set by scripts/bench.sh; default build/bin).
set -euo pipefail
cd "$(dirname "$0")/.."
BIN=${BIN:-build/bin}
mapfile -t quotes < <(find vectors/tdx-quote -type f | LC_ALL=C sort)
"$BIN"/bench_verify mocks/profiles "${quotes[@]}"
