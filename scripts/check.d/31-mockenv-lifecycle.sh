#!/usr/bin/env bash
# check step: mockenv's lifetime contract (contract M in the design notes of issue 12):
#   - mockenv killed with SIGKILL: the mockfs daemon and every process of the command die
#     with it (nothing keeps writing), and the next mockenv removes the work directory the
#     killed one left, but never the directory of a mockenv that is still running;
#   - the mockfs daemon killed while the command runs: mockenv sends the command SIGTERM at
#     once, SIGKILLs its namespace 3 s later, and exits 125 naming the cause, even when the
#     command would exit 0;
#   - the command runs in its own PID namespace with a /proc of that namespace, and the
#     daemon still reaches its memory (SEV pointers and the dstack _IOR EXTEND_RTMR go
#     through process_vm_readv/writev on the translated pid);
#   - options without their value or with a malformed one are usage errors (exit 2, one
#     line naming the option) within a second; a FIFO .conf in TEEABI_PROFILE_DIR is
#     refused without blocking.
# Budget: about 20 s.
set -uo pipefail
. "$(dirname "$0")/../clients_lib.sh"
EXTRA_TARGETS="client_static" clients_setup 31-mockenv-lifecycle
fail() { echo "FAIL: $*"; fails=$((fails + 1)); }
ok() { echo "ok: $*"; }
CL=$ROOT/$B/bin/client_static
pids=()
trap 'for p in "${pids[@]}"; do kill -9 "$p" 2>/dev/null; done; [ -n "${KEEP:-}" ] || rm -rf "$T"' EXIT

# wait_for FILE SECONDS: until FILE exists
wait_for() { local i=0; while [ ! -e "$1" ] && [ $i -lt $(($2 * 20)) ]; do sleep 0.05; i=$((i + 1)); done; [ -e "$1" ]; }
# the mockfs daemon of a mockenv process
daemon_of() { pgrep -P "$1" -x mockfs | head -1; }
alive() { [ -n "$1" ] && kill -0 "$1" 2>/dev/null && [ "$(ps -o stat= -p "$1" | cut -c1)" != Z ]; }
size_of() { stat -c %s "$1" 2>/dev/null || echo 0; }

# ---------------------------------------------------------------- SIGKILL of mockenv
"$ME" --profile dstack-0.6.0-tdx -- sh -c "
  ( while :; do echo x >> $T/bg.log; sleep 0.05; done ) &
  while :; do echo x >> $T/fg.log; sleep 0.05; done" 2>"$T/k.err" &
me=$!; pids+=("$me")
wait_for "$T/bg.log" 10 && wait_for "$T/fg.log" 10 || fail "SIGKILL: the command did not start: $(cat "$T/k.err")"
d=$(daemon_of "$me")
[ -n "$d" ] || fail "SIGKILL: no mockfs daemon found under mockenv $me"
work=$(ls -d "$TMPDIR"/teeabi-mockenv.* 2>/dev/null | head -1)
t0=$(date +%s%N)
kill -9 "$me"; wait "$me" 2>/dev/null
# (the exit of an ASan process, which the death signal waits for, can take a while on a
# loaded machine: up to 10 s is allowed)
i=0; while alive "$d" && [ $i -lt 200 ]; do sleep 0.05; i=$((i + 1)); done
ms=$((($(date +%s%N) - t0) / 1000000))
alive "$d" && { fail "SIGKILL: mockfs (pid $d) still runs $ms ms after mockenv was killed"; kill -9 "$d"; } || ok "SIGKILL: the mockfs daemon died with mockenv (gone after $ms ms)"
sleep 0.3
a=$(size_of "$T/fg.log"); b=$(size_of "$T/bg.log"); sleep 0.5
[ "$(size_of "$T/fg.log")" = "$a" ] && [ "$(size_of "$T/bg.log")" = "$b" ] && ok "SIGKILL: the command and its background child stopped writing" ||
  fail "SIGKILL: the command's processes still write after mockenv died"
pkill -9 -f "echo x >> $T/" 2>/dev/null
[ -n "$work" ] && [ -d "$work" ] && ok "SIGKILL: the killed mockenv left $(basename "$work") (expected; removed by the next start)" ||
  echo "note: no work directory left (nothing to clean)"

