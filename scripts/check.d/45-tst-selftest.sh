#!/usr/bin/env bash
# check step: the suites' results layer (suites/common/tst.c) on build/suites/selftest,
# whose tests have known outcomes: exactly one result each, FAIL/BROK/SKIP as designed,
# the right TAP lines and JUnit elements, exit codes 1 / 0 / 4 / 3, parent-side cleanup, a
# needed node that vanishes mid-run (BROK, never SKIP), result files that cannot be written
# (ENOENT; as root also ENOSPC on a tiny tmpfs, EROFS, EACCES as uid 65534; stdout on
# /dev/full), and as non-root a node it may not open (SKIP naming what is needed), also for
# the real tdx_guest / sev_guest / tsm_mr suites under mockenv. Budget: about 10 s.
set -uo pipefail
cd "$(dirname "$0")/../.."
BIN=build/suites/selftest
fail=0
notrun=()
bad() { echo "FAIL: $*"; fail=1; }
[ -x "$BIN" ] || { echo "FAIL: $BIN not built"; exit 1; }
tmp=$(mktemp -d)
chmod 755 "$tmp"
trap 'rm -rf "$tmp"' EXIT
P=(--profile upstream-6.16-tdx)
export TST_SELFTEST_DIR=$tmp/leftover
touch "$tmp/node"
TST_SELFTEST_NODE=$tmp/node ASAN_OPTIONS=abort_on_error=0 "$BIN" "${P[@]}" --tap "$tmp/t.tap" --junit "$tmp/j.xml" >"$tmp/out" 2>&1
rc=$?
[ $rc -eq 1 ] || bad "exit $rc with FAIL/BROK present, want 1"
expect() { grep -qE "^$1\$" "$tmp/t.tap" || bad "no TAP line matching: $1"; }
expect 'ok 1 selftest\.pass'
expect 'not ok 2 selftest\.fail # FAIL REPORTDATA not echoed at TDREPORT\[128\.\.192\)'
expect 'not ok 3 selftest\.hang # error timed out after 1 s.*'
expect 'not ok 4 selftest\.crash # error test process killed by signal 6.*'
expect 'not ok 5 selftest\.nothing # error test reported no result'
expect 'ok 6 selftest\.skip # SKIP kernel lacks X'
expect 'not ok 7 selftest\.brk # FAIL stopped early: ENOTTY'
expect 'ok 8 selftest\.cleanup'
expect 'ok 9 selftest\.destructive # SKIP destructive.*--allow-destructive'
expect 'ok 10 selftest\.profile # SKIP profile upstream-6\.16-tdx: profile lacks the feature'
expect 'ok 11 selftest\.nodev # SKIP no /nonexistent/teeabi-dev'
expect "not ok 12 selftest\\.vanish\\.during # error $tmp/node vanished during the run \\(stat: ENOENT\\)"
expect "not ok 13 selftest\\.vanish\\.later # error $tmp/node vanished during the run \\(stat: ENOENT\\)"
expect 'ok 14 selftest\.denied # SKIP no /nonexistent/teeabi-denied'
expect 'ok 15 selftest\.widen # SKIP no /nonexistent/teeabi-chrdev'
expect 'not ok 16 selftest\.longpath # error could not register the removal of /x+ \(path too long or the suite is gone\) \(tst\.c:[0-9]+\)'
expect 'ok 17 selftest\.sigwait # SKIP \$TST_SELFTEST_SIGDIR not set'
expect 'ok 18 selftest\.after'
expect '1\.\.18'
[ "$(tail -1 "$tmp/t.tap")" = "$(grep -E '^# Totals: pass:3 fail:2 xfail:0 xpass:0 skip:7 error:6 \([0-9.]+ s\)$' "$tmp/t.tap")" ] \
  || bad "the TAP file does not end with the Totals line: $(tail -1 "$tmp/t.tap")"
