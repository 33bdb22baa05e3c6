# dstack agent EmitEvent with the name app:ready: the answer, then the last RTMR3 event name
. "$(dirname "$0")/../../probes/lib.sh"
echo "emit: $(agent -X POST -d "{\"event\":\"app:ready\",\"payload\":\"01\"}" http://localhost/EmitEvent)"
echo "last=$(agent -X POST -d "{\"report_data\":\"00\"}" http://localhost/GetQuote | jq -r ".event_log | fromjson | map(select(.imr == 3)) | last | .event")"
