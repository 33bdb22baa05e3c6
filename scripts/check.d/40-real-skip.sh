#!/usr/bin/env bash
# check step: the suite binaries run directly on this machine (the "real" target, no TEE
# devices here) must SKIP every test with a reason and exit 4, never FAIL, BROK or crash:
# once with --profile upstream-6.16-tdx and once with profile detection. Their TAP and
# JUnit must be well formed. On a machine that has TEE interfaces the step does not apply.
set -uo pipefail
cd "$(dirname "$0")/../.."
SUITES=(dstack_agent tdx_guest sev_guest tsm_report tsm_mr rtmr3 matrix perms vmpck)
fail=0
bad() { echo "FAIL: $*"; fail=1; }
for p in /dev/tdx_guest /dev/sev-guest /sys/kernel/config/tsm/report /sys/devices/virtual/misc/tdx_guest/measurements; do
  if [ -e "$p" ]; then echo "this machine has $p: a real-target skip check does not apply"; exit 0; fi
done
if grep -qE '^flags.* (tdx_guest|sev_snp)( |$)' /proc/cpuinfo 2>/dev/null; then
  echo "this machine is a confidential guest (CPU flag): a real-target skip check does not apply"; exit 0
fi
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
for s in "${SUITES[@]}"; do
  bin=build/suites/$s
  [ -x "$bin" ] || { bad "$bin not built"; continue; }
  for mode in profile detect; do
    args=(--tap "$tmp/$s.$mode.tap" --junit "$tmp/$s.$mode.xml")
    [ "$mode" = profile ] && args+=(--profile upstream-6.16-tdx)
    env -u TEEABI_PROFILE "$bin" "${args[@]}" >"$tmp/$s.$mode.out" 2>&1
    rc=$?
    [ $rc -eq 4 ] || { bad "$s ($mode): exit $rc, want 4 (everything skipped)"; sed 's/^/    /' "$tmp/$s.$mode.out" | head -20; continue; }
    if grep -qE '^not ok' "$tmp/$s.$mode.tap"; then bad "$s ($mode): a test is not ok"; grep -E '^not ok' "$tmp/$s.$mode.tap"; fi
    n=$(grep -cE '^ok [0-9]+ ' "$tmp/$s.$mode.tap")
    nskip=$(grep -cE '^ok [0-9]+ [^ ]+ # SKIP [^ ]' "$tmp/$s.$mode.tap")
    [ "$n" -gt 0 ] && [ "$n" -eq "$nskip" ] || bad "$s ($mode): $nskip of $n results are SKIP with a reason"
    plan=$(sed -n 's/^1\.\.\([0-9]*\)$/\1/p' "$tmp/$s.$mode.tap")
    [ "$plan" = "$n" ] || bad "$s ($mode): plan 1..$plan but $n results"
    cmp -s <(grep -vE '^#' "$tmp/$s.$mode.out") <(grep -vE '^#' "$tmp/$s.$mode.tap") || bad "$s ($mode): stdout and --tap differ"
    python3 - "$tmp/$s.$mode.xml" "$n" <<'PY' || bad "$s ($mode): JUnit check failed"
import sys, xml.etree.ElementTree as ET
root = ET.parse(sys.argv[1]).getroot()
cases = list(root.iter("testcase"))
assert len(cases) == int(sys.argv[2]), "testcase count"
for c in cases:
    s = c.find("skipped")
    assert s is not None and s.get("message"), c.get("name") + " is not skipped with a message"
    assert c.find("failure") is None and c.find("error") is None
ts = root.find("testsuite")
assert ts.get("skipped") == str(len(cases)) and ts.get("failures") == "0" and ts.get("errors") == "0"
PY
  done
  echo "ok: $s skips everything with reasons ($(sed -n 's/^ok 1 [^ ]* # SKIP //p' "$tmp/$s.profile.tap" | head -1))"
done
# --require turns a missing interface into FAIL (exit 1).
if [ -x build/suites/tdx_guest ]; then
  env -u TEEABI_PROFILE build/suites/tdx_guest --profile upstream-6.16-tdx --require tdx -t tdx_guest.report0.reportdata_echo >"$tmp/req.out" 2>&1
  rc=$?
  [ $rc -eq 1 ] && grep -q '^not ok 1 .*# FAIL required interface absent' "$tmp/req.out" || { bad "--require tdx: exit $rc, want 1 with a FAIL"; cat "$tmp/req.out"; }
fi
[ $fail -eq 0 ] && echo "real-target skip check: all ${#SUITES[@]} suites SKIP with reasons and exit 4"
exit $fail
