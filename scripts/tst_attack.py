#!/usr/bin/env python3
# SPDX-License-Identifier: Apache-2.0
"""scripts/tst_attack.py - attacks on a suite binary, for the check steps 46-tst-signals.sh
and 47-perms-racer.sh. Each subcommand prints one summary line with its counts and exits 1
on the first broken promise (with what broke), 0 when every run held.

  sigwait SUITE SIG pid|group   the selftest that waits with a registered entry: one signal,
                                exact exit, entry removed, TAP/JUnit say interrupted
  signals --runs N SUITE ARGS   (inside mockenv) the suite doing configfs work, signalled at
                                random points (every other run: as soon as a teeabi-* entry
                                exists): exit 128+N (or 0 when it finished first), Bail out!
                                last, no teeabi-* entry left, some entry removed by the harness
  vanish SUITE ARGS             (inside mockenv) the mockfs daemon killed at a random point
                                of the suite: exit 1 with a BROK that says "vanished", never a
                                SKIP "no <path>"; exit 3 when the suite finished first;
                                --before: killed before the suite starts: exit 1, BROK
                                "... at the start of the suite", no SKIP for an absent node
  racer --runs N --node PATH -- CMD...   a process as uid 65534 (and one as uid 1000 trying
                                /proc/<pid>/root/PATH) loops open(PATH) while CMD runs N times;
                                a thread stats PATH in a tight loop: no fd is ever obtained and
                                the mode never changes
"""
import argparse
import errno
import fcntl
import os
import random
import signal
import subprocess
import sys
import tempfile
import threading
import time

REPORT_ROOT = "/sys/kernel/config/tsm/report"


def die(msg):
    print("FAIL: " + msg)
    sys.exit(1)


def signame(sig):
    return signal.Signals(sig).name


def leftovers():
    try:
        return sorted(e for e in os.listdir(REPORT_ROOT) if e.startswith("teeabi-"))
    except OSError:
        return []


def read_last_line(path):
    try:
        with open(path) as f:
            lines = f.read().splitlines()
    except OSError as e:
        return None, "cannot read %s: %s" % (path, e)
    return (lines[-1] if lines else ""), None


def start(cmd):
    # A session of its own: its process group is the one a CI cancel would signal.
    return subprocess.Popen(cmd, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
                            start_new_session=True)


def wait_for_plan(p):
    """Read stdout up to the plan line (the harness has its signals set up by then)."""
    head = []
    for line in p.stdout:
        head.append(line)
        if line.startswith("1.."):
            break
    return head


def alive(pid):
    try:
        return os.waitid(os.P_PID, pid, os.WEXITED | os.WNOHANG | os.WNOWAIT) is None
    except ChildProcessError:
        return False


def send(p, sig, group):
    if group:
        os.killpg(p.pid, sig)
    else:
        os.kill(p.pid, sig)


def check_interrupted(what, rc, sig, out, tap, late_ok=False):
    """Returns True when the signal came after the results were written (exit 128+N with a
    complete TAP file: the suite was leaving), which only late_ok accepts."""
    want = "Bail out! interrupted by %s" % signame(sig)
    if rc != 128 + sig:
        die("%s: exit %s after %s, want %d" % (what, rc, signame(sig), 128 + sig))
    lines = out.splitlines()
    last, err = read_last_line(tap)
    if late_ok and lines and lines[-1].startswith("# Totals:") and last == lines[-1]:
        results = [l for l in lines if l.startswith(("ok ", "not ok "))]
        plan = [l for l in lines if l.startswith("1..")]
        if plan != ["1..%d" % len(results)]:
            die("%s: exit %d with a Totals line but %s and %d results" % (what, rc, plan, len(results)))
        return True
    if not lines or lines[-1] != want:
        die("%s: stdout does not end with %r: %r" % (what, want, lines[-1:]))
    if err or last != want:
        die("%s: --tap does not end with %r (%s)" % (what, want, err or repr(last)))
    return False


