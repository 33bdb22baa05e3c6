# dstack agent GetQuote with report_data abcd and ABCD: the echoed report_data or the error
. "$(dirname "$0")/../../probes/lib.sh"
for h in abcd ABCD; do echo "$h: $(agent -X POST -d "{\"report_data\":\"$h\"}" http://localhost/GetQuote | jq -r ".error // .report_data")"; done
