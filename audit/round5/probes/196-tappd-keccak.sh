# Tappd TdxQuote with hash_algorithm keccak256: the answer (error or hash_algorithm and the quote REPORTDATA)
. "$(dirname "$0")/../../probes/lib.sh"
curl -s --unix-socket /var/run/tappd.sock -X POST -d "{\"report_data\":\"aabb\",\"hash_algorithm\":\"keccak256\"}" http://localhost/prpc/Tappd.TdxQuote | jq -c "{error, hash_algorithm, rd: (.quote // \"\" | .[1136:1264])}"
