#!/usr/bin/env python3
# SPDX-License-Identifier: Apache-2.0
"""kernel-lane/test_diff.py - the lane's report (diff.py) against hand-written bundle reports.

Each case writes one guest side and one mock side as the shipped bundle leaves them
(bundle/summary.json schema 2, bundle/tap/<profile>__<suite>.tap, suites.list, qualify.rc,
clients/), breaks one thing, runs diff.py and checks its verdict and the problem it names.
The clean case first: it must PASS, so every FAIL below comes from the one thing broken.
Run by scripts/check.d/69-kernel-lane-report.sh; Python 3 standard library only.
"""
import json
import os
import subprocess
import sys
import tempfile
import unittest

HERE = os.path.dirname(os.path.abspath(__file__))
PROFILE = "generic-6.12-tdx"
TESTS = [("tdx_guest.report.echo", "ok"), ("tdx_guest.report.bad_len", "ok"),
         ("tdx_guest.extend.dstack", "ok # SKIP profile generic-6.12-tdx: driver is not the dstack module")]
TAP = ("TAP version 13\n# teeabi suite tdx_guest on %s\n# profile %s (detected): platform tdx\n1..3\n"
       "ok 1 tdx_guest.report.echo\nok 2 tdx_guest.report.bad_len\n"
       "ok 3 tdx_guest.extend.dstack # SKIP profile generic-6.12-tdx: driver is not the dstack module\n"
       "# Totals: pass:2 fail:0 xfail:0 xpass:0 skip:1 error:0 (0.01 s)\n") % (PROFILE, PROFILE)
COUNTS = {"pass": 2, "fail": 0, "skip": 1, "brok": 0}
JUNIT = ('<?xml version="1.0" encoding="UTF-8"?>\n<testsuites>\n<testsuite name="tdx_guest" tests="3">\n'
         '  <testcase classname="tdx_guest" name="tdx_guest.report.echo">\n  </testcase>\n'
         '  <testcase classname="tdx_guest" name="tdx_guest.report.bad_len">\n  </testcase>\n'
         '  <testcase classname="tdx_guest" name="tdx_guest.extend.dstack">\n    <skipped message="driver is not the dstack module"/>\n  </testcase>\n'
         '</testsuite>\n</testsuites>\n')


def write(path, text):
    os.makedirs(os.path.dirname(path), exist_ok=True)
    with open(path, "w", encoding="utf-8") as f:
        f.write(text)


def side(d, mock=False):
    """One side's directory as boot.sh (guest) or mock.sh leaves it."""
    summary = {"schema_version": 2, "target": "real", "exit_code": 0, "verdict": "PASS",
               "detected": {"profile": PROFILE, "kernel": "6.12.95+deb12-cloud-amd64"},
               "totals": COUNTS,
               "profiles": {PROFILE: {"verdict": "PASS", "counts": COUNTS,
                                      "suites": {"tdx_guest": {"exit_code": 0, "counts": COUNTS}}}}}
    write(os.path.join(d, "bundle", "summary.json"), json.dumps(summary))
    write(os.path.join(d, "bundle", "tap", "%s__tdx_guest.tap" % PROFILE), TAP)
    write(os.path.join(d, "bundle", "junit", "%s__tdx_guest.xml" % PROFILE), JUNIT)
    write(os.path.join(d, "suites.list"), "tdx_guest\n")
    write(os.path.join(d, "qualify.rc"), "0\n")
    write(os.path.join(d, "clients", "quote.txt"), "mkdir=ok\nquote_bytes=%d\nexit=0\n" % (5163 if mock else 5160))
    write(os.path.join(d, "clients", "py-tdreport.txt"), "ioctl=0\nreportdata=00ff\ntdreport_bytes=1024\nexit=0\n")
    if mock:
        write(os.path.join(d, "profile"), PROFILE + "\n")
    else:
        write(os.path.join(d, "status"), "done\n")
        write(os.path.join(d, "kernel"), "6.12.95+deb12-cloud-amd64\n")


