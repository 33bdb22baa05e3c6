#!/usr/bin/env bash
# check step: the orchestrator (build/bin/teeabi-run, run_all.sh) cannot be made to lie.
# Most cases run teeabi-run on a fake root (--root: fake suites obeying contract S and a fake
# mockenv obeying contract M, scripts/check.d/runner/) so that each way a result can be lost
# is produced on purpose:
#   - lost results (tests without a result, no # Totals, a wrong plan, unknown names, exit 3,
#     a suite killed by a signal, mockenv 125): the run is BROK, exit 1, the reason names
#     what is missing; summary.json, TAP, JUnit and index.html agree on every count;
#   - nothing written after the verdict: a suite's background writer (in its group, or in a
#     session of its own) is killed before the run ends;
#   - reports/ on a 64 KiB tmpfs (ENOSPC named), read-only (EROFS named, also through
#     run_all.sh, and the previous PASS never left in place), a run killed mid-way leaves
#     no summary;
#   - the lock: a second run in the same reports/ is refused at once, naming the holder;
#   - SIGTERM, SIGHUP, SIGINT: forwarded, the suites clean up, the reports say so, exit 1;
#     a job running longer than TEEABI_JOB_TIMEOUT is stopped the same way;
#   - JUnit: junit/ holds the verdict's runs only, faults/fault-detection.xml one case per
#     fault run, the detection rate in summary.json;
#   - arguments: values never split, missing values exit 2 within a second;
#   - non-root, no FUSE: every test SKIP with the reason, TAP and JUnit written; the fuzz step's old
#     summary is never embedded; the progress lines; the real target's naming and flags;
#   - one real mock profile with its faults (mockenv, the real suites), counts compared; the
#     mockfs daemon SIGKILLed at random points: every such run non-zero with BROK.
# Budget: about 60 s (most of it the real mock profile and the signal cases' sleeps).
set -uo pipefail
cd "$(dirname "$0")/../.."
ROOT=$PWD
B=${B:-build}
RUN=$ROOT/$B/bin/teeabi-run
AGREE=$ROOT/scripts/check.d/runner/agree.py
fails=0 oks=0
fail() { echo "FAIL: $*"; fails=$((fails + 1)); }
ok() { echo "ok: $*"; oks=$((oks + 1)); }

if [ "$(id -u)" != 0 ]; then echo "FAIL: 20-runner needs root (private mounts for the tmpfs and read-only cases)"; exit 1; fi
make -s -j"$(nproc)" "$B/bin/teeabi-run" "$B/bin/teeabi-parse" >/dev/null || { echo "FAIL: build"; exit 1; }
T=$(mktemp -d /tmp/teeabi-20-runner.XXXXXX)
chmod 755 "$T"
trap '[ -n "${KEEP:-}" ] || rm -rf "$T"' EXIT
SUITES=(dstack_agent tdx_guest sev_guest tsm_report tsm_mr rtmr3 matrix perms vmpck)
NS=${#SUITES[@]}   # the fake root: 2 profiles x NS suites x 4 tests

# mkroot DIR FAULT... : a fake root with two profiles and the given fake faults
mkroot() {
  local d=$1 f; shift
  mkdir -p "$d/suites" "$d/bin" "$d/profiles" "$d/faults"
  for s in "${SUITES[@]}"; do cp scripts/check.d/runner/fake-suite "$d/suites/$s"; done
  cp scripts/check.d/runner/fake-mockenv "$d/bin/mockenv"
  cp mocks/profiles/dstack-0.6.0-tdx.conf mocks/profiles/dstack-0.6.0-snp.conf "$d/profiles/"
  for f in "$@"; do
    case "$f" in
      fake-detected) printf 'name = fake-detected\narea = tsm_report\ndescription = caught by tsm_report\nprofiles = dstack-0.6.0-tdx\n' ;;
      fake-undetected) printf 'name = fake-undetected\narea = sev_guest\ndescription = nothing catches it\nprofiles = dstack-0.6.0-snp\n' ;;
    esac >"$d/faults/$f.conf"
  done
  chmod -R a+rX "$d"
}
FR=$T/root
mkroot "$FR" fake-detected
FR2=$T/root2
mkroot "$FR2" fake-detected fake-undetected

