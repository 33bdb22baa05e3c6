# SNP_GET_REPORT at VMPL0: the report rows
. "$(dirname "$0")/../../probes/lib.sh"
$PROBE sev-report 0
