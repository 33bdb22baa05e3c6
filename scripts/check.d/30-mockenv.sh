#!/usr/bin/env bash
# check step: mockenv/mockfs end to end, with a statically and a dynamically linked client
# (mocks/clients/client.c) that see the same interfaces at the real paths:
#   - TDREPORT with echoed REPORTDATA; RTMR3 extend (dstack ioctl on 0.5.x, sysfs on 0.6)
#     equal to SHA384(old || data) and visible in the next TDREPORT/quote;
#   - configfs quote (mkdir, inblob, generation, outblob, rmdir): report data = inblob,
#     signature, QE report signature and QE binding verify (build/bin/teeabi-parse);
#   - SNP extended report through the certificate-size protocol; the table parses and the
#     report verifies with its VCEK (build/bin/snp_verify);
#   - static and dynamic client outputs identical (signatures excluded);
#   - 8 concurrent processes on one entry and on 8 entries: consistent, no deadlock, no
#     entry left behind; clients SIGKILLed mid-request do not take mockfs down;
#   - absent interfaces absent, exit codes (2, 125, pass-through, 128+N), the host's
#     /dev, /sys and mount table untouched;
#   - negative controls: injected faults make the same checks fail.
set -uo pipefail
cd "$(dirname "$0")/../.."
ROOT=$PWD
B=${B:-build}
fails=0
fail() { echo "FAIL: $*"; fails=$((fails + 1)); }
ok() { echo "ok: $*"; }

if [ "$(id -u)" != 0 ]; then echo "FAIL: 30-mockenv needs root (mount namespace + FUSE); not run"; exit 1; fi
if [ ! -c /dev/fuse ]; then echo "FAIL: 30-mockenv needs /dev/fuse; not run"; exit 1; fi
make -s -j"$(nproc)" "$B/bin/mockfs" "$B/bin/mockenv" "$B/bin/teeabi-parse" clients >/dev/null || { echo "FAIL: build"; exit 1; }
ME=$ROOT/$B/bin/mockenv
PARSE=$ROOT/$B/bin/teeabi-parse
T=$(mktemp -d /tmp/teeabi-30-mockenv.XXXXXX)
trap '[ -n "${KEEP:-}" ] || rm -rf "$T"' EXIT

host_state() {
  find /dev -maxdepth 1 -printf '%p %y %m %U %G\n' | sort
  find /sys/kernel /sys/devices/virtual/misc -maxdepth 1 -printf '%p %y\n' | sort
  awk '{print $5, $9}' /proc/self/mountinfo | sort
  cat /proc/sys/kernel/osrelease /etc/os-release
}
host_state >"$T/host.before"
# mockenv makes its work directory under $TMPDIR: a private one, so that other mockenv
# runs on this machine do not disturb the leftover check
mkdir -p "$T/tmp"
export TMPDIR=$T/tmp

menv() { timeout 180 "$ME" "$@"; }
RD=$(head -c 64 /dev/urandom | od -An -tx1 | tr -d ' \n')
D=$(head -c 48 /dev/urandom | od -An -tx1 | tr -d ' \n')
val() { sed -n "s/^$1=//p" "$2" | head -1; }
sha384_ext() { python3 -c "import hashlib,sys; print(hashlib.sha384(bytes.fromhex(sys.argv[1])+bytes.fromhex(sys.argv[2])).hexdigest())" "$1" "$2"; }
# parse a hex dump with teeabi-parse; prints the JSON line (or nothing)
parse_hex() { echo -n "$1" | xxd -r -p >"$T/blob.bin"; "$PARSE" "$T/blob.bin" 2>"$T/parse.err"; }
# jcheck JSON 'python expr over d' -> exit status
jcheck() { python3 -c "import json,sys; d=json.loads(sys.argv[1]); sys.exit(0 if ($2) else 1)" "$1" 2>/dev/null; }
jstrip() { python3 -c "import json,sys; d=json.loads(sys.argv[1]); [d.pop(k,None) for k in ('file','signature','qe_report_signature','sig_data_len','quote_len')]; print(json.dumps(d,sort_keys=True))" "$1"; }

