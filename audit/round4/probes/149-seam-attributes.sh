# GET_REPORT0: TDREPORT row 0x140 (SEAM_ATTRIBUTES at 0x178) and the configfs quote body SEAM_ATTRIBUTES (offset 160)
. "$(dirname "$0")/../../probes/lib.sh"
$PROBE tdreport | grep "tdreport\[0140\]"
tsm_entry a149
echo "quote seam_attributes=$(at $TSM/a149/outblob 160 8)"
rmdir $TSM/a149
