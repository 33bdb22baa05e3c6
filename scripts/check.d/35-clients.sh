#!/usr/bin/env bash
# shellcheck disable=SC2016  # the scripts run inside mockenv are single-quoted: they expand there
# check step: third-party style clients, in other runtimes, against mockenv. Neither client
# knows the mock; both are written from the kernel's documented usage and open the real
# paths (see the comments at the top of each):
#   - mocks/clients/shclient.sh (POSIX sh + coreutils, xxd for hex): the configfs-tsm
#     recipe of Documentation/ABI/testing/configfs-tsm-report (mkdir, dd inblob bs=64,
#     generation, outblob/auxblob, provider, rmdir) and the RTMR files of
#     Documentation/ABI/testing/sysfs-devices-virtual-misc-tdx_guest (dd bs=48 count=1);
#   - mocks/clients/pyclient.py (Python 3 stdlib: fcntl.ioctl, ctypes, os): GET_REPORT0,
#     SNP_GET_REPORT, SNP_GET_EXT_REPORT with the certificate-size protocol, configfs-tsm,
#     RTMR extend; ioctl numbers computed from the _IOC macros.
# Judged here, with tools independent of the clients (build/bin/teeabi-parse,
# build/bin/snp_verify, openssl dgst):
#   dstack-0.6.0-tdx  quote report_data = inblob, signature + QE report signature + QE
#                     binding verify; RTMR = SHA-384(old || data) via sysfs, seen in the
#                     TDREPORT and the quote; a 47-byte write refused (EINVAL);
#                     TDREPORT echoes REPORTDATA at 128; no entry left behind
#   dstack-0.6.0-snp  outblob is an SNP report with report_data = inblob, auxblob a
#                     certificate table naming a VCEK that verifies the report; SNP_GET_REPORT
#                     echoes user_data at report+0x50; EXT_REPORT: certs_len 0 -> EIO,
#                     exitinfo2 = INVALID_LEN << 32, certs_len rewritten to whole pages
#   dstack-0.5.9      GET_REPORT0 works; configfs-tsm, measurements, sev-guest: ENOENT
#   negative controls: with one injected fault the same checks print FAIL.
set -uo pipefail
# shellcheck source=../clients_lib.sh
. "$(dirname "$0")/../clients_lib.sh"
EXTRA_TARGETS=snp_verify clients_setup 35-clients python3 xxd openssl od dd
SNPV=$ROOT/$B/bin/snp_verify

# what the clients get (exported: the runs below read them inside mockenv)
export SH=$ROOT/mocks/clients/shclient.sh PY=$ROOT/mocks/clients/pyclient.py
export RD D SHORT IN=$T/inblob.bin
RD=$(head -c 64 /dev/urandom | od -An -tx1 | tr -d ' \n')
D=$(head -c 48 /dev/urandom | od -An -tx1 | tr -d ' \n')
SHORT=${D:0:94}   # 47 bytes
echo -n "$RD" | xxd -r -p >"$IN"

is_pages() { [ -n "$1" ] && [ "$1" -gt 0 ] 2>/dev/null && [ $(($1 % 4096)) = 0 ]; }
# the kernel's ioctl numbers (include/uapi: tdx-guest.h, sev-guest.h; x86-64)
GET_REPORT0=0xc4405401 SNP_GET_REPORT=0xc0205300 SNP_GET_EXT_REPORT=0xc0205302

