# the SNP report's CHIP_ID (0x1A0, 64 bytes)
. "$(dirname "$0")/lib.sh"
$PROBE sev-report 0 | grep -E '^report\[01(80|c0)\]'
