# SNP_GET_EXT_REPORT with 4 pages of 0xA5
. "$(dirname "$0")/lib.sh"
$PROBE sev-ext 4 | grep -v '^table'
