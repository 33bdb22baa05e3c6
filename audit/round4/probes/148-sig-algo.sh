# SNP_GET_REPORT at VMPL0: the first row (SIGNATURE_ALGO at 0x34)
. "$(dirname "$0")/../../probes/lib.sh"
$PROBE sev-report 0 | grep "report\[0000\]"
