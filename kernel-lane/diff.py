#!/usr/bin/env python3
# SPDX-License-Identifier: Apache-2.0
"""kernel-lane/diff.py - the kernel lane's differential report.

For every kernel x platform the lane ran: the guest's results (the kernel's own drivers,
the firmware model behind the shims) beside the same suites in mockenv on the profile the
project derives for that kernel, test by test. Both sides are the shipped bundle's own
qualification (teeabi-qualify: in the guest as on a real one, on the host inside the
bundle's mockenv), and the results are the bundle's own reports (bundle/summary.json schema
2, bundle/tap/ and bundle/junit/, see bundle_results). Writes OUT/summary.json and OUT/index.html.

  diff.py --out DIR --resolutions FILE --run SERIES:PLATFORM:REALDIR:MOCKDIR:DRIVERS_SHA256 ...
          [--planted SERIES:PLATFORM:FAULT:MOCKDIR ...]

A difference is a test whose verdict differs between the kernel and the mock, or whose
FAIL/BROK reasons differ, or that FAILs or is BROK on the kernel at all. Each one takes its
resolution from FILE (lines "SERIES PLATFORM TEST resolution text", fnmatch patterns);
one without a resolution is "open". Exit 0 when every run completed, nothing is BROK on the
kernel and no difference is open; a planted model fault must show as at least one
difference; 1 otherwise. Python 3 standard library only.
"""
import argparse
import datetime
import fnmatch
import html
import json
import os
import re
import sys
import xml.etree.ElementTree as ET

TAP_RE = re.compile(r"^(ok|not ok) (\d+) (\S+)(?: # (SKIP|FAIL|error) ?(.*))?$")
TOTALS_RE = re.compile(r"^# Totals: pass:(\d+) fail:(\d+) xfail:\d+ xpass:\d+ skip:(\d+) error:(\d+)")


def read(path):
    try:
        with open(path, encoding="utf-8", errors="replace") as f:
            return f.read()
    except OSError:
        return None


def parse_tap(path):
    """(tests {name: (status, reason)}, complete, why-not). Complete = a plan and the
    Totals line; anything else means the result was lost (BROK)."""
    text = read(path)
    if text is None:
        return {}, False, "no TAP file"
    tests, plan, totals = {}, None, None
    for line in text.splitlines():
        m = TAP_RE.match(line)
        if m:
            ok, _, name, kind, reason = m.groups()
            if ok == "ok":
                status = "SKIP" if kind == "SKIP" else "PASS"
            else:
                status = "BROK" if kind == "error" else "FAIL"
            tests[name] = (status, (reason or "").strip())
            continue
        if re.match(r"^1\.\.\d+$", line):
            plan = int(line[3:])
        t = TOTALS_RE.match(line)
        if t:
            totals = t
        if line.startswith("Bail out!"):
            return tests, False, line
    if plan is None or totals is None:
        return tests, False, "TAP file incomplete (no plan or no Totals line)"
    if plan != len(tests):
        return tests, False, "TAP plan %d but %d results" % (plan, len(tests))
    return tests, True, ""


def junit_statuses(path):
    """{test: status} of a JUnit file the bundle's teeabi-run wrote (<failure> FAIL, <error>
    BROK, <skipped> SKIP, else PASS), or None when it is missing or not well-formed XML."""
    try:
        root = ET.parse(path).getroot()
    except (OSError, ET.ParseError):
        return None
    out = {}
    for tc in root.iter("testcase"):
        kinds = {c.tag for c in tc}
        out[tc.get("name", "")] = ("BROK" if "error" in kinds else "FAIL" if "failure" in kinds
                                   else "SKIP" if "skipped" in kinds else "PASS")
    return out


