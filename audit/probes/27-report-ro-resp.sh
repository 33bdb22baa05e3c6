# SNP_GET_REPORT into a read-only response buffer
. "$(dirname "$0")/lib.sh"
$PROBE sev-report-ro
