# the measurements directory listing
. "$(dirname "$0")/../../probes/lib.sh"
ls $MR
