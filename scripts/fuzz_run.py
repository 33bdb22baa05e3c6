#!/usr/bin/env python3
# SPDX-License-Identifier: Apache-2.0
"""scripts/fuzz_run.py - runs a fuzz campaign over built targets and writes reports/fuzz/.

Called by scripts/fuzz.sh after it built the binaries; not meant to be run alone.

libFuzzer: every target gets --seconds of wall time; (target, instance) pairs share the
cores (instances per target = max(1, cores // targets)); instances of one target share its
working corpus (libFuzzer reloads it). A crash is kept and the instance restarts for the
rest of its time (at most --max-crashes per target).
AFL++: targets one after the other, each with every core: a -M main instance (sanitizer
build, CMPLOG twin via -c) and -S secondaries (sanitizer build, every other one with the
CMPLOG twin too), for --seconds each (-V).

Speed: execs/s per core is execs per CPU second of a target's fuzzer processes (libFuzzer;
os.wait4 gives the CPU time, so a fuzzer that shares a busy machine's cores is not shown
slower than it is) or per second of each instance's run time (AFL++), and "vs trivial" that
as a fraction of the trivial harness's (fuzz/fuzz_trivial.c, which scripts/fuzz.sh adds to
every campaign) measured in the same run.

Writes reports/fuzz/summary.json, summary.md, logs/<target>*.log and
crashes/<target>/<file>, with a reproduce command per crash. Exit 0 no crash, 1 crashes,
2 setup errors.
"""
import argparse
import configparser
import glob
import json
import os
import re
import shutil
import subprocess
import sys
import time

PULSE = re.compile(r"^#(\d+)\s+\S+\s+cov: (\d+) ft: (\d+) corp: (\d+)/\S+.*?exec/s: (\d+)")
STAT = re.compile(r"^stat::(\w+):\s+(\d+)")


def log(msg):
    print("fuzz: " + msg, flush=True)


def read_options(path):
    """[libfuzzer] section of an OSS-Fuzz options file, as a dict."""
    cp = configparser.ConfigParser()
    try:
        cp.read(path)
    except configparser.Error as e:
        log("warning: %s: %s (ignored)" % (path, e))
        return {}
    return dict(cp["libfuzzer"]) if cp.has_section("libfuzzer") else {}


def seed_dirs(root, t):
    return [d for d in (os.path.join(root, "corpus", t), os.path.join(root, "corpus", "regress", t))
            if os.path.isdir(d) and os.listdir(d)]


def fill_corpus(dst, sources):
    os.makedirs(dst, exist_ok=True)
    for d in sources:
        for f in os.listdir(d):
            p = os.path.join(d, f)
            if os.path.isfile(p):
                q = os.path.join(dst, "seed-" + os.path.basename(d.rstrip("/")) + "-" + f)
                if not os.path.exists(q):
                    shutil.copyfile(p, q)


def count_files(d):
    try:
        return sum(1 for f in os.listdir(d) if os.path.isfile(os.path.join(d, f)))
    except OSError:
        return 0


