# EmitEvent, then the IMR 3 entries of GetQuote's event log: event_type and event name
. "$(dirname "$0")/../../probes/lib.sh"
agent -X POST -d '{"event":"audit49","payload":"0102"}' http://localhost/EmitEvent >/dev/null
agent -X POST -d '{"report_data":"00"}' http://localhost/GetQuote | jq -r '.event_log | fromjson | map(select(.imr == 3)) | .[] | "\(.event_type) \(.event)"'
