# GET_REPORT0: the first two TDREPORT rows (TEE_TCB_INFO_HASH at 0x20..0x50)
. "$(dirname "$0")/../../probes/lib.sh"
$PROBE tdreport | grep "^tdreport\[00[04]0\]"
