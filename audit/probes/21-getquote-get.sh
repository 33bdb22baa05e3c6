# GetQuote with report_data as a GET query parameter and as a POST body
. "$(dirname "$0")/lib.sh"
echo "GET  report_data=$(agent 'http://localhost/GetQuote?report_data=aabbccdd' | jq -r .report_data | cut -c1-16)"
echo "POST report_data=$(agent -X POST -d '{"report_data":"aabbccdd"}' http://localhost/GetQuote | jq -r .report_data | cut -c1-16)"
