#!/usr/bin/env python3
# SPDX-License-Identifier: Apache-2.0
"""scripts/planted.py - do the fuzzers find bugs planted in the parsers? (`make fuzz-planted`)

For every plant below (an off-by-one bound or an unchecked length field, written as an exact
text substitution in one parser source), a scratch copy of the tree gets that one change,
its fuzz target is built with libFuzzer + ASan + UBSan (fuzz/build.sh), and one process on
one core fuzzes from the target's seeds and dictionary until the first crash or the time
budget (PLANT_SECONDS, default 300); PLANT_SEEDS=none starts from an empty corpus (dictionary
only) and PLANT_SEEDS=vectors from the real evidence alone, to show what the fuzzer finds
without the crafted seeds. The crashing input is then replayed on the unplanted
replay build (build/fuzz-replay): it must pass there, so the find is the plant's.

Writes reports/fuzz-planted/summary.md and summary.json; exit 1 when a plant was not
found in time (or its crash also reproduces without the plant), 2 on a usage error (a bad
PLANT_SECONDS, PLANT_SEEDS or PLANTS value, one line naming it) or when a plant no longer
applies to the source (update its text here), 128+N when stopped by signal N (SIGTERM,
SIGHUP, SIGINT): the scratch copy of the tree in the temporary directory is removed and the
running build or fuzzer (with its children) is killed first.
"""
import argparse
import json
import os
import re
import shutil
import signal
import subprocess
import sys
import tempfile
import time

PLANTS = [
    # name, target, file, exact original text, planted text, what it breaks
    ("quote-siglen-unchecked", "tdx_quote", "lib/tdx_quote.c",
     "\tif ((uint64_t)out->sig_data_len > L - sig_off)\n\t\treturn TEEABI_E_QUOTE_SIGLEN_BOUNDS;\n",
     "",
     "signature_data_len not checked against the quote's length"),
    ("quote-qeauth-off-by-one", "tdx_quote", "lib/tdx_quote.c",
     "if (N > S - QE_FIXED_LEN)\n",
     "if (N > S - QE_FIXED_LEN + 1)\n",
     "QE auth data length bound off by one (inner header length underflows)"),
    ("quote-certsize-unchecked", "tdx_quote", "lib/tdx_quote.c",
     "\tif (S > sig_len - SIG_FIXED_LEN)\n\t\treturn TEEABI_E_QUOTE_CERT_SIZE;\n",
     "",
     "certification data size not checked against signature_data_len"),
    ("certs-bound-off-by-one", "snp_certs", "lib/snp_certs.c",
     "if (stop > (uint64_t)len)\n",
     "if (stop > (uint64_t)len + 1)\n",
     "certificate entry end may lie one byte past the blob"),
    ("certs-u32-wrap", "snp_certs", "lib/snp_certs.c",
     "uint64_t stop = (uint64_t)ce->offset + (uint64_t)ce->length;",
     "uint64_t stop = (uint32_t)(ce->offset + ce->length);",
     "offset + length computed in 32 bits (wraps past the end)"),
    ("snp-msg-bounds-off-by-one", "snp_msg", "lib/snp_msg.c",
     "> (uint64_t)len)\n\t\treturn TEEABI_E_SNP_MSG_BOUNDS;",
     "> (uint64_t)len + 1)\n\t\treturn TEEABI_E_SNP_MSG_BOUNDS;",
     "MSG_REPORT_RSP report may end one byte past the response"),
    ("snp-report-short-off-by-one", "snp_report", "lib/snp_report.c",
     "if (len < SNP_REPORT_LEN)\n",
     "if (len < SNP_REPORT_LEN - 1)\n",
     "a report one byte short is accepted"),
    ("dstack-imr-off-by-one", "dstack", "lib/dstack.c",
     "if (imr < 0 || imr > 3)",
     "if (imr < 0 || imr > 4)",
     "event log imr 4 accepted (RTMR array index out of bounds)"),
]

# real evidence per target format, for --seeds vectors
VECTORS = {"tdx_quote": "vectors/tdx-quote", "tdreport": "vectors/tdx-report",
           "snp_report": "vectors/snp-report", "dstack": "vectors/dstack"}

CFLAGS = ("-O1 -gline-tables-only -fno-omit-frame-pointer -fsanitize=address,undefined "
          "-fno-sanitize-recover=undefined -fsanitize=fuzzer-no-link")


