# EmitEvent with an empty payload: HTTP status and whether the event shows up in the log
. "$(dirname "$0")/../../probes/lib.sh"
echo "status=$(curl -s -o /dev/null -w '%{http_code}' --unix-socket $SOCK -X POST -d '{"event":"audit51","payload":""}' http://localhost/EmitEvent)"
echo "logged=$(agent -X POST -d '{"report_data":"00"}' http://localhost/GetQuote | jq -r '.event_log | fromjson | map(select(.event == "audit51")) | length')"
