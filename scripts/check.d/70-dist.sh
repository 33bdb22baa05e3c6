#!/usr/bin/env bash
# check step: `make dist` (scripts/dist.sh), the bundle for guests with only a kernel and a shell.
#   1. reproducible: built twice, from this tree and from a copy of it at another path, in
#      fresh object directories: the same sha256 for the bundle and the debug tarball;
#   2. self-contained: every program is static (no interpreter, no NEEDED, ldd: not a dynamic
#      executable) or, where Debian has no static archives of its libraries, a launcher of the
#      program in .bin/ whose every NEEDED, transitively, is in the bundle's lib/ with the
#      loader; none carries a sanitiser runtime, every one is stripped and its .gnu_debuglink
#      names a debug file of the -debug tarball with the CRC it records; the debug files hold
#      the DWARF of our sources built -O2 without -fsanitize (the chroot below has no /lib:
#      anything loaded from outside the bundle would fail there);
#   3. runs alone: the tarball unpacked into an empty root with nothing but a static busybox,
#      chrooted inside `mockenv --profile P` with the real paths (/dev, /sys, /proc, /run,
#      /etc/os-release) bound in, runs every suite and gives, test by test, the same results
#      and exit status as the tree's (sanitised) suites in the same mock, on TDX, SNP and
#      0.5.x profiles and under two injected faults (which must FAIL in both);
#   4. teeabi-qualify runs under busybox sh (--version; without a teeabi-run in the bundle it
#      must refuse with exit 1; with one, its exit status is the suites' verdict and the
#      reports are written).
# Budget: about 90 s (two static builds dominate).
set -uo pipefail
cd "$(dirname "$0")/../.." || exit 1
. scripts/ship_lib.sh

ship_mock_setup 70-dist chroot
BUSYBOX=$(static_busybox)
[ -n "$BUSYBOX" ] || { echo "FAIL: 70-dist needs a static busybox (busybox-static)"; exit 1; }

ship_tmp 70-dist
V=$(cat VERSION)
NAME=teeabi-$V-x86_64
SDE=$(git log -1 --format=%ct 2>/dev/null || echo 1700000000)
t0=$SECONDS

# ------------------------------------------------------------------ 1. reproducible
SOURCE_DATE_EPOCH=$SDE DIST_B=$T/a-obj DIST_OUT=$T/a scripts/dist.sh >"$T/a.log" 2>&1 || { fail "scripts/dist.sh failed:"; tail -20 "$T/a.log"; exit 1; }
mkdir -p "$T/elsewhere/src"
git ls-files -z --cached --others --exclude-standard | tar --null -T - --ignore-failed-read -cf - 2>/dev/null | tar -xf - -C "$T/elsewhere/src"
(cd "$T/elsewhere/src" && SOURCE_DATE_EPOCH=$SDE DIST_OUT=$T/b scripts/dist.sh) >"$T/b.log" 2>&1 || { fail "scripts/dist.sh in a copy of the tree failed:"; tail -20 "$T/b.log"; exit 1; }
for f in "$NAME.tar.gz" "$NAME-debug.tar.gz"; do
	a=$(sha256sum <"$T/a/$f" | cut -c1-64) b=$(sha256sum <"$T/b/$f" | cut -c1-64)
	if [ "$a" = "$b" ]; then
		ok "reproducible: $f has sha256 $a from both builds ($(du -k "$T/a/$f" | cut -f1) KiB)"
	else
		fail "not reproducible: $f: $a vs $b; differing members:"
		mkdir -p "$T/ua" "$T/ub" && tar -xzf "$T/a/$f" -C "$T/ua" && tar -xzf "$T/b/$f" -C "$T/ub"
		diff -rq "$T/ua" "$T/ub" | head -10
		tar -tvzf "$T/a/$f" >"$T/la" && tar -tvzf "$T/b/$f" >"$T/lb" && diff "$T/la" "$T/lb" | head -10
	fi
done
echo "(two builds: $((SECONDS - t0)) s)"
TGZ=$T/a/$NAME.tar.gz

