# Tappd TdxQuote with hash_algorithm sha256 and prefixes "" and "custom": the quote's REPORTDATA (offset 568)
. "$(dirname "$0")/../../probes/lib.sh"
for p in "" custom; do
	echo "prefix=$p reportdata=$(curl -s --unix-socket /var/run/tappd.sock -X POST -d "{\"report_data\":\"aabb\",\"hash_algorithm\":\"sha256\",\"prefix\":\"$p\"}" http://localhost/prpc/Tappd.TdxQuote | jq -r .quote | cut -c1137-1264)"
done
