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
# Writes reports/: junit/<key>__<suite>.xml, tap/<key>__<suite>.tap, logs/, evidence/,
# summary.json (docs/summary-schema.md) and index.html. <key> is the profile name, or
# <profile>+<fault> for a fault run.
# Exit: 0 all pass (skips allowed), 1 any FAIL or BROK (or an undetected fault in the
# full matrix), 4 everything skipped, 2 usage.
set -uo pipefail
cd "$(dirname "$0")" || exit 2
ROOT=$PWD

# dstack_agent first: the other suites extend RTMR3 natively, which no agent log records
SUITES=(dstack_agent tdx_guest sev_guest tsm_report tsm_mr rtmr3 matrix perms)
target=auto profile=all fault="" fuzz_seconds=0 destructive=0 no_faults=0
jobs=$(nproc 2>/dev/null || echo 2)

usage() { sed -n '2,8p' "$0" | sed 's/^# \{0,1\}//'; }

# ------------------------------------------------------------------ inner mode
# run_all.sh --_inner KEY RESULTS EXTRA_ARGS -- SUITE...: runs inside mockenv (or on the
# real machine), one line per suite appended to RESULTS:
#   <suite> <rc> <pass> <fail> <skip> <brok> <seconds>
if [ "${1:-}" = "--_inner" ]; then
  key=$2 results=$3 extra=$4; shift 4
  [ "${1:-}" = "--" ] && shift
  for s in "$@"; do
    tap=reports/tap/${key}__${s}.tap junit=reports/junit/${key}__${s}.xml log=reports/logs/${key}__${s}.log
    t0=$(date +%s%N)
    if [ -x "build/suites/$s" ]; then
      # shellcheck disable=SC2086
      "build/suites/$s" --tap "$tap" --junit "$junit" $extra >"$log" 2>&1
      rc=$?
    else
      echo "suite binary build/suites/$s missing" >"$log"; rc=127
    fi
    t1=$(date +%s%N)
    secs=$(awk -v a="$t0" -v b="$t1" 'BEGIN{printf "%.2f", (b-a)/1e9}')
    if [ -f "$tap" ]; then
      p=$(grep -cE '^ok [0-9]+ [^#]*$' "$tap"); sk=$(grep -cE '^ok [0-9]+ .*# SKIP' "$tap")
      f=$(grep -cE '^not ok [0-9]+ .*# FAIL' "$tap"); b=$(grep -cE '^not ok [0-9]+ .*# error' "$tap")
    else
      p=0 sk=0 f=0 b=1
    fi
    # A suite that crashed or could not start is BROK even if its TAP looks clean.
    if [ "$rc" -ne 0 ] && [ "$rc" -ne 1 ] && [ "$rc" -ne 4 ] && [ "$b" -eq 0 ]; then b=1; fi
    if [ "$rc" -eq 1 ] && [ "$f" -eq 0 ] && [ "$b" -eq 0 ]; then b=1; fi
    echo "$s $rc $p $f $sk $b $secs" >>"$results"
  done
  exit 0
fi

# ------------------------------------------------------------------ options
while [ $# -gt 0 ]; do
  case "$1" in
    --target) target=${2:-}; shift 2 ;;
    --target=*) target=${1#*=}; shift ;;
    --profile) profile=${2:-}; shift 2 ;;
    --profile=*) profile=${1#*=}; shift ;;
    --fault) fault=${2:-}; shift 2 ;;
    --fault=*) fault=${1#*=}; shift ;;
    --fuzz-seconds) fuzz_seconds=${2:-}; shift 2 ;;
    --fuzz-seconds=*) fuzz_seconds=${1#*=}; shift ;;
    --allow-destructive) destructive=1; shift ;;
    --no-faults) no_faults=1; shift ;;
    -j) jobs=${2:-}; shift 2 ;;
    -j*) jobs=${1#-j}; shift ;;
    -h|--help) usage; exit 0 ;;
    *) echo "run_all.sh: unknown argument: $1" >&2; usage >&2; exit 2 ;;
  esac
