# dstack EXTEND_RTMR through _IOR and _IOW on RTMR0, 1, 2, 3: rc of each
. "$(dirname "$0")/../../probes/lib.sh"
for i in 0 1 2 3; do $PROBE extend IOR $i; $PROBE extend IOW $i; done
