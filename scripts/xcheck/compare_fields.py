#!/usr/bin/env python3
"""scripts/xcheck/compare_fields.py - compare a third-party parser's view of evidence files
(JSON lines with teeabi-parse's field names, e.g. from dcap_qvl_fields.js) with teeabi-parse's.

usage: compare_fields.py [--stricter-ok] THIRD_PARTY.jsonl TEEABI.jsonl LABEL

Every field the third party reports must equal teeabi-parse's; a file one side rejects and
the other accepts is a disagreement. With --stricter-ok (crafted inputs), a file that only
teeabi-parse rejects is listed ("stricter:", with teeabi-parse's error) but not counted:
teeabi's parsers check more than a verifier's decoder does, by design. A file that only the
third party rejects always counts. Prints one line per file and a summary; exit status 0
when all agree, 1 otherwise.
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


def main():
    args = sys.argv[1:]
    stricter_ok = args[:1] == ["--stricter-ok"]
    if stricter_ok:
        args = args[1:]
    theirs, ours, label = load(args[0]), load(args[1]), args[2]
    bad = fields_compared = stricter = 0
    for name in sorted(theirs):
        t, o = theirs[name], ours.get(name)
        if o is None:
            print("FAIL: %s %s: teeabi-parse gave no line" % (label, name))
            bad += 1
            continue
        if "error" in t or "error" in o:
            if "error" in t and "error" in o:
                print("ok: %s %s: both reject (%s / %s)" % (label, name, t["error"][:60], o["error"][:60]))
            elif stricter_ok and "error" in o:
                print("stricter: %s %s: only teeabi-parse rejects: %s" % (label, name, o["error"]))
                stricter += 1
            else:
                print("FAIL: %s %s: disagree on acceptance: third party %s, teeabi-parse %s" % (
                    label, name, t.get("error", "accepts"), o.get("error", "accepts")))
                bad += 1
            continue
        diff = [k for k in t if k != "file" and o.get(k) != t[k]]
        fields_compared += len(t) - 1
        if diff:
            print("FAIL: %s %s: fields differ: %s" % (label, name, ", ".join(
                "%s third party %r teeabi-parse %r" % (k, t[k], o.get(k)) for k in diff)))
            bad += 1
        else:
            print("ok: %s %s: %d fields equal" % (label, name, len(t) - 1))
    print("%s: %d files, %d fields compared, %d disagreement(s)%s" % (
        label, len(theirs), fields_compared, bad, ", %d rejected by teeabi-parse only" % stricter if stricter_ok else ""))
    return 1 if bad else 0


if __name__ == "__main__":
    sys.exit(main())
