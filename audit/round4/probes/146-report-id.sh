# two SNP_GET_REPORTs and one configfs-tsm outblob: REPORT_ID (0x140, 32 bytes) of each
. "$(dirname "$0")/../../probes/lib.sh"
$PROBE sev-report 0 | grep "report\[0140\]" | cut -c1-78
$PROBE sev-report 0 | grep "report\[0140\]" | cut -c1-78
tsm_entry a146
echo "tsm report_id=$(at $TSM/a146/outblob 320 32)"
rmdir $TSM/a146