def cmd_sigwait(a):
    tmp = tempfile.mkdtemp()
    d = os.path.join(tmp, "entry")
    tap, junit = os.path.join(tmp, "t.tap"), os.path.join(tmp, "j.xml")
    sig = getattr(signal, "SIG" + a.sig)
    env = dict(os.environ, TST_SELFTEST_SIGDIR=d)
    p = subprocess.Popen([a.suite, "--profile", "upstream-6.16-tdx", "-t", "selftest.pass", "-t", "selftest.sigwait", "-t", "selftest.after",
                          "--tap", tap, "--junit", junit], stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
                         start_new_session=True, env=env)
    deadline = time.time() + 10
    while not os.path.isdir(d):
        if time.time() > deadline or p.poll() is not None:
            die("selftest.sigwait never created its entry")
        time.sleep(0.005)
    send(p, sig, a.target == "group")
    out, err = p.communicate(timeout=30)
    what = "selftest.sigwait + %s to the %s" % (signame(sig), a.target)
    check_interrupted(what, p.returncode, sig, out, tap)
    if os.path.exists(d):
        die("%s: the registered entry %s is still there" % (what, d))
    reason = "interrupted by %s" % signame(sig)
    text = open(tap).read()
    if "ok 1 selftest.pass\n" not in text:
        die("%s: selftest.pass, which ran before the signal, is not ok" % what)
    for n, name in ((2, "selftest.sigwait"), (3, "selftest.after")):
        if "not ok %d %s # error %s\n" % (n, name, reason) not in text:
            die("%s: %s is not BROK %r in the TAP file" % (what, name, reason))
    import xml.etree.ElementTree as ET
    ts = ET.parse(junit).getroot().find("testsuite")
    if ts.get("errors") != "2" or [e.get("message") for e in ts.iter("error")] != [reason, reason]:
        die("%s: JUnit errors %s %r" % (what, ts.get("errors"), [e.get("message") for e in ts.iter("error")]))
    if reason not in err:
        die("%s: stderr does not say %r: %r" % (what, reason, err))
    print("ok: %s: exit %d, entry removed, the running and the next test BROK %r, TAP ends Bail out!" %
          (what, p.returncode, reason))
    os.rmdir(tmp) if not os.listdir(tmp) else subprocess.run(["rm", "-rf", tmp])


