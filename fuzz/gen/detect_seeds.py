#!/usr/bin/env python3
# SPDX-License-Identifier: Apache-2.0
"""
fuzz/gen/detect_seeds.py - seeds of fuzz_profile_detect: the files image detection reads,
as records {u8 file, u16 LE length, bytes} (see fuzz/fuzz_profile_detect.c). One seed per
documented path of teeabi_profile_detect: each dstack line by VERSION_ID and platform,
point releases, os-release under /usr/lib, upstream kernel lines, the SVSM profile above
VMPL0, the running VMPL adopted by any SNP profile, CPU flags instead of device nodes, the
generic fallback, and rejected kernel releases.

    python3 fuzz/gen/detect_seeds.py [corpus-dir]   # default: corpus/ next to fuzz/

Removes the old gen-* files of the target and writes new ones. Deterministic.
"""
import os
import struct
import sys

ROOT = sys.argv[1] if len(sys.argv) > 1 else os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "..", "corpus")
OSR, OSR_USR, REL, CPUINFO, VMPL, DEV_TDX, DEV_SEV = range(7)


def rec(f, data):
    if isinstance(data, str):
        data = data.encode()
    return struct.pack("<BH", f, len(data)) + data


def osr(ident, ver):
    return 'PRETTY_NAME="x"\nID=%s\nVERSION_ID="%s"\n' % (ident, ver)


FLAGS_TDX = "processor\t: 0\nflags\t\t: fpu vme de pse tsc msr pae mce cx8 apic tdx_guest x2apic\n"
FLAGS_SNP = "processor\t: 0\nflags\t\t: fpu vme de pse tsc msr sev sev_es sev_snp x2apic\n"

SEEDS = {
    "dstack-059-tdx": [rec(OSR, osr("dstack", "0.5.9")), rec(REL, "6.9.0-dstack\n"), rec(DEV_TDX, "")],
    "dstack-0541-point": [rec(OSR, osr("dstack", "0.5.4.1")), rec(REL, "6.9.0\n"), rec(DEV_TDX, "")],
    "dstack-060-tdx": [rec(OSR, osr("dstack", "0.6.0")), rec(REL, "6.12.17-dstack\n"), rec(DEV_TDX, "")],
    "dstack-060-snp-vmpl0": [rec(OSR, osr("dstack", "0.6.0")), rec(REL, "6.12.17\n"), rec(DEV_SEV, ""),
                             rec(VMPL, "0\n")],
    "dstack-060-snp-vmpl2": [rec(OSR, osr("dstack", "0.6.0")), rec(REL, "6.12.17\n"), rec(DEV_SEV, ""),
                             rec(VMPL, "2\n")],
    "dstack-060a2-osversion": [rec(OSR, osr("dstack", "0.6.0.a2")), rec(REL, "6.12.8\n"), rec(DEV_TDX, "")],
    "dstack-059-on-snp": [rec(OSR, osr("dstack", "0.5.9")), rec(REL, "6.9.0\n"), rec(DEV_SEV, "")],
    "dstack-unknown-version": [rec(OSR, osr("dstack", "9.9.9")), rec(REL, "6.16.1\n"), rec(DEV_TDX, "")],
    "usr-lib-os-release": [rec(OSR_USR, osr("dstack", "0.5.9")), rec(REL, "6.9.0\n"), rec(DEV_TDX, "")],
    "upstream-616-tdx": [rec(OSR, osr("debian", "13")), rec(REL, "6.16.0-1-amd64\n"), rec(DEV_TDX, "")],
    "upstream-611-snp-svsm": [rec(OSR, osr("ubuntu", "24.10")), rec(REL, "6.11.0-8-generic\n"), rec(DEV_SEV, ""),
                              rec(VMPL, "1\n")],
    "upstream-611-snp-vmpl0": [rec(REL, "6.11.0\n"), rec(DEV_SEV, ""), rec(VMPL, "0")],
    "cpuflag-tdx": [rec(REL, "6.16.0\n"), rec(CPUINFO, FLAGS_TDX)],
    "cpuflag-snp-vmpl3": [rec(REL, "6.11.2\n"), rec(CPUINFO, FLAGS_SNP), rec(VMPL, "3\n")],
    "vmpl-garbage": [rec(REL, "6.11.0\n"), rec(DEV_SEV, ""), rec(VMPL, "1x\n")],
    "both-devices": [rec(REL, "6.12.0\n"), rec(DEV_TDX, ""), rec(DEV_SEV, "")],
    "generic-old": [rec(REL, "5.15.0-91-generic\n")],
    "generic-no-platform": [rec(OSR, osr("fedora", "41")), rec(REL, "6.13.0+\n")],
    "release-missing": [rec(OSR, osr("dstack", "0.6.0")), rec(DEV_TDX, "")],
    "release-bad": [rec(REL, "v6.16\n"), rec(DEV_TDX, "")],
    "release-suffix-bad": [rec(REL, "6.16rc1\n"), rec(DEV_TDX, "")],
    "release-big-major": [rec(REL, "1001.0\n")],
    "release-nul": [rec(REL, b"6.1\x00garbage\n"), rec(DEV_TDX, b"")],
}


def main():
    d = os.path.join(ROOT, "profile_detect")
    os.makedirs(d, exist_ok=True)
    for f in os.listdir(d):
        if f.startswith("gen-"):
            os.remove(os.path.join(d, f))
    for name, recs in sorted(SEEDS.items()):
        with open(os.path.join(d, "gen-" + name), "wb") as fh:
            fh.write(b"".join(recs))
    print("detect_seeds: %d seeds in %s" % (len(SEEDS), os.path.relpath(d)))


if __name__ == "__main__":
    main()
