# SNP_GET_REPORT at VMPL1 on the VLEK profile: the report rows (SIGNER_INFO at 0x48)
. "$(dirname "$0")/../../probes/lib.sh"
$PROBE sev-report 1 | grep "^rc\|^report\[0040\]"
