# upstream 6.1: a firmware-rejected request (VMPCK wiped), then each command with resp_data 0
. "$(dirname "$0")/../../probes/lib.sh"
$PROBE sev-wipe
$PROBE sev-null