def bundle_results(d):
    """One side's results from the shipped bundle's own reports: DIR/bundle/summary.json
    (schema 2, written last by the bundle's teeabi-run) and DIR/bundle/tap/<key>__<suite>.tap
    (its verdict's TAP), for every suite the bundle ships (DIR/suites.list). Returns
    (suites, meta, problems): suites {suite: {"tests", "complete", "why", "exit"}}, where a
    suite is complete only when its TAP is (parse_tap), agrees with summary.json count by
    count and with bundle/junit/<key>__<suite>.xml test by test; no summary.json (the run did not finish), a summary of another schema, or a suite
    missing from it makes every result of that side lost. meta: the bundle's own verdict."""
    b = os.path.join(d, "bundle")
    problems = []
    listed = sorted({x.strip() for x in (read(os.path.join(d, "suites.list")) or "").splitlines() if x.strip()})
    if not listed:
        problems.append("the bundle's suite list (suites.list) is missing")
    summ, text = None, read(os.path.join(b, "summary.json"))
    if text is None:
        problems.append("the bundle's summary.json is missing")
    else:
        try:
            summ = json.loads(text)
        except ValueError as e:
            problems.append("the bundle's summary.json is not JSON (%s)" % e)
        if summ is not None and (not isinstance(summ, dict) or summ.get("schema_version") != 2):
            problems.append("the bundle's summary.json is not schema_version 2")
            summ = None
    key, ssuites = "", {}
    if summ is not None:
        key = str((summ.get("detected") or {}).get("profile") or "")
        ssuites = ((summ.get("profiles") or {}).get(key) or {}).get("suites") or {}
        if not ssuites:
            problems.append("the bundle's summary.json has no suite results for its detected profile %r" % key)
    rc_text = (read(os.path.join(d, "qualify.rc")) or "").strip()
    rc = int(rc_text) if rc_text.lstrip("-").isdigit() else None
    if summ is not None and rc != summ.get("exit_code"):
        problems.append("teeabi-qualify exited %s, its summary.json says %s" % (rc, summ.get("exit_code")))
    lost = problems[0] if summ is None else ""
    out, tap_profile = {}, ""
    for s in sorted(set(listed) | set(ssuites)):
        path = os.path.join(b, "tap", "%s__%s.tap" % (key, s))
        tests, complete, why = parse_tap(path)
        if not tap_profile:
            m = re.search(r"^# profile (\S+)", read(path) or "", re.M)
            tap_profile = m.group(1) if m else ""
        ss = ssuites.get(s)
        if lost:
            complete, why = False, lost
        elif ss is None:
            complete, why = False, "suite %s is not in the bundle's summary.json" % s
        elif complete and (ss.get("counts") or {}) != counts(tests):
            complete, why = False, "the bundle's TAP %s and summary.json %s disagree" % (counts(tests), ss.get("counts"))
        if complete:
            ju = junit_statuses(os.path.join(b, "junit", "%s__%s.xml" % (key, s)))
            if ju is None:
                complete, why = False, "the bundle's JUnit file of %s is missing or not XML" % s
            elif ju != {n: st for n, (st, _) in tests.items()}:
                complete, why = False, "the bundle's JUnit and TAP of %s disagree" % s
        out[s] = {"tests": tests, "complete": complete, "why": why, "exit": (ss or {}).get("exit_code")}
    meta = {
        "verdict": summ.get("verdict") if summ else None,
        "exit_code": summ.get("exit_code") if summ else None,
        "qualify_exit": rc,
        "totals": summ.get("totals") if summ else None,
        "detected_profile": key,
        "suites_profile": tap_profile,
        "version": (read(os.path.join(d, "qualify.version")) or "").strip(),
    }
    return out, meta, problems


def counts(tests):
    c = {"pass": 0, "fail": 0, "skip": 0, "brok": 0}
    for st, _ in tests.values():
        c[st.lower()] += 1
    return c


def load_resolutions(path):
    res = []
    for line in (read(path) or "").splitlines():
        line = line.strip()
        if not line or line.startswith("#"):
            continue
        parts = line.split(None, 3)
        if len(parts) == 4:
            res.append(parts)
    return res


def resolve(res, series, plat, test):
    for s, p, t, text in res:
        if fnmatch.fnmatchcase(series, s) and fnmatch.fnmatchcase(plat, p) and fnmatch.fnmatchcase(test, t):
            return text
    return "open"


def compare(real, mock, res, series, plat):
    """Differences test by test; a lost suite result makes every test of it BROK."""
    diffs = []
    for s in sorted(set(real) | set(mock)):
        r, m = real.get(s), mock.get(s)
        rt = dict(r["tests"]) if r else {}
        mt = dict(m["tests"]) if m else {}
        names = sorted(set(rt) | set(mt))
        for side, sr, tt in (("real", r, rt), ("mock", m, mt)):
            if not sr or not sr["complete"]:
                why = (sr or {}).get("why") or "suite did not run"
                for n in names:
                    if n not in tt or tt[n][0] != "BROK":
                        tt[n] = ("BROK", "result lost: " + why)
                if not names:
                    tt[s + ".(suite)"] = ("BROK", "result lost: " + why)
                    names = [s + ".(suite)"]
        for n in names:
            rv, mv = rt.get(n, ("BROK", "no result")), mt.get(n, ("BROK", "no result"))
            differs = rv[0] != mv[0] or (rv[0] in ("FAIL", "BROK") and rv[1] != mv[1])
            if differs or rv[0] in ("FAIL", "BROK"):
                diffs.append({"test": n, "real": rv[0], "mock": mv[0], "real_reason": rv[1],
                              "mock_reason": mv[1], "resolution": resolve(res, series, plat, n)})
    return diffs


