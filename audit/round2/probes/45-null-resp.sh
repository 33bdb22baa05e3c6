# each /dev/sev-guest command with resp_data 0: the errno
. "$(dirname "$0")/../../probes/lib.sh"
$PROBE sev-null