# a live mockenv whose directory must survive the sweep of a later start
"$ME" --profile dstack-0.6.0-tdx -- sh -c "touch $T/live.ready; while [ ! -e $T/live.stop ]; do sleep 0.05; done" 2>"$T/live.err" &
live=$!; pids+=("$live")
wait_for "$T/live.ready" 10 || fail "live mockenv did not start: $(cat "$T/live.err")"
livework=$(ls -d "$TMPDIR"/teeabi-mockenv.* 2>/dev/null | grep -v -x -F "$work")
"$ME" --profile dstack-0.6.0-tdx -- true 2>"$T/sweep.err" || fail "sweep start: exit $? $(cat "$T/sweep.err")"
if [ -n "$work" ]; then
  [ ! -e "$work" ] && ok "the next mockenv removed the directory of the killed one" || fail "the killed mockenv's $(basename "$work") is still there"
fi
[ -n "$livework" ] && [ -d "$livework" ] && ok "the directory of a running mockenv survives the sweep" || fail "the live mockenv's work directory is gone (or was never made): '$livework'"
alive "$live" && ok "the running mockenv still runs" || fail "the running mockenv died during the sweep"
touch "$T/live.stop"; wait "$live"; rc=$?
[ $rc = 0 ] && ok "the running mockenv then ended normally" || fail "live mockenv exit $rc: $(cat "$T/live.err")"
left=$(ls -A "$TMPDIR")
[ -z "$left" ] && ok "no work directory left after the normal ends" || fail "left in TMPDIR: $left"

# ---------------------------------------------------------------- mockfs killed mid-run
run_kill_daemon() { # label command...
  local label=$1; shift
  rm -f "$T/d.ready"
  "$ME" --profile dstack-0.6.0-tdx -- "$@" 2>"$T/d.err" &
  local me=$! d t0 rc
  pids+=("$me")
  wait_for "$T/d.ready" 10 || fail "$label: command did not start: $(cat "$T/d.err")"
  d=$(daemon_of "$me"); t0=$(date +%s%N)
  kill -9 "$d"
  wait "$me"; rc=$?
  local ms=$((($(date +%s%N) - t0) / 1000000))
  if [ $rc = 125 ] && grep -q 'mockfs died (killed by SIGKILL) while the command ran' "$T/d.err" && [ $ms -lt 8000 ]; then
    ok "$label: mockenv exits 125 in $ms ms: $(grep 'mockfs died' "$T/d.err")"
  else
    fail "$label: exit $rc after $ms ms, stderr: $(cat "$T/d.err")"
  fi
}
run_kill_daemon "daemon killed, command sleeping" sh -c "touch $T/d.ready; sleep 30"
run_kill_daemon "daemon killed, command trapping TERM to exit 0" sh -c "trap 'exit 0' TERM HUP INT; touch $T/d.ready; sleep 30 & wait; exit 0"
# a command that ignores the SIGTERM is SIGKILLed with its whole namespace after the grace
"$ME" --profile dstack-0.6.0-tdx -- sh -c "trap '' TERM; touch $T/g.ready; ( trap '' TERM; while :; do echo x >> $T/g.log; sleep 0.05; done ) & while :; do sleep 1; done" 2>"$T/g.err" &
me=$!; pids+=("$me")
wait_for "$T/g.ready" 10
t0=$(date +%s%N); kill -9 "$(daemon_of "$me")"; wait "$me"; rc=$?
ms=$((($(date +%s%N) - t0) / 1000000))
a=$(size_of "$T/g.log"); sleep 0.3
[ $rc = 125 ] && [ $ms -ge 2500 ] && [ $ms -lt 10000 ] && [ "$(size_of "$T/g.log")" = "$a" ] &&
  ok "daemon killed, command ignoring SIGTERM: its namespace SIGKILLed after the grace ($ms ms), 125, nothing writes on" ||
  fail "daemon killed, SIGTERM ignored: exit $rc after $ms ms, writer stopped: $([ "$(size_of "$T/g.log")" = "$a" ] && echo yes || echo no)"
