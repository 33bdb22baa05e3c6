# EmitEvent audit131 payload 0102: the digest in Info event log and RTMR3
. "$(dirname "$0")/../../probes/lib.sh"
agent -X POST -d "{\"event\":\"audit131\",\"payload\":\"0102\"}" http://localhost/EmitEvent >/dev/null
agent http://localhost/Info | jq -r ".tcb_info | fromjson | (.event_log | .[-1].digest), .rtmr3"
