#!/usr/bin/env bash
# bench/process.sh - teeabi-parse on one quote as a whole process (exec, parse, both
# signature checks, JSON out) against programs that do less: a parse-only program over the
# same library (tools/bench_parse_only.c: no crypto, no JSON) and an empty program, each run
# 200 times interleaved (tools/bench_process.c: medians of wall and CPU time). Reported,
# not judged: a parse-only program built on a peer library is not part of this tree.
# BIN: directory of the benchmark binaries (set by scripts/bench.sh; default build/bin).
set -euo pipefail
cd "$(dirname "$0")/.."
BIN=${BIN:-build/bin}
q=vectors/tdx-quote/trustee__tdx_quote_4.dat
"$BIN"/bench_process -n 200 -- "$BIN"/teeabi-parse "$q" -- "$BIN"/bench_parse_only "$q" -- "$BIN"/bench_parse_only
