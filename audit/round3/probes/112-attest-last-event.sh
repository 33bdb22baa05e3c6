# dstack agent: EmitEvent, then whether the event name is in Attest's attestation (hex) and in GetQuote's log
. "$(dirname "$0")/../../probes/lib.sh"
agent -X POST -d "{\"event\":\"audit112zz\",\"payload\":\"01\"}" http://localhost/EmitEvent >/dev/null
name=$(printf audit112zz | od -An -tx1 | tr -d " \\n")
echo "in attestation: $(agent -X POST -d "{\"report_data\":\"00\"}" http://localhost/Attest | jq -r .attestation | grep -c "$name")"
echo "in getquote log: $(agent -X POST -d "{\"report_data\":\"00\"}" http://localhost/GetQuote | jq -r .event_log | grep -c audit112zz)"
