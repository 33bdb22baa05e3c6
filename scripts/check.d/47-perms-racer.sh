#!/usr/bin/env bash
# check step: the perms suite never widens access to the shared node (issue: it used to
# chmod the real /dev/tdx_guest 0666 for milliseconds; any local user could open it then
# and keep the fd). scripts/tst_attack.py racer: a process as uid 65534 loops open(2) of the
# node, one as uid 1000 loops open of /proc/<every pid>/root<node>, a thread stats the node
# in a tight loop, while the suite runs TST_RACER_RUNS times (default 10):
#  1. build/suites/perms on a simulated real guest (mockenv, no --allow-destructive), TDX
#     and SNP: the FUSE node cannot be copied, so the widening test SKIPs; no fd, no mode change;
#  2. the private-copy mechanism (common/widen.c) on a real character device (a node with
#     /dev/zero's rdev, 0600) via selftest.widen: it must PASS (uid 1000 gets EACCES, then
#     reads zeros from the widened private copy) while the racers get no fd and the shared
#     node stays 0600.
# Budget: about 20 s. Needs root (mknod, mount namespaces, other uids); else exit 77.
set -uo pipefail
cd "$(dirname "$0")/../.."
A="python3 scripts/tst_attack.py"
N=${TST_RACER_RUNS:-10}
fail=0
bad() { echo "FAIL: $*"; fail=1; }
if [ "$(id -u)" -ne 0 ]; then echo "not run: needs root (mknod, namespaces, racers as other uids)"; exit 77; fi
for b in build/suites/perms build/suites/selftest build/bin/mockenv; do [ -x "$b" ] || { echo "FAIL: $b not built"; exit 1; }; done
for pn in dstack-0.6.0-tdx:/dev/tdx_guest dstack-0.6.0-snp:/dev/sev-guest; do
  prof=${pn%%:*} node=${pn#*:}
  build/bin/mockenv --profile "$prof" -- $A racer --runs "$N" --node "$node" \
    --expect "SKIP $node is not a character device" -- build/suites/perms || bad "perms on $prof: a racer got in or the mode changed"
done
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
chmod 755 "$tmp"
mknod -m 0600 "$tmp/node" c "$(stat -c '%t' /dev/zero | xargs printf '%d')" "$(stat -c '%T' /dev/zero | xargs printf '%d')"
TST_SELFTEST_CHRDEV=$tmp/node $A racer --runs "$((N * 2))" --node "$tmp/node" --expect "ok 1 selftest.widen" -- \
  build/suites/selftest --profile upstream-6.16-tdx -t selftest.widen || bad "private copy of a character device: a racer got in, the mode changed or the check failed"
exit $fail
