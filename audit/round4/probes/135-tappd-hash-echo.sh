# Tappd TdxQuote with hash_algorithm sha256: the answer hash_algorithm
. "$(dirname "$0")/../../probes/lib.sh"
curl -s --unix-socket /var/run/tappd.sock -X POST -d "{\"report_data\":\"aabb\",\"hash_algorithm\":\"sha256\"}" http://localhost/prpc/Tappd.TdxQuote | jq -r .hash_algorithm