# ---------------------------------------------------------------- dstack-0.6.0-tdx
run_tdx06() { # DIR [--fault F]
  local dir=$1; shift
  mkdir -p "$dir/sh.q"
  menv "$dir" --profile dstack-0.6.0-tdx "$@" -- sh -c '
    O=$1
    sh "$SH" rtmr-read 3 >$O/sh.rtmr_old
    sh "$SH" rtmr-extend 3 "$D" >$O/sh.ext
    sh "$SH" rtmr-read 3 >$O/sh.rtmr_new
    sh "$SH" rtmr-extend 3 "$SHORT" >$O/sh.short
    sh "$SH" rtmr-read 3 >$O/sh.rtmr_after_short
    sh "$SH" quote shclient "$IN" $O/sh.q >$O/sh.quote
    python3 "$PY" tdreport "$RD" >$O/py.tdr
    python3 "$PY" rtmr 2 "$D" >$O/py.rtmr
    python3 "$PY" configfs "$RD" pyclient >$O/py.cfg
    python3 "$PY" snp-report "$RD" >$O/py.snp
    ls /sys/kernel/config/tsm/report >$O/left
    true' sh "$dir"
}
check_tdx06() { # DIR
  local O=$1 J old new want py_old py_new
  eq run "mockenv ran the clients" "$(txt "$O/rc")" 0
  # shell: RTMR3 through the measurements file
  old=$(val rtmr "$O/sh.rtmr_old"); new=$(val rtmr "$O/sh.rtmr_new")
  want=$(sha384_ext "${old:-00}" "$D")
  eq sh.extend "shell: dd bs=48 count=1 to rtmr3:sha384 succeeds" "$(txt "$O/sh.ext")" "extend=ok"
  truth sh.rtmr "shell: rtmr3 reads 48 bytes" "$old" [ ${#old} = 96 ]
  eq sh.rtmr-ext "shell: rtmr3 after the write = SHA-384(old || data) (openssl)" "$new" "$want"
  truth sh.short "shell: a 47-byte write is refused with EINVAL (partial write)" "$(txt "$O/sh.short")" grep -qs '^extend=.*Invalid argument' "$O/sh.short"
  eq sh.short-noop "shell: the refused write leaves rtmr3 alone" "$(val rtmr "$O/sh.rtmr_after_short")" "$new"
  # shell: configfs quote
  eq sh.mkdir "shell: mkdir of a report entry" "$(val mkdir "$O/sh.quote")" ok
  eq sh.provider "shell: provider tdx_guest" "$(val provider "$O/sh.quote")" tdx_guest
  eq sh.gen "shell: generation 0, 1 after the inblob write, 1 after the outblob read" \
    "$(val gen_before "$O/sh.quote") $(val gen_after_write "$O/sh.quote") $(val gen_after_read "$O/sh.quote")" "0 1 1"
  eq sh.rmdir "shell: rmdir of the entry" "$(val rmdir "$O/sh.quote")" ok
  J=$(parse "$O/sh.q/outblob")
  eq sh.quote "shell: outblob is a TDX quote (teeabi-parse)" "$(jx "$J" "d['format']")" tdx_quote
  eq sh.quote-rd "shell: quote report_data = inblob" "$(jx "$J" "d['report_data']")" "$RD"
  eq sh.quote-sig "shell: quote signature, QE report signature, QE binding verify" \
    "$(jx "$J" "[d['signature'], d['qe_report_signature'], d['qe_report_binding']]")" "[True, True, True]"
  eq sh.quote-rtmr "shell: extended RTMR3 in the quote" "$(jx "$J" "d['rtmr3']")" "$new"
  # python: GET_REPORT0
  eq py.cmd "python: _IOWR('T', 1, struct tdx_report_req) = the kernel's TDX_CMD_GET_REPORT0" "$(val cmd "$O/py.tdr")" $GET_REPORT0
  eq py.ioctl "python: GET_REPORT0 succeeds" "$(val ioctl "$O/py.tdr")" 0
  eq py.tdr-rd "python: TDREPORT echoes REPORTDATA at offset 128" "$(val reportdata "$O/py.tdr")" "$RD"
  J=$(parse_hex "$(val tdreport "$O/py.tdr")")
  eq py.tdr-parse "python: TDREPORT parses (teeabi-parse), report_data = input, RTMR3 = the shell's extend" \
    "$(jx "$J" "[d['format'], d['report_data'], d['rtmr3']]")" "['tdreport', '$RD', '$new']"
  # python: RTMR2 through the measurements file
  py_old=$(val rtmr_old "$O/py.rtmr"); py_new=$(val rtmr_new "$O/py.rtmr")
  eq py.extend "python: os.write of 48 bytes to rtmr2:sha384 returns 48" "$(val extend "$O/py.rtmr")" 48
  eq py.rtmr-ext "python: rtmr2 after the write = SHA-384(old || data) (openssl)" "$py_new" "$(sha384_ext "${py_old:-00}" "$D")"
  eq py.rtmr-tdr "python: the next TDREPORT carries the new RTMR2" "$(val tdreport_rtmr "$O/py.rtmr")" "$py_new"
  # python: configfs quote
  eq py.cfg "python: mkdir, provider, generation 0/1/1, rmdir" \
    "$(for k in mkdir provider gen_before gen_after_write gen_after_read rmdir; do printf '%s ' "$(val $k "$O/py.cfg")"; done)" "0 tdx_guest 0 1 1 0 "
  J=$(parse_hex "$(val outblob "$O/py.cfg")")
  eq py.quote "python: outblob is a TDX quote" "$(jx "$J" "d['format']")" tdx_quote
  eq py.quote-rd "python: quote report_data = inblob" "$(jx "$J" "d['report_data']")" "$RD"
  eq py.quote-sig "python: quote signature, QE report signature, QE binding verify" \
    "$(jx "$J" "[d['signature'], d['qe_report_signature'], d['qe_report_binding']]")" "[True, True, True]"
  eq py.quote-rtmr "python: quote carries the shell's RTMR3 and the python RTMR2" "$(jx "$J" "[d['rtmr2'], d['rtmr3']]")" "['$py_new', '$new']"
  eq py.snp "python: /dev/sev-guest absent on TDX (ENOENT)" "$(val open "$O/py.snp")" ENOENT
  eq left "only com.intel.dcap left in the report root" "$(txt "$O/left")" com.intel.dcap
}

# ---------------------------------------------------------------- dstack-0.6.0-snp
run_snp() { # DIR [--fault F]
  local dir=$1; shift
  mkdir -p "$dir/sh.q"
  menv "$dir" --profile dstack-0.6.0-snp "$@" -- sh -c '
    O=$1
    sh "$SH" quote shclient "$IN" $O/sh.q >$O/sh.quote
    sh "$SH" rtmr-read 3 >$O/sh.rtmr
    python3 "$PY" snp-report "$RD" >$O/py.snp
    python3 "$PY" snp-ext "$RD" >$O/py.ext
    python3 "$PY" configfs "$RD" pyclient >$O/py.cfg
    python3 "$PY" tdreport "$RD" >$O/py.tdr
    ls /sys/kernel/config/tsm/report >$O/left
    true' sh "$dir"
}
check_snp() { # DIR
  local O=$1 J v cl
  eq run "mockenv ran the clients" "$(txt "$O/rc")" 0
  # shell: configfs
  eq sh.cfg "shell: mkdir, provider sev_guest, generation 0/1/1, rmdir" \
    "$(for k in mkdir provider gen_before gen_after_write gen_after_read rmdir; do printf '%s ' "$(val $k "$O/sh.quote")"; done)" "ok sev_guest 0 1 1 ok "
  J=$(parse "$O/sh.q/outblob")
  eq sh.report "shell: outblob is an SNP report with report_data = inblob" "$(jx "$J" "[d['format'], d['report_data']]")" "['snp_report', '$RD']"
  J=$(parse "$O/sh.q/auxblob")
  eq sh.certs "shell: auxblob is a certificate table naming a VCEK" "$(jx "$J" "[d['format'], 'vcek' in [e['name'] for e in d['entries']]]")" "['snp_cert_table', True]"
  v=$("$SNPV" "$O/sh.q/outblob" "$O/sh.q/auxblob" 2>&1)
  truth sh.verify "shell: the report verifies with the auxblob's VCEK (snp_verify: $v)" "$v" [ "${v%% *}" = ok ]
  truth sh.rtmr "shell: no TDX measurement files on SNP" "$(txt "$O/sh.rtmr")" grep -qs '^rtmr=absent' "$O/sh.rtmr"
  # python: SNP_GET_REPORT
  eq py.cmd "python: _IOWR('S', 0/2, struct snp_guest_request_ioctl) = the kernel's SNP_GET_REPORT/SNP_GET_EXT_REPORT" \
    "$(val cmd "$O/py.snp") $(val cmd "$O/py.ext")" "$SNP_GET_REPORT $SNP_GET_EXT_REPORT"
  eq py.report "python: SNP_GET_REPORT: ioctl 0, MSG_REPORT_RSP status 0, report_size 1184" \
    "$(val ioctl "$O/py.snp") $(val status "$O/py.snp") $(val report_size "$O/py.snp")" "0 0x0 1184"
  eq py.report-rd "python: SNP_GET_REPORT echoes user_data at report+0x50" "$(val report_data "$O/py.snp")" "$RD"
  J=$(parse_hex "$(val report "$O/py.snp")")
  eq py.report-parse "python: the report parses (teeabi-parse) with report_data = user_data" "$(jx "$J" "[d['format'], d['report_data']]")" "['snp_report', '$RD']"
  # python: SNP_GET_EXT_REPORT, certificate-size protocol
  cl=$(val certs_len "$O/py.ext")
  eq py.ext-query "python: EXT_REPORT with certs_len 0 -> EIO, exitinfo2 = INVALID_LEN << 32" \
    "$(val first_errno "$O/py.ext") $(val first_exitinfo2 "$O/py.ext") $(val first_vmm_error "$O/py.ext") $(val first_fw_error "$O/py.ext")" "EIO 0x100000000 1 0"
  truth py.ext-len "python: certs_len rewritten to a whole number of pages ($cl)" "$(grep -sv -e ^report= -e ^certs= "$O/py.ext" | tr '\n' ' ')" is_pages "$cl"
  eq py.ext "python: EXT_REPORT with that buffer: ioctl 0, status 0, report_data = user_data" \
    "$(val ioctl "$O/py.ext") $(val status "$O/py.ext") $(val report_data "$O/py.ext")" "0 0x0 $RD"
  val report "$O/py.ext" | xxd -r -p >"$O/py.ext.report"; val certs "$O/py.ext" | xxd -r -p >"$O/py.ext.certs"
  eq py.ext-certs-len "python: certs buffer of certs_len bytes" "$(wc -c <"$O/py.ext.certs")" "${cl:-none}"
  J=$(parse "$O/py.ext.certs")
  eq py.ext-certs "python: the certificate table parses and names a VCEK" "$(jx "$J" "[d['format'], 'vcek' in [e['name'] for e in d['entries']]]")" "['snp_cert_table', True]"
  v=$("$SNPV" "$O/py.ext.report" "$O/py.ext.certs" 2>&1)
  truth py.ext-verify "python: the extended report verifies with its VCEK (snp_verify: $v)" "$v" [ "${v%% *}" = ok ]
  # python: configfs
  eq py.cfg "python: mkdir, provider sev_guest, generation 0/1/1, rmdir" \
    "$(for k in mkdir provider gen_before gen_after_write gen_after_read rmdir; do printf '%s ' "$(val $k "$O/py.cfg")"; done)" "0 sev_guest 0 1 1 0 "
  J=$(parse_hex "$(val outblob "$O/py.cfg")")
  eq py.cfg-report "python: outblob is an SNP report with report_data = inblob" "$(jx "$J" "[d['format'], d['report_data']]")" "['snp_report', '$RD']"
  J=$(parse_hex "$(val auxblob "$O/py.cfg")")
  eq py.cfg-certs "python: auxblob is a certificate table naming a VCEK" "$(jx "$J" "[d['format'], 'vcek' in [e['name'] for e in d['entries']]]")" "['snp_cert_table', True]"
  eq py.tdr "python: /dev/tdx_guest absent on SNP (ENOENT)" "$(val open "$O/py.tdr")" ENOENT
  eq left "no entry left in the report root" "$(txt "$O/left")" ""
}

# ---------------------------------------------------------------- dstack-0.5.9
run_tdx059() { # DIR [--fault F]
  local dir=$1; shift
  mkdir -p "$dir/sh.q"
  menv "$dir" --profile dstack-0.5.9 "$@" -- sh -c '
    O=$1
    python3 "$PY" tdreport "$RD" >$O/py.tdr
    python3 "$PY" configfs "$RD" pyclient >$O/py.cfg
    python3 "$PY" snp-report "$RD" >$O/py.snp
    sh "$SH" quote shclient "$IN" $O/sh.q >$O/sh.quote
    sh "$SH" rtmr-read 3 >$O/sh.rtmr
    true' sh "$dir"
}
check_tdx059() { # DIR
  local O=$1 J
  eq run "mockenv ran the clients" "$(txt "$O/rc")" 0
  eq py.ioctl "python: GET_REPORT0 (cmd $(val cmd "$O/py.tdr")) succeeds" "$(val ioctl "$O/py.tdr")" 0
  eq py.tdr-rd "python: TDREPORT echoes REPORTDATA at offset 128" "$(val reportdata "$O/py.tdr")" "$RD"
  J=$(parse_hex "$(val tdreport "$O/py.tdr")")
  eq py.tdr-parse "python: TDREPORT parses (teeabi-parse) with report_data = input" "$(jx "$J" "[d['format'], d['report_data']]")" "['tdreport', '$RD']"
  eq py.cfg "python: no configfs-tsm: mkdir fails with ENOENT" "$(txt "$O/py.cfg")" "mkdir=ENOENT"
  eq py.snp "python: no /dev/sev-guest (ENOENT)" "$(val open "$O/py.snp")" ENOENT
  truth sh.cfg "shell: no configfs-tsm: mkdir says No such file or directory" "$(txt "$O/sh.quote")" grep -qs '^mkdir=.*No such file or directory' "$O/sh.quote"
  truth sh.rtmr "shell: no TDX measurement files" "$(txt "$O/sh.rtmr")" grep -qs '^rtmr=absent' "$O/sh.rtmr"
}

# ---------------------------------------------------------------- the runs
run_tdx06 "$T/tdx06";   L=tdx06;   report "$(check_tdx06 "$T/tdx06")"
run_snp "$T/snp";       L=snp;     report "$(check_snp "$T/snp")"
run_tdx059 "$T/tdx059"; L=tdx059;  report "$(check_tdx059 "$T/tdx059")"

# ---------------------------------------------------------------- negative controls
control run_tdx06 check_tdx06 tdx06 tsm-reportdata-not-echoed sh.quote-rd py.quote-rd
control run_tdx06 check_tdx06 tdx06 tsm-quote-header-included sh.quote py.quote
control run_tdx06 check_tdx06 tdx06 tdx-extend-wrong-hash sh.rtmr-ext py.rtmr-ext
control run_tdx06 check_tdx06 tdx06 mr-wrong-size-accepted sh.short
control run_tdx06 check_tdx06 tdx06 tdx-reportdata-not-echoed py.tdr-rd
control run_tdx06 check_tdx06 tdx06 matrix-sev-on-tdx py.snp
control run_snp check_snp snp sev-reportdata-not-echoed py.report-rd py.ext
control run_snp check_snp snp sev-certs-len-not-rewritten py.ext-len
control run_snp check_snp snp tsm-reportdata-not-echoed sh.report py.cfg-report
control run_tdx059 check_tdx059 tdx059 matrix-configfs-on-05 py.cfg sh.cfg

# misc class links (misc_register): clients that go through /sys/class/misc find the devices
menv "$T/cls06" --profile dstack-0.6.0-tdx -- sh -c "head -c 64 /sys/class/misc/tdx_guest/measurements/rtmr3:sha384 | wc -c > $T/cls06/n; ls /sys/class/misc > $T/cls06/ls"
menv "$T/clssnp" --profile dstack-0.6.0-snp -- sh -c "ls /sys/class/misc > $T/clssnp/ls"
if [ "$(cat "$T/cls06/n" 2>/dev/null)" = 48 ] && grep -qx tdx_guest "$T/cls06/ls" && ! grep -qx sev-guest "$T/cls06/ls"; then
  echo "ok: /sys/class/misc/tdx_guest links to the device (48-byte RTMR through it), no sev-guest on TDX"
else echo "FAIL: /sys/class/misc on dstack-0.6.0-tdx: $(cat "$T/cls06/n" "$T/cls06/mockenv.log" 2>/dev/null | head -3)"; fails=$((fails + 1)); fi
if grep -qx sev-guest "$T/clssnp/ls" 2>/dev/null && ! grep -qx tdx_guest "$T/clssnp/ls"; then
  echo "ok: /sys/class/misc/sev-guest present on SNP, no tdx_guest"
else echo "FAIL: /sys/class/misc on dstack-0.6.0-snp: $(head -3 "$T/clssnp/mockenv.log" 2>/dev/null)"; fails=$((fails + 1)); fi

clients_finish 35-clients
