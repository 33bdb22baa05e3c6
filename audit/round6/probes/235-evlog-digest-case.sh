# dstack Info: the last runtime event of tcb_info.event_log (the full log) and its digest
. "$(dirname "$0")/../../probes/lib.sh"
agent http://localhost/Info | jq -r '.tcb_info | fromjson | .event_log[-1] | .event + " " + .digest'
