# EmitEvent with a 70-character name: the name in the GetQuote event log
. "$(dirname "$0")/../../probes/lib.sh"
n=audit130-0123456789012345678901234567890123456789012345678901234567890
agent -X POST -d "{\"event\":\"$n\",\"payload\":\"01\"}" http://localhost/EmitEvent >/dev/null
agent -X POST -d "{\"report_data\":\"00\"}" http://localhost/GetQuote | jq -r ".event_log | fromjson | .[-1].event"
