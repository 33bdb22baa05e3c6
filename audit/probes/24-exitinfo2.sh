# exitinfo2 as the caller sees it after a request the firmware rejects (msg_version 2)
. "$(dirname "$0")/lib.sh"
$PROBE sev-wipe