def log(msg):
    print("planted: " + msg, flush=True)


class Usage(Exception):
    pass


class Interrupted(Exception):
    def __init__(self, signum):
        Exception.__init__(self, signal.Signals(signum).name)
        self.signum = signum


def on_signal(signum, frame):
    raise Interrupted(signum)


def env_seconds(name, default):
    v = os.environ.get(name, default)
    if not re.fullmatch(r"[0-9]{1,6}", v) or not 1 <= int(v) <= 86400:
        raise Usage("%s=%r: want a whole number of seconds, 1..86400" % (name, v))
    return int(v)


def seconds_arg(v):
    if not re.fullmatch(r"[0-9]{1,6}", v) or not 1 <= int(v) <= 86400:
        raise argparse.ArgumentTypeError("want a whole number of seconds, 1..86400, got %r" % v)
    return int(v)


def run(args, **kw):
    """subprocess.run in a session of its own, so that an interruption kills the whole tree
    (a build's compilers, not only its shell) before the scratch directory is removed."""
    p = subprocess.Popen(args, start_new_session=True, **kw)
    try:
        out, _ = p.communicate()
    except BaseException:
        try:
            os.killpg(p.pid, signal.SIGKILL)
        except ProcessLookupError:
            pass
        p.wait()
        raise
    return subprocess.CompletedProcess(args, p.returncode, out)


def main():
    for s in (signal.SIGTERM, signal.SIGHUP, signal.SIGINT):
        signal.signal(s, on_signal)
    try:
        return plant_all()
    except Usage as e:
        print("planted: %s" % e, file=sys.stderr)
        return 2
    except Interrupted as e:
        log("interrupted by %s; scratch tree removed, no summary written" % e)
        return 128 + e.signum


