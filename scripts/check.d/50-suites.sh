#!/usr/bin/env bash
# check step: the whole mock matrix (every profile x every suite) plus every fault, via
# ./run_all.sh --target mock. Requires exit 0, no FAIL/BROK on any clean profile, and every
# fault run detected (at least one test FAILs under it), and the reports agreeing on every
# count (scripts/check.d/runner/agree.py). Prints "faults detected: N/M".
set -uo pipefail
cd "$(dirname "$0")/../.."
./run_all.sh --target mock -j "${JOBS:-$(nproc)}" >reports/check-run_all.log 2>&1
rc=$?
grep -E '^(faults detected|run_all.sh: (PASS|FAIL|SKIP|everything))|UNDETECTED' reports/check-run_all.log
python3 - <<'PY'
import json, sys
try:
    s = json.load(open("reports/summary.json"))
except (OSError, ValueError) as e:
    sys.exit("FAIL: no reports/summary.json: %s" % e)
bad = 0
for name, p in sorted(s["profiles"].items()):
    for suite, x in p["suites"].items():
        for t in x["tests"]:
            if t["status"] in ("FAIL", "BROK"):
                print("FAIL: clean profile %s: %s %s: %s" % (name, t["name"], t["status"], t["reason"]))
                bad += 1
f = s["faults"]
for r in f["runs"]:
    if not r["detected"]:
        print("FAIL: fault %s on %s not detected (no test FAILed)" % (r["fault"], r["profile"]))
        bad += 1
    if r["brok"]:
        print("FAIL: fault %s on %s: %d BROK" % (r["fault"], r["profile"], r["brok"]))
        bad += 1
print("faults detected: %d/%d" % (f["detected"], f["total"]))
print("profiles: %d, matrix wall time %.1f s" % (len(s["profiles"]), s["matrix_wall_time_s"]))
if f["total"] == 0:
    print("FAIL: no fault runs")
    bad += 1
sys.exit(1 if bad else 0)
PY
prc=$?
# summary.json, TAP, JUnit and index.html agree on every count; junit/ has no <failure> after a PASS
python3 scripts/check.d/runner/agree.py reports || prc=1
if [ $rc -ne 0 ]; then echo "FAIL: ./run_all.sh --target mock exited $rc (log: reports/check-run_all.log)"; tail -15 reports/check-run_all.log; exit 1; fi
exit $prc
