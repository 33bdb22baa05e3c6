# dstack agent GetQuote: the event log entries per imr value
. "$(dirname "$0")/../../probes/lib.sh"
agent -X POST -d "{\"report_data\":\"00\"}" http://localhost/GetQuote | jq -r ".event_log | fromjson | group_by(.imr) | map(\"imr \(.[0].imr): \(length) events\") | .[]"
