#!/usr/bin/env python3
# SPDX-License-Identifier: Apache-2.0
"""scripts/report.py - turn a run_all.sh run into reports/summary.json and reports/index.html.

Inputs (written by run_all.sh): reports/runs/manifest.tsv (key, profile, fault, suites),
reports/runs/<key>.res (suite rc pass fail skip brok seconds), reports/junit/<key>__<suite>.xml
(per-test status and reason, written by the suite binaries), reports/evidence/ (quotes and
reports the suites saved), reports/runs/notes.txt. The schema is docs/summary-schema.md.
Python 3 standard library only.
"""
import argparse
import datetime
import glob
import html
import json
import os
import subprocess
import sys
import xml.etree.ElementTree as ET

SCHEMA_VERSION = 1
SUITE_ORDER = ["dstack_agent", "tdx_guest", "sev_guest", "tsm_report", "tsm_mr", "rtmr3", "matrix", "perms"]

# dstack's documented container patterns (docs/dstack-os.md §5.1, native-tee-interfaces.md):
# the mount each one needs, and the tests whose results say whether the image supports it.
# A pattern is "supported" when all its tests PASSed, "absent" when they were all SKIPped
# (the interface is not there), "BROKEN" when any FAILed or BROKe, "not run" otherwise.
COMPOSE_PATTERNS = [
    ("agent socket", "volumes: /var/run/dstack.sock:/var/run/dstack.sock",
     ["dstack_agent.socket.lookup", "dstack_agent.getquote.report_data"]),
    ("TDX device", "devices: /dev/tdx_guest:/dev/tdx_guest", ["tdx_guest.report0.reportdata_echo"]),
    ("SEV device", "devices: /dev/sev-guest:/dev/sev-guest", ["sev_guest.report.basic"]),
    ("configfs-tsm subtree", "volumes: /sys/kernel/config/tsm:/sys/kernel/config/tsm", ["tsm_report.outblob.evidence"]),
]


def compose_of(suites):
    """The compose table row of one profile's clean run: pattern -> {status, mount, tests}."""
    res = {t["name"]: t["status"] for x in suites.values() for t in x["tests"]}
    row = {}
    for name, mount, tests in COMPOSE_PATTERNS:
        st = [res.get(t) for t in tests]
        if any(x in ("FAIL", "BROK") for x in st):
            v = "BROKEN"
        elif st and all(x == "PASS" for x in st):
            v = "supported"
        elif st and all(x == "SKIP" for x in st):
            v = "absent"
        else:
            v = "not run"
        row[name] = {"status": v, "mount": mount, "tests": dict(zip(tests, st))}
    return row


def read_kv(path):
    """key = value lines, # comments."""
    out = {}
    try:
        with open(path, encoding="utf-8", errors="replace") as f:
            for line in f:
                line = line.strip()
                if not line or line.startswith("#") or "=" not in line:
                    continue
                k, v = line.split("=", 1)
                out[k.strip()] = v.strip()
    except OSError:
        pass
    return out


def os_release(path="/etc/os-release"):
    out = {}
    try:
        with open(path, encoding="utf-8", errors="replace") as f:
            for line in f:
                if "=" in line:
                    k, v = line.rstrip("\n").split("=", 1)
                    out[k] = v.strip().strip('"').strip("'")
    except OSError:
        pass
    return out


def read_text(path):
    try:
        with open(path, encoding="utf-8", errors="replace") as f:
            return f.read().strip()
    except OSError:
        return ""


def parse_junit(path):
    """[{name, status, reason, time, output}] from one suite's JUnit file."""
    tests = []
    props = {}
    try:
        root = ET.parse(path).getroot()
    except (OSError, ET.ParseError) as e:
        return None, {"error": str(e)}
    for p in root.iter("property"):
        props[p.get("name")] = p.get("value")
    for tc in root.iter("testcase"):
        status, reason = "PASS", ""
        for tag, st in (("failure", "FAIL"), ("error", "BROK"), ("skipped", "SKIP")):
            el = tc.find(tag)
            if el is not None:
                status, reason = st, el.get("message", "")
                break
        out = tc.find("system-out")
        tests.append({
            "name": tc.get("name"),
            "status": status,
            "reason": reason,
            "time_s": float(tc.get("time", "0") or 0),
            "diagnostics": (out.text or "") if out is not None else "",
        })
    return tests, props


