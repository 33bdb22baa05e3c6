# SNP_GET_EXT_REPORT with one page (too small): rc, certs_len, what the page holds
. "$(dirname "$0")/../../probes/lib.sh"
$PROBE sev-ext 1
