# dstack module 0.5.9: EXTEND_RTMR (_IOR) with index 3, 4 and 5
. "$(dirname "$0")/../../probes/lib.sh"
for i in 3 4 5; do $PROBE extend IOR $i; done