def load_runs(rep):
    runs = []
    manifest = os.path.join(rep, "runs", "manifest.tsv")
    try:
        with open(manifest, encoding="utf-8") as f:
            for line in f:
                parts = line.rstrip("\n").split("\t")
                if len(parts) < 4:
                    continue
                key, prof, fault, suites = parts[:4]
                runs.append({"key": key, "profile": prof, "fault": None if fault in ("", "-") else fault, "suites": suites.split()})
    except OSError:
        pass
    for r in runs:
        r["results"] = {}
        try:
            with open(os.path.join(rep, "runs", r["key"] + ".res"), encoding="utf-8") as f:
                for line in f:
                    p = line.split()
                    if len(p) != 7:
                        continue
                    s, rc, npass, nfail, nskip, nbrok, secs = p
                    r["results"][s] = {
                        "rc": int(rc), "seconds": float(secs),
                        "counts": {"pass": int(npass), "fail": int(nfail), "skip": int(nskip), "brok": int(nbrok)},
                    }
        except OSError:
            pass
        for s in r["suites"]:
            res = r["results"].setdefault(s, {"rc": None, "seconds": 0.0,
                                              "counts": {"pass": 0, "fail": 0, "skip": 0, "brok": 1}})
            tests, props = parse_junit(os.path.join(rep, "junit", "%s__%s.xml" % (r["key"], s)))
            if tests is None:
                tap = read_text(os.path.join(rep, "tap", "%s__%s.tap" % (r["key"], s)))
                reason = ""
                for line in tap.splitlines():
                    if "# SKIP" in line:
                        reason = line.split("# SKIP", 1)[1].strip()
                if res["counts"]["skip"] and not res["counts"]["brok"]:
                    tests = [{"name": s, "status": "SKIP", "reason": reason or "suite skipped", "time_s": 0, "diagnostics": ""}]
                else:
                    log = read_text(os.path.join(rep, "logs", "%s__%s.log" % (r["key"], s)))
                    tests = [{"name": s, "status": "BROK", "reason": "suite produced no JUnit: " + (log.splitlines()[-1] if log else "no output"),
                              "time_s": 0, "diagnostics": log[-2000:]}]
            res["tests"] = tests
            res["properties"] = props
    return runs


def counts_of(tests):
    c = {"pass": 0, "fail": 0, "skip": 0, "brok": 0}
    for t in tests:
        c[t["status"].lower()] += 1
    return c


def verdict_of(c):
    if c["fail"] or c["brok"]:
        return "FAIL"
    if c["pass"] == 0:
        return "SKIP"
    return "PASS"


def repro(target, profile, fault, suite, test):
    if target == "mock":
        f = " --fault %s" % fault if fault else ""
        return "build/bin/mockenv --profile %s%s -- build/suites/%s --allow-destructive -t %s" % (profile, f, suite, test)
    return "build/suites/%s --profile %s -t %s" % (suite, profile, test)


def parse_evidence(rep, root):
    tool = os.path.join(root, "build", "bin", "teeabi-parse")
    out = []
    for path in sorted(glob.glob(os.path.join(rep, "evidence", "*"))):
        item = {"file": os.path.relpath(path, rep), "bytes": os.path.getsize(path)}
        if os.access(tool, os.X_OK):
            try:
                p = subprocess.run([tool, path], capture_output=True, text=True, timeout=20)
                if p.returncode == 0 and p.stdout.strip():
                    try:
                        item["parsed"] = json.loads(p.stdout.strip().splitlines()[0])
                    except ValueError:
                        item["parsed_text"] = p.stdout.strip()[:4000]
                else:
                    item["parse_error"] = (p.stderr or p.stdout).strip()[:500]
            except (OSError, subprocess.SubprocessError) as e:
                item["parse_error"] = str(e)
        else:
            item["parse_error"] = "build/bin/teeabi-parse not built"
        out.append(item)
    return out


