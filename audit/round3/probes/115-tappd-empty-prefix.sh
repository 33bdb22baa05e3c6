# Tappd TdxQuote (sha256) without prefix and with prefix "": the quote REPORTDATA (offset 568)
. "$(dirname "$0")/../../probes/lib.sh"
for body in "{\"report_data\":\"aabb\",\"hash_algorithm\":\"sha256\"}" "{\"report_data\":\"aabb\",\"hash_algorithm\":\"sha256\",\"prefix\":\"\"}"; do
	echo "$(curl -s --unix-socket /var/run/tappd.sock -X POST -d "$body" http://localhost/prpc/Tappd.TdxQuote | jq -r .quote | cut -c1137-1264)"
done
