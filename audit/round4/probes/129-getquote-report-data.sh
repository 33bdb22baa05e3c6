# dstack GetQuote with report_data abcd: the answer report_data field
. "$(dirname "$0")/../../probes/lib.sh"
agent -X POST -d "{\"report_data\":\"abcd\"}" http://localhost/GetQuote | jq -r .report_data
