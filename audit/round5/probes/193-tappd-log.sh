# Tappd TdxQuote (0.5.9): the first boot event and the last event of its event log
. "$(dirname "$0")/../../probes/lib.sh"
curl -s --unix-socket /var/run/tappd.sock -X POST -d "{\"report_data\":\"aabb\"}" http://localhost/prpc/Tappd.TdxQuote | jq -r .event_log | jq -c ".[0], .[-1]"
