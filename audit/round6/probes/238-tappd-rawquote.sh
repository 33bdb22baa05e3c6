# dstack Tappd RawQuote and TdxQuote: the answer's member names
. "$(dirname "$0")/../../probes/lib.sh"
T=/var/run/tappd.sock
curl -s --unix-socket $T -X POST -d '{"report_data":"00000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000"}' http://localhost/prpc/Tappd.RawQuote | jq -c keys
curl -s --unix-socket $T -X POST -d '{"report_data":"00"}' http://localhost/prpc/Tappd.TdxQuote | jq -c keys