# ---------------------------------------------------------------- TDX, 0.6 (upstream + configfs + sysfs)
for c in static dyn; do
  CL=$ROOT/$B/bin/client_$c
  menv --profile dstack-0.6.0-tdx -- sh -c "
    $CL tdreport $RD > $T/tdx06.$c.tdr1
    $CL rtmr-sysfs 3 > $T/tdx06.$c.rtmr_old
    $CL extend-sysfs 3 $D > $T/tdx06.$c.ext
    $CL rtmr-sysfs 3 > $T/tdx06.$c.rtmr_new
    $CL tdreport $RD > $T/tdx06.$c.tdr2
    $CL quote $RD e2e-$c > $T/tdx06.$c.quote
    ls /sys/kernel/config/tsm/report > $T/tdx06.$c.left
    ls -l /dev/tdx_guest > $T/tdx06.$c.node 2>&1; ls /dev/sev-guest >> $T/tdx06.$c.node 2>&1
    true
  " || fail "tdx06 $c: mockenv exited $?"
  [ "$(val reportdata "$T/tdx06.$c.tdr1")" = "$RD" ] && ok "tdx06 $c: TDREPORT echoes REPORTDATA" || fail "tdx06 $c: TDREPORT reportdata $(val reportdata "$T/tdx06.$c.tdr1") != $RD"
  old=$(val rtmr "$T/tdx06.$c.rtmr_old"); new=$(val rtmr "$T/tdx06.$c.rtmr_new")
  want=$(sha384_ext "${old:-00}" "$D")
  grep -q '^extend=0$' "$T/tdx06.$c.ext" && [ -n "$old" ] && [ "$new" = "$want" ] && ok "tdx06 $c: sysfs RTMR3 extend = SHA384(old||data)" || fail "tdx06 $c: sysfs extend: $(cat "$T/tdx06.$c.ext") old=$old new=$new want=$want"
  [ "$(val rtmr3 "$T/tdx06.$c.tdr2")" = "$new" ] && ok "tdx06 $c: extended RTMR3 in the next TDREPORT" || fail "tdx06 $c: TDREPORT rtmr3 $(val rtmr3 "$T/tdx06.$c.tdr2") != $new"
  q=$(val outblob "$T/tdx06.$c.quote"); J=$(parse_hex "$q")
  echo "$J" >"$T/tdx06.$c.json"
  if [ -z "$J" ]; then fail "tdx06 $c: quote does not parse: $(cat "$T/parse.err") $(grep -v outblob "$T/tdx06.$c.quote")"
  else
    jcheck "$J" "d['format']=='tdx_quote' and d['report_data']=='$RD'" && ok "tdx06 $c: quote report data = inblob" || fail "tdx06 $c: quote report_data != inblob"
    jcheck "$J" "d['signature'] is True and d['qe_report_signature'] is True and d['qe_report_binding'] is True" && ok "tdx06 $c: quote signature, QE report signature and QE binding verify" || fail "tdx06 $c: quote crypto checks: $J"
    jcheck "$J" "d['rtmr3']=='$new'" && ok "tdx06 $c: extended RTMR3 in the quote" || fail "tdx06 $c: quote rtmr3 != $new"
  fi
  [ "$(val gen_before "$T/tdx06.$c.quote")" = 0 ] && [ "$(val gen_after "$T/tdx06.$c.quote")" = 1 ] && ok "tdx06 $c: generation 0 -> 1" || fail "tdx06 $c: generation $(val gen_before "$T/tdx06.$c.quote") -> $(val gen_after "$T/tdx06.$c.quote")"
  [ "$(cat "$T/tdx06.$c.left")" = com.intel.dcap ] && ok "tdx06 $c: entry removed (only com.intel.dcap left)" || fail "tdx06 $c: entries left: $(cat "$T/tdx06.$c.left")"
  grep -q '^-rw------- 1 root root' "$T/tdx06.$c.node" && grep -q 'cannot access.*sev-guest' "$T/tdx06.$c.node" && ok "tdx06 $c: /dev/tdx_guest 0600 root, /dev/sev-guest absent" || fail "tdx06 $c: nodes: $(cat "$T/tdx06.$c.node")"
