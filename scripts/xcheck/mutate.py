#!/usr/bin/env python3
"""scripts/xcheck/mutate.py - deterministic hostile variants of real evidence for the
differential check (scripts/check.d/37-xcheck.sh): each output is one input file with a few
random bytes changed in its first LIMIT bytes, cut short, or given trailing bytes.

usage: mutate.py SEED COUNT LIMIT OUTDIR FILE...   (writes OUTDIR/m_00000 ...)
"""
import os
import random
import sys


def main():
    seed, count, limit, outdir, files = int(sys.argv[1]), int(sys.argv[2]), int(sys.argv[3]), sys.argv[4], sys.argv[5:]
    rng = random.Random(seed)
    inputs = [open(f, "rb").read() for f in sorted(files)]
    os.makedirs(outdir, exist_ok=True)
    for i in range(count):
        b = bytearray(rng.choice(inputs))
        k = rng.random()
        if k < 0.15:
            b = b[:rng.randrange(len(b) + 1)]
        elif k < 0.85:
            for _ in range(rng.randint(1, 4)):
                b[rng.randrange(min(limit, len(b)))] = rng.randrange(256)
        else:
            b += bytes(rng.randrange(1, 64))
        with open(os.path.join(outdir, "m_%05d" % i), "wb") as f:
            f.write(b)


if __name__ == "__main__":
    main()
