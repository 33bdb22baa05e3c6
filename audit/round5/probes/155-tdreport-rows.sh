# GET_REPORT0: the TDREPORT rows (TEE_TCB_INFO at 0x100)
. "$(dirname "$0")/../../probes/lib.sh"
$PROBE tdreport
