#!/usr/bin/env bash
# check step: the kernel lane's report (kernel-lane/diff.py) against hand-written bundle
# reports (kernel-lane/test_diff.py): the clean pair PASSes; a missing, truncated or
# non-schema-2 bundle summary.json, a truncated or missing TAP, a TAP that disagrees with the
# summary, a suite of the bundle missing from it, teeabi-qualify's exit status differing from
# the summary's, a detected profile other than the mock's, or a Python client answer that
# differs each make the lane FAIL with that problem named. No QEMU: runs everywhere.
# Budget: about 2 s.
set -uo pipefail
cd "$(dirname "$0")/../.." || exit 1
python3 kernel-lane/test_diff.py
