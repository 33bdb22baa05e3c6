# dstack Info: key_provider_info
. "$(dirname "$0")/../../probes/lib.sh"
agent http://localhost/Info | jq -r .key_provider_info
