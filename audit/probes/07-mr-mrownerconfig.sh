# measurements/mrownerconfig and the TDREPORT's MROWNERCONFIG (0x2A0)
. "$(dirname "$0")/lib.sh"
echo "file.mrownerconfig=$(hexf $MR/mrownerconfig)"
echo "tdreport.row0280=$($PROBE tdreport | grep '^tdreport\[0280\]' | cut -c17-)"
