# SNP_GET_REPORT at VMPL1 on the VLEK host: the report rows (CHIP_ID at 0x1A0)
. "$(dirname "$0")/../../probes/lib.sh"
$PROBE sev-report 1
