# SNP_GET_DERIVED_KEY with GUEST_FIELD_SELECT TCB_VERSION (bit 5): tcb_version 0 and 0x1122
. "$(dirname "$0")/../../probes/lib.sh"
$PROBE sev-key-tcb 0x20 0
$PROBE sev-key-tcb 0x20 0x1122
