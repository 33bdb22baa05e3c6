#!/usr/bin/env bash
# check step: the suites' results layer (suites/common/tst.c) on build/suites/selftest,
# whose tests have known outcomes: exactly one result each, FAIL/BROK/SKIP as designed,
# the right TAP lines and JUnit elements, exit codes 1 / 0 / 4, and parent-side cleanup.
set -uo pipefail
cd "$(dirname "$0")/../.."
BIN=build/suites/selftest
fail=0
bad() { echo "FAIL: $*"; fail=1; }
[ -x "$BIN" ] || { echo "FAIL: $BIN not built"; exit 1; }
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
export TST_SELFTEST_DIR=$tmp/leftover
ASAN_OPTIONS=abort_on_error=0 "$BIN" --profile upstream-6.16-tdx --tap "$tmp/t.tap" --junit "$tmp/j.xml" >"$tmp/out" 2>&1
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
grep -q '^# a diagnostic line$' "$tmp/t.tap" || bad "diagnostic missing"
grep -q 'never reached' "$tmp/t.tap" && bad "tst_brk did not stop the test"
[ -e "$TST_SELFTEST_DIR" ] && bad "the parent did not remove the directory the test left behind"
grep -q "cleanup: removed $TST_SELFTEST_DIR" "$tmp/t.tap" || bad "cleanup not reported"
[ "$(grep -vE '^#' "$tmp/out")" = "$(grep -vE '^#' "$tmp/t.tap")" ] || bad "stdout and --tap differ"
python3 - "$tmp/j.xml" <<'PY' || bad "JUnit content"
import sys, xml.etree.ElementTree as ET
r = ET.parse(sys.argv[1]).getroot().find("testsuite")
assert (r.get("tests"), r.get("failures"), r.get("errors"), r.get("skipped")) == ("11", "2", "3", "4"), r.attrib
kinds = {c.get("name"): [x.tag for x in c if x.tag != "system-out"] for c in r.iter("testcase")}
assert kinds["selftest.fail"] == ["failure"] and kinds["selftest.hang"] == ["error"] and kinds["selftest.pass"] == []
assert kinds["selftest.skip"] == ["skipped"]
assert r.find("testcase[@name='selftest.skip']/skipped").get("message") == "kernel lacks X"
PY
# Exit 0 with passes and skips only; exit 4 with skips only; -t selection; --list.
"$BIN" --profile upstream-6.16-tdx -t selftest.pass -t selftest.skip >/dev/null 2>&1; rc=$?
[ $rc -eq 0 ] || bad "pass+skip: exit $rc, want 0"
"$BIN" --profile upstream-6.16-tdx -t selftest.skip -t selftest.nodev >/dev/null 2>&1; rc=$?
[ $rc -eq 4 ] || bad "all skipped: exit $rc, want 4"
[ "$("$BIN" --list | wc -l)" -eq 11 ] || bad "--list"
"$BIN" --profile no-such-profile -t selftest.pass >"$tmp/np" 2>&1; rc=$?
[ $rc -eq 1 ] && grep -q '^not ok 1 selftest.pass # error no profile' "$tmp/np" || bad "unknown profile: exit $rc, want 1 with BROK"
[ $fail -eq 0 ] && echo "results layer: 11 known outcomes, TAP, JUnit, exit codes and cleanup as designed"
exit $fail