def client_answers(d):
    """{command: {key: value}} from clients/<command>.txt (key=value lines)."""
    out = {}
    cdir = os.path.join(d, "clients")
    try:
        names = sorted(f for f in os.listdir(cdir) if f.endswith(".txt"))
    except OSError:
        return out
    for f in names:
        kv = {}
        for line in (read(os.path.join(cdir, f)) or "").splitlines():
            if "=" in line:
                k, v = line.split("=", 1)
                kv[k] = v
        out[f[:-4]] = kv
    return out


def compare_clients(real, mock):
    """The clients' answers on the kernel and in mockenv: equal, except *_bytes (a quote's or
    a blob's length moves with the DER signatures of each run's test PKI), which must be
    equal or both positive. Returns {command: {"same", "real", "mock"}}."""
    res = {}
    for cmd in sorted(set(real) | set(mock)):
        r, m = real.get(cmd), mock.get(cmd)
        same = r is not None and m is not None and set(r) == set(m)
        if same:
            failed = r.get("exit") != "0"
            for k in r:
                if failed and k != "exit":
                    # a failed step's message: the tools differ (busybox, coreutils), the
                    # error (after the last ": ") must not
                    same = same and r[k].rsplit(": ", 1)[-1] == m[k].rsplit(": ", 1)[-1]
                elif k.endswith("_bytes"):
                    same = same and r[k].isdigit() and m[k].isdigit() and (
                        r[k] == m[k] or (int(r[k]) > 0 and int(m[k]) > 0))
                else:
                    same = same and r[k] == m[k]
        res[cmd] = {"same": same, "real": r, "mock": m}
    return res


def nodes(d):
    out = []
    for line in (read(os.path.join(d, "nodes.tsv")) or "").splitlines():
        p = line.split("\t")
        if len(p) == 3:
            out.append({"path": p[0], "type": p[1], "rdev": p[2]})
    return out