done
case "$target" in auto|real|mock) ;; *) echo "run_all.sh: --target must be auto, real or mock" >&2; exit 2 ;; esac
[[ "$fuzz_seconds" =~ ^[0-9]+$ ]] || { echo "run_all.sh: --fuzz-seconds takes a number" >&2; exit 2; }
[[ "$jobs" =~ ^[1-9][0-9]*$ ]] || { echo "run_all.sh: -j takes a positive number" >&2; exit 2; }

T_START=$(date +%s%N)
elapsed() { awk -v a="$T_START" -v b="$(date +%s%N)" 'BEGIN{printf "%.1f", (b-a)/1e9}'; }

# ------------------------------------------------------------------ deps, build
scripts/deps.sh core || { echo "run_all.sh: missing dependencies (see above)" >&2; exit 1; }
build_note=""
if ! make -s -j"$jobs" all >reports/build.log 2>&1; then
  # Something else in the tree (a unit test, a tool) may be broken; the run needs only the
  # suites, the mocks and teeabi-parse. Build exactly those before giving up.
  need=(); for s in "${SUITES[@]}"; do need+=("build/suites/$s"); done
  [ -d mocks/mockenv ] && ls mocks/mockenv/*.c >/dev/null 2>&1 && need+=(build/bin/mockenv)
  [ -d mocks/mockfs ] && ls mocks/mockfs/*.c >/dev/null 2>&1 && need+=(build/bin/mockfs)
  [ -f tools/teeabi-parse.c ] && need+=(build/bin/teeabi-parse)
  if make -s -j"$jobs" "${need[@]}" >>reports/build.log 2>&1; then
    build_note="make all failed (reports/build.log); the suites, mocks and teeabi-parse built, so the run continues"
    echo "run_all.sh: warning: $build_note" >&2
  else
    tail -30 reports/build.log >&2
    echo "run_all.sh: build failed (full log: reports/build.log)" >&2
    exit 1
  fi
fi

if [ "$target" = auto ]; then
  if [ -e /dev/tdx_guest ] || [ -e /dev/sev-guest ] || [ -e /sys/kernel/config/tsm/report ]; then target=real; else target=mock; fi
fi

# ------------------------------------------------------------------ reports/
rm -rf reports/junit reports/tap reports/logs reports/evidence reports/runs reports/summary.json reports/index.html reports/fuzz.log
mkdir -p reports/junit reports/tap reports/logs reports/evidence reports/runs
export TEEABI_EVIDENCE_DIR=$ROOT/reports/evidence
MANIFEST=reports/runs/manifest.tsv   # key profile fault suites-file
: >"$MANIFEST"
NOTES=reports/runs/notes.txt
: >"$NOTES"
[ -n "$build_note" ] && echo "$build_note" >>"$NOTES"
note() { echo "run_all.sh: $*"; echo "$*" >>"$NOTES"; }

profiles_all() { for f in mocks/profiles/*.conf; do [ -f "$f" ] && basename "$f" .conf; done; }
fault_key() { # file key -> value
  sed -n "s/^[[:space:]]*$2[[:space:]]*=[[:space:]]*//p" "$1" | head -1 | tr -d '\r'
}
fault_profiles() { fault_key "mocks/faults/$1.conf" profiles | tr ',' ' '; }
fault_suites() { # suites run under a fault: its area, plus rtmr3 where extends are involved
  case "$(fault_key "mocks/faults/$1.conf" area)" in
    tdx_guest) echo "tdx_guest rtmr3" ;;
    tsm_mr) echo "tsm_mr rtmr3" ;;
    tsm_report) echo "tsm_report" ;;
    sev_guest) echo "sev_guest" ;;
    matrix) echo "matrix" ;;
    dstack_agent) echo "dstack_agent" ;;
    *) echo "${SUITES[*]}" ;;
  esac
}

