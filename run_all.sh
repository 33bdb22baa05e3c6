#!/usr/bin/env bash
# run_all.sh - the teeabi qualification run.
#
#   ./run_all.sh [--target auto|real|mock] [--profile NAME|all] [--fault NAME]
#                [--fuzz-seconds N] [--allow-destructive] [--no-faults] [-j N]
#
# auto = real when /dev/tdx_guest, /dev/sev-guest or /sys/kernel/config/tsm/report exist,
# else mock.
#   mock: every profile (or the one given) x every suite inside mockenv, profiles in
#         parallel (-j, default nproc), then every fault on the profiles listed in its
#         mocks/faults/<fault>.conf (`profiles = ...`, the first is the default). A fault
#         is detected when at least one test FAILs under it. With --fault F only F runs
#         (on --profile P if F applies to P, else on F's default profile, with a note),
#         and the exit status is the suites' own (a detected fault exits 1).
#         --allow-destructive is always passed: the mock is ours to break.
#   real: the suites once against this machine with the detected (or given) profile;
#         destructive tests only with --allow-destructive.
# Then `scripts/fuzz.sh` with FUZZ_SECONDS=N when --fuzz-seconds N > 0.
#
# This script checks the arguments, takes the lock on reports/ (reports/.lock: a second run
# in the same tree is refused), installs the dependencies (scripts/deps.sh core), builds
# (`make all`, log in build/run_all-build.log) and execs build/bin/teeabi-run with the same
# arguments, which runs the jobs and writes reports/ (docs/summary-schema.md): summary.json,
# index.html, junit/ and tap/ (the verdict's runs), faults/ (the fault self-test and its
# faults/fault-detection.xml), logs/, evidence/, runs/ (the suites' own files).
# Exit: 0 all pass (skips allowed), 1 any FAIL or BROK (or an undetected fault in the
# full matrix, a lost result, a report that could not be written, an interruption),
# 4 everything skipped, 2 usage.
set -uo pipefail
export LC_ALL=C
cd "$(dirname "$0")" || exit 2
# Until teeabi-run takes over (exec), a signal ends the set-up with no verdict: it says so,
# exits 1, and leaves no earlier run's summary behind once the lock is ours.
have_lock=0
on_signal() {
  trap - TERM HUP INT
  [ "$have_lock" = 1 ] && rm -f reports/summary.json reports/index.html
  echo "run_all.sh: interrupted by SIG$1 during set-up (options, deps, build), before any test ran: no verdict" >&2
  exit 1
}
trap 'on_signal TERM' TERM; trap 'on_signal HUP' HUP; trap 'on_signal INT' INT
T0=$(date +%s.%N)
ARGS=("$@")

usage() { sed -n '2,8p' "$0" | sed 's/^# \{0,1\}//'; }
die_usage() { echo "run_all.sh: $*" >&2; exit 2; }

# ------------------------------------------------------------------ arguments
# Checked here so that a bad command line fails before the build; teeabi-run checks them
# again (it is also run on its own). Values are never split; a missing value is an error.
name_re='^[A-Za-z0-9._+-]+$'
need_value() { # option remaining-count next
  if [ "$2" -lt 2 ]; then die_usage "option $1 needs a value"; fi
  case "$3" in --*) die_usage "option $1 needs a value (got the option $3)" ;; "") die_usage "option $1 needs a value" ;; esac
}
target=auto profile=all fault=""
i=0
while [ $i -lt $# ]; do
  a=${ARGS[$i]} v=""
  case "$a" in
    -h|--help) usage; exit 0 ;;
    --allow-destructive|--no-faults) i=$((i + 1)); continue ;;
    --target|--profile|--fault|--fuzz-seconds|-j)
      need_value "$a" $(($# - i)) "${ARGS[$((i + 1))]:-}"; v=${ARGS[$((i + 1))]}; i=$((i + 2)) ;;
    --target=*|--profile=*|--fault=*|--fuzz-seconds=*)
      v=${a#*=}; a=${a%%=*}; [ -n "$v" ] || die_usage "option $a needs a value"; i=$((i + 1)) ;;
    -j*) v=${a#-j}; a=-j; i=$((i + 1)) ;;
    *) echo "run_all.sh: unknown argument: $a" >&2; usage >&2; exit 2 ;;
  esac
  case "$a" in
    --target) case "$v" in auto|real|mock) target=$v ;; *) die_usage "--target must be auto, real or mock" ;; esac ;;
    --profile) profile=$v ;;
    --fault) fault=$v ;;
    --fuzz-seconds) [[ "$v" =~ ^[0-9]+$ ]] || die_usage "--fuzz-seconds takes a number" ;;
    -j) [[ "$v" =~ ^[1-9][0-9]*$ ]] || die_usage "-j takes a positive number" ;;
  esac
