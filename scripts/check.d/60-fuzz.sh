#!/usr/bin/env bash
# check step: fuzz targets.
#  1. negative control: the replay driver exits non-zero on an input that violates a
#     harness property (so a replay that passes means something);
#  2. every target (fuzz/fuzz_<t>.c) has seeds in corpus/<t>/, and its replay build
#     (build/fuzz-replay/fuzz_<t>, gcc + ASan/UBSan) runs every file of corpus/<t>/ and
#     corpus/regress/<t>/ without a crash, a sanitizer report or a property violation;
#  3. smoke: every target built with libFuzzer (fuzz/build.sh, clang, ASan+UBSan) runs for
#     FUZZ_SMOKE_SECONDS (default 10) from its seeds without a crash, two at a time; and one
#     target runs a few seconds under AFL++ (persistent mode + CMPLOG twin) to prove that
#     build works. Inputs found go to a scratch directory, never into corpus/.
set -uo pipefail
cd "$(dirname "$0")/../.."
SMOKE=${FUZZ_SMOKE_SECONDS:-10}
JOBS=${JOBS:-$(nproc 2>/dev/null || echo 2)}
fail=0
bad() { echo "FAIL: $*"; fail=1; }
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
export ASAN_OPTIONS=detect_leaks=1:abort_on_error=1
export UBSAN_OPTIONS=print_stacktrace=1:halt_on_error=1