# the command exits 0 right after the daemon died: still 125
"$ME" --profile dstack-0.6.0-tdx -- sh -c "touch $T/e.ready; while [ ! -e $T/e.go ]; do sleep 0.02; done; exit 0" 2>"$T/e.err" &
me=$!; pids+=("$me")
wait_for "$T/e.ready" 10
d=$(daemon_of "$me"); kill -STOP "$me"; kill -9 "$d"; sleep 0.3; touch "$T/e.go"; kill -CONT "$me"
wait "$me"; rc=$?
[ $rc = 125 ] && grep -q 'mockfs died' "$T/e.err" && ok "daemon died, command then exited 0: still 125" || fail "daemon died then command exit 0: mockenv exit $rc: $(cat "$T/e.err")"
# the daemon killed at random points of real suite runs: 125 every time
n125=0
for i in 1 2 3 4 5 6; do
  rm -f "$T/s.ready"
  "$ME" --profile dstack-0.6.0-tdx -- sh -c "touch $T/s.ready; while :; do $ROOT/$B/suites/tsm_report >/dev/null 2>&1; $ROOT/$B/suites/tdx_guest >/dev/null 2>&1; done" 2>"$T/s.err" &
  me=$!; pids+=("$me")
  wait_for "$T/s.ready" 10
  sleep "0.$((RANDOM % 9 + 1))"
  kill -9 "$(daemon_of "$me")"
  wait "$me"; rc=$?
  if [ $rc = 125 ] && grep -q 'mockfs died (killed by SIGKILL)' "$T/s.err"; then n125=$((n125 + 1)); else echo "  suite run $i: exit $rc: $(head -2 "$T/s.err")"; fi
done
[ $n125 = 6 ] && ok "mockfs killed at random points of suite runs: 6 of 6 ended 125" || fail "mockfs killed during suite runs: $n125 of 6 ended 125"
left=$(ls -A "$TMPDIR")
[ -z "$left" ] && ok "no work directory left after the daemon deaths" || fail "left in TMPDIR: $left"

# ---------------------------------------------------------------- SIGTERM early and late
# a SIGTERM to mockenv at any moment reaches the command (none is lost while the namespace's
# init is starting): mockenv ends within a second, never after the command's 5 s
slow=0 leftover=0
for delay in 0.02 0.04 0.06 0.08 0.1 0.15 0.3 0.5; do
  t0=$(date +%s%N)
  "$ME" --profile dstack-0.6.0-tdx -- sh -c 'sleep 5' 2>/dev/null &
  me=$!; pids+=("$me")
  sleep "$delay"; kill -TERM "$me"; wait "$me"; rc=$?
  ms=$((($(date +%s%N) - t0) / 1000000))
  [ $ms -lt 4500 ] && [ $rc != 0 ] || { slow=$((slow + 1)); echo "  SIGTERM after $delay s: exit $rc after $ms ms"; }
  [ -z "$(ls -A "$TMPDIR")" ] || { leftover=$((leftover + 1)); echo "  SIGTERM after $delay s left $(ls -A "$TMPDIR")"; }
done
[ $slow = 0 ] && ok "SIGTERM at 8 moments from start to run: the command always got it (mockenv ended in < 4.5 s of its 5 s, non-zero)" ||
  fail "SIGTERM lost $slow time(s) of 8"
[ $leftover = 0 ] && ok "a SIGTERM during the set-up undoes it: no work directory left" || fail "SIGTERM during the set-up left a work directory $leftover time(s) of 8"
"$ME" --profile dstack-0.6.0-tdx -- sh -c "trap 'echo cleaned > $T/trap.out; exit 7' TERM; touch $T/t.ready; sleep 30 & wait" 2>/dev/null &
me=$!; pids+=("$me")
wait_for "$T/t.ready" 10; kill -TERM "$me"; wait "$me"; rc=$?
[ $rc = 7 ] && [ "$(cat "$T/trap.out" 2>/dev/null)" = cleaned ] && ok "SIGTERM to mockenv: the command's handler ran, its status (7) passed through" || fail "SIGTERM forwarding: exit $rc"

# ---------------------------------------------------------------- PID namespace, /proc, caller pids
out=$("$ME" --profile dstack-0.6.0-tdx -- sh -c 'echo "$$ $(cut -d" " -f1 /proc/$$/stat) $(cat /proc/1/comm) $(ls /proc | grep -c "^[0-9]")"' 2>&1)
set -- $out
[ "$#" = 4 ] && [ "$1" = "$2" ] && [ "$1" -lt 10 ] && [ "$4" -lt 10 ] && ok "the command has its own PID namespace and /proc (pid $1, /proc/1 is $3, $4 processes)" ||
  fail "PID namespace / proc: '$out'"
"$ME" --profile dstack-0.6.0-tdx -- cat /proc/sys/kernel/osrelease >"$T/osr" 2>&1
[ "$(cat "$T/osr")" = 6.18.0-dstack ] || [ "$(cat "$T/osr")" = "$(sed -n 's/^kernel *= *//p' mocks/profiles/dstack-0.6.0-tdx.conf)" ] &&
  ok "/proc/sys/kernel/osrelease in the new /proc is the profile's ($(cat "$T/osr"))" || fail "osrelease: $(cat "$T/osr")"
