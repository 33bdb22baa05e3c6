# the measurements files modes
. "$(dirname "$0")/../../probes/lib.sh"
cd $MR && stat -c "%n %a" *
