# SNP report REPORT_ID (0x140) and REPORT_ID_MA (0x160)
. "$(dirname "$0")/lib.sh"
$PROBE sev-report 0 | grep '^report\[0140\]'