def driver_sources(path):
    out = []
    for line in (read(path) or "").splitlines():
        p = line.split()
        if len(p) == 2:
            out.append({"path": p[1], "sha256": p[0]})
    return out


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--out", required=True)
    ap.add_argument("--resolutions", required=True)
    ap.add_argument("--run", action="append", default=[])
    ap.add_argument("--planted", action="append", default=[])
    ap.add_argument("--planted-fw", action="append", default=[])
    ap.add_argument("--note", action="append", default=[])
    a = ap.parse_args()
    res = load_resolutions(a.resolutions)
    kernels, ok, problems = [], True, []
    real_by_key = {}
    for spec in a.run:
        series, plat, rdir, mdir, dsha = spec.split(":", 4)
        real, rmeta, rprob = bundle_results(rdir)
        mock, mmeta, mprob = bundle_results(mdir)
        real_by_key[(series, plat)] = real
        status = (read(os.path.join(rdir, "status")) or "no results").strip()
        for side, probs in (("kernel", rprob), ("mock", mprob)):
            problems.extend("%s/%s: %s: %s" % (series, plat, side, x) for x in probs)
        # the profile the guest detected: the bundle's (summary.json) and the suites' own
        # (their TAP header); both must be the derived one the mock side runs
        prof = rmeta["detected_profile"]
        if rmeta["suites_profile"] != prof:
            problems.append("%s/%s: the bundle detected profile %r, its suites %r" % (series, plat, prof, rmeta["suites_profile"]))
        diffs = compare(real, mock, res, series, plat)
        k = {
            "series": series,
            "version": (read(os.path.join(rdir, "kernel")) or "").strip(),
            "platform": plat,
            "accel": (read(os.path.join(rdir, "accel")) or "").strip(),
            "boot_seconds": int((read(os.path.join(rdir, "boot_seconds")) or "0").strip() or 0),
            "guest_status": status,
            "profile": prof,
            "mock_profile": (read(os.path.join(mdir, "profile")) or "").strip(),
            "driver_sources": driver_sources(dsha),
            "nodes": nodes(rdir),
            "suites": {s: counts(v["tests"]) for s, v in real.items()},
            "mock_suites": {s: counts(v["tests"]) for s, v in mock.items()},
            "bundle": rmeta,
            "mock_bundle": mmeta,
            "differences": diffs,
            "clients": compare_clients(client_answers(rdir), client_answers(mdir)),
        }
        if not k["clients"]:
            problems.append("%s/%s: the clients gave no answers" % (series, plat))
        for cmd, c in k["clients"].items():
            if not c["same"]:
                problems.append("%s/%s: client %s: kernel %s, mock %s" % (series, plat, cmd, c["real"], c["mock"]))
        if status != "done":
            problems.append("%s/%s: guest did not finish: %s" % (series, plat, status))
        if not real:
            problems.append("%s/%s: no suite ran in the guest" % (series, plat))
        if prof != k["mock_profile"]:
            problems.append("%s/%s: guest detected profile %s, mock ran %s" % (series, plat, prof, k["mock_profile"]))
        for dd in diffs:
            if dd["resolution"] == "open":
                problems.append("%s/%s: %s: kernel %s, mock %s (open)%s" % (
                    series, plat, dd["test"], dd["real"], dd["mock"],
                    "; mock: " + dd["mock_reason"] if dd["mock"] == "BROK" else ""))
            if dd["real"] == "BROK":
                problems.append("%s/%s: %s BROK on the kernel: %s" % (series, plat, dd["test"], dd["real_reason"]))
        kernels.append(k)
    planted = []
    mock_by_key = {(k["series"], k["platform"]): spec.split(":", 4)[3] for k, spec in zip(kernels, a.run)}
    # A fault planted in the model on the mock side: a test the kernel passes must FAIL in
    # mockenv. One planted in the firmware behind the kernel's drivers (the guest's
    # teeabi-fwd --fault): a test the clean mock and the clean kernel run pass must FAIL on
    # that kernel run (one that FAILs on the clean kernel too, a resolved lane property, proves
    # nothing). Detected only through a FAIL, never through a BROK or a lost result.
    for side, specs in (("mock", a.planted), ("firmware", a.planted_fw)):
        for spec in specs:
            series, plat, fault, d = spec.split(":", 3)
            faulted, _, fprob = bundle_results(d)
            if side == "mock":
                real, mock, bad = real_by_key.get((series, plat), {}), faulted, ("PASS", "FAIL")
            else:
                real, mock, bad = faulted, bundle_results(mock_by_key.get((series, plat), ""))[0], ("FAIL", "PASS")
            lost = sorted(s for s, v in faulted.items() if not v["complete"]) or ([] if faulted else ["(no suite ran)"])
            problems.extend("planted %s fault %s on %s/%s: %s" % (side, fault, series, plat, x) for x in fprob)
            clean = {n: st for v in real_by_key.get((series, plat), {}).values() for n, (st, _) in v["tests"].items()}
            diffs = [x for x in compare(real, mock, [], series, plat)
                     if (x["real"], x["mock"]) == bad and clean.get(x["test"]) == "PASS"]
            planted.append({"series": series, "platform": plat, "fault": fault, "side": side,
                            "detected": bool(diffs) and not lost, "lost_suites": lost,
                            "differences": [{"test": x["test"], "real": x["real"], "mock": x["mock"],
                                             "reason": x["mock_reason"] if side == "mock" else x["real_reason"]}
                                            for x in diffs]})
            if lost:
                problems.append("planted %s fault %s on %s/%s: results lost for %s" % (side, fault, series, plat, ", ".join(lost)))
            elif not diffs:
                problems.append("planted %s fault %s on %s/%s shows no difference" % (side, fault, series, plat))
    if not kernels:
        problems.append("no kernel ran")
    ok = not problems
    summary = {
        "schema": "teeabi-kernel-lane/1",
        "generated": datetime.datetime.now(datetime.timezone.utc).strftime("%Y-%m-%dT%H:%M:%SZ"),
        "verdict": "PASS" if ok else "FAIL",
        "problems": problems,
        "notes": a.note,
        "kernels": kernels,
        "planted": planted,
    }
    os.makedirs(a.out, exist_ok=True)
    tmp = os.path.join(a.out, ".summary.json.tmp")
    with open(tmp, "w", encoding="utf-8") as f:
        json.dump(summary, f, indent=2)
        f.write("\n")
        f.flush()
        os.fsync(f.fileno())
    os.replace(tmp, os.path.join(a.out, "summary.json"))
    write_html(summary, os.path.join(a.out, "index.html"))
    for p in problems:
        print("kernel-lane: " + p, file=sys.stderr)
    return 0 if ok else 1


