# SNP_GET_DERIVED_KEY with vmpl 4 and with guest_svn 3 (both refused by the firmware): rc, exitinfo2, response
. "$(dirname "$0")/../../probes/lib.sh"
$PROBE sev-key 0 0 4; $PROBE sev-key 0x10 3 0