grep -q '^# a diagnostic line$' "$tmp/t.tap" || bad "diagnostic missing"
grep -q 'never reached' "$tmp/t.tap" && bad "tst_brk did not stop the test"
[ -e "$TST_SELFTEST_DIR" ] && bad "the parent did not remove the directory the test left behind"
grep -q "cleanup: removed $TST_SELFTEST_DIR" "$tmp/t.tap" || bad "cleanup not reported"
[ "$(grep -vE '^#' "$tmp/out")" = "$(grep -vE '^#' "$tmp/t.tap")" ] || bad "stdout and --tap differ"
ls -A "$tmp" | grep -q '\.tmp-' && bad "a temporary result file was left: $(ls -A "$tmp")"
python3 - "$tmp/j.xml" <<'PY' || bad "JUnit content"
import sys, xml.etree.ElementTree as ET
r = ET.parse(sys.argv[1]).getroot().find("testsuite")
assert (r.get("tests"), r.get("failures"), r.get("errors"), r.get("skipped")) == ("18", "2", "6", "7"), r.attrib
kinds = {c.get("name"): [x.tag for x in c if x.tag != "system-out"] for c in r.iter("testcase")}
assert kinds["selftest.fail"] == ["failure"] and kinds["selftest.hang"] == ["error"] and kinds["selftest.pass"] == []
assert kinds["selftest.skip"] == ["skipped"] and kinds["selftest.vanish.later"] == ["error"]
assert r.find("testcase[@name='selftest.skip']/skipped").get("message") == "kernel lacks X"
PY
# Exit 0 with passes and skips only; exit 4 with skips only; -t selection; --list.
"$BIN" "${P[@]}" -t selftest.pass -t selftest.skip >/dev/null 2>&1; rc=$?
[ $rc -eq 0 ] || bad "pass+skip: exit $rc, want 0"
"$BIN" "${P[@]}" -t selftest.skip -t selftest.nodev >/dev/null 2>&1; rc=$?
[ $rc -eq 4 ] || bad "all skipped: exit $rc, want 4"
[ "$("$BIN" --list | wc -l)" -eq 18 ] || bad "--list"
[ "$("$BIN" --list -t selftest.vanish -t selftest.pass | tr '\n' ' ')" = "selftest.pass selftest.vanish.during selftest.vanish.later " ] \
  || bad "--list -t lists other tests than a run with that selection: $("$BIN" --list -t selftest.vanish -t selftest.pass | tr '\n' ' ')"
"$BIN" --list -t no.such >/dev/null 2>&1; rc=$?
[ $rc -eq 2 ] || bad "--list -t with no match: exit $rc, want 2"
"$BIN" --profile no-such-profile -t selftest.pass --tap "$tmp/np.tap" >"$tmp/np" 2>&1; rc=$?
[ $rc -eq 1 ] && grep -q '^not ok 1 selftest.pass # error no profile' "$tmp/np" && grep -q '^# Totals: ' "$tmp/np.tap" \
  || bad "unknown profile: exit $rc, want 1 with BROK and a complete TAP file"

# Result files and stdout that cannot be written: exit 3, the path and errno named.
unwritable() { # label want-errno path-in-message cmd...
  local label=$1 want=$2 path=$3; shift 3
  "$@" >"$tmp/uw.out" 2>"$tmp/uw.err"; local rc=$?
  if [ $rc -ne 3 ] || ! grep -q "cannot write $path: .*($want)" "$tmp/uw.err"; then
    bad "$label: exit $rc, want 3 with 'cannot write $path: ... ($want)' on stderr: $(head -c 300 "$tmp/uw.err")"
  else
    echo "ok: $label: exit 3, $(grep -m1 'cannot write' "$tmp/uw.err")"
  fi
}
unwritable "--tap into a missing directory" ENOENT "$tmp/none/t.tap" "$BIN" "${P[@]}" -t selftest.pass --tap "$tmp/none/t.tap"
grep -q '^ok ' "$tmp/uw.out" && bad "tests ran although the result file could not be created"
if [ -w /dev/full ]; then
  unwritable "stdout on /dev/full" ENOSPC stdout sh -c 'exec "$@" >/dev/full' sh "$BIN" "${P[@]}" -t selftest.pass --tap "$tmp/full.tap"
  grep -q '^# Totals: pass:1 ' "$tmp/full.tap" || bad "stdout on /dev/full: the --tap file was not written in full"
  "$BIN" --list >/dev/full 2>/dev/null; rc=$?
  [ $rc -eq 3 ] || bad "--list >/dev/full: exit $rc, want 3"
fi

