# dstack EmitEvent with a 1-byte and a 2-byte payload, then the runtime event log's last two lines
. "$(dirname "$0")/../../probes/lib.sh"
agent -X POST -d '{"event":"probe-a","payload":"01"}' http://localhost/EmitEvent
agent -X POST -d '{"event":"probe-b","payload":"0102"}' http://localhost/EmitEvent
tail -n 2 /run/log/dstack/runtime_events.log
