# configfs-tsm quote: body TD_ATTRIBUTES and XFAM (quote offsets 168 and 176), and the TDREPORT's (0x200, 0x208)
. "$(dirname "$0")/../../probes/lib.sh"
tsm_entry audit41
echo "quote.td_attributes=$(at $TSM/audit41/outblob 168 8)"
echo "quote.xfam=$(at $TSM/audit41/outblob 176 8)"
rmdir $TSM/audit41
$PROBE tdreport | grep '^tdreport\[0200\]' | cut -c1-50
