# dstack EXTEND_RTMR (_IOR and _IOW): the request data after the ioctl
. "$(dirname "$0")/../../probes/lib.sh"
p5=$(mktemp -d)/p5; gcc -O1 -I"$(dirname "$0")/../../../lib/include" "$(dirname "$0")/probe5.c" -o "$p5" || exit 2
"$p5" extend-data IOR 3; "$p5" extend-data IOW 3