targets=()
for f in fuzz/fuzz_*.c; do [ -e "$f" ] || continue; t=${f#fuzz/fuzz_}; targets+=("${t%.c}"); done
[ ${#targets[@]} -gt 0 ] || { echo "FAIL: no fuzz targets in fuzz/"; exit 1; }

# 1. negative control
cat >"$tmp/neg.c" <<'EOF'
#include "fuzz.h"
int LLVMFuzzerTestOneInput(const uint8_t *d, size_t n)
{
	FZ_CHECK(!(n >= 4 && memcmp(d, "boom", 4) == 0), "planted property violation");
	return 0;
}
EOF
if gcc -std=gnu11 -g -Ifuzz -fsanitize=address,undefined "$tmp/neg.c" fuzz/replay_main.c -o "$tmp/neg" 2>"$tmp/neg.err"; then
	printf 'fine' >"$tmp/ok.in"; printf 'boom' >"$tmp/boom.in"
	"$tmp/neg" -q "$tmp/ok.in" >/dev/null 2>&1 || bad "replay driver: a harmless input failed"
	if bash -c '"$1" -q "$2" 2>&1; exit $?' _ "$tmp/neg" "$tmp/boom.in" >"$tmp/neg.out" 2>&1; then
		bad "replay driver: a property violation did not fail the replay"
	elif ! grep -q 'planted property violation' "$tmp/neg.out"; then
		bad "replay driver: the violation's message is missing"
	fi
	"$tmp/neg" -q "$tmp/missing.in" >/dev/null 2>&1 && bad "replay driver: a missing input was not an error"
else
	bad "negative-control harness does not build"; cat "$tmp/neg.err"
fi

# 2. corpus + regress replay
n_inputs=0
for t in "${targets[@]}"; do
	bin=build/fuzz-replay/fuzz_$t
	[ -x "$bin" ] || { bad "$bin not built"; continue; }
	if [ -z "$(ls -A "corpus/$t" 2>/dev/null)" ]; then bad "$t: no seeds in corpus/$t/"; continue; fi
	dirs=("corpus/$t")
	[ -d "corpus/regress/$t" ] && dirs+=("corpus/regress/$t")
	if "$bin" -q "${dirs[@]}" >"$tmp/replay.$t" 2>&1; then
		n=$(sed -n 's/^replay: \([0-9]*\) inputs run$/\1/p' "$tmp/replay.$t")
		n_inputs=$((n_inputs + ${n:-0}))
		printf 'replay %-14s %4s inputs ok\n' "$t" "$n"
	else
		bad "$t: replay failed"; tail -30 "$tmp/replay.$t"
	fi
done
echo "replayed $n_inputs inputs over ${#targets[@]} targets (seeds + regress)"

# 3. smoke
if ! command -v clang >/dev/null; then
	bad "clang not installed: no libFuzzer smoke (scripts/deps.sh fuzz)"
	exit 1
fi
SAN="-fsanitize=address,undefined -fno-sanitize-recover=undefined"
if ! CC=clang CXX=clang++ CFLAGS="-O1 -gline-tables-only -fno-omit-frame-pointer $SAN -fsanitize=fuzzer-no-link" \
	LIB_FUZZING_ENGINE=-fsanitize=fuzzer OUT=build/fuzz fuzz/build.sh >"$tmp/build.log" 2>&1; then
	bad "libFuzzer build failed"; tail -30 "$tmp/build.log"; exit 1
fi
smoke() {
	local t=$1 d=$tmp/smoke.$1 args=()
	mkdir -p "$d/corpus" "$d/art"
	[ -f "build/fuzz/fuzz_$t.dict" ] && args+=("-dict=build/fuzz/fuzz_$t.dict")
	local ml
	ml=$(sed -n 's/^ *max_len *= *\([0-9]*\).*/\1/p' "fuzz/$t.options" 2>/dev/null | head -1)
	[ -n "$ml" ] && args+=("-max_len=$ml")
	local seeds=("corpus/$t")
	[ -d "corpus/regress/$t" ] && seeds+=("corpus/regress/$t")
	# sign is roundtrip with the real ECDSA signing (a few thousand execs/s): half the time,
	# which keeps the step within the budget it had before that target
	local secs=$SMOKE
	[ "$t" = sign ] && secs=$(((SMOKE + 1) / 2))
	"build/fuzz/fuzz_$t" -max_total_time="$secs" -timeout=10 -rss_limit_mb=2048 -print_final_stats=1 \
		-artifact_prefix="$d/art/" "${args[@]}" "$d/corpus" "${seeds[@]}" >"$d/log" 2>&1
	echo $? >"$d/rc"
}
# the trivial harness is the speed reference of `make fuzz`, no target to smoke
smoke_targets=()
for t in "${targets[@]}"; do [ "$t" = trivial ] || smoke_targets+=("$t"); done
echo "libFuzzer smoke: ${#smoke_targets[@]} targets x ${SMOKE} s, $JOBS at a time"
running=0
for t in "${smoke_targets[@]}"; do
	smoke "$t" &
	running=$((running + 1))
	if [ $running -ge "$JOBS" ]; then wait -n; running=$((running - 1)); fi
done
wait
for t in "${smoke_targets[@]}"; do
	d=$tmp/smoke.$t
	rc=$(cat "$d/rc" 2>/dev/null || echo missing)
	execs=$(sed -n 's/^stat::number_of_executed_units: *//p' "$d/log")
	eps=$(sed -n 's/^stat::average_exec_per_sec: *//p' "$d/log")
	if [ "$rc" = 0 ] && [ -n "$execs" ]; then
		printf 'smoke  %-14s %9s execs %7s exec/s ok\n' "$t" "$execs" "$eps"
	else
		bad "$t: libFuzzer smoke exit $rc"
		grep -E 'ERROR|SUMMARY|property violated|runtime error' "$d/log" | head -10
		for a in "$d"/art/*; do
			[ -f "$a" ] || continue
			mkdir -p reports/fuzz-smoke
			cp "$a" "reports/fuzz-smoke/$t-$(basename "$a")"
			echo "  input kept: reports/fuzz-smoke/$t-$(basename "$a") (reproduce: build/fuzz-replay/fuzz_$t reports/fuzz-smoke/$t-$(basename "$a"))"
		done
	fi
done

# 4. `make fuzz` itself (scripts/fuzz.sh + fuzz_run.py), a few seconds of one target (and
#    the trivial reference harness beside it) into an absolute FUZZ_REPORT_DIR (once taken
#    as relative to the top): summary.json names it with its execs, its speed per core and
#    its ratio to the reference, and nothing appears under the top.
if [ -x build/fuzz/fuzz_sgx_report ]; then
	if FUZZ_SECONDS=3 JOBS=1 TARGETS=sgx_report FUZZ_REPORT_DIR="$tmp/campaign" make -s fuzz >"$tmp/campaign.log" 2>&1 &&
		python3 - "$tmp/campaign/summary.json" <<'PY'
import json, sys
s = json.load(open(sys.argv[1]))
t = s["targets"]["sgx_report"]
assert t["execs"] > 0 and t["execs_per_sec"] > 0 and t["execs_per_sec_per_core"] > 0 and not t["crashes"], t
# the trivial harness ran beside it, and the ratio is the two per-core speeds'
ref = s["reference"]["execs_per_sec_per_core"]
assert s["reference"]["target"] == "trivial" and ref == s["targets"]["trivial"]["execs_per_sec_per_core"] > 0, s["reference"]
assert abs(t["vs_trivial"] - t["execs_per_sec_per_core"] / ref) < 1e-3, (t["vs_trivial"], ref)
print("sgx_report %d execs/s/core, trivial %d: %.1f%%" % (t["execs_per_sec_per_core"], ref, 100 * t["vs_trivial"]))
PY
	then
		echo "make fuzz: 3 s of sgx_report beside the trivial harness, summary.json in FUZZ_REPORT_DIR ok"
	else
		bad "make fuzz FUZZ_SECONDS=3 TARGETS=sgx_report FUZZ_REPORT_DIR=<absolute> did not write a good summary.json"
		tail -15 "$tmp/campaign.log"
	fi
	[ ! -e "./${tmp#/}" ] || bad "make fuzz wrote its report under the top (./${tmp#/})"
fi

if command -v afl-fuzz >/dev/null && command -v afl-clang-fast >/dev/null; then
	t=tdx_quote
	[ -f "fuzz/fuzz_$t.c" ] || t=${targets[0]}
	if AFL_QUIET=1 AFL_USE_ASAN=1 AFL_USE_UBSAN=1 CC=afl-clang-fast CXX=afl-clang-fast++ CFLAGS="-O1 -g" \
		LIB_FUZZING_ENGINE=-fsanitize=fuzzer OUT=build/fuzz-afl TARGETS=$t fuzz/build.sh >"$tmp/afl-build.log" 2>&1 &&
		AFL_QUIET=1 AFL_LLVM_CMPLOG=1 CC=afl-clang-fast CXX=afl-clang-fast++ CFLAGS="-O1 -g" \
		LIB_FUZZING_ENGINE=-fsanitize=fuzzer OUT=build/fuzz-afl-cmplog TARGETS=$t fuzz/build.sh >>"$tmp/afl-build.log" 2>&1; then
		AFL_SKIP_CPUFREQ=1 AFL_I_DONT_CARE_ABOUT_MISSING_CRASHES=1 AFL_NO_UI=1 AFL_NO_AFFINITY=1 \
			ASAN_OPTIONS=abort_on_error=1:symbolize=0:detect_leaks=0 \
			timeout 60 afl-fuzz -V 5 -m none -i "corpus/$t" -o "$tmp/afl" -c "build/fuzz-afl-cmplog/fuzz_$t" \
			-- "build/fuzz-afl/fuzz_$t" >"$tmp/afl.log" 2>&1
		st=$tmp/afl/default/fuzzer_stats
		if [ -f "$st" ]; then
			execs=$(sed -n 's/^execs_done *: *//p' "$st"); cr=$(sed -n 's/^saved_crashes *: *//p' "$st")
			if [ "${cr:-0}" = 0 ] && [ "${execs:-0}" -gt 0 ]; then
				echo "AFL++ smoke $t: $execs execs in 5 s, no crash (CMPLOG twin)"
			else
				bad "AFL++ smoke $t: $execs execs, $cr crashes"
			fi
		else
			bad "AFL++ smoke $t did not start"; tail -15 "$tmp/afl.log"
		fi
	else
		bad "AFL++ build failed"; tail -20 "$tmp/afl-build.log"
	fi
else
	bad "AFL++ not installed (scripts/deps.sh fuzz)"
fi
exit $fail
