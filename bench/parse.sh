#!/usr/bin/env bash
# bench/parse.sh - every real vector's structural parse against a memcpy of the same bytes
# (tools/bench_parse.c: 2x for TDX quotes, TDREPORTs and SCALE attestations, 5x for SNP
# reports), each parse first checked against the field values vectors/MANIFEST.md states
# for its file (bench/manifest_fields.py). Exits non-zero when a file misses its target or
# its check. The X.509 certificates in vectors/snp-certs/ are inputs of the genuineness
# check (teeabi-parse --verify), not of a structural parser: listed, not benched.
# BIN: directory of the benchmark binaries (set by scripts/bench.sh; default build/bin).
set -euo pipefail
cd "$(dirname "$0")/.."
BIN=${BIN:-build/bin}
mapfile -t files < <(find vectors -type f ! -name '*.md' ! -name '*.pem' | LC_ALL=C sort)
[ ${#files[@]} -gt 0 ] || { echo "bench/parse.sh: no files in vectors/" >&2; exit 2; }
pems=$(find vectors -type f -name '*.pem' | wc -l)
[ "$pems" = 0 ] || echo "not benched: $pems PEM certificates under vectors/ (no structural parser; teeabi-parse --verify reads them)"
fields=$(mktemp)
trap 'rm -f "$fields"' EXIT
python3 bench/manifest_fields.py vectors/MANIFEST.md >"$fields"
"$BIN"/bench_parse --expect "$fields" "${files[@]}"
