# EmitEvent, then GetQuote's RTMR3 entries: event and event_payload
. "$(dirname "$0")/../../probes/lib.sh"
agent -X POST -d "{\"event\":\"audit83\",\"payload\":\"0102\"}" http://localhost/EmitEvent >/dev/null
agent -X POST -d "{\"report_data\":\"00\"}" http://localhost/GetQuote | jq -r ".event_log | fromjson | map(select(.imr == 3)) | .[] | \"\(.event) payload=\(.event_payload)\""