MATRIX_KEYS = [("tdx_guest", "/dev/tdx_guest"), ("sev_guest", "/dev/sev-guest"), ("configfs_tsm", "configfs-tsm"),
               ("tsm_provider", "provider"), ("tsm_precreate", "pre-created entry"), ("tsm_mr", "measurements"),
               ("rtmr_extend", "RTMR extend"), ("sev_vmpl", "VMPL"), ("tsm_svsm", "SVSM attributes"),
               ("kernel", "kernel")]


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--reports", default="reports")
    ap.add_argument("--target", default="mock")
    ap.add_argument("--wall", type=float, default=0)
    ap.add_argument("--matrix-wall", type=float, default=0)
    ap.add_argument("--exit-code", type=int, default=0)
    ap.add_argument("--fault-mode", default="")
    ap.add_argument("--fuzz-seconds", type=int, default=0)
    ap.add_argument("--fuzz-rc", default="")
    a = ap.parse_args()
    rep = a.reports
    root = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
    runs = load_runs(rep)

    osr = os_release()
    summary = {
        "schema_version": SCHEMA_VERSION,
        "generated": datetime.datetime.now(datetime.timezone.utc).strftime("%Y-%m-%dT%H:%M:%SZ"),
        "target": a.target,
        "exit_code": a.exit_code,
        "verdict": {0: "PASS", 1: "FAIL", 4: "SKIP"}.get(a.exit_code, "FAIL"),
        "host": {
            "image": {"id": osr.get("ID", ""), "version_id": osr.get("VERSION_ID", ""), "pretty_name": osr.get("PRETTY_NAME", "")},
            "kernel": read_text("/proc/sys/kernel/osrelease"),
        },
        "wall_time_s": a.wall,
        "matrix_wall_time_s": a.matrix_wall,
        "totals": {"pass": 0, "fail": 0, "skip": 0, "brok": 0},
        "profiles": {},
        "faults": {"detected": 0, "total": 0, "rate": None, "mode": "single" if a.fault_mode else "matrix", "runs": []},
        "interface_matrix": {},
        "notes": [l for l in read_text(os.path.join(rep, "runs", "notes.txt")).splitlines() if l],
        "evidence": parse_evidence(rep, root),
    }
    if a.target == "real":
        summary["detected"] = {"image": summary["host"]["image"], "kernel": summary["host"]["kernel"],
                               "profile": runs[0]["profile"] if runs else None}

    failures = []
    for r in runs:
        prof = r["profile"]
        conf = read_kv(os.path.join(root, "mocks", "profiles", prof + ".conf"))
        if not r["fault"] and prof not in summary["interface_matrix"]:
            # The effective matrix (file keys + flags derived from the kernel) as the suites
            # loaded it: JUnit properties m.*; the profile file as a fallback.
            eff = {}
            for s_ in r["suites"]:
                props = r["results"][s_].get("properties") or {}
                eff = {k: props["m." + k] for k, _ in MATRIX_KEYS if "m." + k in props}
                if eff:
                    eff["image"] = props.get("m.image", "").strip()
                    break
            if not eff and conf:
                eff = {k: conf.get(k, "") for k, _ in MATRIX_KEYS}
            if eff:
                summary["interface_matrix"][prof] = eff
        suites = {}
        allc = {"pass": 0, "fail": 0, "skip": 0, "brok": 0}
        for s in r["suites"]:
            res = r["results"][s]
            c = counts_of(res["tests"])
            for k in allc:
                allc[k] += c[k]
            suites[s] = {
                "exit_code": res["rc"], "seconds": res["seconds"], "counts": c,
                "tests": [{"name": t["name"], "status": t["status"], "reason": t["reason"], "time_s": t["time_s"]}
                          for t in res["tests"]],
            }
            for t in res["tests"]:
                if t["status"] in ("FAIL", "BROK"):
                    failures.append({"key": r["key"], "profile": prof, "fault": r["fault"], "suite": s, "test": t["name"],
                                     "status": t["status"], "reason": t["reason"],
                                     "repro": repro(a.target, prof, r["fault"], s, t["name"])})
        if r["fault"]:
            fconf = read_kv(os.path.join(root, "mocks", "faults", r["fault"] + ".conf"))
            failing = [{"suite": s, "test": t["name"], "reason": t["reason"]}
                       for s in r["suites"] for t in r["results"][s]["tests"] if t["status"] == "FAIL"]
            summary["faults"]["runs"].append({
                "fault": r["fault"], "profile": prof, "area": fconf.get("area", ""),
                "description": fconf.get("description", ""), "detected": bool(failing),
                "failing_tests": failing, "brok": allc["brok"], "suites": suites,
            })
        else:
            summary["profiles"][prof] = {
                "verdict": verdict_of(allc), "counts": allc,
                "image": {"os_id": conf.get("os_id", ""), "os_version": conf.get("os_version", "")},
                "kernel": conf.get("kernel", ""), "platform": conf.get("platform", ""),
                "suites": suites,
            }
            for k in allc:
                summary["totals"][k] += allc[k]
            if conf.get("os_id") == "dstack" or a.target == "real":
                summary.setdefault("compose", {})[prof] = compose_of(suites)
    fr = summary["faults"]["runs"]
    summary["faults"]["total"] = len(fr)
    summary["faults"]["detected"] = sum(1 for x in fr if x["detected"])
    summary["faults"]["rate"] = (summary["faults"]["detected"] / len(fr)) if fr else None
    summary["failures"] = [f for f in failures if not f["fault"] or a.fault_mode]
    if a.fuzz_seconds > 0:
        summary["fuzz"] = {"seconds_per_target": a.fuzz_seconds, "exit_code": a.fuzz_rc,
                           "log": "fuzz.log", "tail": read_text(os.path.join(rep, "fuzz.log")).splitlines()[-20:]}
        try:
            with open(os.path.join(rep, "fuzz", "summary.json"), encoding="utf-8") as f:
                camp = json.load(f)
            summary["fuzz"]["engine"] = camp.get("engine")
            summary["fuzz"]["crashes"] = camp.get("crashes")
            summary["fuzz"]["targets"] = camp.get("targets", {})
        except (OSError, ValueError):
            summary["fuzz"]["targets"] = {}

    with open(os.path.join(rep, "summary.json"), "w", encoding="utf-8") as f:
        json.dump(summary, f, indent=1, sort_keys=False)
        f.write("\n")
    write_html(os.path.join(rep, "index.html"), summary)
    return 0