done
for f in tdr1 rtmr_old rtmr_new tdr2; do
  a=$(grep -v '^tdreport=' "$T/tdx06.static.$f"); b=$(grep -v '^tdreport=' "$T/tdx06.dyn.$f")
  [ "$a" = "$b" ] || fail "tdx06: static and dynamic client differ in $f"
done
# TDREPORTs: identical bytes except the MAC (the last 32 bytes of REPORTMACSTRUCT at 224..255)
a=$(val tdreport "$T/tdx06.static.tdr2"); b=$(val tdreport "$T/tdx06.dyn.tdr2")
[ -n "$a" ] && [ "${a:0:448}${a:512}" = "${b:0:448}${b:512}" ] && ok "tdx06: static and dynamic TDREPORTs identical (MAC excluded)" || fail "tdx06: static and dynamic TDREPORTs differ"
[ -s "$T/tdx06.static.json" ] && [ "$(jstrip "$(cat "$T/tdx06.static.json")")" = "$(jstrip "$(cat "$T/tdx06.dyn.json")")" ] && ok "tdx06: static and dynamic quotes identical (signature data and its per-machine PCK chain length excluded)" || fail "tdx06: static and dynamic quotes differ"

# ---------------------------------------------------------------- TDX, dstack 0.5.9 (module ioctls)
for c in static dyn; do
  CL=$ROOT/$B/bin/client_$c
  menv --profile dstack-0.5.9 -- sh -c "
    $CL tdreport $RD > $T/tdx05.$c.tdr1
    $CL extend-ioctl 3 $D > $T/tdx05.$c.ext
    $CL extend-ioctl 4 $D > $T/tdx05.$c.ext4
    $CL extend-ioctl 2 $D iow > $T/tdx05.$c.extiow
    $CL tdreport $RD > $T/tdx05.$c.tdr2
    for p in /dev/sev-guest /sys/kernel/config/tsm/report /sys/devices/virtual/misc/tdx_guest/measurements; do [ -e \$p ] && echo present \$p; done > $T/tdx05.$c.absent
    cat /etc/os-release /proc/sys/kernel/osrelease > $T/tdx05.$c.osr; echo \$TEEABI_PROFILE >> $T/tdx05.$c.osr
  " || fail "tdx05 $c: mockenv exited $?"
  [ "$(val reportdata "$T/tdx05.$c.tdr1")" = "$RD" ] && ok "tdx05 $c: TDREPORT echoes REPORTDATA" || fail "tdx05 $c: reportdata"
  old=$(val rtmr3 "$T/tdx05.$c.tdr1"); want=$(sha384_ext "${old:-00}" "$D")
  grep -q '^extend=0$' "$T/tdx05.$c.ext" && [ "$(val rtmr3 "$T/tdx05.$c.tdr2")" = "$want" ] && ok "tdx05 $c: EXTEND_RTMR _IOR (input on an _IOR) extends RTMR3, seen in the next TDREPORT" || fail "tdx05 $c: ioctl extend: $(cat "$T/tdx05.$c.ext") rtmr3=$(val rtmr3 "$T/tdx05.$c.tdr2") want=$want"
  grep -q '^extend=EINVAL$' "$T/tdx05.$c.ext4" && ok "tdx05 $c: index 4 -> EINVAL (0.5.9 index check)" || fail "tdx05 $c: index 4: $(cat "$T/tdx05.$c.ext4")"
  grep -q '^extend=0$' "$T/tdx05.$c.extiow" && ok "tdx05 $c: _IOW alias accepted" || fail "tdx05 $c: _IOW alias: $(cat "$T/tdx05.$c.extiow")"
  [ ! -s "$T/tdx05.$c.absent" ] && ok "tdx05 $c: sev-guest, configfs-tsm and measurements absent" || fail "tdx05 $c: $(cat "$T/tdx05.$c.absent")"
  grep -q '^ID=dstack$' "$T/tdx05.$c.osr" && grep -q '^VERSION_ID=0.5.9$' "$T/tdx05.$c.osr" && grep -q '^6.9.0-dstack$' "$T/tdx05.$c.osr" && grep -q '^dstack-0.5.9$' "$T/tdx05.$c.osr" && ok "tdx05 $c: os-release, osrelease and TEEABI_PROFILE of the profile" || fail "tdx05 $c: identity: $(tr '\n' ' ' <"$T/tdx05.$c.osr")"
