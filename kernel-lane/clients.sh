#!/bin/sh
# kernel-lane/clients.sh PLATFORM OUTDIR: third-party style clients with fixed inputs, run
# the same way in the lane's guest (busybox sh) and inside mockenv (kernel-lane/mock.sh);
# diff.py compares the key=value answers. OUTDIR gets one <command>.txt per command (the
# client's stdout, then "exit=<exit status>"):
#   - the project's shell client (mocks/clients/shclient.sh): configfs-tsm, RTMR files;
#   - the project's Python client (mocks/clients/pyclient.py, stdlib only: ctypes ioctls,
#     configfs-tsm, RTMR files) when PYCLIENT names it, with $PYTHON (the same interpreter on
#     both sides: Debian's python3, copied into the guest by pyroot.py); the blobs it prints
#     in full (tdreport, report, outblob, auxblob, certs) are given as <key>_bytes (their
#     signatures and keys move with each run's test PKI), every other answer as printed;
#   - TDX: Intel DCAP's libtdx_attest.so.1 through build/bin/dcap_client, when both are given
#     (DCAP, DCAPLIB): key ids, tdx_att_get_report (report data echoed at 128),
#     tdx_att_get_quote (report data in the quote body at 568), tdx_att_extend.
#   env: SHCLIENT (path of shclient.sh), PYCLIENT (path of pyclient.py), PYTHON, DCAP, DCAPLIB
P=${1:?platform}; O=${2:?outdir}
SH=${SHCLIENT:-$(dirname "$0")/../mocks/clients/shclient.sh}
mkdir -p "$O/files"
# 64 bytes of report data, 48 of extend data: fixed, so both sides get the same requests
RD=00112233445566778899aabbccddeeff00112233445566778899aabbccddeeff00112233445566778899aabbccddeeff00112233445566778899aabbccddeeff
XD=5a5a5a5a5a5a5a5a5a5a5a5a5a5a5a5a5a5a5a5a5a5a5a5a5a5a5a5a5a5a5a5a5a5a5a5a5a5a5a5a5a5a5a5a5a5a5a5a
echo "$RD" | xxd -r -p > "$O/files/inblob"
# every command has 60 s (a client that waits for ever is an answer too: exit=124)
one() { # NAME ARGS...
  n=$1; shift
  timeout 60 sh "$SH" "$@" > "$O/$n.txt" 2> "$O/$n.err"
  echo "exit=$?" >> "$O/$n.txt"
}
one quote quote lane-shclient "$O/files/inblob" "$O/files"
# hex of LEN bytes of FILE at OFFSET
hexat() { xxd -p -s "$2" -l "$3" "$1" 2>/dev/null | tr -d '\n'; }
if [ "$P" = tdx ] && [ -n "${DCAP:-}" ] && [ -f "${DCAPLIB:-}" ]; then
  d() { n=$1; shift; timeout 60 "$DCAP" "$DCAPLIB" "$@" > "$O/$n.txt" 2> "$O/$n.err"; echo "exit=$?" >> "$O/$n.txt"; }
  d dcap-keyids keyids
  d dcap-report report "$RD" "$O/files/tdreport"
  echo "rd_echo=$(hexat "$O/files/tdreport" 128 64)" >> "$O/dcap-report.txt"
  d dcap-quote quote "$RD" "$O/files/quote"
  sed -i 's/^quote_size=/quote_bytes=/' "$O/dcap-quote.txt"
  echo "quote_rd=$(hexat "$O/files/quote" 568 64)" >> "$O/dcap-quote.txt"
  d dcap-extend extend 3 "$XD"
fi
M=/sys/devices/virtual/misc/tdx_guest/measurements
if [ "$P" = tdx ]; then
  if [ -d "$M" ]; then echo "measurements=present"; else echo "measurements=absent"; fi > "$O/measurements.txt"
  echo "exit=0" >> "$O/measurements.txt"
fi
if [ "$P" = tdx ] && [ -d "$M" ]; then
  one rtmr2-read rtmr-read 2
  one rtmr2-extend rtmr-extend 2 "$XD"
  one rtmr2-after rtmr-read 2
  one rtmr2-short rtmr-extend 2 "${XD%??}"
fi
# the Python client, after the shell client (both sides run the same sequence)
if [ -n "${PYCLIENT:-}" ]; then
  py() { # NAME ARGS...
    n=$1; shift
    timeout 60 "${PYTHON:-python3}" "$PYCLIENT" "$@" > "$O/$n.raw" 2> "$O/$n.err"
    echo "exit=$?" >> "$O/$n.raw"
    awk -F= '$1 ~ /^(tdreport|report|outblob|auxblob|certs)$/ { print $1 "_bytes=" length($2) / 2; next } { print }' \
      "$O/$n.raw" > "$O/$n.txt"
  }
  py py-configfs configfs "$RD" lane-pyclient
  if [ "$P" = tdx ]; then
    py py-tdreport tdreport "$RD"
    if [ -d "$M" ]; then py py-rtmr2 rtmr 2 "$XD"; fi
  else
    py py-snp-report snp-report "$RD"
    py py-snp-ext snp-ext "$RD"
  fi
fi