# ------------------------------------------------------------------ 2. self-contained
mkdir -p "$T/x" "$T/xd"
tar -xzf "$TGZ" -C "$T/x" && tar -xzf "$T/a/$NAME-debug.tar.gz" -C "$T/xd" || { fail "cannot unpack the tarballs"; exit 1; }
owners=$(tar -tvzf "$TGZ" | awk '{print $2}' | sort -u | tr '\n' ' ')
[ "$owners" = "0/0 " ] && ok "every member is owned by 0/0" || fail "tar owners: $owners"
X=$T/x/$NAME
# needed_in_lib ELF: every NEEDED entry of ELF is a file of the bundle's lib/
needed_in_lib() {
	local so miss=""
	for so in $(readelf -dW "$1" | sed -n 's/.*Shared library: \[\(.*\)\]/\1/p'); do [ -f "$X/lib/$so" ] || miss="$miss $so"; done
	[ -z "$miss" ] || { echo "$miss"; return 1; }
}
# our_elf FILE KIND: one of our programs (static, or the dynamic one behind a launcher)
nelf=0 nbad=0 nprog=0
our_elf() {
	local f=$1 n=${1#"$X/"} bad="" l miss dbg
	nelf=$((nelf + 1))
	if [ "$2" = static ]; then
		readelf -lW "$f" | grep -q 'INTERP' && bad="$bad interpreter"
		readelf -dW "$f" 2>/dev/null | grep -q 'NEEDED' && bad="$bad NEEDED:$(readelf -dW "$f" | sed -n 's/.*Shared library: \[\(.*\)\]/\1/p' | tr '\n' ,)"
		l=$(LC_ALL=C ldd "$f" 2>&1)
		grep -q 'not a dynamic executable' <<<"$l" || bad="$bad ldd:$(head -3 <<<"$l" | tr '\n' ' ')"
	else
		miss=$(needed_in_lib "$f") || bad="$bad NEEDED-outside-lib:$miss"
	fi
	grep -qa -e 'AddressSanitizer' -e 'UndefinedBehaviorSanitizer' "$f" && bad="$bad sanitiser-runtime"
	readelf -SW "$f" | grep -qE ' \.(symtab|debug_info) ' && bad="$bad not-stripped"
	dbg=$(dirname "$T/xd/$NAME/$n")/.debug/$(basename "$n").debug
	python3 - "$f" "$dbg" <<'PY' || bad="$bad debuglink"
import subprocess, sys, zlib
exe, dbg = sys.argv[1], sys.argv[2]
out = subprocess.run(["objcopy", "--dump-section", ".gnu_debuglink=/dev/stdout", exe, "/dev/null"],
                     capture_output=True, check=True).stdout
name = out[:out.index(b"\0")].decode()
crc = int.from_bytes(out[-4:], "little")
data = open(dbg, "rb").read()
assert name == dbg.rsplit("/", 1)[1], f"debuglink names {name}"
assert zlib.crc32(data) == crc, f"crc {zlib.crc32(data):08x} != {crc:08x}"
PY
	[ -z "$bad" ] || { fail "$n:$bad"; nbad=$((nbad + 1)); }
}
ndyn=0
for f in "$X"/bin/* "$X"/suites/*; do
	nprog=$((nprog + 1))
	if head -c4 "$f" | grep -q 'ELF'; then our_elf "$f" static; continue; fi
	# a launcher: the program behind it runs on lib/'s loader with lib/ as its library path
	d=$(dirname "$f") b=$(basename "$f")
	if grep -qF 'exec "$root/lib/ld-linux-x86-64.so.2" --library-path "$root/lib"' "$f" && [ -f "$d/.bin/$b" ]; then
		our_elf "$d/.bin/$b" dynamic
		ndyn=$((ndyn + 1))
	else fail "${f#"$X/"} is neither a static program nor a launcher of one in .bin/"; nbad=$((nbad + 1)); fi
done
# the loader and libraries of the dynamic ones: each NEEDED of each is in lib/, none sanitised
for f in "$X"/lib/*; do
	[ -e "$f" ] || continue
	miss=$(needed_in_lib "$f") || { fail "lib/${f##*/} needs$miss, not in lib/"; nbad=$((nbad + 1)); }
	grep -qa -e 'AddressSanitizer' "$f" && { fail "lib/${f##*/} is sanitised"; nbad=$((nbad + 1)); }