done
for f in tdr1 ext ext4 extiow tdr2; do
  a=$(grep -v '^tdreport=' "$T/tdx05.static.$f"); b=$(grep -v '^tdreport=' "$T/tdx05.dyn.$f")
  [ "$a" = "$b" ] || fail "tdx05: static and dynamic client differ in $f"
done

# ---------------------------------------------------------------- SNP, 0.6 (sev-guest + configfs sev_guest)
# both clients on one machine (the certificate blob is per machine)
menv --profile dstack-0.6.0-snp -- sh -c "
  for c in static dyn; do
    $ROOT/$B/bin/client_\$c snp-ext $RD > $T/snp.\$c.ext
    $ROOT/$B/bin/client_\$c quote $RD e2e-\$c > $T/snp.\$c.quote
    ls /dev/tdx_guest /sys/devices/virtual/misc/tdx_guest 2>/dev/null > $T/snp.\$c.absent
  done
  true
" || fail "snp: mockenv exited $?"
for c in static dyn; do
  F=$T/snp.$c.ext
  cl=$(val certs_len "$F")
  [ "$(val first_errno "$F")" = EIO ] && [ "$(val first_vmm_error "$F")" = 1 ] && [ -n "$cl" ] && [ "$cl" -gt 4096 ] && [ $((cl % 4096)) = 0 ] && ok "snp $c: one-page certs buffer -> EIO, INVALID_LEN, certs_len rewritten to $cl" || fail "snp $c: certificate-size protocol: $(grep -v -e ^report= -e ^certs= "$F")"
  val report "$F" | xxd -r -p >"$T/snp.$c.report.bin"; val certs "$F" | xxd -r -p >"$T/snp.$c.certs.bin"
  v=$("$ROOT/$B/bin/snp_verify" "$T/snp.$c.report.bin" "$T/snp.$c.certs.bin") && ok "snp $c: certificate table parses, report verifies with its VCEK ($v)" || fail "snp $c: snp_verify: $v"
  J=$("$PARSE" "$T/snp.$c.report.bin" 2>&1); echo "$J" >"$T/snp.$c.json"
  jcheck "$J" "d['format']=='snp_report' and d['report_data']=='$RD'" && ok "snp $c: extended report echoes REPORT_DATA" || fail "snp $c: report: $J"
  J2=$(parse_hex "$(val outblob "$T/snp.$c.quote")")
  jcheck "$J2" "d['format']=='snp_report' and d['report_data']=='$RD'" && ok "snp $c: configfs outblob is a report with report data = inblob" || fail "snp $c: configfs outblob: $J2 $(grep -v outblob "$T/snp.$c.quote")"
  [ ! -s "$T/snp.$c.absent" ] && ok "snp $c: tdx_guest node and sysfs absent" || fail "snp $c: present: $(cat "$T/snp.$c.absent")"
done
[ "$(val certs_len "$T/snp.static.ext")" = "$(val certs_len "$T/snp.dyn.ext")" ] && cmp -s "$T/snp.static.certs.bin" "$T/snp.dyn.certs.bin" && ok "snp: static and dynamic clients got the same certificate blob" || fail "snp: certificate blobs differ"
# reports: all fields but the signature are compared (teeabi-parse prints no signature bytes)
cmp -s <(head -c 672 "$T/snp.static.report.bin") <(head -c 672 "$T/snp.dyn.report.bin") && ok "snp: static and dynamic reports identical up to the signature" || fail "snp: static and dynamic reports differ in the signed part"

