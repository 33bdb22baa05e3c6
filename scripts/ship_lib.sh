# shellcheck shell=bash
# scripts/ship_lib.sh - sourced by the shipping check steps (scripts/check.d/70-dist.sh,
# 75-container.sh): the bundle's suite list, a static busybox, TAP results test by test.

# bundle_suites: the suites `make dist` ships (every suites/<area>/ but unit, common, selftest)
bundle_suites() {
	local d a
	for d in suites/*/; do
		a=$(basename "$d")
		case $a in unit | common | selftest) continue ;; esac
		ls "$d"*.c >/dev/null 2>&1 && echo "$a"
	done
}

# static_busybox: the path of a statically linked busybox, or nothing
static_busybox() {
	local b
	b=$(command -v busybox || true)
	[ -n "$b" ] && ! readelf -l "$b" 2>/dev/null | grep -q INTERP && echo "$b"
}

# tap_results FILE: "name STATUS" (PASS FAIL SKIP BROK) per TAP result line
tap_results() {
	sed -nE -e 's/^ok [0-9]+ ([^ ]+) # SKIP.*/\1 SKIP/p' -e 's/^ok [0-9]+ ([^ ]+)$/\1 PASS/p' \
		-e 's/^not ok [0-9]+ ([^ ]+) # FAIL.*/\1 FAIL/p' -e 's/^not ok [0-9]+ ([^ ]+) # error.*/\1 BROK/p' "$1"
}

# tap_complete FILE: the TAP file ends with its totals line (the suite finished writing it)
tap_complete() { grep -qE '^# Totals: pass:[0-9]+ ' "$1" 2>/dev/null; }

# tap_tally FILE...: "PASS n, SKIP n, ..." over the files
tap_tally() {
	local f
	for f in "$@"; do tap_results "$f"; done | awk '{n[$2]++} END {for (k in n) printf "%s %d, ", k, n[k]}' | sed 's/, $//'
}

# tree_suites OUT SUITE...: the tree's (sanitised) suites, in the current (mock) environment,
# TAP/JUnit/log into OUT, "suite rc" lines into OUT/rc
tree_suites() {
	local out=$1 s
	shift
	for s in "$@"; do
		"$TOP/build/suites/$s" --allow-destructive --tap "$out/$s.tap" --junit "$out/$s.xml" >"$out/$s.log" 2>&1
		echo "$s $?" >>"$out/rc"
	done
}
