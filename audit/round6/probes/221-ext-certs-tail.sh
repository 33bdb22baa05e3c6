# SNP_GET_EXT_REPORT with 4 pages pre-filled with 0xA5 (more than the host's table needs)
. "$(dirname "$0")/../../probes/lib.sh"
$PROBE sev-ext 4 | head -3