# ---------------------------------------------------------------- concurrency (8 processes)
menv --profile dstack-0.6.0-tdx -- sh -c "
  i=0; while [ \$i -lt 8 ]; do
    if [ \$((i % 2)) = 0 ]; then c=$ROOT/$B/bin/client_static; else c=$ROOT/$B/bin/client_dyn; fi
    \$c gen-loop shared 6 > $T/conc.shared.\$i 2>&1 &
    \$c gen-loop own\$i 6 > $T/conc.own.\$i 2>&1 &
    i=\$((i + 1))
  done
  wait
  r=0; rmdir /sys/kernel/config/tsm/report/shared || r=1
  i=0; while [ \$i -lt 8 ]; do rmdir /sys/kernel/config/tsm/report/own\$i || r=1; i=\$((i + 1)); done
  ls /sys/kernel/config/tsm/report > $T/conc.left
  exit \$r
" >"$T/conc.log" 2>&1
rc=$?
if [ $rc = 124 ]; then fail "concurrency: timed out after 180 s (deadlock?)"; elif [ $rc != 0 ]; then fail "concurrency: rmdir of an entry failed (rc $rc): $(cat "$T/conc.log")"; fi
n=$(cat "$T"/conc.shared.* "$T"/conc.own.* 2>/dev/null | grep -c '^ok rounds=6')
[ "$n" = 16 ] && ok "concurrency: 8 processes x 6 rounds on one entry and on 8 entries, all consistent ($(cat "$T"/conc.shared.* | sed -n 's/.*retries=//p' | paste -sd+ | bc) retries on the shared entry)" || fail "concurrency: $n/16 loops ok: $(grep -h -v '^ok' "$T"/conc.shared.* "$T"/conc.own.* | head -5)"
[ "$(cat "$T/conc.left" 2>/dev/null)" = com.intel.dcap ] && ok "concurrency: no entry left behind" || fail "concurrency: entries left: $(cat "$T/conc.left" 2>/dev/null)"

# ---------------------------------------------------------------- SIGKILL mid-request
menv --profile dstack-0.6.0-tdx -- sh -c "
  for round in 1 2 3 4 5 6; do
    $ROOT/$B/bin/client_static spin 5 >/dev/null & a=\$!
    $ROOT/$B/bin/client_dyn spin 5 >/dev/null & b=\$!
    $ROOT/$B/bin/client_static gen-loop killme 1000 >/dev/null & c=\$!
    sleep 0.3; kill -9 \$a \$b \$c; wait \$a \$b \$c 2>/dev/null
  done
  $ROOT/$B/bin/client_static tdreport $RD > $T/kill.tdr || exit 1
  $ROOT/$B/bin/client_dyn quote $RD afterkill > $T/kill.quote || exit 1
  rmdir /sys/kernel/config/tsm/report/killme || exit 1
" >"$T/kill.log" 2>&1
rc=$?
[ $rc = 0 ] && [ "$(val reportdata "$T/kill.tdr")" = "$RD" ] && [ -n "$(val outblob "$T/kill.quote")" ] && ok "SIGKILL: 18 clients killed mid-request, mockfs still answers ioctls and configfs" || fail "SIGKILL: rc=$rc $(tail -3 "$T/kill.log")"

