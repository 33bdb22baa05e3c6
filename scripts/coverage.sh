#!/usr/bin/env bash
# SPDX-License-Identifier: Apache-2.0
#
# scripts/coverage.sh - `make coverage`: line and branch coverage of lib/ and mocks/.
#
# Builds a gcov tree (build/cov: gcc --coverage, -O0, no sanitizers), runs every unit and
# model test (build/cov/tests/*), teeabi-parse over vectors/, and every fuzz target's replay
# driver over corpus/<target>/ and corpus/regress/<target>/, then writes an lcov HTML
# report to reports/coverage/ (index.html, coverage.info) and prints the totals: parsers,
# lib/, mocks/model/, mocks/ daemons (mockfs/mockenv run only through mockenv, which this
# in-process run does not start, so they are reported but not judged).
#
# Exit 1 when the parsers are under COV_MIN_LINE (default 90) % of lines or
# COV_MIN_BRANCH (default 80) % of branches, or a step failed.
set -uo pipefail
cd "$(dirname "$0")/.."
B=build/cov
OUTDIR=reports/coverage
COV_MIN_LINE=${COV_MIN_LINE:-90}
COV_MIN_BRANCH=${COV_MIN_BRANCH:-80}
JOBS=${JOBS:-$(nproc 2>/dev/null || echo 2)}
VARS_WHO=coverage; . scripts/vars.sh
need_uint COV_MIN_LINE 0 100
need_uint COV_MIN_BRANCH 0 100
MIN_LINE=$COV_MIN_LINE MIN_BRANCH=$COV_MIN_BRANCH
need_uint JOBS 1 1024
PARSERS=(lib/tdx_report.c lib/tdx_quote.c lib/sgx_report.c lib/snp_report.c lib/snp_msg.c
	lib/snp_certs.c lib/dstack.c lib/dstack_scale.c lib/detect.c lib/bytes.c lib/profile.c)
RC=(--rc lcov_branch_coverage=1)
fail=0

for tool in lcov genhtml gcov; do
	command -v $tool >/dev/null || { echo "coverage: $tool not found (scripts/deps.sh all installs lcov)" >&2; exit 1; }
done

echo "coverage: building $B (gcc --coverage -O0)"
make -s -j"$JOBS" B=$B SAN=0 OPT=-O0 EXTRA_CFLAGS=--coverage EXTRA_LDFLAGS=--coverage \
	$B/lib/libteeabi.a $B/lib/libteeabi_model.a $B/bin/teeabi-parse fuzz-replay \
	$(for t in suites/unit/test_*.c; do b=${t#suites/unit/}; echo "$B/tests/${b%.c}"; done) ||
	{ echo "coverage: build failed" >&2; exit 1; }

lcov --quiet --zerocounters --directory $B/obj
echo "coverage: running unit and model tests"
for t in $B/tests/test_*; do
	[ -x "$t" ] || continue
	"$t" >"$B/$(basename "$t").log" 2>&1 || { echo "coverage: $t failed (see $B/$(basename "$t").log)"; fail=1; }
done
echo "coverage: teeabi-parse over vectors/"
find vectors -type f ! -name '*.md' -print0 | xargs -0 $B/bin/teeabi-parse >/dev/null 2>&1
echo "coverage: replaying the fuzz corpora"
for f in fuzz/fuzz_*.c; do
	[ -e "$f" ] || continue
	t=${f#fuzz/fuzz_}; t=${t%.c}
	dirs=()
	for d in "corpus/$t" "corpus/regress/$t"; do [ -d "$d" ] && dirs+=("$d"); done
	[ ${#dirs[@]} -gt 0 ] || continue
	$B/fuzz-replay/fuzz_$t -q "${dirs[@]}" >"$B/replay.$t.log" 2>&1 || { echo "coverage: replay of $t failed"; fail=1; }
done

rm -rf "$OUTDIR"
mkdir -p "$OUTDIR"
lcov --quiet "${RC[@]}" --capture --directory $B/obj --base-directory "$PWD" --output-file "$B/all.info" >/dev/null 2>"$B/lcov.err" ||
	{ cat "$B/lcov.err" >&2; exit 1; }
lcov --quiet "${RC[@]}" --extract "$B/all.info" "$PWD/lib/*" "$PWD/mocks/*" --output-file "$OUTDIR/coverage.info" >/dev/null
genhtml --quiet "${RC[@]}" --branch-coverage --title "teeabi: lib/ and mocks/" --output-directory "$OUTDIR" "$OUTDIR/coverage.info" >/dev/null 2>"$B/genhtml.err" ||
	{ cat "$B/genhtml.err" >&2; exit 1; }

# Totals per area, from the tracefile (LF/LH lines, BRF/BRH branches).
area() { # name pattern...
	local name=$1; shift
	awk -v name="$name" -v pats="$*" '
		BEGIN { n = split(pats, P, " ") }
		/^SF:/ { f = substr($0, 4); on = 0; for (i = 1; i <= n; i++) if (index(f, P[i])) on = 1 }
		on && /^LF:/ { lf += substr($0, 4) } on && /^LH:/ { lh += substr($0, 4) }
		on && /^BRF:/ { bf += substr($0, 5) } on && /^BRH:/ { bh += substr($0, 5) }
		END { printf "%s %d %d %d %d\n", name, lh, lf, bh, bf }' "$OUTDIR/coverage.info"
}
pct() { awk -v a="$1" -v b="$2" 'BEGIN { if (b == 0) print "n/a"; else printf "%.1f", 100 * a / b }'; }
printf '%-14s %18s %20s\n' area lines branches
parser_pats=()
for p in "${PARSERS[@]}"; do parser_pats+=("/$p"); done
while read -r name lh lf bh bf; do
	printf '%-14s %6s%% (%5d/%5d) %6s%% (%5d/%5d)\n' "$name" "$(pct "$lh" "$lf")" "$lh" "$lf" "$(pct "$bh" "$bf")" "$bh" "$bf"
	if [ "$name" = parsers ]; then
		pl=$(pct "$lh" "$lf"); pb=$(pct "$bh" "$bf")
	fi
done < <(area parsers "${parser_pats[@]}"; area lib/ /lib/; area mocks/model /mocks/model/; area total /lib/ /mocks/)
echo
echo "per parser file:"
for p in "${PARSERS[@]}"; do
	read -r _ lh lf bh bf < <(area "$p" "/$p")
	printf '  %-20s lines %6s%%  branches %6s%%\n' "$p" "$(pct "$lh" "$lf")" "$(pct "$bh" "$bf")"
done
echo
echo "coverage: HTML report in $OUTDIR/index.html"
if awk -v l="$pl" -v b="$pb" -v ml="$MIN_LINE" -v mb="$MIN_BRANCH" 'BEGIN { exit !(l + 0 >= ml && b + 0 >= mb) }'; then
	echo "coverage: parsers $pl% lines, $pb% branches: meets the $MIN_LINE%/$MIN_BRANCH% target"
else
	echo "coverage: parsers $pl% lines, $pb% branches: BELOW the $MIN_LINE%/$MIN_BRANCH% target"
	fail=1
fi
exit $fail
