# a MSG_KEY_REQ of msg_version 2 (rejected by the firmware), then a report and a key
. "$(dirname "$0")/../../probes/lib.sh"
$PROBE sev-wipe-key
