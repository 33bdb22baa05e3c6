# dstack GetKey: signature_chain length
. "$(dirname "$0")/../../probes/lib.sh"
agent -X POST -d "{\"path\":\"a\",\"purpose\":\"x\"}" http://localhost/GetKey | jq ".signature_chain | length"
