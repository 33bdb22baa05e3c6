# GET_REPORT0 with the request in a read-only page
. "$(dirname "$0")/../../probes/lib.sh"
$PROBE tdreport-ro
