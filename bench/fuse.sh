#!/usr/bin/env bash
# bench/fuse.sh - cost of the mock kernel: GET_REPORT0 through mockfs next to a no-op FUSE
# ioctl measured in the same run (target: within 1.5x), and configfs-tsm quotes per second.
# BIN = directory of mockenv, mockfs and bench_fuse (scripts/bench.sh sets it to an -O2,
# sanitizer-free tree). Needs root and /dev/fuse. Exit: bench_fuse's (0 PASS, 1 FAIL, 2 cannot run).
set -uo pipefail
cd "$(dirname "$0")/.."
BIN=${BIN:-$PWD/build/bin}
export TEEABI_PROFILE_DIR=${TEEABI_PROFILE_DIR:-$PWD/mocks/profiles}
for b in mockenv mockfs bench_fuse; do
  [ -x "$BIN/$b" ] || { echo "bench/fuse.sh: $BIN/$b not built"; exit 2; }
done
if [ "$(id -u)" != 0 ] || [ ! -c /dev/fuse ]; then echo "bench/fuse.sh: needs root and /dev/fuse; not run"; exit 2; fi
"$BIN/mockenv" --bench --profile "${PROFILE:-dstack-0.6.0-tdx}" -- "$BIN/bench_fuse" "${ITERS:-3000}" "${QUOTE_SECONDS:-2}"
