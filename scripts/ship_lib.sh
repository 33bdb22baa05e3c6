# shellcheck shell=bash
# scripts/ship_lib.sh - sourced by scripts/dist.sh, scripts/container.sh and the shipping
# check steps (scripts/check.d/70-dist.sh ... 90-install.sh), from the top of the tree: the
# bundle's suite list, a static busybox, TAP results test by test; for the checks, TOP,
# fail/ok (counting failures in $fails) and a scratch directory.
TOP=$PWD
fails=0
fail() { echo "FAIL: $*"; fails=$((fails + 1)); }
ok() { echo "ok: $*"; }

# ship_tmp STEP: $T, a scratch directory removed at exit (kept with KEEP=1)
ship_tmp() {
	T=$(mktemp -d "/tmp/teeabi-$1.XXXXXX")
	# shellcheck disable=SC2064
	trap "[ -n \"\${KEEP:-}\" ] || rm -rf '$T'" EXIT
}

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

# ship_mock_setup STEP WHAT: the steps that run suites in mockenv: root and /dev/fuse (WHAT
# says what else needs root), the ship packages, SUITES (the bundle's) and the tree's build
# of mockenv, mockfs and those suites. Exits 1 with the reason when any is missing.
ship_mock_setup() {
	if [ "$(id -u)" != 0 ]; then echo "FAIL: $1 needs root ($2, mount namespace + FUSE); not run"; exit 1; fi
	if [ ! -c /dev/fuse ]; then echo "FAIL: $1 needs /dev/fuse; not run"; exit 1; fi
	scripts/deps.sh ship >/dev/null || { echo "FAIL: $1: scripts/deps.sh ship failed"; exit 1; }
	mapfile -t SUITES < <(bundle_suites)
	make -s -j"$(nproc)" build/bin/mockenv build/bin/mockfs "${SUITES[@]/#/build/suites/}" >/dev/null || { echo "FAIL: $1: build"; exit 1; }
}
