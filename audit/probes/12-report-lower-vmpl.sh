# SNP_GET_REPORT for VMPL0 from a guest at VMPL1: firmware status
. "$(dirname "$0")/lib.sh"
$PROBE sev-report 0 | grep '^rc='
