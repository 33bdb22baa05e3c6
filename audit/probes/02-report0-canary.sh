# GET_REPORT0 with a 0xA5 canary in the TDREPORT half of the request
. "$(dirname "$0")/lib.sh"
$PROBE tdreport | grep -E '^(rc|canary_left|last_byte)='