class LaneReport(unittest.TestCase):
    def setUp(self):
        self.tmp = tempfile.TemporaryDirectory()
        t = self.tmp.name
        self.real, self.mock, self.out = os.path.join(t, "real"), os.path.join(t, "mock"), os.path.join(t, "out")
        side(self.real)
        side(self.mock, mock=True)
        write(os.path.join(t, "drivers.sha256"), "%s  drivers/virt/coco/tdx-guest/tdx-guest.c\n" % ("ab" * 32))
        write(os.path.join(t, "res"), "")

    def tearDown(self):
        self.tmp.cleanup()

    def lane(self, *extra):
        t = self.tmp.name
        p = subprocess.run([sys.executable, os.path.join(HERE, "diff.py"), "--out", self.out,
                            "--resolutions", os.path.join(t, "res"),
                            "--run", "6.12:tdx:%s:%s:%s" % (self.real, self.mock, os.path.join(t, "drivers.sha256"))]
                           + list(extra), capture_output=True, text=True, check=False)
        with open(os.path.join(self.out, "summary.json"), encoding="utf-8") as f:
            return p.returncode, json.load(f)

    def assertFails(self, needle, *extra):
        rc, s = self.lane(*extra)
        self.assertEqual((rc, s["verdict"]), (1, "FAIL"), s["problems"])
        self.assertTrue(any(needle in p for p in s["problems"]), "no problem names %r: %s" % (needle, s["problems"]))
        return s

    def test_clean_passes(self):
        rc, s = self.lane()
        self.assertEqual((rc, s["verdict"], s["problems"]), (0, "PASS", []))
        k = s["kernels"][0]
        self.assertEqual(k["bundle"]["verdict"], "PASS")
        self.assertEqual(k["bundle"]["totals"], COUNTS)
        self.assertEqual(k["bundle"]["detected_profile"], PROFILE)
        self.assertEqual(k["suites"], {"tdx_guest": COUNTS})
        self.assertEqual(k["differences"], [])
        self.assertTrue(k["clients"]["quote"]["same"])   # quote_bytes: both positive

    def test_guest_summary_missing(self):
        os.unlink(os.path.join(self.real, "bundle", "summary.json"))
        s = self.assertFails("6.12/tdx: kernel: the bundle's summary.json is missing")
        k = s["kernels"][0]
        self.assertIsNone(k["bundle"]["verdict"])
        # every test of the bundle is a lost result on the kernel, never a PASS
        self.assertEqual(sorted(d["test"] for d in k["differences"]), sorted(n for n, _ in TESTS))
        self.assertTrue(all(d["real"] == "BROK" and d["real_reason"] == "result lost: the bundle's summary.json is missing"
                            for d in k["differences"]), k["differences"])

    def test_mock_summary_missing(self):
        os.unlink(os.path.join(self.mock, "bundle", "summary.json"))
        self.assertFails("6.12/tdx: mock: the bundle's summary.json is missing")

    def test_summary_not_schema_2(self):
        p = os.path.join(self.real, "bundle", "summary.json")
        with open(p, encoding="utf-8") as f:
            d = json.load(f)
        d["schema_version"] = 1
        write(p, json.dumps(d))
        self.assertFails("kernel: the bundle's summary.json is not schema_version 2")

    def test_summary_truncated(self):
        p = os.path.join(self.real, "bundle", "summary.json")
        with open(p, encoding="utf-8") as f:
            text = f.read()
        write(p, text[:len(text) // 2])
        self.assertFails("kernel: the bundle's summary.json is not JSON")

    def test_guest_tap_truncated(self):
        # the stream cut after the second result: no third result, no Totals line
        write(os.path.join(self.real, "bundle", "tap", "%s__tdx_guest.tap" % PROFILE), TAP[:TAP.index("ok 3")])
        s = self.assertFails("tdx_guest.report.echo BROK on the kernel: result lost: TAP file incomplete")
        self.assertTrue(all(d["real"] == "BROK" for d in s["kernels"][0]["differences"]))

    def test_guest_tap_missing(self):
        os.unlink(os.path.join(self.real, "bundle", "tap", "%s__tdx_guest.tap" % PROFILE))
        self.assertFails("BROK on the kernel: result lost: no TAP file")

    def test_junit_missing(self):
        os.unlink(os.path.join(self.real, "bundle", "junit", "%s__tdx_guest.xml" % PROFILE))
        self.assertFails("result lost: the bundle's JUnit file of tdx_guest is missing or not XML")

    def test_junit_truncated(self):
        write(os.path.join(self.real, "bundle", "junit", "%s__tdx_guest.xml" % PROFILE), JUNIT[:len(JUNIT) // 2])
        self.assertFails("result lost: the bundle's JUnit file of tdx_guest is missing or not XML")

    def test_junit_and_tap_disagree(self):
        write(os.path.join(self.mock, "bundle", "junit", "%s__tdx_guest.xml" % PROFILE),
              JUNIT.replace('bad_len">\n', 'bad_len">\n    <failure message="x"/>\n'))
        self.assertFails("result lost: the bundle's JUnit and TAP of tdx_guest disagree")

    def test_tap_and_summary_disagree(self):
        p = os.path.join(self.real, "bundle", "summary.json")
        with open(p, encoding="utf-8") as f:
            d = json.load(f)
        d["profiles"][PROFILE]["suites"]["tdx_guest"]["counts"] = {"pass": 1, "fail": 1, "skip": 1, "brok": 0}
        write(p, json.dumps(d))
        self.assertFails("summary.json {'pass': 1, 'fail': 1, 'skip': 1, 'brok': 0} disagree")

    def test_suite_not_in_summary(self):
        write(os.path.join(self.real, "suites.list"), "tdx_guest\nsev_guest\n")
        self.assertFails("sev_guest.(suite) BROK on the kernel: result lost: suite sev_guest is not in the bundle's summary.json")

    def test_qualify_exit_differs(self):
        write(os.path.join(self.real, "qualify.rc"), "1\n")
        self.assertFails("kernel: teeabi-qualify exited 1, its summary.json says 0")

    def test_suite_list_missing(self):
        os.unlink(os.path.join(self.real, "suites.list"))
        self.assertFails("kernel: the bundle's suite list (suites.list) is missing")

    def test_detected_profile_differs(self):
        write(os.path.join(self.mock, "profile"), "generic-6.12-snp\n")
        self.assertFails("guest detected profile generic-6.12-tdx, mock ran generic-6.12-snp")

    def test_python_client_differs(self):
        write(os.path.join(self.real, "clients", "py-tdreport.txt"), "ioctl=0\nreportdata=0000\ntdreport_bytes=1024\nexit=0\n")
        self.assertFails("client py-tdreport")

    def test_python_client_missing_in_guest(self):
        os.unlink(os.path.join(self.real, "clients", "py-tdreport.txt"))
        self.assertFails("client py-tdreport: kernel None")

    def test_blob_length_zero(self):
        write(os.path.join(self.real, "clients", "py-tdreport.txt"), "ioctl=0\nreportdata=00ff\ntdreport_bytes=0\nexit=0\n")
        self.assertFails("client py-tdreport")

    def planted_fw(self, fail):
        """A guest run with a fault planted in the firmware, in which test FAIL FAILs."""
        d = os.path.join(self.tmp.name, "planted")
        side(d)
        write(os.path.join(d, "bundle", "tap", "%s__tdx_guest.tap" % PROFILE),
              TAP.replace("ok 1 %s\n" % fail, "not ok 1 %s # FAIL report data not echoed\n" % fail)
                 .replace("pass:2 fail:0", "pass:1 fail:1"))
        write(os.path.join(d, "bundle", "junit", "%s__tdx_guest.xml" % PROFILE),
              JUNIT.replace('%s">\n' % fail, '%s">\n    <failure message="report data not echoed"/>\n' % fail))
        p = os.path.join(d, "bundle", "summary.json")
        with open(p, encoding="utf-8") as f:
            x = json.load(f)
        x["profiles"][PROFILE]["suites"]["tdx_guest"]["counts"] = {"pass": 1, "fail": 1, "skip": 1, "brok": 0}
        write(p, json.dumps(x))
        return "--planted-fw", "6.12:tdx:tdx-reportdata-not-echoed:" + d

    def test_planted_firmware_fault_seen(self):
        rc, s = self.lane(*self.planted_fw("tdx_guest.report.echo"))
        self.assertEqual((rc, s["verdict"]), (0, "PASS"), s["problems"])
        self.assertEqual([d["test"] for d in s["planted"][0]["differences"]], ["tdx_guest.report.echo"])

    def test_planted_firmware_fault_only_where_the_clean_kernel_fails(self):
        # the same test FAILs on the clean kernel too (a resolved lane property): no detection
        write(os.path.join(self.tmp.name, "res"), "* * tdx_guest.report.echo lane property (test)\n")
        self.planted_fw("tdx_guest.report.echo")
        d = os.path.join(self.tmp.name, "planted")
        for name in ("summary.json", os.path.join("tap", "%s__tdx_guest.tap" % PROFILE),
                     os.path.join("junit", "%s__tdx_guest.xml" % PROFILE)):
            with open(os.path.join(d, "bundle", name), encoding="utf-8") as f:
                write(os.path.join(self.real, "bundle", name), f.read())
        self.assertFails("planted firmware fault tdx-reportdata-not-echoed on 6.12/tdx shows no difference",
                         "--planted-fw", "6.12:tdx:tdx-reportdata-not-echoed:" + d)


if __name__ == "__main__":
    unittest.main(verbosity=1)
