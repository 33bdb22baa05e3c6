# EmitEvent with a binary payload, then the last event of GetQuote's event log
. "$(dirname "$0")/lib.sh"
agent -X POST -d '{"event":"audit-19","payload":"41004243"}' http://localhost/EmitEvent
agent -X POST -d '{"report_data":"00"}' http://localhost/GetQuote | jq -c '.event_log | fromjson | .[-1] | {event, event_payload, digest}'
