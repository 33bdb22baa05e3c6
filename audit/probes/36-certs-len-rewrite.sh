# SNP_GET_EXT_REPORT offering one page: what certs_len says afterwards
. "$(dirname "$0")/lib.sh"
$PROBE sev-ext 1 | grep '^rc='
