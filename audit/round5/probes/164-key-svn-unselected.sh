# SNP_GET_DERIVED_KEY with guest_svn 1, field select 0 and 0x10
. "$(dirname "$0")/../../probes/lib.sh"
$PROBE sev-key 0 1 0; $PROBE sev-key 0x10 1 0
