# SNP_GET_DERIVED_KEY at vmpl 3, 4 and 5: rc, status
. "$(dirname "$0")/../../probes/lib.sh"
$PROBE sev-key 0 0 3
$PROBE sev-key 0 0 4
$PROBE sev-key 0 0 5
