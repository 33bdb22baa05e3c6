#!/bin/sh
# SPDX-License-Identifier: Apache-2.0
# shclient - an attestation client in POSIX sh with coreutils (plus xxd for the RTMR hex),
# written from the kernel's documented usage only, knowing nothing of any mock:
#   configfs-tsm (Documentation/ABI/testing/configfs-tsm-report and the configfs-tsm
#   commit's example): mkdir an entry, write up to 64 bytes to inblob, read generation,
#   read outblob (and auxblob, SEV-SNP's certificate table, when the provider has it),
#   read provider, rmdir;
#   TDX measurement registers (Documentation/ABI/testing/
#   sysfs-devices-virtual-misc-tdx_guest): each rtmrN:sha384 is a 48-byte file, a read
#   gives the value, a write of exactly 48 bytes at offset 0 extends it.
# scripts/check.d/35-clients.sh runs it inside mockenv.
#
#   shclient.sh quote NAME INBLOB OUTDIR   the configfs recipe with entry NAME and the
#                                          64-byte file INBLOB; writes OUTDIR/outblob,
#                                          OUTDIR/auxblob (if any), and prints key=value
#   shclient.sh rtmr-read IDX              rtmr=<96 hex digits>
#   shclient.sh rtmr-extend IDX HEX        one write of the bytes (48 for an extend;
#                                          another length to see the kernel refuse it):
#                                          extend=ok, or the error message
# Exit: 0 done, 1 a step failed (printed as step=<message>), 2 usage.
export LC_ALL=C
R=/sys/kernel/config/tsm/report
M=/sys/devices/virtual/misc/tdx_guest/measurements

# copy FROM TO (cat, so that the kernel sees ordinary reads)
copy() { cat "$1" > "$2"; }

usage() { sed -n 's/^#   shclient/shclient/p' "$0" >&2; exit 2; }

# run a step; on failure print step=<the tool's message> and stop
run() {
  name=$1; shift
  if ! msg=$("$@" 2>&1 >/dev/null); then
    echo "$name=${msg:-failed}" | head -1
    exit 1
  fi
}

case "${1:-}" in
quote)
  [ $# = 4 ] || usage
  E=$R/$2; IN=$3; O=$4
  run mkdir mkdir "$E"
  echo mkdir=ok
  echo "gen_before=$(cat "$E/generation")"
  run inblob dd if="$IN" of="$E/inblob" bs=64
  echo "gen_after_write=$(cat "$E/generation")"
  run outblob copy "$E/outblob" "$O/outblob"
  echo "outblob_bytes=$(wc -c < "$O/outblob")"
  if [ -e "$E/auxblob" ]; then
    run auxblob copy "$E/auxblob" "$O/auxblob"
    echo "auxblob_bytes=$(wc -c < "$O/auxblob")"
  fi
  echo "gen_after_read=$(cat "$E/generation")"
  echo "provider=$(cat "$E/provider")"
  run rmdir rmdir "$E"
  echo rmdir=ok
  ;;
rtmr-read)
  [ $# = 2 ] || usage
  F="$M/rtmr$2:sha384"
  [ -e "$F" ] || { echo "rtmr=absent: $F"; exit 1; }
  v=$(dd if="$F" bs=48 count=1 2>/dev/null | xxd -p -c 48)
  echo "rtmr=$v"
  ;;
rtmr-extend)
  [ $# = 3 ] || usage
  F="$M/rtmr$2:sha384"
  n=$(( ${#3} / 2 ))
  [ "$n" -gt 0 ] || usage
  tmp=$(mktemp) || exit 1
  trap 'rm -f "$tmp"' EXIT
  echo "$3" | xxd -r -p > "$tmp"
  run extend dd if="$tmp" of="$F" bs="$n" count=1
  echo extend=ok
  ;;
*) usage ;;
esac