def esc(x):
    return html.escape(str(x), quote=True)


CSS = """body{font:14px/1.4 system-ui,sans-serif;margin:1.5em;color:#222}
table{border-collapse:collapse;margin:.5em 0 1.5em}td,th{border:1px solid #ccc;padding:3px 7px;text-align:left;vertical-align:top}
th{background:#f3f3f3}.PASS{background:#dfd}.FAIL{background:#fcc}.SKIP{background:#eee}.BROK{background:#fc9}
code,pre{font:12px monospace}pre{background:#f7f7f7;padding:6px;overflow:auto;max-height:300px}h2{margin-top:1.5em}"""


def write_html(path, s):
    o = []
    w = o.append
    w("<!DOCTYPE html><html><head><meta charset='utf-8'><title>teeabi qualification</title><style>%s</style></head><body>" % CSS)
    w("<h1>teeabi qualification: <span class='%s'>%s</span></h1>" % (esc(s["verdict"]), esc(s["verdict"])))
    t = s["totals"]
    w("<p>target <b>%s</b>; %d pass, %d fail, %d skip, %d brok; matrix wall time %.1f s (total %.1f s); generated %s</p>"
      % (esc(s["target"]), t["pass"], t["fail"], t["skip"], t["brok"], s["matrix_wall_time_s"], s["wall_time_s"], esc(s["generated"])))
    if s["target"] == "real":
        d = s.get("detected", {})
        w("<p>machine: image %s %s, kernel %s, profile %s</p>" % (esc(d.get("image", {}).get("id", "")),
          esc(d.get("image", {}).get("version_id", "")), esc(d.get("kernel", "")), esc(d.get("profile", ""))))
    for n in s["notes"]:
        w("<p><i>note: %s</i></p>" % esc(n))

    w("<h2>Verdict per profile</h2><table><tr><th>profile</th><th>verdict</th><th>kernel</th><th>image</th>")
    for su in SUITE_ORDER:
        w("<th>%s</th>" % su)
    w("</tr>")
    for name, p in sorted(s["profiles"].items()):
        w("<tr><td>%s</td><td class='%s'>%s</td><td>%s</td><td>%s %s</td>" % (esc(name), p["verdict"], p["verdict"],
          esc(p["kernel"]), esc(p["image"]["os_id"]), esc(p["image"]["os_version"])))
        for su in SUITE_ORDER:
            x = p["suites"].get(su)
            if not x:
                w("<td></td>")
                continue
            c = x["counts"]
            v = verdict_of(c)
            w("<td class='%s'><a href='tap/%s__%s.tap'>%d/%d/%d%s</a></td>" % (v, esc(name), su, c["pass"], c["fail"], c["skip"],
              ("/%d brok" % c["brok"]) if c["brok"] else ""))
        w("</tr>")
    w("</table><p>cells: pass/fail/skip, linked to the suite's TAP output</p>")

    if s["interface_matrix"]:
        w("<h2>Interface matrix (profiles)</h2><table><tr><th>profile</th>")
        for _, label in MATRIX_KEYS:
            w("<th>%s</th>" % esc(label))
        w("<th>matrix suite</th></tr>")
        for name, m in sorted(s["interface_matrix"].items()):
            ms = s["profiles"].get(name, {}).get("suites", {}).get("matrix")
            mv = verdict_of(ms["counts"]) if ms else ""
            w("<tr><td>%s</td>" % esc(name) + "".join("<td>%s</td>" % esc(m.get(k, "")) for k, _ in MATRIX_KEYS)
              + "<td class='%s'>%s</td></tr>" % (mv, mv))
        w("</table><p>The effective profile the suites judged against (file keys plus the flags profile.c derives"
          " from the kernel version); the matrix suite checks the machine against it.</p>")

    if s.get("compose"):
        w("<h2>Compose patterns (dstack images)</h2><table><tr><th>profile</th>")
        for name, mount, _ in COMPOSE_PATTERNS:
            w("<th>%s<br><code>%s</code></th>" % (esc(name), esc(mount)))
        w("</tr>")
        cls = {"supported": "PASS", "BROKEN": "FAIL", "absent": "SKIP", "not run": ""}
        for prof, row in sorted(s["compose"].items()):
            w("<tr><td>%s</td>" % esc(prof))
            for name, _, _ in COMPOSE_PATTERNS:
                c = row.get(name, {})
                w("<td class='%s' title='%s'>%s</td>" % (cls.get(c.get("status"), ""), esc(json.dumps(c.get("tests", {}))),
                                                          esc(c.get("status", ""))))
            w("</tr>")
        w("</table><p>Which of dstack's documented container patterns the image supports, from what the suites saw:"
          " supported = the pattern's tests passed, absent = the interface is not there (skipped), BROKEN = a test"
          " failed.</p>")

    fl = s.get("failures", [])
    w("<h2>Failures (%d)</h2>" % len(fl))
    if fl:
        w("<table><tr><th>profile</th><th>suite</th><th>test</th><th>status</th><th>reason</th><th>reproduce</th></tr>")
        for f in fl:
            w("<tr><td>%s%s</td><td>%s</td><td>%s</td><td class='%s'>%s</td><td>%s</td><td><code>%s</code></td></tr>" % (
                esc(f["profile"]), (" + fault " + esc(f["fault"])) if f["fault"] else "", esc(f["suite"]), esc(f["test"]),
                f["status"], f["status"], esc(f["reason"]), esc(f["repro"])))
        w("</table>")

    fr = s["faults"]
    if fr["total"]:
        w("<h2>Fault detection: %d/%d (%.0f%%)</h2>" % (fr["detected"], fr["total"], 100.0 * (fr["rate"] or 0)))
        w("<table><tr><th>fault</th><th>profile</th><th>detected</th><th>description</th><th>failing tests (reason)</th></tr>")
        for x in fr["runs"]:
            ft = "<br>".join("%s: %s" % (esc(y["test"]), esc(y["reason"])) for y in x["failing_tests"][:6])
            if len(x["failing_tests"]) > 6:
                ft += "<br>... %d more" % (len(x["failing_tests"]) - 6)
            cls = "PASS" if x["detected"] else "FAIL"
            w("<tr><td>%s</td><td>%s</td><td class='%s'>%s</td><td>%s</td><td>%s</td></tr>" % (
                esc(x["fault"]), esc(x["profile"]), cls, "yes" if x["detected"] else "NO", esc(x["description"]), ft))
        w("</table>")

    if s["evidence"]:
        w("<h2>Evidence samples</h2><p>Saved by the suites, parsed with <code>build/bin/teeabi-parse</code>.</p>")
        for e in s["evidence"][:12]:
            w("<h3>%s (%d bytes)</h3>" % (esc(e["file"]), e["bytes"]))
            if "parsed" in e:
                w("<pre>%s</pre>" % esc(json.dumps(e["parsed"], indent=1)[:6000]))
            elif "parsed_text" in e:
                w("<pre>%s</pre>" % esc(e["parsed_text"]))
            else:
                w("<p>not parsed: %s</p>" % esc(e.get("parse_error", "")))
        if len(s["evidence"]) > 12:
            w("<p>... %d more files in reports/evidence/</p>" % (len(s["evidence"]) - 12))

    if "fuzz" in s:
        fz = s["fuzz"]
        w("<h2>Fuzzing</h2><p>%s, %d s per target, exit %s (details: fuzz/summary.md)</p>" % (
            esc(fz.get("engine") or "?"), fz["seconds_per_target"], esc(fz["exit_code"])))
        if fz.get("targets"):
            w("<table><tr><th>target</th><th>execs</th><th>execs/s</th><th>execs/s per core</th>"
              "<th>corpus</th><th>coverage</th><th>crashes</th></tr>")
            for t, r in sorted(fz["targets"].items()):
                cov = " ".join("%s %s" % kv for kv in sorted(r.get("coverage", {}).items()))
                cr = r.get("crashes", [])
                w("<tr><td>%s</td><td>%s</td><td>%s</td><td>%s</td><td>%s</td><td>%s</td><td class='%s'>%d</td></tr>" % (
                    esc(t), r.get("execs", 0), r.get("execs_per_sec", 0), r.get("execs_per_sec_per_core", 0),
                    r.get("corpus_size", 0), esc(cov), "FAIL" if cr else "PASS", len(cr)))
            w("</table>")
            for t, r in sorted(fz["targets"].items()):
                for c in r.get("crashes", []):
                    w("<p>%s: <a href='fuzz/%s'>%s</a> (%s); reproduce: <code>%s</code></p>" % (
                        esc(t), esc(c["file"]), esc(c["file"]), esc(c["kind"]), esc(c["reproduce"])))
        w("<pre>%s</pre>" % esc("\n".join(fz["tail"])))

    w("<h2>All tests</h2>")
    for name, p in sorted(s["profiles"].items()):
        w("<details><summary>%s: %s</summary><table><tr><th>suite</th><th>test</th><th>status</th><th>reason</th></tr>" % (
            esc(name), p["verdict"]))
        for su in SUITE_ORDER:
            for t in p["suites"].get(su, {}).get("tests", []):
                w("<tr><td>%s</td><td>%s</td><td class='%s'>%s</td><td>%s</td></tr>" % (
                    esc(su), esc(t["name"]), t["status"], t["status"], esc(t["reason"])))
        w("</table></details>")
    w("<p>JUnit: reports/junit/, TAP: reports/tap/, schema: docs/summary-schema.md</p></body></html>\n")
    with open(path, "w", encoding="utf-8") as f:
        f.write("".join(o))


if __name__ == "__main__":
    sys.exit(main())
