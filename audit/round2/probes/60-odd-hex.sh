# GetQuote and Attest with report_data "abc" (odd number of hex digits): HTTP status
. "$(dirname "$0")/../../probes/lib.sh"
for m in GetQuote Attest; do
	echo "$m abc: status=$(curl -s -o /dev/null -w '%{http_code}' --unix-socket $SOCK -X POST -d '{"report_data":"abc"}' http://localhost/$m)"
done
