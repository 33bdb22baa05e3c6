#!/usr/bin/env bash
# check step: the suite harness attacked (scripts/tst_attack.py).
#  1. selftest.sigwait holds a registered entry and waits: SIGTERM, SIGHUP, SIGINT,
#     SIGQUIT, SIGPIPE to the suite and to its process group; exit 128+N, the entry
#     removed, the running and the remaining test BROK "interrupted by SIG...", TAP ends
#     `Bail out! interrupted by SIG...`, JUnit says so.
#  2. tsm_report on dstack-0.6.0-tdx (mockenv), doing configfs work, signalled at random
#     points TST_SIGNAL_RUNS times (default 24): no teeabi-* entry ever left, exit 128+N;
#     the same for perms --allow-destructive, whose chmod of the mock node must be undone.
#  3. the mockfs daemon SIGKILLed (mockenv --bench: its own kill ioctl, the command's PID
#     namespace has no name for it) at a random point of tsm_report / tdx_guest
#     TST_VANISH_RUNS times each (default 4): exit 1 with BROK "vanished during the run",
#     never a SKIP "no <path>", never exit 0 once a test saw the kill; and killed before
#     matrix / tdx_guest start: BROK "... at the start of the suite", never SKIP.
# Budget: about 30 s (2 and 3 need root and mockenv; without them the step says what did
# not run and exits 77 after 1).
set -uo pipefail
cd "$(dirname "$0")/../.."
A="python3 scripts/tst_attack.py"
fail=0
notrun=()
bad() { echo "FAIL: $*"; fail=1; }
[ -x build/suites/selftest ] || { echo "FAIL: build/suites/selftest not built"; exit 1; }
for sig in TERM HUP INT QUIT PIPE; do
  for to in pid group; do
    $A sigwait build/suites/selftest $sig $to || bad "selftest.sigwait $sig to the $to"
  done
done
if [ "$(id -u)" -ne 0 ] || [ ! -x build/bin/mockenv ]; then
  notrun+=("random signals and the daemon kill (need root and build/bin/mockenv)")
else
  out=$(build/bin/mockenv --profile dstack-0.6.0-tdx -- $A signals --runs "${TST_SIGNAL_RUNS:-24}" build/suites/tsm_report 2>&1); rc=$?
  echo "$out" | tail -3
  [ $rc -eq 0 ] || bad "random signals to tsm_report on dstack-0.6.0-tdx (exit $rc)"
  # perms with --allow-destructive chmods the (mock's own) node: the mode must be restored.
  out=$(build/bin/mockenv --profile dstack-0.6.0-tdx -- $A signals --runs "${TST_SIGNAL_RUNS:-24}" --mode-of /dev/tdx_guest \
    build/suites/perms --allow-destructive 2>&1); rc=$?
  echo "$out" | tail -3
  [ $rc -eq 0 ] || bad "random signals to perms --allow-destructive on dstack-0.6.0-tdx (exit $rc)"
  for s in tsm_report tdx_guest; do
    seen=0 first=0
    for i in $(seq "${TST_VANISH_RUNS:-4}"); do
      out=$(build/bin/mockenv --bench --profile dstack-0.6.0-tdx -- $A vanish "build/suites/$s" 2>&1); rc=$?
      # mockenv itself exits 125 once its daemon died (contract M); the verdict is the script's line.
      case "$out" in
        *FAIL:*) bad "daemon kill during $s: $(echo "$out" | grep -m1 FAIL:)";;
        *"BROK 'vanished during the run'"*) seen=$((seen+1));;
        *finished*) first=$((first+1));;
        *) bad "daemon kill during $s: mockenv exit $rc: $out";;
      esac
      [ $rc -eq 0 ] || [ $rc -eq 125 ] || [ $rc -eq 3 ] || bad "daemon kill during $s: mockenv exit $rc"
    done
    echo "daemon killed during $s: $seen runs ended BROK 'vanished during the run', $first finished before the kill"
    [ $seen -gt 0 ] || bad "no run of $s saw the daemon die"
  done
  for s in matrix tdx_guest; do
    out=$(build/bin/mockenv --bench --profile dstack-0.6.0-tdx -- $A vanish --before "build/suites/$s" 2>&1); rc=$?
    echo "$out" | grep -E '^(vanish|FAIL)'
    case "$out" in *FAIL:*|"") bad "daemon dead before $s (mockenv exit $rc)";; esac
  done
fi
if [ ${#notrun[@]} -gt 0 ]; then printf 'not run: %s\n' "${notrun[@]}"; fi
[ $fail -eq 0 ] || exit 1
[ ${#notrun[@]} -eq 0 ] || exit 77
exit 0
