#!/usr/bin/env bash
# bench/quote_parse.sh - structural TDX quote parse vs memcpy (tools/bench_quote_parse.c).
# BIN: directory of the benchmark binaries (set by scripts/bench.sh; default build/bin).
set -euo pipefail
cd "$(dirname "$0")/.."
BIN=${BIN:-build/bin}
"$BIN"/bench_quote_parse vectors/tdx-quote/trustee__tdx_quote_4.dat
"$BIN"/bench_quote_parse vectors/tdx-quote/go-tdx-guest__quote_v5_sample.dat