def plant_all():
    seeds = os.environ.get("PLANT_SEEDS", "corpus")
    if seeds not in ("corpus", "vectors", "none"):
        raise Usage("PLANT_SEEDS=%r: want corpus, vectors or none" % seeds)
    names = os.environ.get("PLANTS", "")
    unknown = [n for n in names.split() if n not in [p[0] for p in PLANTS]]
    if unknown:
        raise Usage("PLANTS: unknown plant %s; plants: %s" % (unknown[0], " ".join(p[0] for p in PLANTS)))
    ap = argparse.ArgumentParser()
    ap.add_argument("--seconds", type=seconds_arg, default=env_seconds("PLANT_SECONDS", "300"))
    ap.add_argument("--only", default=names, help="space-separated plant names")
    ap.add_argument("--report", default="reports/fuzz-planted")
    ap.add_argument("--seeds", choices=("corpus", "vectors", "none"), default=seeds,
                    help="corpus: start from corpus/<target>/ (how the project fuzzes); none: from an "
                         "empty corpus with the dictionary only (what the fuzzer finds by itself); vectors: "
                         "only the real evidence in vectors/ of the target's format (none where there is none)")
    a = ap.parse_args()
    root = os.path.abspath(os.path.join(os.path.dirname(__file__), ".."))
    os.chdir(root)
    plants = [p for p in PLANTS if not a.only or p[0] in a.only.split()]
    if not plants:
        log("no plant matches '%s'; plants: %s" % (a.only, " ".join(p[0] for p in PLANTS)))
        return 2
    os.makedirs(a.report, exist_ok=True)
    results = []
    scratch = tempfile.mkdtemp(prefix="teeabi-planted.")
    # The compilers' and fuzzers' own temporary files go inside the scratch tree, so that a
    # build killed by a signal leaves nothing behind once the tree is removed.
    os.makedirs(os.path.join(scratch, "tmp"))
    os.environ["TMPDIR"] = os.path.join(scratch, "tmp")
    try:
        if run(["make", "-s", "fuzz-replay"], stdout=subprocess.DEVNULL).returncode != 0:
            log("make fuzz-replay failed")
            return 2
        for name, target, path, old, new, what in plants:
            if not os.path.isfile("fuzz/fuzz_%s.c" % target):
                log("%s: target %s does not exist" % (name, target))
                results.append({"plant": name, "target": target, "what": what, "found": False,
                                "error": "no target"})
                continue
            src = os.path.join(scratch, name)
            for d in ("lib", "mocks/model", "fuzz", "suites/common", "corpus"):
                shutil.copytree(d, os.path.join(src, d))
            shutil.copyfile("VERSION", os.path.join(src, "VERSION"))  # fuzz/build.sh reads it
            with open(os.path.join(src, path)) as f:
                text = f.read()
            if text.count(old) != 1:
                log("%s: the original text occurs %d times in %s; update the plant" % (name, text.count(old), path))
                return 2
            with open(os.path.join(src, path), "w") as f:
                f.write(text.replace(old, new))
            out = os.path.join(src, "out")
            env = dict(os.environ, CC="clang", CXX="clang++", CFLAGS=CFLAGS,
                       LIB_FUZZING_ENGINE="-fsanitize=fuzzer", OUT=out, SRC=src, TARGETS=target)
            b = run(["bash", os.path.join(src, "fuzz", "build.sh")], env=env,
                    stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
            if b.returncode != 0:
                log("%s: build failed:\n%s" % (name, b.stdout[-2000:]))
                return 2
            work = os.path.join(src, "work")
            art = os.path.join(src, "art") + "/"
            os.makedirs(work)
            os.makedirs(art)
            args = [os.path.join(out, "fuzz_" + target), "-max_total_time=%d" % a.seconds,
                    "-print_final_stats=1", "-artifact_prefix=" + art, "-timeout=10"]
            if os.path.isfile("fuzz/%s.dict" % target):
                args.append("-dict=fuzz/%s.dict" % target)
            args.append(work)
            if a.seeds == "corpus":
                args.append("corpus/" + target)
            elif a.seeds == "vectors" and VECTORS.get(target):
                args.append(VECTORS[target])
            log("%s (%s): fuzzing up to %d s on one core" % (name, target, a.seconds))
            t0 = time.time()
            r = run(args, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True,
                    errors="replace", env=dict(os.environ, ASAN_OPTIONS="abort_on_error=1:detect_leaks=1"))
            secs = time.time() - t0
            execs = re.search(r"stat::number_of_executed_units:\s*(\d+)", r.stdout)
            crash = sorted(os.listdir(art))
            res = {"plant": name, "target": target, "file": path, "what": what,
                   "seconds": round(secs, 1), "execs": int(execs.group(1)) if execs else None,
                   "found": bool(crash) and r.returncode != 0}
            if res["found"]:
                kind = re.search(r"(ERROR: AddressSanitizer: [\w-]+|runtime error: [^\n]{0,80}|property violated[^\n]{0,100})", r.stdout)
                res["signal"] = kind.group(1) if kind else "crash"
                keep = os.path.join(a.report, "%s-%s" % (name, crash[0]))
                shutil.copyfile(os.path.join(art, crash[0]), keep)
                res["input"] = keep
                clean = run(["build/fuzz-replay/fuzz_" + target, "-q", keep],
                            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
                res["clean_build_passes"] = clean.returncode == 0
                log("%s: found in %.1f s (%s); unplanted build %s" % (
                    name, secs, res["signal"], "passes" if res["clean_build_passes"] else "ALSO FAILS"))
            else:
                log("%s: NOT found in %d s" % (name, a.seconds))
            results.append(res)
            shutil.rmtree(src, ignore_errors=True)
    finally:
        shutil.rmtree(scratch, ignore_errors=True)
    with open(os.path.join(a.report, "summary.json"), "w") as f:
        json.dump({"seconds_budget": a.seconds, "seeds": a.seeds, "plants": results}, f, indent=2)
        f.write("\n")
    lines = ["# Planted parser bugs", "", "libFuzzer + ASan + UBSan, one core, budget %d s per plant, seeds: %s" % (a.seconds, a.seeds), "",
             "| plant | target | what | found | seconds | execs | signal |", "|---|---|---|---|---|---|---|"]
    for r in results:
        lines.append("| %s | %s | %s | %s | %s | %s | %s |" % (
            r["plant"], r["target"], r["what"], "yes" if r["found"] else "NO",
            r.get("seconds", ""), r.get("execs", ""), r.get("signal", r.get("error", ""))))
    with open(os.path.join(a.report, "summary.md"), "w") as f:
        f.write("\n".join(lines) + "\n")
    print("\n".join(lines[4:]))
    ok = all(r["found"] and r.get("clean_build_passes") for r in results)
    log("%d/%d plants found%s" % (sum(1 for r in results if r["found"]), len(results), "" if ok else "; see above"))
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