def cmd_signals(a):
    tmp = tempfile.mkdtemp()
    tap = os.path.join(tmp, "t.tap")
    sigs = [signal.SIGTERM, signal.SIGHUP, signal.SIGINT, signal.SIGQUIT]
    # How long one undisturbed run takes: the signals fall inside that span.
    t0 = time.time()
    r = subprocess.run([a.suite] + a.args, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    span = time.time() - t0
    if r.returncode != 0:
        die("the undisturbed run of %s exits %d" % (a.suite, r.returncode))
    if leftovers():
        die("the undisturbed run left %s" % leftovers())
    mode0 = os.stat(a.mode_of).st_mode if a.mode_of else 0
    counts = {"interrupted": 0, "finished first": 0, "removed": 0, "raced": 0, "while leaving": 0}
    per_sig = {signame(s): 0 for s in sigs}
    for i in range(a.runs):
        sig = sigs[i % len(sigs)]
        group = (i // len(sigs)) % 2 == 0
        if os.path.exists(tap):
            os.unlink(tap)
        p = start([a.suite, "--tap", tap] + a.args)
        head = wait_for_plan(p)
        if i % 2:
            # Every other run: the moment a test's entry shows up (then it surely exists).
            until = time.time() + 3 * span
            while time.time() < until and not leftovers():
                pass
        else:
            time.sleep(random.uniform(0, span))
        sent = alive(p.pid)
        # The --tap file is renamed into place just before the suite leaves: from then on only
        # the kernel's teardown of the exiting process can swallow a signal.
        written = os.path.exists(tap)
        if sent:
            send(p, sig, group)
        out, err = p.communicate(timeout=120)
        out = "".join(head) + out
        what = "run %d (%s to the %s)" % (i + 1, signame(sig), "group" if group else "pid")
        left = leftovers()
        if left:
            die("%s: left %s in %s" % (what, left, REPORT_ROOT))
        if a.mode_of and os.stat(a.mode_of).st_mode != mode0:
            die("%s: %s left with mode %o, was %o" % (what, a.mode_of, os.stat(a.mode_of).st_mode & 0o7777,
                                                       mode0 & 0o7777))
        if not sent:
            if p.returncode != 0:
                die("%s: finished before the signal with exit %d" % (what, p.returncode))
            counts["finished first"] += 1
            continue
        if p.returncode == 0:
            if not written:
                die("%s: exit 0 although signalled before its results were written" % what)
            counts["raced"] += 1
            continue
        if check_interrupted(what, p.returncode, sig, out, tap, late_ok=True):
            counts["while leaving"] += 1
            continue
        counts["interrupted"] += 1
        per_sig[signame(sig)] += 1
        # Entries that existed when the signal came and that the harness removed.
        counts["removed"] += open(tap).read().count("# cleanup: removed ")
        counts["removed"] += open(tap).read().count("# cleanup: restored mode ")
    subprocess.run(["rm", "-rf", tmp])
    if a.runs >= 8 and not counts["removed"]:
        die("no signal came while a test's entry existed: the cleanup on interruption was never exercised")
    if counts["interrupted"] < a.runs // 2:
        die("only %d of %d runs were interrupted: the signals came too late to test anything" %
            (counts["interrupted"], a.runs))
    print("signals: %d runs of %s, %d interrupted at random points (%s), %d finished first, %d signalled while "
          "leaving (exit 128+N, results complete), %d raced the process's exit (exit 0 after its results "
          "were written); every interrupted run exited 128+N with "
          "Bail out!, no teeabi-* entry left (%d entries or modes the interrupted tests had left were undone by the "
          "harness%s)" %
          (a.runs, os.path.basename(a.suite), counts["interrupted"],
           ", ".join("%s %d" % kv for kv in per_sig.items()), counts["finished first"], counts["while leaving"],
           counts["raced"], counts["removed"], ", %s kept its mode %o" % (a.mode_of, mode0 & 0o7777) if a.mode_of else ""))


def mockfs_kill():
    """Kill mockenv's mockfs daemon (SIGKILL). The command runs in a PID namespace of its own,
    which has no name for the daemon: under `mockenv --bench` the daemon SIGKILLs itself on
    the ioctl _IO('t', 0x7d) on its device node. False if there is no node to ask."""
    for node in ("/dev/tdx_guest", "/dev/sev-guest"):
        try:
            fd = os.open(node, os.O_RDONLY)
        except OSError:
            continue
        try:
            fcntl.ioctl(fd, 0x747d)
            die("the ioctl that kills mockfs returned 0")
        except OSError as e:
            if e.errno == errno.ENOTTY:
                die("mockfs refused its kill ioctl (mockenv run without --bench?)")
            # anything else: the daemon died under the request (ENOTCONN, ECONNABORTED)
        finally:
            try:
                os.close(fd)
            except OSError:
                pass  # the close's FLUSH finds the daemon gone
        return True
    return False


def cmd_vanish(a):
    """One run per mockenv (the daemon does not come back). Exit 0: a test saw the kill and
    the run says BROK; 3: the suite finished before the kill took effect; 1: a lie.
    mockenv answers the daemon's death with a SIGTERM to this script (the suite, its child,
    does not get it) and SIGKILL 3 s later: the script stays to judge the suite's run."""
    signal.signal(signal.SIGTERM, lambda *_: None)
    if a.before:
        # Dead before the suite starts: its interfaces are there but broken, not absent.
        if not mockfs_kill():
            die("no mockfs device node to kill the daemon through (not inside mockenv?)")
        time.sleep(0.2)
        r = subprocess.run([a.suite] + a.args, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True)
        lies = [l for l in r.stdout.splitlines() if "# SKIP no /" in l or "# SKIP not a confidential VM" in l]
        broken = [l for l in r.stdout.splitlines() if l.startswith("not ok") and "at the start of the suite" in l]
        if lies or r.returncode != 1 or not broken:
            die("daemon dead before %s: exit %d, %d BROK, first lie: %s" %
                (a.suite, r.returncode, len(broken), lies[:1]))
        print("vanish: daemon dead before %s: exit 1, %d results BROK (%s)" %
              (os.path.basename(a.suite), len(broken), broken[0].split(" # error ")[1]))
        return
    t0 = time.time()
    r = subprocess.run([a.suite] + a.args, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True)
    span = time.time() - t0
    if r.returncode != 0 or "# SKIP no /" in r.stdout:
        die("the undisturbed run of %s exits %d or skips for an absent node" % (a.suite, r.returncode))
    p = start([a.suite] + a.args)
    plan = wait_for_plan(p)[-1].strip()
    time.sleep(random.uniform(0, span * 0.8))
    if not alive(p.pid):
        p.communicate()
        print("vanish: %s finished before the kill" % os.path.basename(a.suite))
        sys.exit(3)
    if not mockfs_kill():
        die("no mockfs device node to kill the daemon through (not inside mockenv?)")
    out, err = p.communicate(timeout=300)
    results = [l for l in out.splitlines() if l.startswith(("ok ", "not ok "))]
    nosuch = [l for l in results if "# SKIP no /" in l]
    if nosuch:
        die("after the daemon was killed a test says SKIP for an absent node (exit %d): %s" % (p.returncode, nosuch[0]))
    if "1..%d" % len(results) != plan:
        die("plan %s but %d results after the kill" % (plan, len(results)))
    vanished = [l for l in results if "vanished during the run" in l]
    if p.returncode == 0 and not vanished:
        print("vanish: %s finished before the kill took effect (all %d results recorded)" %
              (os.path.basename(a.suite), len(results)))
        sys.exit(3)
    if p.returncode != 1 or not vanished:
        die("exit %d after the daemon was killed, %d results say 'vanished'" % (p.returncode, len(vanished)))
    print("vanish: %s exit 1, %d of %d results BROK 'vanished during the run' (first: %s)" %
          (os.path.basename(a.suite), len(vanished), len(results), vanished[0].split(" # ")[0]))


def racer(node, uid, stop, via_proc, q):
    """Child: loop open(node) as uid until stop exists; report how many opens succeeded."""
    os.setgroups([])
    os.setresgid(uid, uid, uid)
    os.setresuid(uid, uid, uid)
    got, tries = 0, 0
    while not os.path.exists(stop):
        paths = [node]
        if via_proc:
            paths = []
            for pid in os.listdir("/proc"):
                if pid.isdigit():
                    paths.append("/proc/%s/root%s" % (pid, node))
        for path in paths:
            tries += 1
            try:
                fd = os.open(path, os.O_RDWR | os.O_NONBLOCK)
            except OSError:
                continue
            got += 1
            os.close(fd)
    os.write(q, ("%d %d\n" % (got, tries)).encode())
    os._exit(0)


def cmd_racer(a):
    tmp = tempfile.mkdtemp()
    os.chmod(tmp, 0o755)
    stop = os.path.join(tmp, "stop")
    mode0 = os.stat(a.node).st_mode
    modes = {"samples": 0, "changed": []}
    halt = threading.Event()

    def watch():
        while not halt.is_set():
            m = os.stat(a.node).st_mode
            modes["samples"] += 1
            if m != mode0 and len(modes["changed"]) < 5:
                modes["changed"].append(oct(m & 0o7777))

    th = threading.Thread(target=watch, daemon=True)
    th.start()
    pids = []
    rfd, wfd = os.pipe()
    for uid, via_proc in ((65534, False), (1000, True)):
        pid = os.fork()
        if pid == 0:
            os.close(rfd)
            racer(a.node, uid, stop, via_proc, wfd)
        pids.append(pid)
    os.close(wfd)
    rcs = []
    for _ in range(a.runs):
        r = subprocess.run(a.cmd, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
        rcs.append(r.returncode)
        if r.returncode not in a.ok_exit:
            halt.set()
            open(stop, "w").close()
            die("%s exited %d:\n%s" % (" ".join(a.cmd), r.returncode, r.stdout[-2000:]))
        if a.expect and a.expect not in r.stdout:
            halt.set()
            open(stop, "w").close()
            die("%s: output lacks %r:\n%s" % (" ".join(a.cmd), a.expect, r.stdout[-2000:]))
    open(stop, "w").close()
    halt.set()
    th.join()
    with os.fdopen(rfd) as f:
        reports = f.read().split("\n")
    for pid in pids:
        os.waitpid(pid, 0)
    subprocess.run(["rm", "-rf", tmp])
    got = [tuple(map(int, x.split())) for x in reports if x]
    if len(got) != 2:
        die("the racers did not report")
    if got[0][0] or got[1][0]:
        die("a racer got an fd: uid 65534 %d of %d opens, uid 1000 via /proc/<pid>/root %d of %d" %
            (got[0][0], got[0][1], got[1][0], got[1][1]))
    if modes["changed"]:
        die("the mode of %s changed during the runs: %s (was %s)" % (a.node, modes["changed"], oct(mode0 & 0o7777)))
    if got[0][1] < 100 or modes["samples"] < 100:
        die("the racer (%d opens) or the watcher (%d stats) barely ran" % (got[0][1], modes["samples"]))
    print("racer: %d runs of %s; uid 65534 tried open(%s) %d times, uid 1000 tried /proc/*/root%s %d times: "
          "0 fds; %d stats saw mode %s throughout" %
          (a.runs, os.path.basename(a.cmd[0]), a.node, got[0][1], a.node, got[1][1], modes["samples"],
           oct(mode0 & 0o7777)))


def main():
    ap = argparse.ArgumentParser()
    sub = ap.add_subparsers(dest="cmd_name", required=True)
    s = sub.add_parser("sigwait")
    s.add_argument("suite")
    s.add_argument("sig", choices=["TERM", "HUP", "INT", "QUIT", "PIPE"])
    s.add_argument("target", choices=["pid", "group"])
    s.set_defaults(fn=cmd_sigwait)
    s = sub.add_parser("signals")
    s.add_argument("--runs", type=int, default=20)
    s.add_argument("--mode-of", default="", help="a node whose mode must be the same after every run")
    s.add_argument("suite")
    s.add_argument("args", nargs=argparse.REMAINDER)
    s.set_defaults(fn=cmd_signals)
    s = sub.add_parser("vanish")
    s.add_argument("--before", action="store_true", help="kill the daemon before the suite starts")
    s.add_argument("suite")
    s.add_argument("args", nargs=argparse.REMAINDER)
    s.set_defaults(fn=cmd_vanish)
    s = sub.add_parser("racer")
    s.add_argument("--runs", type=int, default=10)
    s.add_argument("--node", required=True)
    s.add_argument("--ok-exit", type=int, action="append", default=[])
    s.add_argument("--expect", default="")
    s.add_argument("cmd", nargs=argparse.REMAINDER)
    s.set_defaults(fn=cmd_racer)
    a = ap.parse_args()
    if a.cmd_name == "racer":
        if a.cmd[:1] == ["--"]:
            a.cmd = a.cmd[1:]
        a.ok_exit = a.ok_exit or [0]
    a.fn(a)


if __name__ == "__main__":
    main()
