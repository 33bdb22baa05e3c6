# EmitEvent, then the RTMR3 entries of Info's tcb_info.event_log: name and digest length
# (event_log is a JSON array; the string form of older mocks is decoded too)
. "$(dirname "$0")/../../probes/lib.sh"
agent -X POST -d "{\"event\":\"audit100\",\"payload\":\"01\"}" http://localhost/EmitEvent >/dev/null
agent http://localhost/Info | jq -r '.tcb_info | fromjson | .event_log | (if type == "string" then fromjson else . end) | map(select(.imr == 3)) | .[] | "\(.event) digest_len=\(.digest | length)"'
