#!/usr/bin/env bash
# check step: the fault list against the tests that must catch each fault (budget: a few
# seconds; it reads what 50-suites.sh just wrote and lists every suite's tests).
#  1. mocks/model/faults.def and mocks/faults/*.conf name the same faults, once each;
#  2. every .conf has `caught_by = TEST, ...`, and every test named there is one that a
#     suite binary (build/suites/*) lists with --list;
#  3. in the fault runs of reports/summary.json (50-suites.sh, the same make check), every
#     run of every fault has at least one of its caught_by tests FAILing: a fault the model
#     stopped implementing, or a test renamed or weakened, shows up here by name.
set -uo pipefail
cd "$(dirname "$0")/../.."
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
for s in build/suites/*; do
	[ -x "$s" ] || continue
	if ! "$s" --list >"$tmp/list.$(basename "$s")" 2>"$tmp/err"; then
		echo "FAIL: $s --list exited non-zero"; cat "$tmp/err"; exit 1
	fi
done
cat "$tmp"/list.* >"$tmp/all-tests" 2>/dev/null
# a summary older than the suites is not this make check's (50-suites.sh did not write it)
for s in build/suites/*; do
	[ reports/summary.json -nt "$s" ] || { echo "FAIL: reports/summary.json is missing or older than $s (50-suites.sh did not run?)"; exit 1; }
done
[ -s "$tmp/all-tests" ] || { echo "FAIL: no suite listed any test (build/suites/* --list)"; exit 1; }
python3 - "$tmp/all-tests" <<'PY'
import json, os, re, sys
bad = []
tests = set(l.strip() for l in open(sys.argv[1]) if l.strip())
defs = re.findall(r'^F\(\s*\w+\s*,\s*"([^"]+)"', open("mocks/model/faults.def").read(), re.M)
confs = {}
for f in sorted(os.listdir("mocks/faults")):
    if not f.endswith(".conf"):
        continue
    kv = {}
    for line in open(os.path.join("mocks/faults", f)):
        line = line.strip()
        if line and not line.startswith("#") and "=" in line:
            k, _, v = line.partition("=")
            kv[k.strip()] = v.strip()
    confs[f[:-5]] = kv
    if kv.get("name") != f[:-5]:
        bad.append("mocks/faults/%s: name = %r, not the file's name" % (f, kv.get("name")))
dups = sorted(set(n for n in defs if defs.count(n) > 1))
if dups:
    bad.append("faults.def names these more than once: %s" % " ".join(dups))
for n in sorted(set(defs) - set(confs)):
    bad.append("fault %s is in faults.def but has no mocks/faults/%s.conf" % (n, n))
for n in sorted(set(confs) - set(defs)):
    bad.append("mocks/faults/%s.conf names no fault of faults.def" % n)
catchers = {}
for n, kv in sorted(confs.items()):
    cb = [t.strip() for t in kv.get("caught_by", "").split(",") if t.strip()]
    if not cb:
        bad.append("mocks/faults/%s.conf: no caught_by tests" % n)
    for t in cb:
        if t not in tests:
            bad.append("mocks/faults/%s.conf: caught_by test %s is listed by no suite" % (n, t))
    catchers[n] = set(cb)
try:
    s = json.load(open("reports/summary.json"))
    runs = s["faults"]["runs"]
except (OSError, ValueError, KeyError) as e:
    bad.append("no fault runs in reports/summary.json (50-suites.sh writes it): %s" % e)
    runs = []
seen = set()
for r in runs:
    seen.add(r["fault"])
    failed = set(t["test"] for t in r.get("failing_tests", []))
    if r["fault"] in catchers and not (failed & catchers[r["fault"]]):
        bad.append("fault %s on %s: none of its caught_by tests FAILed (failing: %s)" % (
            r["fault"], r["profile"], ", ".join(sorted(failed)) or "none"))
if runs:
    for n in sorted(set(defs) - seen):
        bad.append("fault %s was not run (no run in reports/summary.json)" % n)
for b in bad:
    print("FAIL: " + b)
print("fault catchers: %d faults, %d caught_by tests named, %d fault runs checked, %d problems" % (
    len(defs), sum(len(v) for v in catchers.values()), len(runs), len(bad)))
sys.exit(1 if bad else 0)
PY
