# SNP_GET_REPORT: the bytes of the 4000-byte response after MSG_REPORT_RSP
. "$(dirname "$0")/../../probes/lib.sh"
$PROBE sev-report-tail
