#!/usr/bin/env bash
# bench/parse.sh - every real vector's structural parse against a memcpy of the same bytes
# (tools/bench_parse.c: 2x for TDX quotes, TDREPORTs and SCALE attestations, 5x for SNP
# reports). Exits non-zero when a file misses its target.
# BIN: directory of the benchmark binaries (set by scripts/bench.sh; default build/bin).
set -euo pipefail
cd "$(dirname "$0")/.."
BIN=${BIN:-build/bin}
mapfile -t files < <(find vectors -type f ! -name '*.md' | LC_ALL=C sort)
[ ${#files[@]} -gt 0 ] || { echo "bench/parse.sh: no files in vectors/" >&2; exit 2; }
"$BIN"/bench_parse "${files[@]}"