done
if [ "$profile" != all ] && { ! [[ "$profile" =~ $name_re ]] || [ ! -f "mocks/profiles/$profile.conf" ]; }; then
  die_usage "unknown profile '$profile' (names are [A-Za-z0-9._+-]+; see mocks/profiles/)"
fi
if [ -n "$fault" ] && { ! [[ "$fault" =~ $name_re ]] || [ ! -f "mocks/faults/$fault.conf" ]; }; then
  die_usage "unknown fault '$fault' (names are [A-Za-z0-9._+-]+; see mocks/faults/)"
fi

# ------------------------------------------------------------------ reports/ and its lock
# errno name of a failed redirection, from bash's message (LC_ALL=C)

errno_of() {
  case "$1" in
    *"Read-only file system"*) echo EROFS ;; *"Permission denied"*) echo EACCES ;;
    *"No space left on device"*) echo ENOSPC ;; *"Disk quota exceeded"*) echo EDQUOT ;;
    *"Not a directory"*) echo ENOTDIR ;; *"No such file or directory"*) echo ENOENT ;;
    *"Is a directory"*) echo EISDIR ;; *) echo "${1##*: }" ;;
  esac
}
err=$(mkdir -p reports 2>&1) || { echo "run_all.sh: reports/ is not writable: $(errno_of "$err") ($err)" >&2; exit 1; }
err=$( { exec 9>>reports/.lock; } 2>&1 ) || { echo "run_all.sh: reports/ is not writable: $(errno_of "$err")" >&2; exit 1; }
exec 9>>reports/.lock
if ! flock -n 9; then
  holder=$(head -c 20 reports/.lock 2>/dev/null | tr -cd '0-9')
  echo "run_all.sh: reports/ is in use by another run (pid ${holder:-unknown} holds reports/.lock); not starting" >&2
  exit 1
fi
have_lock=1
err=$( { echo $$ >reports/.lock; } 2>&1 ) || { echo "run_all.sh: reports/ is not writable: $(errno_of "$err")" >&2; exit 1; }
# The previous verdict goes before the build: a failed build must not leave a PASS behind.
for f in reports/summary.json reports/index.html; do
  err=$(rm -f "$f" 2>&1) && [ ! -e "$f" ] || { echo "run_all.sh: cannot remove the previous $f: $(errno_of "$err"): not starting" >&2; exit 1; }
done

# ------------------------------------------------------------------ deps, build
jobs=$(nproc 2>/dev/null || echo 2)
scripts/deps.sh core || { echo "run_all.sh: missing dependencies (see above)" >&2; exit 1; }
mkdir -p build || { echo "run_all.sh: cannot create build/" >&2; exit 1; }
BLOG=build/run_all-build.log
err=$( { : >"$BLOG"; } 2>&1 ) || { echo "run_all.sh: cannot write $BLOG: $(errno_of "$err")" >&2; exit 1; }
if ! make -s -j"$jobs" all >"$BLOG" 2>&1; then
  # Something else in the tree (a unit test, a tool) may be broken; the run needs only the
  # suites, the mocks, teeabi-parse and teeabi-run. Build exactly those before giving up.
  need=(build/bin/teeabi-run build/libexec/exec-blocked)
  for s in dstack_agent tdx_guest sev_guest tsm_report tsm_mr rtmr3 matrix perms vmpck; do need+=("build/suites/$s"); done
  ls mocks/mockenv/*.c >/dev/null 2>&1 && need+=(build/bin/mockenv)
  ls mocks/mockfs/*.c >/dev/null 2>&1 && need+=(build/bin/mockfs)
  [ -f tools/teeabi-parse.c ] && need+=(build/bin/teeabi-parse)
  if make -s -j"$jobs" "${need[@]}" >>"$BLOG" 2>&1; then
    echo "run_all.sh: warning: make all failed ($BLOG); the suites, mocks and tools built, so the run continues" >&2
  else
    tail -30 "$BLOG" >&2
    echo "run_all.sh: build failed (full log: $BLOG)" >&2
    exit 1
  fi
fi

# ------------------------------------------------------------------ the run
# teeabi-run keeps the lock (fd 9) and names itself run_all.sh in its messages. It starts
# with SIGTERM/INT/HUP blocked (exec-blocked): bash resets its traps at exec, and a signal in
# the milliseconds before teeabi-run's main would otherwise kill it without a word.
export TEEABI_RUN_LOCK_FD=9 TEEABI_RUN_T0=$T0
exec build/libexec/exec-blocked build/bin/teeabi-run run_all.sh "${ARGS[@]}"
