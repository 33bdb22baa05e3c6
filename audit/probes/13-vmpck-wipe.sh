# a msg_version 2 request (wipes the VMPCK), then a report and a derived key
. "$(dirname "$0")/lib.sh"
$PROBE sev-wipe
