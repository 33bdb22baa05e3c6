# dstack agent GetKey with algorithm k256 and secp256k1: error or key
. "$(dirname "$0")/../../probes/lib.sh"
for a in k256 secp256k1; do echo "$a: $(agent -X POST -d "{\"path\":\"p\",\"algorithm\":\"$a\"}" http://localhost/GetKey | jq -r ".error // .key")"; done