RD=$(printf '%0128d' 7)
"$ME" --profile dstack-0.6.0-snp -- "$CL" snp-ext "$RD" >"$T/snp" 2>&1
grep -q '^first_errno=EIO' "$T/snp" && grep -q '^report=' "$T/snp" && ok "SEV extended report through user pointers (process_vm_readv/writev on the caller's pid)" ||
  fail "SEV ioctl from the PID namespace: $(grep -v -e ^report= -e ^certs= "$T/snp" | head -5)"
"$ME" --profile dstack-0.5.9 -- "$CL" extend-ioctl 3 "$(printf '%096d' 5)" >"$T/ext" 2>&1
grep -q '^extend=0$' "$T/ext" && ok "dstack EXTEND_RTMR _IOR (input read from the caller's memory)" || fail "EXTEND_RTMR from the PID namespace: $(cat "$T/ext")"

# ---------------------------------------------------------------- arguments
usage_case() { # label args...
  local label=$1 t0 rc ms; shift
  t0=$(date +%s%N)
  timeout 5 "$ME" "$@" >"$T/u.out" 2>"$T/u.err"; rc=$?
  ms=$((($(date +%s%N) - t0) / 1000000))
  if [ $rc = 2 ] && [ "$(wc -l <"$T/u.err")" = 1 ] && [ $ms -lt 1000 ] && grep -q -e "$label" "$T/u.err"; then
    ok "usage: mockenv $* -> 2 in $ms ms: $(cat "$T/u.err")"
  else
    fail "usage: mockenv $*: exit $rc after $ms ms, stderr: $(head -3 "$T/u.err")"
  fi
}
usage_case --profile --profile
usage_case --profile --profile -- true
usage_case --profile --profile '' -- true
usage_case --profile --profile 'dstack-0.6.0-tdx --allow-destructive' -- true
usage_case --profile --profile '../profiles/dstack-0.6.0-tdx' -- true
usage_case --fault --profile dstack-0.6.0-tdx --fault
usage_case --fault --profile dstack-0.6.0-tdx --fault -- true
usage_case --fault --profile dstack-0.6.0-tdx --fault 'tsm-rmdir-leak x' -- true
usage_case --trace --profile dstack-0.6.0-tdx --trace
usage_case --no-such --no-such-option
usage_case 'command' --profile dstack-0.6.0-tdx

# a FIFO profile in TEEABI_PROFILE_DIR: refused, never opened for a blocking read
mkdir -p "$T/prof"; cp mocks/profiles/*.conf "$T/prof/"; mkfifo "$T/prof/fifo.conf"
t0=$(date +%s%N)
TEEABI_PROFILE_DIR=$T/prof timeout 5 "$ME" --profile fifo -- true 2>"$T/f.err"; rc=$?
ms=$((($(date +%s%N) - t0) / 1000000))
[ $rc = 2 ] && grep -q 'not a regular file' "$T/f.err" && ok "FIFO profile refused in $ms ms: $(head -1 "$T/f.err")" || fail "FIFO profile: exit $rc after $ms ms: $(head -2 "$T/f.err")"
t0=$(date +%s%N)
TEEABI_PROFILE_DIR=$T/prof timeout 5 "$ME" --list-profiles >"$T/l.out" 2>&1; rc=$?
ms=$((($(date +%s%N) - t0) / 1000000))
[ $rc != 124 ] && grep -q dstack-0.6.0-tdx "$T/l.out" && ok "--list-profiles with a FIFO in the directory does not block ($ms ms)" || fail "--list-profiles with a FIFO: exit $rc"

mkdir -p "$T/faults"; cp mocks/faults/*.conf "$T/faults/"; mkfifo "$T/faults/fifo-fault.conf"
TEEABI_FAULT_DIR=$T/faults timeout 5 "$ME" --list-faults >"$T/lf.out" 2>&1; rc=$?
[ $rc != 124 ] && grep -q tsm-rmdir-leak "$T/lf.out" && ok "--list-faults with a FIFO .conf does not block" || fail "--list-faults with a FIFO: exit $rc"
TEEABI_FAULT_DIR=$T/faults timeout 5 "$ME" --profile dstack-0.6.0-tdx --fault fifo-fault -- true 2>"$T/ff.err"; rc=$?
[ $rc = 2 ] && grep -q 'not a regular file' "$T/ff.err" && ok "a FIFO fault file is refused: $(head -1 "$T/ff.err")" || fail "FIFO fault: exit $rc: $(head -2 "$T/ff.err")"

clients_finish 31-mockenv-lifecycle
