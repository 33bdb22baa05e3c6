# GET_REPORT0: the first TDREPORT rows (REPORTTYPE at 0..3)
. "$(dirname "$0")/../../probes/lib.sh"
$PROBE tdreport | grep "tdreport\[0000\]"
