# SNP_GET_DERIVED_KEY success: rc and exitinfo2
. "$(dirname "$0")/../../probes/lib.sh"
$PROBE sev-key 0 0 0 | head -1
