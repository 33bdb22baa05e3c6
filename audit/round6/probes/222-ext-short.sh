# SNP_GET_EXT_REPORT with 1 page: rc, the certs_len the driver writes back; then with 2 pages
. "$(dirname "$0")/../../probes/lib.sh"
$PROBE sev-ext 1 | head -1; $PROBE sev-ext 2 | head -1
