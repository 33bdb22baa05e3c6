# dstack /Info tcb_info.event_log: number of events per IMR
. "$(dirname "$0")/lib.sh"
agent http://localhost/Info | jq -c '.tcb_info | fromjson | .event_log | (if type == "string" then fromjson else . end) | group_by(.imr) | map({imr: .[0].imr, n: length})'