# frun NAME [ENV=V...] -- ARGS... : teeabi-run on the fake root, reports in $T/NAME; rc in $rc
frun() {
  local n=$1; shift
  local envs=()
  while [ "$1" != -- ]; do envs+=("$1"); shift; done
  shift
  rm -rf "$T/$n"
  env "${envs[@]}" timeout 120 "$RUN" --root "$FR" --reports "$T/$n" --target mock -j 2 "$@" >"$T/$n.out" 2>&1
  rc=$?
}
jq_() { python3 -c "import json,sys; s=json.load(open(sys.argv[1])); print($2)" "$T/$1/summary.json" 2>/dev/null; }
agree() { python3 "$AGREE" "$T/$1" >"$T/$1.agree" 2>&1; }

# ---------------------------------------------------------------- a clean run
frun clean -- --no-faults
[ $rc = 0 ] && grep -q "^teeabi-run: PASS: $((8 * NS)) pass, 0 fail, 0 skip, 0 brok;" "$T/clean.out" && ok "clean fake run: exit 0, PASS, $((8 * NS)) tests" || fail "clean fake run: rc $rc: $(tail -3 "$T/clean.out")"
agree clean && ok "clean: $(tail -1 "$T/clean.agree")" || fail "clean: $(cat "$T/clean.agree")"
n=$(grep -cE "^\[[0-9]+/$((2 * NS))\] dstack-0\.6\.0-(tdx|snp) [a-z_0-9]+: 4 pass, 0 fail, 0 skip \([0-9.]+ s\)$" "$T/clean.out")
[ "$n" = $((2 * NS)) ] && ok "progress: $n lines '[i/$n] profile suite: P pass, F fail, S skip (T s)'" || fail "progress lines: $n of 14: $(head -3 "$T/clean.out")"
grep -q '^# diagnostic of tdx_guest.a.one$' "$T/clean/tap/dstack-0.6.0-tdx__tdx_guest.tap" && grep -q '<system-out>diagnostic of tdx_guest.a.one' "$T/clean/junit/dstack-0.6.0-tdx__tdx_guest.xml" && ok "diagnostics kept in TAP and JUnit" || fail "diagnostics lost"
env -u FOO bash -c "exec -a run_all.sh '$RUN' --root '$FR' --reports '$T/named' --target mock --no-faults" >"$T/named.out" 2>&1
grep -q '^run_all.sh: PASS: ' "$T/named.out" && ok "exec'd as run_all.sh: the final line reads 'run_all.sh: PASS: ...' (what check.d parses)" || fail "final line: $(tail -2 "$T/named.out")"

# a bundle: bin/teeabi-run beside profiles/ finds its layout without --root, also through a
# symlink named teeabi-qualify (the name its messages then carry)
cp "$RUN" "$FR/bin/teeabi-run"; ln -sf teeabi-run "$FR/bin/teeabi-qualify"
"$FR/bin/teeabi-qualify" --reports "$T/bundle" --target mock --no-faults >"$T/bundle.out" 2>&1
rc=$?
rm -f "$FR/bin/teeabi-run" "$FR/bin/teeabi-qualify"
[ $rc = 0 ] && grep -q "^teeabi-qualify: PASS: $((8 * NS)) pass" "$T/bundle.out" && ok "bundle layout found from the binary's place (bin/ beside profiles/), run as teeabi-qualify" || fail "bundle layout: rc $rc: $(tail -2 "$T/bundle.out")"

