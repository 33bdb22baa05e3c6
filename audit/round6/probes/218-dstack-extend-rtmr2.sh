# dstack EXTEND_RTMR of RTMR2 (_IOR): the TDREPORT's RTMR rows (0x2c0..0x38f) before and after
. "$(dirname "$0")/../../probes/lib.sh"
$PROBE tdreport | grep '\[0\(2c0\|300\|340\|380\)\]'; $PROBE extend IOR 2; $PROBE tdreport | grep '\[0\(2c0\|300\|340\|380\)\]'