done
nlib=$(ls "$X/lib" 2>/dev/null | wc -l)
[ "$ndyn" = 0 ] || [ -f "$X/lib/ld-linux-x86-64.so.2" ] || fail "launchers but no lib/ld-linux-x86-64.so.2"
[ "$nprog" -ge $((${#SUITES[@]} + 2)) ] && [ "$nbad" = 0 ] && ok "$nprog programs: $((nprog - ndyn)) static (no interpreter, no NEEDED, ldd: not a dynamic executable), $ndyn behind launchers with all their $nlib libraries and the loader in lib/; none sanitised, all stripped, .gnu_debuglink CRC = their debug file" \
	|| fail "$nbad of $nprog programs are not self-contained (want ${#SUITES[@]} suites + tools, all clean)"
# Our compilation units in the debug files: -O2, no -fsanitize.
prod=$(readelf --debug-dump=info "$T/xd/$NAME/bin/.debug/teeabi-parse.debug" 2>/dev/null | grep -A0 'DW_AT_producer' | grep -- '-std=gnu11' | sort -u)
if [ -z "$prod" ]; then fail "no DW_AT_producer of our sources in teeabi-parse.debug"
elif grep -q -- '-fsanitize' <<<"$prod" || grep -qv -- '-O2' <<<"$prod"; then fail "producers: $prod"
else ok "debug info of our sources: $(sed 's/.*: //' <<<"$prod" | head -1 | cut -c1-120)"; fi
grep -rq "$TOP" "$T/xd/$NAME" && fail "the debug files name this tree's path ($TOP)" || ok "no absolute tree path in the debug files"

# ------------------------------------------------------------------ 3. the bundle alone, chrooted
R=$T/root
mkdir -p "$R"/{bin,dev,proc,sys,etc,tmp,opt,out,run,var}
cp "$BUSYBOX" "$R/bin/busybox" && ln -s busybox "$R/bin/sh" && ln -s ../run "$R/var/run"
tar -xzf "$TGZ" -C "$R/opt"
echo "chroot: $(cd "$R" && find . -maxdepth 2 | sort | tr '\n' ' ')" | cut -c1-300
cat >"$T/inner.sh" <<'EOF'
# inside mockenv: $1 = chroot (the bundle's suites, destructive tests on) | qualify (the
# bundle's suites as a guest runs them by default, then teeabi-qualify) | tree (the tree's),
# $2 = output directory, then the suites
mode=$1 out=$2; shift 2
if [ "$mode" = tree ]; then tree_suites "$out" "$@"; exit; fi
trap 'umount -R "$R/out" "$R/etc/os-release" "$R/run" "$R/proc" "$R/sys" "$R/dev" 2>/dev/null' EXIT
mount --rbind /dev "$R/dev" && mount --rbind /sys "$R/sys" && mount --rbind /proc "$R/proc" || exit 125
mount --rbind /run "$R/run" || exit 125 # the agent's sockets (/var/run is a link to it)
: >"$R/etc/os-release"
if [ -e /etc/os-release ]; then mount --bind /etc/os-release "$R/etc/os-release" || exit 125; fi
mount --bind "$out" "$R/out" || exit 125
flag=--allow-destructive
[ "$mode" = qualify ] && flag=""
for s in "$@"; do
	# shellcheck disable=SC2086
	chroot "$R" "/opt/$NAME/suites/$s" $flag --tap "/out/$s.tap" --junit "/out/$s.xml" >"$out/$s.log" 2>&1
	echo "$s $?" >>"$out/rc"
done
[ "$mode" = qualify ] || exit 0
chroot "$R" /bin/sh -c "/opt/$NAME/teeabi-qualify --version; /opt/$NAME/bin/teeabi-parse --version" >"$out/version" 2>&1
if [ -x "$R/opt/$NAME/bin/teeabi-run" ]; then
	chroot "$R" /bin/sh -c "cd /out && /opt/$NAME/teeabi-qualify --reports /out/q" >"$out/qualify.log" 2>&1
else
	chroot "$R" /bin/sh -c "cd /out && /opt/$NAME/teeabi-qualify" >"$out/qualify.log" 2>&1
fi
echo $? >"$out/qualify.rc"
EOF
export R NAME TOP
export -f tree_suites
# compare CASE WANT_FAIL_SUITE MOCKENV-ARGS...
compare() {
	local case=$1 want_fail=$2 d=$T/run.$1 m rc s r1 r2 tot
	shift 2
	for m in chroot tree; do
		mkdir -p "$d/$m"
		timeout 120 "$TOP/build/bin/mockenv" "$@" -- bash "$T/inner.sh" "$m" "$d/$m" "${SUITES[@]}" >"$d/$m.mockenv.log" 2>&1
		rc=$?
		[ $rc = 0 ] || { fail "$case ($m): mockenv exit $rc: $(tail -2 "$d/$m.mockenv.log")"; return; }
	done
	local bad=0
	if ! cmp -s "$d/chroot/rc" "$d/tree/rc"; then fail "$case: exit statuses differ: bundle $(tr '\n' ' ' <"$d/chroot/rc") tree $(tr '\n' ' ' <"$d/tree/rc")"; bad=1; fi
	for s in "${SUITES[@]}"; do
		if ! tap_complete "$d/chroot/$s.tap"; then fail "$case: bundle $s: TAP incomplete: $(tail -3 "$d/chroot/$s.log" | tr '\n' ' ')"; bad=1; continue; fi
		r1=$(tap_results "$d/chroot/$s.tap") r2=$(tap_results "$d/tree/$s.tap")
		if [ "$r1" != "$r2" ]; then fail "$case: $s results differ (bundle < > tree):"; diff <(echo "$r1") <(echo "$r2") | head -8; bad=1; fi
		[ -s "$d/chroot/$s.xml" ] || { fail "$case: bundle $s wrote no JUnit"; bad=1; }
	done
	tot=$(tap_tally "$d"/chroot/*.tap)
	if [ -n "$want_fail" ] && ! grep -q "^$want_fail 1$" "$d/chroot/rc"; then fail "$case: the fault was not detected by $want_fail in the bundle (exit $(sed -n "s/^$want_fail //p" "$d/chroot/rc"))"; bad=1; fi
	[ $bad = 0 ] && ok "$case: ${#SUITES[@]} suites from the bundle (chroot, busybox only) = the tree's, test by test and exit by exit ($tot)"
}
compare dstack-0.6.0-tdx "" --profile dstack-0.6.0-tdx
compare dstack-0.6.0-snp "" --profile dstack-0.6.0-snp
compare dstack-0.5.9 "" --profile dstack-0.5.9
compare upstream-6.11-snp-svsm "" --profile upstream-6.11-snp-svsm
compare fault-tdx-reportdata-not-echoed tdx_guest --profile dstack-0.6.0-tdx --fault tdx-reportdata-not-echoed
compare fault-tsm-generation-not-bumped tsm_report --profile dstack-0.6.0-snp --fault tsm-generation-not-bumped

# ------------------------------------------------------------------ 4. teeabi-qualify under busybox sh
# Its own mock session, without --allow-destructive (a guest's default), against the same
# suites run one by one before it in that session (a destructive run would change the
# machine under the second: native RTMR extends the agent's event log never saw).
d=$T/qual
mkdir -p "$d"
timeout 120 "$TOP/build/bin/mockenv" --profile dstack-0.6.0-tdx -- bash "$T/inner.sh" qualify "$d" "${SUITES[@]}" >"$d.mockenv.log" 2>&1 ||
	fail "qualify run: mockenv exit $?: $(tail -2 "$d.mockenv.log")"
want="teeabi-qualify (teeabi) $V
teeabi-parse (teeabi) $V"
[ "$(cat "$d/version" 2>/dev/null)" = "$want" ] && ok "busybox sh runs teeabi-qualify --version: $V" || fail "--version in the chroot: $(cat "$d/version")"
qrc=$(cat "$d/qualify.rc" 2>/dev/null)
if [ -x "$R/opt/$NAME/bin/teeabi-run" ]; then
	want=4
	grep -q ' 0$' "$d/rc" && want=0
	grep -q ' 1$' "$d/rc" && want=1
	[ "$qrc" = "$want" ] && ok "teeabi-qualify in the chroot: exit $qrc = the suites' verdict" || fail "teeabi-qualify exit $qrc, the suites' verdict is $want: $(tail -3 "$d/qualify.log")"
	for f in summary.json index.html; do [ -s "$d/q/$f" ] || fail "teeabi-qualify wrote no $f"; done
	# its totals = the suites run one by one
	tally=$(tap_tally "$d"/*.tap)
	python3 - "$d/q/summary.json" "$qrc" "$tally" <<'PY' && ok "teeabi-qualify's summary.json: exit code and totals = the suites' ($tally)" || fail "teeabi-qualify's summary.json disagrees with the suites"
import json, sys
d = json.load(open(sys.argv[1]))
want = {k.lower(): int(v) for k, v in (p.split() for p in sys.argv[3].split(", "))}
got = {k: d["totals"].get(k, 0) for k in ("pass", "fail", "skip", "brok")}
assert d["exit_code"] == int(sys.argv[2]), (d["exit_code"], sys.argv[2])
assert all(got[k] == want.get(k, 0) for k in got), (got, want)
PY
else
	if [ "$qrc" = 1 ] && grep -q 'teeabi-run is missing' "$d/qualify.log"; then
		echo "note: this tree has no tools/teeabi-run*.c, so the bundle has no bin/teeabi-run: teeabi-qualify was checked for --version and for refusing (exit 1) only, not for a qualification run"
	else
		fail "teeabi-qualify without teeabi-run: exit $qrc: $(cat "$d/qualify.log")"
	fi
fi
echo "70-dist: $fails failure(s) in $((SECONDS - t0)) s"
[ $fails = 0 ]