# ---------------------------------------------------------------- lost results
# case MODE EXPECTED-REASON-REGEX
lost() {
  local mode=$1 want=$2
  frun "lost-$mode" FAKE_tsm_report="$mode" -- --profile dstack-0.6.0-tdx --no-faults
  local st
  st=$(jq_ "lost-$mode" "s['verdict'], s['profiles']['dstack-0.6.0-tdx']['suites']['tsm_report']['counts']['brok']")
  if [ $rc = 1 ] && [[ "$st" == FAIL\ [1-9]* ]] && grep -qE "$want" "$T/lost-$mode.out" && agree "lost-$mode"; then
    ok "$mode: exit 1, BROK: $(grep -m1 -oE "$want.*" "$T/lost-$mode.out" | cut -c1-110)"
  else
    fail "$mode: rc $rc, verdict/brok '$st', want /$want/: $(grep -m1 BROK "$T/lost-$mode.out") $(head -3 "$T/lost-$mode.agree" 2>/dev/null)"
  fi
}
lost missing 'tsm_report on dstack-0\.6\.0-tdx: 2 of 4 tests have no result: tsm_report\.b\.three, tsm_report\.b\.four'
lost nototals 'no # Totals line'
lost planbad 'plan 1\.\.3 but 4 tests listed'
lost unknown 'not in --list: tsm_report\.c\.stranger'
lost exit3 'results not written \(exit 3\)'
lost killed '3 of 4 tests have no result.*interrupted by SIGTERM'
frun lost-mockenv FAKE_MOCKENV=die -- --profile dstack-0.6.0-tdx --no-faults
n=$(jq_ lost-mockenv "sum(1 for x in s['profiles']['dstack-0.6.0-tdx']['suites'].values() for t in x['tests'] if t['status']=='BROK' and 'mockfs died' in t['reason'])")
[ $rc = 1 ] && [ "$n" = $((4 * NS)) ] && agree lost-mockenv && ok "mockenv 125: all $n tests of the job BROK with mockenv's message" || fail "mockenv 125: rc $rc, $n of $((4 * NS)) BROK"

# ---------------------------------------------------------------- nothing written after the verdict
declare -A rcs=()
for m in late late-setsid; do
  rm -f "$T/mark.$m" "$T/ctl.$m"
  frun "$m" FAKE_tdx_guest=$m FAKE_MARK="$T/mark.$m" -- --profile dstack-0.6.0-tdx --no-faults
  rcs[$m]=$rc
  # control: the same suite outside the runner does write 5 s after it exited
  FAKE_tdx_guest=$m FAKE_MARK="$T/ctl.$m" "$FR/suites/tdx_guest" --tap "$T/ctl.$m.tap" >/dev/null 2>&1
done
sleep 6
for m in late late-setsid; do
  rc=${rcs[$m]}
  [ $rc = 0 ] && [ ! -e "$T/mark.$m" ] && [ -e "$T/ctl.$m" ] && ok "$m: the suite's background writer was killed before the verdict (outside the runner it wrote after 5 s)" || fail "$m: rc $rc, marker: $(ls "$T/mark.$m" 2>&1), control: $(ls "$T/ctl.$m" 2>&1)"
done

