# two EmitEvents, then the names of the runtime events in the Info event log
. "$(dirname "$0")/../../probes/lib.sh"
agent -X POST -d "{\"event\":\"a195\",\"payload\":\"01\"}" http://localhost/EmitEvent; agent -X POST -d "{\"event\":\"b195\",\"payload\":\"02\"}" http://localhost/EmitEvent
agent http://localhost/Info | jq -r .tcb_info | jq -r ".event_log[] | select(.imr == 3) | .event" | tr "\n" " "; echo
