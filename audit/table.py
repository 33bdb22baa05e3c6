#!/usr/bin/env python3
"""table.py - the audit table (markdown) from deviations.tsv, the patches' headers and results/.
Observable: the first line that differs between NN.before and NN.after (the probe's output on
the clean and on the patched tree). Caught: the distinct test names of the "not ok" lines of
NN.suite (every profile of the mock matrix), with the number of profile runs that failed."""
import collections, difflib, glob, os, re, sys

# AUDIT_DIR: the round's directory (default: this script's, round 1)
here = os.environ.get("AUDIT_DIR") or os.path.dirname(os.path.abspath(__file__))
# legal by the docs, not deviations: 04 formats.md §2.1 (quote bytes 8..11: "do not reject non-zero
# values"); 20 dstack-os.md §3 (GetKey at HEAD: "purpose affects only the signature chain")
excluded = {"04", "20"}
rows, surv, obs_n, seen = [], [], 0, set()
for line in open(os.path.join(here, "deviations.tsv")):
    if line.startswith("#") or not line.strip():
        continue
    nn, area, prof = line.rstrip("\n").split("\t")
    seen.add(nn)
    patch = glob.glob(os.path.join(here, "deviations", nn + "-*.patch"))[0]
    name = os.path.basename(patch)[len(nn) + 1:-6]
    res = os.path.join(here, "results", nn)
    try:
        before = open(res + ".before").read().splitlines()
        after = open(res + ".after").read().splitlines()
        suite = open(res + ".suite").read().splitlines()
    except OSError:
        rows.append(f"| {nn} | {name} | {area} | (not run) | | | |")
        continue
    d = [l for l in difflib.unified_diff(before, after, lineterm="", n=0) if l[:1] in "+-" and l[:3] not in ("+++", "---")]
    observable = bool(d)
    def cut(s):
        return (s[:90] + "...") if len(s) > 93 else s
    b = next((l[1:] for l in d if l[0] == "-"), "")
    a = next((l[1:] for l in d if l[0] == "+"), "")
    # the first differing line, shown around its first differing character
    i = next((k for k in range(min(len(a), len(b))) if a[k] != b[k]), min(len(a), len(b)))
    def win(x):
        lo = max(0, i - 12)
        key = x.split("=", 1)[0] + "=" if "=" in x[:lo] else ""
        return cut(key + ("..." if lo > len(key) else "") + x[max(lo, len(key)):i + 36] + ("..." if len(x) > i + 36 else ""))
    ev = f"before `{win(b)}` after `{win(a)}`" if observable else "no difference"
    tests = collections.Counter()
    brok = False
    for l in suite:
        m = re.match(r"^(\S+?)__\S+: not ok \d+ (\S+)(.*)$", l)
        if m:
            tests[m.group(2)] += 1
            brok = brok or "BROK" in m.group(3)
    exitline = suite[0] if suite else ""
    if not observable:
        verdict = "not observable"
    elif nn in excluded:
        verdict = "excluded (legal)"
    elif tests:
        verdict = "caught" + (" (BROK among them)" if brok else "")
    else:
        verdict = "**survived**"
    if observable and nn not in excluded:
        obs_n += 1
        if not tests:
            surv.append(nn)
    top = tests.most_common()
    by = ", ".join(f"`{t}` ({n})" for t, n in top[:4]) + (f", +{len(top) - 4} more" if len(top) > 4 else "") if tests else "-"
    rows.append(f"| {nn} | {name} | {area} | {ev.replace('|', '/')} | {prof} | {verdict} | {by} |")
print("| # | deviation | area | observable by probe (first differing line) | probe profile | result (suite on every profile) | caught by (profile runs failing) |")
print("|---|---|---|---|---|---|---|")
print("\n".join(rows))
print()
print(f"Survival rate: {len(surv)} survived of {obs_n} observable deviations = {100.0 * len(surv) / obs_n:.0f} % "
      f"(survivors: {', '.join(surv)}; excluded: {', '.join(sorted(excluded & seen)) or 'none'}).")
