# quote body MRSIGNERSEAM (quote offset 48+64) from configfs outblob, and the TDREPORT's (0x148)
. "$(dirname "$0")/lib.sh"
tsm_entry audit01
echo "quote.mrsignerseam=$(at $TSM/audit01/outblob 112 48)"
echo "tdreport.mrsignerseam=$($PROBE tdreport | grep '^tdreport\[0140\]' | cut -c32-127)"
rmdir $TSM/audit01
