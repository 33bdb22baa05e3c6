# SNP_GET_EXT_REPORT with one page (too small for the certificates: INVALID_LEN), then SNP_GET_REPORT
. "$(dirname "$0")/../../probes/lib.sh"
$PROBE sev-ext 1 | head -1
$PROBE sev-report 0 | head -1
