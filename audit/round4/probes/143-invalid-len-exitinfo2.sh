# SNP_GET_EXT_REPORT with one page: rc, exitinfo2, certs_len written back
. "$(dirname "$0")/../../probes/lib.sh"
$PROBE sev-ext 1 | head -1
