# SNP_GET_EXT_REPORT with 5 pages (20 KiB): rc
. "$(dirname "$0")/../../probes/lib.sh"
$PROBE sev-ext 5 | head -1