# Jobs: "key|profile|fault|suite suite ..."
JOBS=()
total_runs=0
add_job() { JOBS+=("$1|$2|$3|$4"); total_runs=$((total_runs + $(wc -w <<<"$4"))); }

skip_all_reason=""
if [ "$target" = mock ]; then
  extra="--allow-destructive"
  if [ "$(id -u)" -ne 0 ]; then skip_all_reason="the mock matrix needs root (mount namespaces and FUSE)"; fi
  if [ ! -x build/bin/mockenv ]; then skip_all_reason="build/bin/mockenv is not built (mocks/mockenv missing)"; fi
  mapfile -t ALLP < <(profiles_all)
  if [ ${#ALLP[@]} -eq 0 ] && [ -z "$skip_all_reason" ]; then skip_all_reason="no profiles in mocks/profiles"; fi
  if [ "$profile" != all ] && [ ! -f "mocks/profiles/$profile.conf" ]; then
    echo "run_all.sh: unknown profile $profile (see mocks/profiles/)" >&2; exit 2
  fi
  if [ -n "$fault" ] && [ ! -f "mocks/faults/$fault.conf" ]; then
    echo "run_all.sh: unknown fault $fault (see mocks/faults/)" >&2; exit 2
  fi
  if [ -z "$fault" ]; then
    if [ "$profile" = all ]; then sel=("${ALLP[@]}"); else sel=("$profile"); fi
    for p in "${sel[@]}"; do add_job "$p" "$p" "" "${SUITES[*]}"; done
    if [ "$no_faults" -eq 0 ]; then
      for fc in mocks/faults/*.conf; do
        [ -f "$fc" ] || continue
        f=$(basename "$fc" .conf)
        read -r -a fps <<<"$(fault_profiles "$f")"
        if [ ${#fps[@]} -eq 0 ]; then note "fault $f lists no profiles: not run"; continue; fi
        if [ "$profile" = all ]; then runp=("${fps[@]}")
        elif [[ " ${fps[*]} " == *" $profile "* ]]; then runp=("$profile")
        else continue; fi
        for p in "${runp[@]}"; do add_job "$p+$f" "$p" "$f" "$(fault_suites "$f")"; done
      done
    fi
  else
    read -r -a fps <<<"$(fault_profiles "$fault")"
    [ ${#fps[@]} -gt 0 ] || { echo "run_all.sh: fault $fault lists no profiles in mocks/faults/$fault.conf" >&2; exit 2; }
    if [ "$profile" = all ]; then runp=("${fps[@]}")
    elif [[ " ${fps[*]} " == *" $profile "* ]]; then runp=("$profile")
    else
      note "fault $fault does not apply to profile $profile (its interface is absent or different there); running it on its default profile ${fps[0]} instead"
      runp=("${fps[0]}")
    fi
    for p in "${runp[@]}"; do add_job "$p+$fault" "$p" "$fault" "$(fault_suites "$fault")"; done
  fi
else
  extra=""
  [ "$destructive" -eq 1 ] && extra="--allow-destructive"
  if [ "$profile" != all ]; then extra="$extra --profile $profile"; fi
  [ -n "$fault" ] && note "--fault is a mock-only option: ignored on the real target"
  add_job "real" "${profile/all/detected}" "" "${SUITES[*]}"
fi

# ------------------------------------------------------------------ run
done_runs=0
print_job() { # key results-file
  local key=$1 res=$2 s rc p f sk b secs
  while read -r s rc p f sk b secs; do
    done_runs=$((done_runs + 1))
    local extra_txt=""
    [ "$b" -gt 0 ] && extra_txt=", $b brok"
    printf '[%d/%d] %s %s: %d pass, %d fail, %d skip%s (%s s)\n' "$done_runs" "$total_runs" "$key" "$s" "$p" "$f" "$sk" "$extra_txt" "$secs"
  done <"$res"
}

run_job() { # job-spec
  local key prof flt suites
  IFS='|' read -r key prof flt suites <<<"$1"
  local res=reports/runs/$key.res
  : >"$res"
  echo -e "$key\t$prof\t${flt:--}\t$suites" >>"$MANIFEST"   # "-" = no fault (tabs collapse in read)
  # shellcheck disable=SC2086
  if [ -n "$skip_all_reason" ]; then
    for s in $suites; do
      printf 'TAP version 13\n1..1\nok 1 %s # SKIP %s\n' "$s" "$skip_all_reason" >"reports/tap/${key}__${s}.tap"
      echo "$s 4 0 0 1 0 0.00" >>"$res"
    done
  elif [ "$target" = mock ]; then
    local fargs=()
    [ -n "$flt" ] && fargs=(--fault "$flt")
    # shellcheck disable=SC2086
    # Fault runs save no evidence: the samples in reports/evidence come from clean profiles.
    local evd=$TEEABI_EVIDENCE_DIR
    [ -n "$flt" ] && evd=""
    TEEABI_EVIDENCE_DIR=$evd build/bin/mockenv --profile "$prof" "${fargs[@]}" -- "$ROOT/run_all.sh" --_inner "$key" "$ROOT/$res" "$extra" -- $suites \
      >"reports/logs/${key}__mockenv.log" 2>&1
    local mrc=$?
    # Suites that never reported (mockenv failed to start): BROK each.
    for s in $suites; do
      if ! grep -q "^$s " "$res"; then
        echo "$s 1 0 0 0 1 0.00" >>"$res"
        echo "mockenv exited $mrc before suite $s reported; see reports/logs/${key}__mockenv.log" >"reports/logs/${key}__${s}.log"
      fi
    done
  else
    # shellcheck disable=SC2086
    "$ROOT/run_all.sh" --_inner "$key" "$ROOT/$res" "$extra" -- $suites
  fi
}

echo "run_all.sh: target $target, $total_runs suite runs in ${#JOBS[@]} jobs, -j $jobs"
T_MATRIX=$(date +%s%N)
running=0
declare -A PID2KEY=()
for j in "${JOBS[@]}"; do
  key=${j%%|*}
  run_job "$j" &
  PID2KEY[$!]=$key
  running=$((running + 1))
  if [ "$running" -ge "$jobs" ]; then
    wait -n -p donepid 2>/dev/null || true
    if [ -n "${donepid:-}" ] && [ -n "${PID2KEY[$donepid]:-}" ]; then
      print_job "${PID2KEY[$donepid]}" "reports/runs/${PID2KEY[$donepid]}.res"; unset "PID2KEY[$donepid]"
    fi
    running=$((running - 1))
  fi
done
while [ ${#PID2KEY[@]} -gt 0 ]; do
  donepid=""
  wait -n -p donepid 2>/dev/null || true
  if [ -n "${donepid:-}" ] && [ -n "${PID2KEY[$donepid]:-}" ]; then
    print_job "${PID2KEY[$donepid]}" "reports/runs/${PID2KEY[$donepid]}.res"; unset "PID2KEY[$donepid]"
  elif [ -z "${donepid:-}" ]; then
    break
  fi
done
wait
MATRIX_WALL=$(awk -v a="$T_MATRIX" -v b="$(date +%s%N)" 'BEGIN{printf "%.1f", (b-a)/1e9}')

# Real target: name the files after the detected profile.
if [ "$target" = real ]; then
  rp=$(sed -n 's/^# profile \([^ ]*\) (.*/\1/p' reports/tap/real__*.tap 2>/dev/null | head -1)
  if [ -n "$rp" ]; then
    for f in reports/tap/real__* reports/junit/real__* reports/logs/real__*; do
      [ -e "$f" ] && mv "$f" "${f/real__/${rp}__}"
    done
    mv reports/runs/real.res "reports/runs/$rp.res"
    sed -i "s/^real\t[^\t]*/$rp\t$rp/" "$MANIFEST"
  fi
fi

# ------------------------------------------------------------------ fuzz
fuzz_rc=""
if [ "$fuzz_seconds" -gt 0 ]; then
  if [ -x scripts/fuzz.sh ] || [ -f scripts/fuzz.sh ]; then
    echo "run_all.sh: fuzz campaign, $fuzz_seconds s per target (scripts/fuzz.sh)"
    FUZZ_SECONDS=$fuzz_seconds bash scripts/fuzz.sh 2>&1 | tee reports/fuzz.log | grep --line-buffered -E '^fuzz(\.sh)?: '
    fuzz_rc=${PIPESTATUS[0]}
  else
    note "--fuzz-seconds given but scripts/fuzz.sh does not exist: no fuzz campaign"
    fuzz_rc=missing
  fi
fi

# ------------------------------------------------------------------ verdict
total_f=0 total_b=0 total_p=0 total_s=0
undetected=()
detected=0 nfaults=0
while IFS=$'\t' read -r key prof flt suites; do
  [ "$flt" = "-" ] && flt=""
  res=reports/runs/$key.res
  kf=0 kb=0
  while read -r s rc p f sk b secs; do
    kf=$((kf + f)); kb=$((kb + b)); total_p=$((total_p + p)); total_s=$((total_s + sk))
  done <"$res"
  total_b=$((total_b + kb))
  if [ -n "$flt" ]; then
    nfaults=$((nfaults + 1))
    if [ "$kf" -gt 0 ]; then detected=$((detected + 1)); else undetected+=("$flt on $prof"); fi
    # In single-fault mode the FAILs are the point: they count as FAILs of the run.
    if [ -n "$fault" ]; then total_f=$((total_f + kf)); fi
  else
    total_f=$((total_f + kf))
  fi
done <"$MANIFEST"

WALL=$(elapsed)
if [ -z "$fault" ] && [ "$nfaults" -gt 0 ] && [ -z "$skip_all_reason" ]; then
  echo "faults detected: $detected/$nfaults"
  for u in "${undetected[@]}"; do echo "  UNDETECTED: $u"; done
fi
if [ -n "$skip_all_reason" ]; then
  rc=4
elif [ "$total_f" -gt 0 ] || [ "$total_b" -gt 0 ] || { [ -z "$fault" ] && [ ${#undetected[@]} -gt 0 ]; }; then
  rc=1
elif [ "$total_p" -eq 0 ]; then
  rc=4
else
  rc=0
fi
if [ -n "$fuzz_rc" ] && [ "$fuzz_rc" != 0 ] && [ "$fuzz_rc" != missing ]; then rc=1; fi

if command -v python3 >/dev/null 2>&1; then
  python3 scripts/report.py --reports reports --target "$target" --wall "$WALL" --matrix-wall "$MATRIX_WALL" \
    --exit-code "$rc" --fault-mode "${fault:-}" --fuzz-seconds "$fuzz_seconds" --fuzz-rc "${fuzz_rc:-}" \
    || echo "run_all.sh: report generation failed (summary.json/index.html incomplete)" >&2
else
  echo "run_all.sh: python3 not found: reports/summary.json and index.html not written (TAP and JUnit are)" >&2
fi

verdict=PASS; [ $rc -eq 1 ] && verdict=FAIL; [ $rc -eq 4 ] && verdict=SKIP
[ -n "$skip_all_reason" ] && echo "run_all.sh: everything skipped: $skip_all_reason"
echo "run_all.sh: $verdict: $total_p pass, $total_f fail, $total_s skip, $total_b brok; matrix wall time ${MATRIX_WALL} s, total ${WALL} s"
echo "run_all.sh: reports in reports/ (summary.json, index.html, junit/, tap/)"
exit $rc