# ---------------------------------------------------------------- exit codes, absent/present
menv --profile upstream-6.16-tdx -- sh -c 'exit 7'; [ $? = 7 ] && ok "exit status passed through (7)" || fail "exit status not passed through"
menv --profile upstream-6.16-tdx -- sh -c 'kill -TERM $$'; [ $? = 143 ] && ok "killed command -> 128+15" || fail "signal status not 143"
menv --profile no-such-profile -- true 2>"$T/e2"; [ $? = 2 ] && grep -q dstack-0.6.0-tdx "$T/e2" && ok "unknown profile -> 2 with the valid names" || fail "unknown profile: $(head -2 "$T/e2")"
menv --profile dstack-0.6.0-tdx --fault no-such-fault -- true 2>"$T/e2"; [ $? = 2 ] && grep -q tsm-rmdir-leak "$T/e2" && ok "unknown fault -> 2 with the valid names" || fail "unknown fault: $(head -2 "$T/e2")"
setpriv --reuid=65534 --regid=65534 --clear-groups "$ME" --profile dstack-0.6.0-tdx -- true 2>"$T/e3"; [ $? = 125 ] && grep -q root "$T/e3" && ok "non-root -> 125 naming the cause" || fail "non-root: $(cat "$T/e3")"
menv --profile dstack-0.6.0-tdx -- /nonexistent/cmd 2>/dev/null; [ $? = 127 ] && ok "missing command -> 127" || fail "missing command status"
[ "$("$ME" --list-profiles | wc -l)" = "$(ls mocks/profiles/*.conf | wc -l)" ] && ok "--list-profiles lists every profile" || fail "--list-profiles"
[ "$("$ME" --list-faults | wc -l)" = "$(ls mocks/faults/*.conf | wc -l)" ] && ok "--list-faults lists every fault" || fail "--list-faults"
menv --profile dstack-0.5.0 --fault matrix-configfs-on-05 -- sh -c '[ -d /sys/kernel/config/tsm/report ]' && ok "matrix-configfs-on-05: report root appears on 0.5.0" || fail "matrix-configfs-on-05 has no effect"
menv --profile dstack-0.6.0-tdx --fault matrix-sev-on-tdx -- sh -c '[ -e /dev/sev-guest ]' && ok "matrix-sev-on-tdx: /dev/sev-guest appears" || fail "matrix-sev-on-tdx has no effect"
menv --profile dstack-0.6.0-tdx --fault matrix-no-precreate -- sh -c '[ ! -e /sys/kernel/config/tsm/report/com.intel.dcap ]' && ok "matrix-no-precreate: com.intel.dcap missing" || fail "matrix-no-precreate has no effect"

# ---------------------------------------------------------------- negative controls: the checks can fail
menv --profile dstack-0.6.0-tdx --fault tdx-reportdata-not-echoed -- "$ROOT/$B/bin/client_static" tdreport "$RD" >"$T/neg.tdr"
[ "$(val reportdata "$T/neg.tdr")" != "$RD" ] && ok "control: tdx-reportdata-not-echoed is caught by the echo check" || fail "control: echo check blind to tdx-reportdata-not-echoed"
menv --profile dstack-0.6.0-tdx --fault tsm-reportdata-not-echoed -- "$ROOT/$B/bin/client_dyn" quote "$RD" neg >"$T/neg.q"
J=$(parse_hex "$(val outblob "$T/neg.q")")
jcheck "$J" "d['report_data']=='$RD'" && fail "control: quote report-data check blind to tsm-reportdata-not-echoed" || ok "control: tsm-reportdata-not-echoed is caught by the quote check"
menv --profile dstack-0.6.0-snp --fault sev-certs-len-not-rewritten -- "$ROOT/$B/bin/client_static" snp-ext "$RD" >"$T/neg.snp"
[ "$(val certs_len "$T/neg.snp")" = 4096 ] && ok "control: sev-certs-len-not-rewritten is caught by the size protocol check" || fail "control: certs_len check blind: $(grep -v -e ^report= -e ^certs= "$T/neg.snp")"
menv --profile dstack-0.6.0-tdx --fault tsm-generation-not-bumped -- "$ROOT/$B/bin/client_dyn" quote "$RD" neg >"$T/neg.g"
[ "$(val gen_after "$T/neg.g")" != 1 ] && ok "control: tsm-generation-not-bumped is caught by the generation check" || fail "control: generation check blind"

# ---------------------------------------------------------------- host untouched
host_state >"$T/host.after"
if diff "$T/host.before" "$T/host.after" >"$T/host.diff"; then ok "host /dev, /sys/kernel, misc sysfs, mount table, os-release, osrelease untouched"
else fail "host state changed:"; head -20 "$T/host.diff"; fi
left=$(ls -A "$T/tmp")
[ -z "$left" ] && ok "no mockenv work directory left in \$TMPDIR" || fail "mockenv left work directories: $left"

echo "30-mockenv: $fails failure(s)"
[ $fails = 0 ]
