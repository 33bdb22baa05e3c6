# dstack /Info tcb_info.event_log: number of events per IMR
. "$(dirname "$0")/lib.sh"
agent http://localhost/Info | jq -c '.tcb_info | fromjson | .event_log | fromjson | group_by(.imr) | map({imr: .[0].imr, n: length})'
