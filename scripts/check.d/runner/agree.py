#!/usr/bin/env python3
# SPDX-License-Identifier: Apache-2.0
"""agree.py REPORTS: do summary.json, the TAP files, the JUnit files and index.html of one run
agree on every count? (scripts/check.d/20-runner.sh). Prints what disagrees, exit 1 if any.
Also: no <failure>/<error> under junit/ when the verdict is PASS, fault runs only under
faults/, faults/fault-detection.xml one test case per fault run."""
import json, os, re, sys
import xml.etree.ElementTree as ET

rep = sys.argv[1]
bad = []
s = json.load(open(os.path.join(rep, "summary.json")))


def tap_counts(path):
    c = {"pass": 0, "fail": 0, "skip": 0, "brok": 0}
    plan = None
    totals = None
    for line in open(path, encoding="utf-8"):
        line = line.rstrip("\n")
        m = re.match(r"^1\.\.(\d+)$", line)
        if m:
            plan = int(m.group(1))
        elif re.match(r"^ok \d+ \S+$", line):
            c["pass"] += 1
        elif re.match(r"^ok \d+ \S+ # SKIP ", line):
            c["skip"] += 1
        elif re.match(r"^not ok \d+ \S+ # FAIL ", line):
            c["fail"] += 1
        elif re.match(r"^not ok \d+ \S+ # error ", line):
            c["brok"] += 1
        elif line.startswith("# Totals: "):
            m = re.match(r"# Totals: pass:(\d+) fail:(\d+) xfail:0 xpass:0 skip:(\d+) error:(\d+) ", line)
            totals = {"pass": int(m.group(1)), "fail": int(m.group(2)), "skip": int(m.group(3)), "brok": int(m.group(4))}
    if plan != sum(c.values()):
        bad.append("%s: plan %s but %d results" % (path, plan, sum(c.values())))
    if totals != c:
        bad.append("%s: # Totals %s but results %s" % (path, totals, c))
    return c


def junit_counts(path):
    root = ET.parse(path).getroot()
    c = {"pass": 0, "fail": 0, "skip": 0, "brok": 0}
    for tc in root.iter("testcase"):
        if tc.find("failure") is not None:
            c["fail"] += 1
        elif tc.find("error") is not None:
            c["brok"] += 1
        elif tc.find("skipped") is not None:
            c["skip"] += 1
        else:
            c["pass"] += 1
    ts = root.find("testsuite")
    if int(ts.get("tests")) != sum(c.values()) or int(ts.get("failures")) != c["fail"] or \
            int(ts.get("errors")) != c["brok"] or int(ts.get("skipped")) != c["skip"]:
        bad.append("%s: testsuite attributes disagree with its test cases %s" % (path, c))
    return c


def check_suites(where, key, suites, tapdir, junitdir):
    tot = {"pass": 0, "fail": 0, "skip": 0, "brok": 0}
    for su, x in suites.items():
        want = x["counts"]
        got_status = {"pass": 0, "fail": 0, "skip": 0, "brok": 0}
        for t in x["tests"]:
            got_status[t["status"].lower()] += 1
        if got_status != want:
            bad.append("%s %s: summary counts %s but its tests say %s" % (where, su, want, got_status))
        tc = tap_counts(os.path.join(rep, tapdir, "%s__%s.tap" % (key, su)))
        jc = junit_counts(os.path.join(rep, junitdir, "%s__%s.xml" % (key, su)))
        if tc != want:
            bad.append("%s %s: TAP %s, summary %s" % (where, su, tc, want))
        if jc != want:
            bad.append("%s %s: JUnit %s, summary %s" % (where, su, jc, want))
        for k in tot:
            tot[k] += want[k]
    return tot


totals = {"pass": 0, "fail": 0, "skip": 0, "brok": 0}
for name, p in s["profiles"].items():
    t = check_suites("profile " + name, name, p["suites"], "tap", "junit")
    if t != p["counts"]:
        bad.append("profile %s: counts %s, suites add up to %s" % (name, p["counts"], t))
    for k in totals:
        totals[k] += t[k]
if s["faults"]["mode"] == "matrix" and totals != s["totals"]:
    bad.append("totals %s, profiles add up to %s" % (s["totals"], totals))
for r in s["faults"]["runs"]:
    check_suites("fault run %s on %s" % (r["fault"], r["profile"]), "%s+%s" % (r["profile"], r["fault"]), r["suites"],
                 "faults/tap", "faults/junit")
# junit/ holds the verdict's runs only, and their number is the summary's
jfiles = sorted(os.listdir(os.path.join(rep, "junit")))
want_files = sorted("%s__%s.xml" % (n, su) for n, p in s["profiles"].items() for su in p["suites"])
if jfiles != want_files:
    bad.append("junit/ holds %d files, the verdict has %d suite runs" % (len(jfiles), len(want_files)))
if s["verdict"] == "PASS":
    for f in jfiles:
        txt = open(os.path.join(rep, "junit", f), encoding="utf-8").read()
        if "<failure" in txt or "<error" in txt:
            bad.append("PASS run, but junit/%s has a <failure> or <error>" % f)
if s["faults"]["total"]:
    root = ET.parse(os.path.join(rep, "faults", "fault-detection.xml")).getroot()
    cases = list(root.iter("testcase"))
    nfail = sum(1 for c in cases if c.find("failure") is not None)
    nerr = sum(1 for c in cases if c.find("error") is not None)
    def ran(r):
        return any(x["counts"]["pass"] for x in r["suites"].values())
    undetected = sum(1 for r in s["faults"]["runs"] if not r["detected"] and not r["brok"] and ran(r))
    nskip = sum(1 for c in cases if c.find("skipped") is not None)
    if nskip != sum(1 for r in s["faults"]["runs"] if not r["detected"] and not r["brok"] and not ran(r)):
        bad.append("fault-detection.xml: %d skipped cases" % nskip)
    if len(cases) != s["faults"]["total"] or nfail != undetected:
        bad.append("fault-detection.xml: %d cases (%d failure, %d error), summary %d runs, %d undetected" % (
            len(cases), nfail, nerr, s["faults"]["total"], undetected))
    if s["faults"]["rate"] is None or abs(s["faults"]["rate"] - s["faults"]["detected"] / s["faults"]["total"]) > 1e-3:
        bad.append("faults.rate %s != detected/total" % s["faults"]["rate"])
# index.html: the totals line and one cell per suite run
html = open(os.path.join(rep, "index.html"), encoding="utf-8").read()
t = s["totals"]
line = "%d pass, %d fail, %d skip, %d brok" % (t["pass"], t["fail"], t["skip"], t["brok"])
if line not in html:
    bad.append("index.html lacks the totals '%s'" % line)
if ">%s</span></h1>" % s["verdict"] not in html:
    bad.append("index.html does not show the verdict %s" % s["verdict"])
for name, p in s["profiles"].items():
    for su, x in p["suites"].items():
        c = x["counts"]
        cell = "%s__%s.tap'>%d/%d/%d%s</a>" % (name, su, c["pass"], c["fail"], c["skip"],
                                             ("/%d brok" % c["brok"]) if c["brok"] else "")
        if cell not in html:
            bad.append("index.html: no cell %s" % cell)
for b in bad[:30]:
    print("DISAGREE: " + b)
n_runs = sum(len(p["suites"]) for p in s["profiles"].values()) + sum(len(r["suites"]) for r in s["faults"]["runs"])
print("agree: %d suite runs, totals %s: %s" % (n_runs, s["totals"], "disagreements: %d" % len(bad) if bad else "all agree"))
sys.exit(1 if bad else 0)
