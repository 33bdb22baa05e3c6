#!/usr/bin/env python3
"""bench/manifest_fields.py MANIFEST.md - the field values vectors/MANIFEST.md states per file
("### `path`" sections, "  - key: `value`" lines), one "vectors/path<TAB>key<TAB>value" line
each, for tools/bench_parse.c --expect. A value is the first word inside the backticks
("0000004000000000 (u64 LE 0x40000000)" -> "0000004000000000"); "all zero (N bytes)" and
"all 0xFF (N bytes)" become N bytes of hex. Written apart from the parsers: the values
come from the manifest's authors, who read them off the bytes."""
import re
import sys

path = None
for line in open(sys.argv[1], encoding="utf-8"):
    m = re.match(r"^### `([^`]+)`\s*$", line)
    if m:
        path = "vectors/" + m.group(1)
        continue
    if line.startswith("#"):
        path = None
        continue
    m = re.match(r"^  - ([a-z0-9_]+): (.*)$", line.rstrip("\n"))
    if not m or not path:
        continue
    key, rest = m.groups()
    v = re.match(r"^`([^`]*)`", rest)
    z = re.match(r"^all (zero|0xFF) \((\d+) bytes\)", rest)
    if v:
        value = v.group(1).split(" ")[0]
    elif z:
        value = ("00" if z.group(1) == "zero" else "ff") * int(z.group(2))
    else:
        continue
    print(f"{path}\t{key}\t{value}")
