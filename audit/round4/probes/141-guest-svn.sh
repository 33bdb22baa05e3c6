# SNP_GET_REPORT (GUEST_SVN at 0x04) and SNP_GET_DERIVED_KEY with guest_svn 2 (GUEST_SVN bit 4)
. "$(dirname "$0")/../../probes/lib.sh"
$PROBE sev-report 0 | grep "report\[0000\]"
$PROBE sev-key 16 2 0
