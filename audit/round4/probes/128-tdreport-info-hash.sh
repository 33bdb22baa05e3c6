# GET_REPORT0: the whole TDREPORT (TEE_INFO_HASH at 0x50)
. "$(dirname "$0")/../../probes/lib.sh"
$PROBE tdreport