def write_html(s, path):
    e = html.escape
    h = ["<!doctype html><meta charset=utf-8><title>teeabi kernel lane</title>",
         "<style>body{font-family:sans-serif}table{border-collapse:collapse}td,th{border:1px solid #aaa;padding:2px 6px}"
         ".open{background:#fcc}</style>",
         "<h1>teeabi kernel lane: %s</h1><p>generated %s</p>" % (e(s["verdict"]), e(s["generated"]))]
    if s.get("notes"):
        h.append("<h2>Notes</h2><ul>" + "".join("<li>%s</li>" % e(n) for n in s["notes"]) + "</ul>")
    if s["problems"]:
        h.append("<h2>Problems</h2><ul>" + "".join("<li>%s</li>" % e(p) for p in s["problems"]) + "</ul>")
    for k in s["kernels"]:
        h.append("<h2>%s %s (%s, %s s, profile %s; mock %s)</h2>" % (
            e(k["version"] or k["series"]), e(k["platform"]), e(k["accel"]), k["boot_seconds"], e(k["profile"]), e(k["mock_profile"])))
        for side, b in (("guest", k["bundle"]), ("mock", k["mock_bundle"])):
            h.append("<p>bundle on the %s: teeabi-qualify exit %s, verdict %s, totals %s, detected %s</p>" % (
                side, e(str(b["qualify_exit"])), e(str(b["verdict"])), e(json.dumps(b["totals"])), e(b["detected_profile"])))
        h.append("<p>driver sources: " + ", ".join("<code>%s</code> %s" % (e(d["path"]), e(d["sha256"])) for d in k["driver_sources"]) + "</p>")
        h.append("<p>nodes: " + ", ".join("<code>%s</code> %s %s" % (e(n["path"]), e(n["type"]), e(n["rdev"])) for n in k["nodes"]) + "</p>")
        h.append("<table><tr><th>suite</th><th>kernel pass/fail/skip/brok</th><th>mock pass/fail/skip/brok</th></tr>")
        for su in sorted(set(k["suites"]) | set(k["mock_suites"])):
            f = lambda c: "%d/%d/%d/%d" % (c["pass"], c["fail"], c["skip"], c["brok"]) if c else "-"
            h.append("<tr><td>%s</td><td>%s</td><td>%s</td></tr>" % (e(su), f(k["suites"].get(su)), f(k["mock_suites"].get(su))))
        h.append("</table>")
        if k["differences"]:
            h.append("<table><tr><th>test</th><th>kernel</th><th>mock</th><th>resolution</th></tr>")
            for d in k["differences"]:
                h.append("<tr class=%s><td>%s</td><td>%s %s</td><td>%s %s</td><td>%s</td></tr>" % (
                    "open" if d["resolution"] == "open" else "ok", e(d["test"]), e(d["real"]), e(d["real_reason"]),
                    e(d["mock"]), e(d["mock_reason"]), e(d["resolution"])))
            h.append("</table>")
        else:
            h.append("<p>no differences</p>")
        if k.get("clients"):
            h.append("<p>clients (shell client, Python client, Intel DCAP libtdx_attest), kernel vs mock: " + ", ".join(
                "%s %s" % (e(c), "same" if v["same"] else "<b>DIFFERENT</b>") for c, v in k["clients"].items()) + "</p>")
    if s["planted"]:
        h.append("<h2>Planted model faults</h2><table><tr><th>fault</th><th>planted in</th><th>kernel</th><th>differences</th></tr>")
        for p in s["planted"]:
            h.append("<tr class=%s><td>%s</td><td>%s</td><td>%s %s</td><td>%s</td></tr>" % (
                "ok" if p["detected"] else "open", e(p["fault"]), e(p["side"]), e(p["series"]), e(p["platform"]),
                e(", ".join(d["test"] for d in p["differences"])) or "none"))
        h.append("</table>")
    with open(path + ".tmp", "w", encoding="utf-8") as f:
        f.write("\n".join(h) + "\n")
    os.replace(path + ".tmp", path)


if __name__ == "__main__":
    sys.exit(main())
