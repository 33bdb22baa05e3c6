# EmitEvent with payload "zz" (not hex): the answer, then Info rtmr3 and the last event name
. "$(dirname "$0")/../../probes/lib.sh"
agent -X POST -d "{\"event\":\"audit140\",\"payload\":\"zz\"}" http://localhost/EmitEvent
agent http://localhost/Info | jq -r ".tcb_info | fromjson | .rtmr3, (.event_log | .[-1].event)"
