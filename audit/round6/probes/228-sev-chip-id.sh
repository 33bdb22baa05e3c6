# SNP_GET_REPORT at VMPL 0: CHIP_ID (report row 0x1a0 is printed as part of 0x180/0x1c0) - the rows 0x180 and 0x1c0
. "$(dirname "$0")/../../probes/lib.sh"
$PROBE sev-ext-rows 4 0 | grep '^ext\[01[8c]0\]'
