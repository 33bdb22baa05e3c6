# SNP_GET_DERIVED_KEY for VMPL0 from a guest at VMPL1: the MSG_KEY_RSP status (first 4 bytes)
. "$(dirname "$0")/lib.sh"
$PROBE sev-key 0 0 0 | cut -c1-40
