# dstack /Info tcb_info.mrtd and the TDREPORT's MRTD (0x210)
. "$(dirname "$0")/lib.sh"
echo "info.mrtd=$(agent http://localhost/Info | jq -r '.tcb_info | fromjson | .mrtd')"
echo "tdreport.row0200=$($PROBE tdreport | grep '^tdreport\[0200\]' | cut -c17-)"
