# SNP_GET_REPORT at VMPL 2 and 3: status
. "$(dirname "$0")/../../probes/lib.sh"
$PROBE sev-report 2 | head -1; $PROBE sev-report 3 | head -1
