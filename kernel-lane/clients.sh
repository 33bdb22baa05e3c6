#!/bin/sh
# kernel-lane/clients.sh PLATFORM OUTDIR: the project's shell client (mocks/clients/shclient.sh)
# with fixed inputs, run the same way in the lane's guest (busybox sh) and inside mockenv
# (kernel-lane/mock.sh); diff.py compares the key=value answers. OUTDIR gets one
# <command>.txt per command (the client's stdout, then "rc=<exit status>").
#   env: SHCLIENT (path of shclient.sh)
P=${1:?platform}; O=${2:?outdir}
SH=${SHCLIENT:-$(dirname "$0")/../mocks/clients/shclient.sh}
mkdir -p "$O/files"
# 64 bytes of report data, 48 of extend data: fixed, so both sides get the same requests
RD=00112233445566778899aabbccddeeff00112233445566778899aabbccddeeff00112233445566778899aabbccddeeff00112233445566778899aabbccddeeff
XD=5a5a5a5a5a5a5a5a5a5a5a5a5a5a5a5a5a5a5a5a5a5a5a5a5a5a5a5a5a5a5a5a5a5a5a5a5a5a5a5a5a5a5a5a5a5a5a5a
echo "$RD" | xxd -r -p > "$O/files/inblob"
one() { # NAME ARGS...
  n=$1; shift
  sh "$SH" "$@" > "$O/$n.txt" 2> "$O/$n.err"
  echo "rc=$?" >> "$O/$n.txt"
}
one quote quote lane-shclient "$O/files/inblob" "$O/files"
M=/sys/devices/virtual/misc/tdx_guest/measurements
if [ "$P" = tdx ]; then
  if [ -d "$M" ]; then echo "measurements=present"; else echo "measurements=absent"; fi > "$O/measurements.txt"
  echo "rc=0" >> "$O/measurements.txt"
fi
if [ "$P" = tdx ] && [ -d "$M" ]; then
  one rtmr2-read rtmr-read 2
  one rtmr2-extend rtmr-extend 2 "$XD"
  one rtmr2-after rtmr-read 2
  one rtmr2-short rtmr-extend 2 "${XD%??}"
fi
