#!/usr/bin/env python3
"""scripts/xcheck/compare_fields.py - compare a third-party parser's view of evidence files
(JSON lines with teeabi-parse's field names, e.g. from dcap_qvl_fields.js) with teeabi-parse's.

usage: compare_fields.py [--stricter-ok] [--theirs-rejects-ok] [--quiet] THIRD_PARTY.jsonl TEEABI.jsonl LABEL

Every field the third party reports must equal teeabi-parse's; a file one side rejects and
the other accepts is a disagreement. With --stricter-ok (crafted inputs), a file that only
teeabi-parse rejects is listed ("stricter:", with teeabi-parse's error) but not counted:
teeabi's parsers check more than a verifier's decoder does, by design. A file that only the
third party rejects counts too, unless --theirs-rejects-ok (a third party that is a verifier
with policies of its own, e.g. VCEK-only, or a decoder that predates a report version): then
it is listed ("theirs-rejects:", with its reason and teeabi-parse's warnings) but not
counted. Fields of files both accept must always be equal. Prints one line per file and a
summary (--quiet: only failures and the summary); exit status 0 when all agree, 1 otherwise.
"""
import json
import sys


def load(path):
    out = {}
    with open(path, encoding="utf-8") as f:
        for line in f:
            line = line.strip()
            if line:
                d = json.loads(line)
                out[d["file"]] = d
    return out


def value(d, key):
    """d[key], where "a.b" names member b of the object d["a"]."""
    for part in key.split("."):
        if not isinstance(d, dict) or part not in d:
            return None
        d = d[part]
    return d


def main():
    args = sys.argv[1:]
    flags = {a for a in args if a.startswith("--")}
    args = [a for a in args if not a.startswith("--")]
    stricter_ok, theirs_ok = "--stricter-ok" in flags, "--theirs-rejects-ok" in flags
    say_ok = print if "--quiet" not in flags else (lambda *a: None)
    theirs, ours, label = load(args[0]), load(args[1]), args[2]
    bad = fields_compared = stricter = theirs_rejects = 0
    for name in sorted(theirs):
        t, o = theirs[name], ours.get(name)
        if o is None:
            print("FAIL: %s %s: teeabi-parse gave no line" % (label, name))
            bad += 1
            continue
        if "error" in t or "error" in o:
            if "error" in t and "error" in o:
                say_ok("ok: %s %s: both reject (%s / %s)" % (label, name, t["error"][:60], o["error"][:60]))
            elif stricter_ok and "error" in o:
                say_ok("stricter: %s %s: only teeabi-parse rejects: %s" % (label, name, o["error"]))
                stricter += 1
            elif theirs_ok and "error" in t:
                say_ok("theirs-rejects: %s %s: only the third party rejects: %s; teeabi-parse warnings %s" % (
                    label, name, t["error"], o.get("warnings")))
                theirs_rejects += 1
            else:
                print("FAIL: %s %s: disagree on acceptance: third party %s, teeabi-parse %s" % (
                    label, name, t.get("error", "accepts"), o.get("error", "accepts")))
                bad += 1
            continue
        diff = [k for k in t if k != "file" and value(o, k) != t[k]]
        fields_compared += len(t) - 1
        if diff:
            print("FAIL: %s %s: fields differ: %s" % (label, name, ", ".join(
                "%s third party %r teeabi-parse %r" % (k, t[k], value(o, k)) for k in diff)))
            bad += 1
        else:
            say_ok("ok: %s %s: %d fields equal" % (label, name, len(t) - 1))
    extra = ""
    if stricter_ok:
        extra += ", %d rejected by teeabi-parse only" % stricter
    if theirs_ok:
        extra += ", %d rejected by the third party only" % theirs_rejects
    print("%s: %d files, %d fields compared, %d disagreement(s)%s" % (label, len(theirs), fields_compared, bad, extra))
    return 1 if bad else 0


if __name__ == "__main__":
    sys.exit(main())