class LfInstance:
    def __init__(self, t, idx, a, work):
        self.t, self.idx, self.a, self.work = t, idx, a, work
        self.proc = None
        self.deadline = None
        self.logs = []
        self.execs = 0
        self.secs = 0.0
        self.last = None          # (execs, cov, ft, corp, execs/s) of the running log
        self.crashes = 0
        self.cpu = 0.0            # user + system CPU seconds of the fuzzer processes
        self.peak_rss = 0
        self.restarts = 0
        self.started = None

    def start(self, remaining):
        binary = os.path.join(self.a.bindir, "fuzz_" + self.t)
        opts = read_options(os.path.join(self.a.root, "fuzz", self.t + ".options"))
        args = [binary, "-max_total_time=%d" % max(1, int(remaining)), "-print_final_stats=1",
                "-artifact_prefix=" + os.path.join(self.work, "crashes") + "/",
                "-timeout=%d" % self.a.timeout, "-rss_limit_mb=%d" % self.a.rss_mb]
        dict_path = os.path.join(self.a.root, "fuzz", self.t + ".dict")
        if os.path.isfile(dict_path):
            args.append("-dict=" + dict_path)
        for k, v in opts.items():
            if k in ("dict",):
                continue
            args.append("-%s=%s" % (k, v))
        args.append(os.path.join(self.work, "corpus"))
        lp = os.path.join(self.work, "log.%d.%d" % (self.idx, len(self.logs)))
        self.logs.append(lp)
        self.cur_log = lp
        self.fh = open(lp, "w")
        self.started = time.time()
        if self.deadline is None:
            self.deadline = self.started + remaining
        self.proc = subprocess.Popen(args, stdout=self.fh, stderr=subprocess.STDOUT, cwd=self.work)

    def parse(self, path):
        last, stats = None, {}
        try:
            with open(path, errors="replace") as f:
                for line in f:
                    m = PULSE.match(line)
                    if m:
                        last = tuple(int(x) for x in m.groups())
                    m = STAT.match(line)
                    if m:
                        stats[m.group(1)] = int(m.group(2))
        except OSError:
            pass
        return last, stats

    def poll(self):
        """True while running (restarting after a crash if time is left)."""
        if self.proc is None:
            return False
        self.last, _ = self.parse(self.cur_log)
        # wait4: the exit status and the CPU time the process used (on a shared machine a
        # fuzzer gets less than a core; its execs per CPU second are its speed per core)
        pid, status, ru = os.wait4(self.proc.pid, os.WNOHANG)
        if pid == 0:
            return True
        rc = os.waitstatus_to_exitcode(status)
        self.proc.returncode = rc
        self.cpu += ru.ru_utime + ru.ru_stime
        self.fh.close()
        last, stats = self.parse(self.cur_log)
        self.execs += stats.get("number_of_executed_units", last[0] if last else 0)
        self.secs += time.time() - self.started
        self.peak_rss = max(self.peak_rss, stats.get("peak_rss_mb", 0))
        if last:
            self.final = last
        self.proc = None
        remaining = self.deadline - time.time()
        if rc != 0:
            self.crashes += 1
            if remaining > 2 and self.crashes < self.a.max_crashes:
                self.restarts += 1
                self.start(remaining)
                return True
        return False


def afl_instance(crash_dir):
    """The AFL++ instance (main, s1, ...) of <out>/<instance>/crashes."""
    return os.path.basename(os.path.dirname(crash_dir.rstrip("/")))


def retire_old_crashes(a, t, work, dirs, afl=False):
    """Crashes left in the work directory by an earlier campaign (its report listed them) move
    to <work>/old-crashes/, so this campaign reports only what it finds itself."""
    old = os.path.join(work, "old-crashes")
    n = 0
    for d in dirs:
        if not os.path.isdir(d):
            continue
        prefix = afl_instance(d) + "_" if afl else ""
        for f in sorted(os.listdir(d)):
            p = os.path.join(d, f)
            if not os.path.isfile(p) or f.startswith("README"):
                continue
            os.makedirs(old, exist_ok=True)
            os.replace(p, os.path.join(old, prefix + f))
            n += 1
    if n:
        log("%s: %d crash file(s) of an earlier campaign moved to %s (not counted now)" % (t, n, shown_path(a, old)))


