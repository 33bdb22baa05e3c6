# Tappd TdxQuote without hash_algorithm: hash_algorithm answered and the quote REPORTDATA (offset 568)
. "$(dirname "$0")/../../probes/lib.sh"
r=$(curl -s --unix-socket /var/run/tappd.sock -X POST -d "{\"report_data\":\"aabb\"}" http://localhost/prpc/Tappd.TdxQuote)
echo "hash_algorithm=$(echo "$r" | jq -r .hash_algorithm) reportdata=$(echo "$r" | jq -r .quote | cut -c1137-1264)"