# ---------------------------------------------------------------- reports that cannot be written
mkdir -p "$T/small" "$T/ro"
unshare -m sh -c "mount -t tmpfs -o size=64k tmpfs '$T/small' && FAKE_ALL=big '$RUN' --root '$FR' --reports '$T/small' --target mock --no-faults >'$T/small.out' 2>&1; echo \$? >'$T/small.rc'"
grep -q 'ENOSPC' "$T/small.out" && [ "$(cat "$T/small.rc")" = 1 ] && ! grep -q ': PASS: ' "$T/small.out" && ok "reports/ on a 64 KiB tmpfs: exit 1, $(grep -m1 -o '[^ ]*: write: No space left on device (ENOSPC)' "$T/small.out" | sed "s|$T/small/||")" || fail "64 KiB tmpfs: rc $(cat "$T/small.rc"): $(grep -m3 -e ENOSPC -e 'PASS' "$T/small.out")"
printf '{"verdict": "PASS"}\n' >"$T/ro/summary.json"
unshare -m sh -c "mount --bind '$T/ro' '$T/ro' && mount -o remount,bind,ro '$T/ro' && '$RUN' --root '$FR' --reports '$T/ro' --target mock --no-faults >'$T/ro.out' 2>&1; echo \$? >'$T/ro.rc'"
[ "$(cat "$T/ro.rc")" = 1 ] && grep -q "is not writable: EROFS" "$T/ro.out" && ok "read-only reports/: exit 1, '$(grep -m1 -o 'is not writable: EROFS' "$T/ro.out")'" || fail "read-only: rc $(cat "$T/ro.rc"): $(cat "$T/ro.out")"
# the same through run_all.sh, with the tree's own reports/ read-only in a private namespace
unshare -m sh -c "mount --bind '$T/ro' reports && mount -o remount,bind,ro reports && timeout 60 ./run_all.sh --target mock --profile dstack-0.6.0-tdx --no-faults >'$T/ro2.out' 2>&1; echo \$? >'$T/ro2.rc'"
[ "$(cat "$T/ro2.rc")" = 1 ] && grep -q '^run_all.sh: reports/ is not writable: EROFS' "$T/ro2.out" && ! grep -q 'build failed' "$T/ro2.out" && ok "run_all.sh, read-only reports/: 'reports/ is not writable: EROFS', not 'build failed'" || fail "run_all.sh read-only: rc $(cat "$T/ro2.rc"): $(tail -2 "$T/ro2.out")"
# a run killed mid-way: the previous PASS is gone already
mkdir -p "$T/killed"
printf '{"verdict": "PASS"}\n' >"$T/killed/summary.json"; echo PASS >"$T/killed/index.html"
rm -f "$T/killed.jobs" "$T/killed.pids"
FAKE_ALL=sleep FAKE_JOBS="$T/killed.jobs" FAKE_PIDS="$T/killed.pids" "$RUN" --root "$FR" --reports "$T/killed" --target mock --no-faults >"$T/killed.out" 2>&1 &
kpid=$!
sleep 1.5; kill -KILL $kpid; wait $kpid 2>/dev/null
# what the SIGKILLed run left (its jobs' groups, the suites' groups), by their ids
for p in $(cat "$T/killed.jobs" "$T/killed.pids" 2>/dev/null); do kill -KILL -- "-$p" 2>/dev/null; done
[ ! -e "$T/killed/summary.json" ] && [ ! -e "$T/killed/index.html" ] && ok "run SIGKILLed mid-way: the previous summary.json/index.html were removed before it started" || fail "previous PASS left in place after a killed run"

# ---------------------------------------------------------------- the lock
FAKE_ALL=sleep "$RUN" --root "$FR" --reports "$T/lock" --target mock --no-faults -j 14 >"$T/lock1.out" 2>&1 &
lpid=$!
for _ in $(seq 50); do [ -s "$T/lock/.lock" ] && break; sleep 0.1; done
t0=$(date +%s%N)
"$RUN" --root "$FR" --reports "$T/lock" --target mock --no-faults >"$T/lock2.out" 2>&1
rc=$?
ms=$((($(date +%s%N) - t0) / 1000000))
[ $rc = 1 ] && [ $ms -lt 2000 ] && grep -q "in use by another run (pid $lpid holds" "$T/lock2.out" && ok "second run on a locked reports/: refused in $ms ms naming pid $lpid" || fail "lock: rc $rc in $ms ms: $(cat "$T/lock2.out")"
kill -TERM $lpid; wait $lpid 2>/dev/null
# run_all.sh takes the lock before it writes anything (deps, build log)
( exec 9>>reports/.lock; flock 9; echo $BASHPID >reports/.lock; exec sleep 4 ) &
hpid=$!
sleep 0.5
timeout 20 ./run_all.sh --target mock --profile dstack-0.6.0-tdx --no-faults >"$T/lock3.out" 2>&1
rc=$?
kill $hpid 2>/dev/null; wait $hpid 2>/dev/null
[ $rc = 1 ] && grep -q "^run_all.sh: reports/ is in use by another run (pid $hpid holds" "$T/lock3.out" && ok "run_all.sh refuses a locked reports/ before the build, naming pid $hpid" || fail "run_all.sh lock: rc $rc: $(cat "$T/lock3.out")"

