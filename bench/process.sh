#!/usr/bin/env bash
# bench/process.sh - teeabi-parse on one quote as a whole process (exec, parse, its three
# crypto checks, JSON out) against a parse-only program built on a peer library: Phala's
# dcap-qvl from npm (scripts/verifiers/dcap_qvl_parse.js under Node.js: read, Quote.parse,
# print the MRTD; version and tarball pinned by scripts/verifiers/package*.json, installed
# and cached by scripts/verifiers/install.sh, never committed). Judged: teeabi-parse must
# take no more wall time and no more CPU time than the peer (medians of N interleaved runs,
# both in the same run: tools/bench_process.c), although it does more (the peer checks no
# signature). Printed beside them, not judged: a parse-only program over teeabi's own
# library (tools/bench_parse_only.c) and an empty program (the cost of exec itself).
# Before any timing each program's output must carry the quote's MRTD as
# vectors/MANIFEST.md states it (a program that fails or prints a wrong field is a FAIL,
# whatever its speed). Exit 0 PASS, 1 FAIL, 77 SKIPPED (no Node.js/npm/registry: the
# comparison was not made, which is not a pass).
# BIN: directory of the benchmark binaries (set by scripts/bench.sh; default build/bin).
# RUNS: runs per program (default 51; the peer's Node.js start-up makes a run ~0.1 s).
set -uo pipefail
cd "$(dirname "$0")/.."
BIN=${BIN:-build/bin}
RUNS=${RUNS:-51}
VARS_WHO=bench/process.sh; . scripts/vars.sh
need_uint RUNS 5 2000
q=vectors/tdx-quote/trustee__tdx_quote_4.dat
want=$(python3 bench/manifest_fields.py vectors/MANIFEST.md | awk -F'\t' -v f="$q" '$1 == f && $2 == "mrtd" { print $3 }')
[ ${#want} = 96 ] || { echo "bench/process.sh: FAIL: vectors/MANIFEST.md states no mrtd for $q"; exit 1; }
V=$PWD/build/third-party/verifiers
out=$(scripts/verifiers/install.sh "$V")
rc=$?
if [ $rc != 0 ]; then
  echo "bench/process.sh: SKIPPED, teeabi-parse not compared with a peer: ${out:-install.sh exit $rc}"
  [ $rc = 77 ] && exit 77
  exit 1
fi
export VERIFIERS=$V
peer=(node scripts/verifiers/dcap_qvl_parse.js "$q")
# the fields first: teeabi-parse's JSON "mrtd", the peer's one line
got=$("$BIN"/teeabi-parse "$q" | python3 -c 'import json, sys; print(json.load(sys.stdin)["mrtd"])') ||
  { echo "bench/process.sh: FAIL: teeabi-parse $q failed"; exit 1; }
[ "$got" = "$want" ] || { echo "bench/process.sh: FAIL: teeabi-parse printed mrtd $got, MANIFEST $want"; exit 1; }
got=$("${peer[@]}") || { echo "bench/process.sh: FAIL: ${peer[*]} failed"; exit 1; }
[ "$got" = "$want" ] || { echo "bench/process.sh: FAIL: the dcap-qvl program printed $got, MANIFEST $want"; exit 1; }
got=$("$BIN"/bench_parse_only "$q") && [ "$got" = "$want" ] || { echo "bench/process.sh: FAIL: bench_parse_only printed $got"; exit 1; }
echo "mrtd checked against vectors/MANIFEST.md: teeabi-parse, dcap-qvl ($(node --version), @phala/dcap-qvl $(node -p 'require(process.env.VERIFIERS + "/node_modules/@phala/dcap-qvl/package.json").version')), bench_parse_only"
"$BIN"/bench_process -n "$RUNS" --target-ratio 1 -- "$BIN"/teeabi-parse "$q" -- "${peer[@]}" \
  -- "$BIN"/bench_parse_only "$q" -- "$BIN"/bench_parse_only
