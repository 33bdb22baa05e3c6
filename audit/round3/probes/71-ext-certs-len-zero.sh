# SNP_GET_EXT_REPORT with a certs buffer address but certs_len 0
. "$(dirname "$0")/../../probes/lib.sh"
$PROBE sev-ext 0 0 | grep -v "^table"
