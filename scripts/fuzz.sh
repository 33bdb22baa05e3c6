#!/usr/bin/env bash
# SPDX-License-Identifier: Apache-2.0
#
# scripts/fuzz.sh - a fuzz campaign (what `make fuzz` runs).
#
#   make fuzz [FUZZ_SECONDS=60] [ENGINE=libfuzzer|afl] [TARGETS="tdx_quote snp_report"] [JOBS=N]
#
# Builds the targets (fuzz/build.sh: libFuzzer into build/fuzz; AFL++ into build/fuzz-afl
# with ASan+UBSan and its CMPLOG twin build/fuzz-afl-cmplog), seeds each target's working
# corpus (build/fuzz-work/<engine>/<target>/, kept between runs) from corpus/<target>/ and
# corpus/regress/<target>/, runs every target for FUZZ_SECONDS using all cores, shows
# progress, and writes reports/fuzz/: summary.json, summary.md (execs/s, corpus size,
# coverage, crashes with a reproduce command), logs/ and crashes/<target>/. Each target's
# execs/s per core is shown beside the trivial harness's of the same run, and the ratio.
# Exit 0 no crash, 1 crashes found, 2 usage or build error.
set -euo pipefail
cd "$(dirname "$0")/.."
ROOT=$PWD

FUZZ_SECONDS=${FUZZ_SECONDS:-60}
ENGINE=${ENGINE:-libfuzzer}
JOBS=${JOBS:-$(nproc 2>/dev/null || echo 2)}
REPORT=${FUZZ_REPORT_DIR:-reports/fuzz}

die() { echo "fuzz.sh: $*" >&2; exit 2; }
VARS_WHO=fuzz.sh; . scripts/vars.sh
need_uint FUZZ_SECONDS 1 604800
need_uint JOBS 1 1024
need_choice ENGINE libfuzzer afl

all=()
for f in fuzz/fuzz_*.c; do [ -e "$f" ] || continue; t=${f#fuzz/fuzz_}; all+=("${t%.c}"); done
[ ${#all[@]} -gt 0 ] || die "no fuzz targets in fuzz/"
if [ -n "${TARGETS:-}" ]; then
  read -r -a targets <<<"$TARGETS"
  [ ${#targets[@]} -gt 0 ] || die "TARGETS='$TARGETS': no target named; targets: ${all[*]}"
  for t in "${targets[@]}"; do
    [[ "$t" =~ ^[A-Za-z0-9_]+$ ]] && [ -f "fuzz/fuzz_$t.c" ] || die "TARGETS: unknown target '$t'; targets: ${all[*]}"
  done
else
  targets=("${all[@]}")
fi
# The reference: every campaign runs the trivial harness beside the targets, and the report
# gives each target's speed as a fraction of its (fuzz/fuzz_trivial.c, scripts/fuzz_run.py).
case " ${targets[*]} " in *" trivial "*) ;; *) [ -f fuzz/fuzz_trivial.c ] && targets+=(trivial) ;; esac

for tool in clang python3; do command -v $tool >/dev/null || die "$tool not found (scripts/deps.sh fuzz installs it)"; done
[ "$ENGINE" = afl ] && { command -v afl-clang-fast >/dev/null && command -v afl-fuzz >/dev/null || die "AFL++ not found (apt-get install afl++)"; }

# Replay binaries, for the reproduce commands.
make -s fuzz-replay >/dev/null || die "make fuzz-replay failed"

SAN="-fsanitize=address,undefined -fno-sanitize-recover=undefined"
export TARGETS="${targets[*]}"
if [ "$ENGINE" = libfuzzer ]; then
  echo "fuzz.sh: building ${#targets[@]} libFuzzer targets (build/fuzz)"
  CC=clang CXX=clang++ CFLAGS="-O1 -gline-tables-only -fno-omit-frame-pointer $SAN -fsanitize=fuzzer-no-link" \
    LIB_FUZZING_ENGINE=-fsanitize=fuzzer OUT=build/fuzz fuzz/build.sh || die "libFuzzer build failed"
  bindir=build/fuzz cmplogdir=""
else
  echo "fuzz.sh: building ${#targets[@]} AFL++ targets (build/fuzz-afl, CMPLOG twin build/fuzz-afl-cmplog)"
  AFL_QUIET=1 AFL_USE_ASAN=1 AFL_USE_UBSAN=1 CC=afl-clang-fast CXX=afl-clang-fast++ CFLAGS="-O1 -g" \
    LIB_FUZZING_ENGINE=-fsanitize=fuzzer OUT=build/fuzz-afl fuzz/build.sh || die "AFL++ build failed"
  AFL_QUIET=1 AFL_LLVM_CMPLOG=1 CC=afl-clang-fast CXX=afl-clang-fast++ CFLAGS="-O1 -g" \
    LIB_FUZZING_ENGINE=-fsanitize=fuzzer OUT=build/fuzz-afl-cmplog fuzz/build.sh || die "AFL++ CMPLOG build failed"
  bindir=build/fuzz-afl cmplogdir=build/fuzz-afl-cmplog
fi

case "$REPORT" in /*) ;; *) REPORT="$ROOT/$REPORT" ;; esac  # FUZZ_REPORT_DIR: absolute, or from the top
mkdir -p "$REPORT"
# AFL++ wants symbolize=0 and sees leaks only at exit (persistent mode): leaks are left to
# libFuzzer and the replay driver.
if [ "$ENGINE" = afl ]; then
  export ASAN_OPTIONS=${ASAN_OPTIONS:-abort_on_error=1:symbolize=0:detect_leaks=0}
else
  export ASAN_OPTIONS=${ASAN_OPTIONS:-abort_on_error=1:symbolize=1:detect_leaks=1}
fi
export UBSAN_OPTIONS=${UBSAN_OPTIONS:-print_stacktrace=1:halt_on_error=1}
exec python3 scripts/fuzz_run.py --root "$ROOT" --engine "$ENGINE" --seconds "$FUZZ_SECONDS" --jobs "$JOBS" \
  --bindir "$ROOT/$bindir" ${cmplogdir:+--cmplogdir "$ROOT/$cmplogdir"} \
  --workdir "$ROOT/build/fuzz-work/$ENGINE" --report "$REPORT" "${targets[@]}"