def run_libfuzzer(a, targets):
    cores = a.jobs
    per = max(1, cores // len(targets))
    insts = []
    for t in targets:
        work = os.path.join(a.workdir, t)
        os.makedirs(os.path.join(work, "crashes"), exist_ok=True)
        retire_old_crashes(a, t, work, [os.path.join(work, "crashes")])
        fill_corpus(os.path.join(work, "corpus"), seed_dirs(a.root, t))
        for i in range(per):
            insts.append(LfInstance(t, i, a, work))
    waves = (len(insts) + cores - 1) // cores
    log("libFuzzer: %d targets x %d instance(s) on %d cores, %d s each: about %d s" %
        (len(targets), per, cores, a.seconds, waves * a.seconds))
    pending, running = list(insts), []
    t0 = time.time()
    last_report = 0
    while pending or running:
        while pending and len(running) < cores:
            i = pending.pop(0)
            i.start(a.seconds)
            running.append(i)
        time.sleep(1)
        running = [i for i in running if i.poll()]
        if time.time() - last_report >= a.progress or (not pending and not running):
            last_report = time.time()
            for i in sorted(running, key=lambda x: (x.t, x.idx)):
                el = time.time() - i.started + i.secs
                l = i.last
                log("[%4d/%d s] %-16s #%d %s, crashes %d" % (
                    el, a.seconds, i.t, i.idx,
                    ("%d execs, %d exec/s, cov %d ft %d corpus %d" % (l[0] + i.execs, l[4], l[1], l[2], l[3]))
                    if l else "starting", i.crashes))
    results = {}
    for t in targets:
        mine = [i for i in insts if i.t == t]
        work = mine[0].work
        execs = sum(i.execs for i in mine)
        secs = sum(i.secs for i in mine)
        cpu = sum(i.cpu for i in mine)
        finals = [getattr(i, "final", None) for i in mine]
        finals = [f for f in finals if f]
        crashes = collect_crashes(a, t, [os.path.join(work, "crashes")], "libfuzzer")
        logs = []
        for i in mine:
            for n, lp in enumerate(i.logs):
                dst = os.path.join(a.report, "logs", "%s.%d.%d.log" % (t, i.idx, n))
                shutil.copyfile(lp, dst)
                logs.append(os.path.relpath(dst, a.report))
        results[t] = {
            "engine": "libfuzzer", "instances": len(mine), "seconds": a.seconds,
            "execs": execs, "wall_seconds": round(secs, 1), "cpu_seconds": round(cpu, 1),
            "execs_per_sec": round(execs / max(1.0, max(i.secs for i in mine))),
            "execs_per_sec_per_core": round(execs / cpu) if cpu else 0,
            "corpus_size": count_files(os.path.join(work, "corpus")),
            "coverage": {"cov": max((f[1] for f in finals), default=0),
                         "ft": max((f[2] for f in finals), default=0)},
            "peak_rss_mb": max(i.peak_rss for i in mine),
            "crashes": crashes, "logs": logs,
        }
    log("libFuzzer done in %d s" % (time.time() - t0))
    return results


def afl_stats(path):
    st = {}
    try:
        with open(path) as f:
            for line in f:
                k, _, v = line.partition(":")
                st[k.strip()] = v.strip()
    except OSError:
        pass
    return st


def fnum(v):
    """A fuzzer_stats number; AFL++ prints inf/nan early in a run."""
    try:
        x = float(v)
    except (TypeError, ValueError):
        return 0.0
    return x if x == x and abs(x) != float("inf") else 0.0


def run_afl(a, targets):
    results = {}
    cores = a.jobs
    env = dict(os.environ, AFL_SKIP_CPUFREQ="1", AFL_I_DONT_CARE_ABOUT_MISSING_CRASHES="1",
               AFL_NO_UI="1", AFL_AUTORESUME="1", AFL_NO_AFFINITY="1", AFL_IMPORT_FIRST="1")
    log("AFL++: %d targets one after the other, %d instances each (1 -M + %d -S, CMPLOG twin), %d s each: about %d s" %
        (len(targets), cores, cores - 1, a.seconds, len(targets) * a.seconds))
    for t in targets:
        work = os.path.join(a.workdir, t)
        seeds = os.path.join(work, "seeds")
        shutil.rmtree(seeds, ignore_errors=True)
        fill_corpus(seeds, seed_dirs(a.root, t))
        if not os.listdir(seeds):
            with open(os.path.join(seeds, "empty"), "wb") as f:
                f.write(b"\0")
        out = os.path.join(work, "out")
        retire_old_crashes(a, t, work, glob.glob(os.path.join(out, "*", "crashes")), afl=True)
        binary = os.path.join(a.bindir, "fuzz_" + t)
        cmplog = os.path.join(a.cmplogdir, "fuzz_" + t)
        dict_path = os.path.join(a.root, "fuzz", t + ".dict")
        procs = []
        for n in range(cores):
            name = "main" if n == 0 else "s%d" % n
            args = ["afl-fuzz", "-M" if n == 0 else "-S", name, "-i", seeds, "-o", out,
                    "-V", str(a.seconds), "-m", "none", "-t", str(a.timeout * 1000)]
            if os.path.isfile(dict_path):
                args += ["-x", dict_path]
            if n % 2 == 0 and os.path.isfile(cmplog):
                args += ["-c", cmplog]
            args += ["--", binary]
            lp = os.path.join(a.report, "logs", "%s.afl.%s.log" % (t, name))
            fh = open(lp, "w")
            procs.append((subprocess.Popen(args, stdout=fh, stderr=subprocess.STDOUT, env=env, cwd=work), fh, lp))
            time.sleep(0.5)
        t0 = time.time()
        last = 0
        while any(p.poll() is None for p, _, _ in procs):
            time.sleep(1)
            if time.time() - last >= a.progress:
                last = time.time()
                sts = [afl_stats(s) for s in glob.glob(os.path.join(out, "*", "fuzzer_stats"))]
                log("[%4d/%d s] %-16s %d execs, %d exec/s, corpus %d, bitmap %s, crashes %d" % (
                    time.time() - t0, a.seconds, t,
                    sum(int(fnum(s.get("execs_done"))) for s in sts),
                    sum(fnum(s.get("execs_per_sec")) for s in sts),
                    max((int(fnum(s.get("corpus_count"))) for s in sts), default=0),
                    max((s.get("bitmap_cvg", "0%") for s in sts), default="0%"),
                    sum(int(fnum(s.get("saved_crashes"))) for s in sts)))
        rcs = []
        for p, fh, _ in procs:
            rcs.append(p.returncode)
            fh.close()
        sts = [afl_stats(s) for s in glob.glob(os.path.join(out, "*", "fuzzer_stats"))]
        if not sts:
            log("%s: AFL++ did not start; see %s" % (t, os.path.relpath(procs[0][2], a.root)))
        execs = sum(int(fnum(s.get("execs_done"))) for s in sts)
        secs = sum(int(fnum(s.get("run_time"))) for s in sts)
        main = afl_stats(os.path.join(out, "main", "fuzzer_stats"))
        crashes = collect_crashes(a, t, glob.glob(os.path.join(out, "*", "crashes")), "afl")
        results[t] = {
            "engine": "afl", "instances": cores, "seconds": a.seconds, "execs": execs,
            "cpu_seconds": secs,
            "execs_per_sec": round(sum(fnum(s.get("execs_per_sec")) for s in sts)),
            "execs_per_sec_per_core": round(execs / secs) if secs else 0,
            "corpus_size": int(fnum(main.get("corpus_count"))),
            "coverage": {"bitmap_cvg": main.get("bitmap_cvg", "")},
            "peak_rss_mb": max((int(fnum(s.get("peak_rss_mb"))) for s in sts), default=0),
            "crashes": crashes,
            "logs": [os.path.relpath(p[2], a.report) for p in procs],
            "started": bool(sts), "exit_codes": rcs,
        }
    return results


def collect_crashes(a, t, dirs, engine):
    out = []
    dst = os.path.join(a.report, "crashes", t)
    for d in dirs:
        for f in sorted(os.listdir(d)) if os.path.isdir(d) else []:
            p = os.path.join(d, f)
            if not os.path.isfile(p) or f == "README.txt":
                continue
            kind = f.split("-")[0] if engine == "libfuzzer" else "crash"
            os.makedirs(dst, exist_ok=True)
            name = f.replace(":", "_").replace(",", "_")
            if engine == "afl":
                name = afl_instance(d) + "_" + name
            q = os.path.join(dst, name)
            shutil.copyfile(p, q)
            rel = shown_path(a, q)
            out.append({"file": os.path.relpath(q, a.report), "kind": kind,
                        "reproduce": "make build/fuzz-replay/fuzz_%s && build/fuzz-replay/fuzz_%s %s" % (t, t, rel),
                        "keep": "cp %s corpus/regress/%s/" % (rel, t)})
    return out


def shown_path(a, p):
    """p relative to the tree for commands run from its top; a path outside the tree as an
    absolute path (a ../../ walk out of the tree is hard to read and breaks if the tree moves)."""
    rel = os.path.relpath(p, a.root)
    return os.path.abspath(p) if rel == ".." or rel.startswith("../") else rel


REFERENCE = "trivial"  # fuzz/fuzz_trivial.c: the engine's and the sanitizers' own speed


def add_reference_ratios(results):
    """Each target's execs/s per core as a fraction of the trivial harness's in the same
    campaign: a speed that means the same on any machine. None without the reference."""
    ref = results.get(REFERENCE, {}).get("execs_per_sec_per_core", 0)
    for t, r in results.items():
        r["vs_trivial"] = round(r["execs_per_sec_per_core"] / ref, 4) if ref and t != REFERENCE else None
    return ref


def write_reports(a, results, started):
    ref = add_reference_ratios(results)
    summary = {"engine": a.engine, "seconds_per_target": a.seconds, "cores": a.jobs,
               "started": started, "wall_seconds": round(time.time() - started, 1),
               "reference": {"target": REFERENCE, "execs_per_sec_per_core": ref} if ref else None,
               "targets": results,
               "crashes": sum(len(r["crashes"]) for r in results.values())}
    with open(os.path.join(a.report, "summary.json"), "w") as f:
        json.dump(summary, f, indent=2, sort_keys=True)
        f.write("\n")
    per_core = "execs per CPU second of the fuzzer processes" if a.engine == "libfuzzer" else \
        "execs per second of each instance's run time"
    lines = ["# Fuzz campaign", "",
             "engine %s, %d s per target, %d cores, wall %d s" % (a.engine, a.seconds, a.jobs, summary["wall_seconds"]),
             "", "execs/s/core: %s; vs trivial: that as a fraction of the trivial harness's (%s) in this run." % (
                 per_core, ("%d execs/s/core" % ref) if ref else "not run"),
             "", "| target | execs | execs/s | execs/s/core | vs trivial | corpus | coverage | crashes |",
             "|---|---|---|---|---|---|---|---|"]
    for t, r in sorted(results.items(), key=lambda kv: (kv[0] != REFERENCE, kv[0])):
        cov = " ".join("%s %s" % kv for kv in sorted(r["coverage"].items()))
        vs = "reference" if t == REFERENCE else ("%.2f%%" % (100 * r["vs_trivial"]) if r["vs_trivial"] is not None else "-")
        lines.append("| %s | %d | %d | %d | %s | %d | %s | %d |" % (
            t, r["execs"], r["execs_per_sec"], r["execs_per_sec_per_core"], vs, r["corpus_size"], cov,
            len(r["crashes"])))
    crashes = [(t, c) for t, r in sorted(results.items()) for c in r["crashes"]]
    if crashes:
        lines += ["", "## Crashes", ""]
        for t, c in crashes:
            lines.append("- %s `%s` (%s): reproduce with `%s`; keep with `%s`" % (t, c["file"], c["kind"], c["reproduce"], c["keep"]))
    with open(os.path.join(a.report, "summary.md"), "w") as f:
        f.write("\n".join(lines) + "\n")
    for l in lines[4:]:
        print(l)


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--root", required=True)
    ap.add_argument("--engine", choices=("libfuzzer", "afl"), required=True)
    ap.add_argument("--seconds", type=int, required=True)
    ap.add_argument("--jobs", type=int, required=True)
    ap.add_argument("--bindir", required=True)
    ap.add_argument("--cmplogdir", default="")
    ap.add_argument("--workdir", required=True)
    ap.add_argument("--report", required=True)
    ap.add_argument("--timeout", type=int, default=10)
    ap.add_argument("--rss-mb", type=int, default=2048)
    ap.add_argument("--max-crashes", type=int, default=5)
    ap.add_argument("--progress", type=int, default=10)
    ap.add_argument("targets", nargs="+")
    a = ap.parse_args()
    for d in ("logs", "crashes"):
        shutil.rmtree(os.path.join(a.report, d), ignore_errors=True)
        os.makedirs(os.path.join(a.report, d))
    started = time.time()
    try:
        results = run_libfuzzer(a, a.targets) if a.engine == "libfuzzer" else run_afl(a, a.targets)
    except KeyboardInterrupt:
        log("interrupted")
        return 2
    write_reports(a, results, started)
    n = sum(len(r["crashes"]) for r in results.values())
    bad = [t for t, r in results.items() if r["engine"] == "afl" and not r.get("started")]
    if bad:
        log("AFL++ could not start for: %s" % " ".join(bad))
        return 2
    log("%d crash(es); reports in %s/summary.md and summary.json" % (n, shown_path(a, a.report)))
    return 1 if n else 0


if __name__ == "__main__":
    sys.exit(main())
