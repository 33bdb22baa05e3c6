# GetQuote with 2 bytes of report data: the report_data the agent answers
. "$(dirname "$0")/lib.sh"
agent -X POST -d '{"report_data":"aabb"}' http://localhost/GetQuote | jq -r .report_data
