# SNP_GET_EXT_REPORT with 3 and 4 pages (4 pages = SEV_FW_BLOB_MAX_SIZE): rc, certs_len, where the data ends, status
. "$(dirname "$0")/../../probes/lib.sh"
for p in 3 4; do echo "pages=$p"; $PROBE sev-ext $p 0 | grep -v "^table\|^canary"; done
