#!/usr/bin/env python3
# SPDX-License-Identifier: Apache-2.0
"""kernel-lane/pyroot.py DEST SCRIPT: a stripped-down copy of this machine's Python 3 for the
lane's guest, enough to run SCRIPT (the Python client, mocks/clients/pyclient.py) there.

Copies into DEST, at the host's own paths (so the interpreter finds its prefix as it does
here): the interpreter binary (sys.executable resolved, plus a python3 link), the stdlib
modules SCRIPT loads and the startup modules Python itself loads (found by running SCRIPT
with no arguments, its usage, under `-X importtime` in an empty environment: every top-level
import runs), os.py (the landmark Python looks for to find its prefix) and lib-dynload/ with
the extension modules among them. Only files of the standard library: nothing from
site-packages / dist-packages or /etc (Debian's sitecustomize), so the guest's Python is
the bare stdlib the client is written against. The shared libraries of the binary and of
the extension modules are boot.sh's (its ldd pass over the initramfs).

Prints the files copied (relative to DEST), one a line. Only for the lane's guest: the
shipped bundle has no Python.
"""
import importlib.util
import os
import shutil
import subprocess
import sys
import sysconfig


def imported(script):
    """The module names SCRIPT's usage run imports, startup included."""
    env = {"PATH": "/usr/bin:/bin"}
    p = subprocess.run([sys.executable, "-X", "importtime", script], env=env, stdout=subprocess.DEVNULL,
                       stderr=subprocess.PIPE, text=True, check=False)
    names = []
    for line in p.stderr.splitlines():
        if not line.startswith("import time:"):
            continue
        cols = line.split("|")
        if len(cols) == 3 and cols[0].strip() != "import time: self [us]":
            names.append(cols[2].strip())
    if not names:
        sys.exit("pyroot.py: %s -X importtime %s printed no imports" % (sys.executable, script))
    return names


def main():
    if len(sys.argv) != 3:
        sys.exit("usage: pyroot.py DEST SCRIPT")
    dest, script = sys.argv[1], sys.argv[2]
    stdlib = os.path.realpath(sysconfig.get_paths()["stdlib"])
    dynload = os.path.join(stdlib, "lib-dynload")
    files = {os.path.realpath(sys.executable), os.path.join(stdlib, "os.py")}
    for name in imported(script):
        try:
            spec = importlib.util.find_spec(name)
        except (ImportError, ValueError):
            spec = None
        origin = spec.origin if spec else None
        if not origin or origin in ("built-in", "frozen"):
            continue
        origin = os.path.realpath(origin)
        if not origin.startswith(stdlib + "/") or "-packages/" in origin:
            continue   # site-packages, dist-packages, /etc/python3.x: not the stdlib
        files.add(origin)
    os.makedirs(dest + dynload, exist_ok=True)
    for f in sorted(files):
        d = dest + f
        os.makedirs(os.path.dirname(d), exist_ok=True)
        shutil.copy2(f, d)
        print(f.lstrip("/"))
    exe = os.path.realpath(sys.executable)
    link = os.path.join(dest + os.path.dirname(exe), "python3")
    if not os.path.lexists(link):
        os.symlink(os.path.basename(exe), link)


if __name__ == "__main__":
    main()
