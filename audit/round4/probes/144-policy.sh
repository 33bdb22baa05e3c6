# SNP_GET_REPORT at VMPL0: the first row (POLICY at 0x08)
. "$(dirname "$0")/../../probes/lib.sh"
$PROBE sev-report 0 | grep "report\[0000\]"
