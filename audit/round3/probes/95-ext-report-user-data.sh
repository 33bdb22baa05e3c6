# SNP_GET_EXT_REPORT (4 pages) and SNP_GET_REPORT: the report rows holding REPORT_DATA (0x50..0x90 = user_data 40..7f)
. "$(dirname "$0")/../../probes/lib.sh"
$PROBE sev-report 0 | grep "^report\[00[48]0\]"
$PROBE sev-ext-rows 4 0 | grep "^ext\[00[48]0\]"
