# dstack GetKey: length and last byte (recovery id) of signature_chain[0]
. "$(dirname "$0")/../../probes/lib.sh"
s=$(agent -X POST -d '{"path":"a","purpose":"x"}' http://localhost/GetKey | jq -r '.signature_chain[0]'); echo "${#s} ${s#"${s%??}"}"