# ---------------------------------------------------------------- signals
for sig in TERM HUP INT; do
  rm -f "$T/pids.$sig"
  FAKE_ALL=sleep FAKE_PIDS="$T/pids.$sig" "$RUN" --root "$FR" --reports "$T/sig$sig" --target mock --no-faults -j 2 >"$T/sig$sig.out" 2>&1 &
  spid=$!
  for _ in $(seq 50); do [ -s "$T/pids.$sig" ] && break; sleep 0.1; done
  sleep 0.3
  kill -$sig $spid
  wait $spid; rc=$?
  left=0
  for p in $(cat "$T/pids.$sig" 2>/dev/null); do kill -0 "$p" 2>/dev/null && left=$((left + 1)); done
  i=$(jq_ "sig$sig" "s['interrupted'], s['verdict']")
  bail=$(grep -l "Bail out! interrupted by SIG$sig" "$T/sig$sig"/runs/*.tap 2>/dev/null | wc -l)
  [ $rc = 1 ] && [ "$i" = "SIG$sig FAIL" ] && [ $left = 0 ] && [ "$bail" -ge 1 ] && grep -q "interrupted by SIG$sig" "$T/sig$sig.out" && agree "sig$sig" && ok "SIG$sig: forwarded ($bail suites bailed out cleanly), exit 1, summary 'interrupted: SIG$sig', no process left" || fail "SIG$sig: rc $rc, summary '$i', $left left, $bail bailed: $(tail -3 "$T/sig$sig.out")"
done

# a signal the moment run_all.sh has exec'd teeabi-run (its sanitizer runtime still loading,
# then a large old reports/ being removed): said and exit 1, never death by the signal with no
# word (seen in CI: SIGHUP at 0.23 s, exit -1)
for sig in TERM HUP; do
  rm -rf "$T/early$sig"; mkdir -p "$T/early$sig/runs"
  (cd "$T/early$sig/runs" && seq 1 20000 | sed 's/^/f/' | xargs touch)
  unshare -m bash -c '
    mount --bind "$1" reports || exit 9
    ./run_all.sh --target mock --profile dstack-0.6.0-tdx --no-faults >"$1.out" 2>&1 &
    p=$!; n=0
    while [ "$(readlink /proc/$p/exe)" != "$2" ] && kill -0 $p 2>/dev/null && [ $n -lt 200000 ]; do n=$((n + 1)); done
    kill -$3 $p; wait $p; echo $? >"$1.rc"' sh "$T/early$sig" "$ROOT/build/bin/teeabi-run" $sig
  rc=$(cat "$T/early$sig.rc" 2>/dev/null)
  [ "$rc" = 1 ] && grep -q "^run_all.sh: .*interrupted by SIG$sig" "$T/early$sig.out" && ok "SIG$sig the moment run_all.sh exec'd teeabi-run: exit 1, 'interrupted by SIG$sig'" || fail "SIG$sig at teeabi-run's start: rc ${rc:-none}: $(tail -2 "$T/early$sig.out" 2>/dev/null)"
done

# a hung job is stopped (TEEABI_JOB_TIMEOUT) and its missing results are BROK
t0=$(date +%s)
frun hung FAKE_tsm_report=sleep TEEABI_JOB_TIMEOUT=1 -- --profile dstack-0.6.0-tdx --no-faults
el=$(($(date +%s) - t0))
b=$(jq_ hung "s['profiles']['dstack-0.6.0-tdx']['counts']['brok']")
[ $rc = 1 ] && [ $el -lt 15 ] && [ "${b:-0}" -ge 4 ] && grep -q 'job dstack-0.6.0-tdx still running after 1 s (TEEABI_JOB_TIMEOUT): SIGTERM' "$T/hung.out" && agree hung && ok "hung suite: the job stopped after the timeout, $b BROK, exit 1 in $el s" || fail "hung: rc $rc in $el s, $b brok: $(tail -3 "$T/hung.out")"

# ---------------------------------------------------------------- JUnit and the fault self-test
FR_SAVE=$FR; FR=$FR2
frun faults --
FR=$FR_SAVE
d=$(jq_ faults "s['faults']['detected'], s['faults']['total'], s['faults']['rate']")
[ $rc = 1 ] && [ "$d" = "1 2 0.5" ] && grep -q '^  UNDETECTED: fake-undetected on dstack-0.6.0-snp$' "$T/faults.out" && agree faults && ok "fault runs: detection 1/2 (rate 0.5), the undetected one named, exit 1" || fail "fault runs: rc $rc, '$d': $(tail -4 "$T/faults.out")"
frun faults-ok --
n=$(grep -c '<testcase' "$T/faults-ok/faults/fault-detection.xml" 2>/dev/null)
[ $rc = 0 ] && [ "$n" = 1 ] && ! grep -rqE '<failure|<error' "$T/faults-ok/junit" && ls "$T/faults-ok/faults/junit/dstack-0.6.0-tdx+fake-detected__tsm_report.xml" >/dev/null && agree faults-ok && ok "PASS run with a detected fault: junit/ has no <failure>/<error>, the fault's FAIL is under faults/junit, fault-detection.xml has 1 passing case" || fail "junit split: rc $rc, $n cases, $(grep -rlE '<failure|<error' "$T/faults-ok/junit" | head -3)"

# ---------------------------------------------------------------- arguments
argcase() { # expected-regex args...
  local want=$1; shift
  local t0 ms
  t0=$(date +%s%N)
  timeout 5 "$@" >"$T/arg.out" 2>&1
  rc=$?
  ms=$((($(date +%s%N) - t0) / 1000000))
  [ $rc = 2 ] && [ $ms -lt 1000 ] && grep -qE "$want" "$T/arg.out" && ok "$(printf '%q ' "${@:2}" | cut -c1-70): exit 2 in $ms ms: $(head -1 "$T/arg.out" | cut -c1-80)" || fail "$*: rc $rc in $ms ms: $(head -2 "$T/arg.out")"
}
for prog in "$RUN --root $FR --reports $T/args" ./run_all.sh; do
  # shellcheck disable=SC2086
  argcase "unknown profile 'dstack-0.6.0-tdx --allow-destructive'" $prog --target mock --profile "dstack-0.6.0-tdx --allow-destructive"
  for o in --target --profile --fault --fuzz-seconds -j; do
    # shellcheck disable=SC2086
    argcase "option $o needs a value" $prog $o
  done
  # shellcheck disable=SC2086
  argcase "unknown fault" $prog --target mock --fault '../x'
done
[ ! -e "$T/args" ] && ok "usage errors write nothing" || fail "a usage error created $T/args"

# ---------------------------------------------------------------- non-root, fuzz, real target
mkdir -p "$T/nonroot"; chown 65534:65534 "$T/nonroot"
setpriv --reuid=65534 --regid=65534 --clear-groups "$RUN" --root "$FR" --reports "$T/nonroot" --target mock >"$T/nonroot.out" 2>&1
rc=$?
nt=$(ls "$T/nonroot/tap" | wc -l); nj=$(ls "$T/nonroot/junit" "$T/nonroot/faults/junit" | grep -c xml)
sk=$(jq_ nonroot "s['totals']['skip'], s['verdict'], all(t['reason'].startswith('the mock matrix needs root') for p in s['profiles'].values() for x in p['suites'].values() for t in x['tests'])")
grep -q '<skipped message="no test ran under the fault: the mock matrix needs root' "$T/nonroot/faults/fault-detection.xml" || sk="$sk, fault-detection.xml: not <skipped>"
[ $rc = 4 ] && [ "$nt" = $((2 * NS)) ] && [ "$nj" = $((2 * NS + 1)) ] && [ "$sk" = "$((8 * NS)) SKIP True" ] && agree nonroot && ok "non-root mock run: exit 4, all $((8 * NS)) tests SKIP 'the mock matrix needs root', $nt TAP and $nj JUnit files, the fault case <skipped>" || fail "non-root: rc $rc, $nt TAP, $nj JUnit, '$sk': $(tail -2 "$T/nonroot.out")"

# no FUSE (a regular file bound over /dev/fuse in a private namespace): SKIP with the reason
: >"$T/notfuse"
unshare -m sh -c "mount --bind '$T/notfuse' /dev/fuse && '$RUN' --root '$FR' --reports '$T/nofuse' --target mock --no-faults >'$T/nofuse.out' 2>&1; echo \$? >'$T/nofuse.rc'"
[ "$(cat "$T/nofuse.rc")" = 4 ] && grep -q 'everything skipped: the mock matrix needs FUSE (no /dev/fuse)' "$T/nofuse.out" && ok "no /dev/fuse: exit 4, every test SKIP 'the mock matrix needs FUSE'" || fail "no FUSE: rc $(cat "$T/nofuse.rc"): $(tail -2 "$T/nofuse.out")"

mkdir -p "$FR/scripts" "$T/fuzz/fuzz"
printf '#!/bin/sh\necho "fuzz: campaign started"\necho "fuzz: boom" >&2\nexit 1\n' >"$FR/scripts/fuzz.sh"
echo '{"engine": "STALE-CAMPAIGN", "targets": {"old": {}}}' >"$T/fuzz/fuzz/summary.json"
rm -rf "$T/fuzz.keep"; "$RUN" --root "$FR" --reports "$T/fuzz" --target mock --no-faults --fuzz-seconds 1 >"$T/fuzz.out" 2>&1
rc=$?
f=$(jq_ fuzz "s['fuzz']['status'], s['fuzz']['exit_code'], s['fuzz']['engine'], len(s['fuzz']['targets'])")
[ $rc = 1 ] && [ "$f" = "failed 1 None 0" ] && ! grep -q STALE "$T/fuzz/summary.json" && grep -q 'fuzz: boom' "$T/fuzz/fuzz.log" && grep -q '^fuzz: campaign started' "$T/fuzz.out" && ok "failed fuzz step: exit 1, summary says failed with its log, the previous campaign's summary not embedded" || fail "fuzz: rc $rc, '$f'"
rm -rf "$FR/scripts"

rm -f "$T/args.real"
FAKE_ARGS="$T/args.real" FAKE_DETECT=dstack-0.6.0-snp "$RUN" --root "$FR" --reports "$T/real" --target real >"$T/real.out" 2>&1
rc=$?
nd=$(grep -c -- '--allow-destructive' "$T/args.real")
[ $rc = 0 ] && [ "$nd" = 0 ] && [ -e "$T/real/tap/dstack-0.6.0-snp__tsm_report.tap" ] && [ -e "$T/real/junit/dstack-0.6.0-snp__perms.xml" ] && [ -e "$T/real/logs/dstack-0.6.0-snp__perms.log" ] && [ "$(jq_ real "s['detected']['profile'], list(s['profiles'])")" = "dstack-0.6.0-snp ['dstack-0.6.0-snp']" ] && agree real && ok "real target: one job, reports named after the detected profile, no --allow-destructive" || fail "real: rc $rc, destructive $nd: $(ls "$T/real/tap") $(tail -2 "$T/real.out")"
rm -f "$T/args.real"
FAKE_ARGS="$T/args.real" "$RUN" --root "$FR" --reports "$T/real2" --target real --allow-destructive --profile dstack-0.6.0-tdx >"$T/real2.out" 2>&1
[ "$(grep -c -- '--allow-destructive --profile dstack-0.6.0-tdx$' "$T/args.real")" = "$NS" ] && ok "real target: --allow-destructive and --profile reach every suite" || fail "real flags: $(head -2 "$T/args.real")"

# the real suites on this machine (no TEE interface here: everything SKIPs, exit 4)
if [ ! -e /dev/tdx_guest ] && [ ! -e /dev/sev-guest ] && [ ! -e /sys/kernel/config/tsm/report ]; then
  env -u TEEABI_PROFILE "$RUN" --target real --reports "$T/host" >"$T/host.out" 2>&1
  rc=$?
  p=$(jq_ host "s['detected']['profile']")
  [ $rc = 4 ] && [ -n "$p" ] && [ -e "$T/host/tap/${p}__tsm_report.tap" ] && [ "$(jq_ host "s['totals']['skip'] > 0 and s['totals']['pass'] + s['totals']['fail'] + s['totals']['brok'] == 0")" = True ] && agree host && ok "real target on this machine: exit 4, every test SKIP, reports named after the detected profile $p" || fail "real target here: rc $rc, profile '$p': $(tail -3 "$T/host.out")"
fi

# ---------------------------------------------------------------- one real mock profile with its faults
if [ -x "$B/bin/mockenv" ] && [ -c /dev/fuse ]; then
  "$RUN" --target mock --profile dstack-0.6.0-tdx --reports "$T/mock" >"$T/mock.out" 2>&1
  rc=$?
  [ $rc = 0 ] && agree mock && ok "real mock profile dstack-0.6.0-tdx with its faults: exit 0, $(tail -1 "$T/mock.agree")" || fail "real mock profile: rc $rc: $(grep -E 'BROK|FAIL|UNDETECTED' "$T/mock.out" | head -5) $(cat "$T/mock.agree" 2>/dev/null | head -5)"
  c=$(jq_ mock "' '.join(s['compose']['dstack-0.6.0-tdx'][k]['status'] for k in ('agent socket', 'TDX device', 'SEV device', 'configfs-tsm subtree'))")
  [ "$c" = "supported supported absent supported" ] && grep -q 'Compose patterns (dstack images)' "$T/mock/index.html" && ok "Compose patterns of dstack-0.6.0-tdx: agent socket, TDX device, configfs-tsm supported, SEV device absent" || fail "compose: '$c'"
  # the mockfs daemon SIGKILLed at a random point of a run (found among our own descendants)
  desc() { local c; for c in $(cat /proc/"$1"/task/*/children 2>/dev/null); do echo "$c $(cat /proc/"$c"/comm 2>/dev/null)"; desc "$c"; done; }
  landed=0 lied=0
  for i in 1 2 3 4; do
    "$RUN" --target mock --profile dstack-0.6.0-tdx --no-faults --reports "$T/dkill$i" >"$T/dkill$i.out" 2>&1 &
    dp=$!
    m=""
    for _ in $(seq 100); do m=$(desc $dp | awk '$2=="mockfs"{print $1; exit}'); [ -n "$m" ] && break; sleep 0.02; done
    sleep "0.$((RANDOM % 6))"
    if [ -n "$m" ] && kill -KILL "$m" 2>/dev/null; then landed=$((landed + 1)); k=1; else k=0; fi
    wait $dp; rc=$?
    if [ $k = 1 ] && { [ $rc = 0 ] || ! grep -q ' brok;' "$T/dkill$i.out" || grep -q ' 0 brok;' "$T/dkill$i.out"; }; then
      lied=$((lied + 1)); echo "  daemon kill $i: rc $rc: $(tail -2 "$T/dkill$i.out" | head -1)"
    fi
  done
  # SIGTERM to a real mock run: forwarded through mockenv to the suites, nothing left behind
  "$RUN" --target mock --profile dstack-0.6.0-tdx --no-faults --reports "$T/rterm" >"$T/rterm.out" 2>&1 &
  dp=$!
  for _ in $(seq 100); do desc $dp | grep -q ' mockfs$' && break; sleep 0.02; done
  sleep 0.3
  before=$(desc $dp | awk '{print $1}')
  kill -TERM $dp; wait $dp; rc=$?
  left=0; for p in $before; do kill -0 "$p" 2>/dev/null && left=$((left + 1)); done
  [ $rc = 1 ] && [ "$(jq_ rterm "s['interrupted'], s['verdict']")" = "SIGTERM FAIL" ] && [ $left = 0 ] && [ -n "$before" ] && ok "SIGTERM to a real mock run: exit 1, interrupted by SIGTERM, none of its $(echo $before | wc -w) processes left" || fail "real mock SIGTERM: rc $rc, $left of '$before' left: $(tail -2 "$T/rterm.out")"
  [ $landed -ge 2 ] && [ $lied = 0 ] && ok "mockfs SIGKILLed mid-run: $landed of 4 kills landed, every such run non-zero with BROK" || fail "daemon kill: $landed landed, $lied ended without BROK"
else
  fail "mockenv not built or no /dev/fuse: the real mock case did not run"
fi

echo "20-runner: $oks ok, $fails failure(s)"
[ $fails = 0 ]
