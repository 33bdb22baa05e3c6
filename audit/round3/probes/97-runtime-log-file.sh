# EmitEvent with payload 0102, then the last line of the runtime event log file
. "$(dirname "$0")/../../probes/lib.sh"
agent -X POST -d "{\"event\":\"audit97\",\"payload\":\"0102\"}" http://localhost/EmitEvent >/dev/null
tail -1 /run/log/dstack/runtime_events.log