if [ "$(id -u)" -eq 0 ] && command -v unshare >/dev/null && command -v setpriv >/dev/null; then
  # ENOSPC: a 4 KiB tmpfs in a private mount namespace; a previous run's file must not survive.
  mkdir "$tmp/small"
  unshare -m sh -c 'mount --make-rprivate / && mount -t tmpfs -o size=4k teeabi-small "$1" && echo "ok 1 stale PASS" >"$1/j.xml" &&
    "$2" --profile upstream-6.16-tdx --junit "$1/j.xml" --tap "$1/t.tap" -t selftest.pass -t selftest.skip -t selftest.nodev \
      -t selftest.profile -t selftest.destructive -t selftest.fail >"$1/../small.out" 2>"$1/../small.err"
    echo $? >"$1/../small.rc"; ls -A "$1" >"$1/../small.ls"' sh "$tmp/small" "$BIN"
  rc=$(cat "$tmp/small.rc" 2>/dev/null)
  if [ "$rc" != 3 ] || ! grep -q "cannot write $tmp/small/.*(ENOSPC)" "$tmp/small.err"; then
    bad "4 KiB tmpfs: exit $rc, want 3 naming ENOSPC: $(cat "$tmp/small.err")"
  else
    echo "ok: 4 KiB tmpfs: exit 3, $(grep -m1 'cannot write' "$tmp/small.err")"
  fi
  grep -q '^j\.xml$' "$tmp/small.ls" && bad "4 KiB tmpfs: the previous run's j.xml is still there"
  grep -q '\.tmp-' "$tmp/small.ls" && bad "4 KiB tmpfs: temporary files left: $(cat "$tmp/small.ls")"
  # EROFS: a read-only tmpfs.
  mkdir "$tmp/ro"
  unshare -m sh -c 'mount --make-rprivate / && mount -t tmpfs -o ro teeabi-ro "$1" &&
    "$2" --profile upstream-6.16-tdx --tap "$1/t.tap" -t selftest.pass >"$1/../ro.out" 2>"$1/../ro.err"; echo $? >"$1/../ro.rc"' \
    sh "$tmp/ro" "$BIN"
  rc=$(cat "$tmp/ro.rc" 2>/dev/null)
  if [ "$rc" != 3 ] || ! grep -q "cannot write $tmp/ro/t.tap: .*(EROFS)" "$tmp/ro.err"; then
    bad "read-only directory: exit $rc, want 3 naming EROFS: $(cat "$tmp/ro.err")"
  else
    echo "ok: read-only directory: exit 3, $(grep -m1 'cannot write' "$tmp/ro.err")"
  fi
  # EACCES: a root-owned directory, the suite running as uid 65534.
  mkdir -m 755 "$tmp/rootonly"
  NOBODY=(setpriv --reuid 65534 --regid 65534 --clear-groups)
  unwritable "--junit in a root-owned directory as uid 65534" EACCES "$tmp/rootonly/j.xml" \
    "${NOBODY[@]}" "$BIN" "${P[@]}" -t selftest.pass --junit "$tmp/rootonly/j.xml"
  # Non-root: a root-owned 0600 node is a SKIP that says what is needed.
  install -m 600 /dev/null "$tmp/denied"
  TST_SELFTEST_DENIED=$tmp/denied "${NOBODY[@]}" "$BIN" "${P[@]}" -t selftest.denied >"$tmp/den.out" 2>&1; rc=$?
  grep -qx "ok 1 selftest.denied # SKIP needs root or access to $tmp/denied (mode 0600 uid 0; open O_RDWR: EACCES)" "$tmp/den.out" && [ $rc -eq 4 ] \
    || bad "uid 65534 and a 0600 root node: exit $rc, want 4 with a SKIP naming the access: $(grep selftest.denied "$tmp/den.out")"
  mkdir -m 700 "$tmp/private" && touch "$tmp/private/node"
  TST_SELFTEST_DENIED=$tmp/private/node "${NOBODY[@]}" "$BIN" "${P[@]}" -t selftest.denied >"$tmp/den2.out" 2>&1; rc=$?
  grep -qx "ok 1 selftest.denied # SKIP needs root or access to $tmp/private/node (stat: EACCES)" "$tmp/den2.out" && [ $rc -eq 4 ] \
    || bad "uid 65534 and a node in a 0700 root directory: exit $rc, want 4 with a SKIP naming the access: $(grep selftest.denied "$tmp/den2.out")"
  TST_SELFTEST_DENIED=$tmp/denied "$BIN" "${P[@]}" -t selftest.denied >/dev/null 2>&1; rc=$?
  [ $rc -eq 0 ] || bad "root and a 0600 root node: exit $rc, want 0 (the test runs)"
  # The same for the real suites on a simulated guest (mockenv), as uid 65534.
  if [ -x build/bin/mockenv ]; then
    for sp in tdx_guest:dstack-0.6.0-tdx sev_guest:dstack-0.6.0-snp tsm_mr:dstack-0.6.0-tdx tsm_report:dstack-0.6.0-tdx; do
      s=${sp%%:*} prof=${sp#*:}
      build/bin/mockenv --profile "$prof" -- "${NOBODY[@]}" "build/suites/$s" --allow-destructive >"$tmp/nr.$s" 2>&1; rc=$?
      nskip=$(grep -cE '# SKIP needs root' "$tmp/nr.$s")
      if [ $rc -eq 125 ]; then notrun+=("non-root $s: mockenv could not set up"); continue; fi
      if { [ $rc -ne 0 ] && [ $rc -ne 4 ]; } || grep -qE '^not ok' "$tmp/nr.$s" || [ "$nskip" -eq 0 ]; then
        bad "$s as uid 65534 on $prof: exit $rc, want 0 or 4 with SKIPs naming root/access: $(grep -E '^not ok' "$tmp/nr.$s" | head -3)"
      else
        echo "ok: $s as uid 65534 on $prof: exit $rc, no FAIL, $nskip SKIP 'needs root...' ($(grep -m1 -oE 'needs root[^)]*\)' "$tmp/nr.$s"))"
      fi
    done
  fi
else
  notrun+=("ENOSPC/EROFS/EACCES and non-root checks (need root, unshare and setpriv)")
fi
if [ ${#notrun[@]} -gt 0 ]; then printf 'not run: %s\n' "${notrun[@]}"; fi
[ $fail -eq 0 ] || exit 1
echo "results layer: 18 known outcomes, TAP, JUnit, exit codes, cleanup, vanishing nodes and unwritable results as designed"
[ ${#notrun[@]} -eq 0 ] || exit 77
exit 0
