# SNP_GET_REPORT asking for VMPL 3 and VMPL 4: rc, status (the report rows left out)
. "$(dirname "$0")/../../probes/lib.sh"
$PROBE sev-report 3 | head -1; $PROBE sev-report 4 | head -1
