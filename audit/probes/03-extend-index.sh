# dstack module EXTEND_RTMR with index 4 through both command numbers
. "$(dirname "$0")/lib.sh"
$PROBE extend IOR 4
$PROBE extend IOW 4
