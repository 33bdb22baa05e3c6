# EmitEvent (0.5.5), then the last line of tdx_events.log
. "$(dirname "$0")/../../probes/lib.sh"
agent -X POST -d "{\"event\":\"audit192\",\"payload\":\"0102\"}" http://localhost/EmitEvent >/dev/null; tail -1 /run/log/tdx_mr3/tdx_events.log
