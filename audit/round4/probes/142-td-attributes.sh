# GET_REPORT0: TDREPORT row 0x200 (TD ATTRIBUTES, XFAM, MRTD) and the quote body ATTRIBUTES (offset 168) of configfs-tsm
. "$(dirname "$0")/../../probes/lib.sh"
$PROBE tdreport | grep "tdreport\[0200\]"
tsm_entry a142
echo "quote attributes=$(at $TSM/a142/outblob 168 8)"
rmdir $TSM/a142
