# dstack Info: compose_hash at the top level and in tcb_info
. "$(dirname "$0")/../../probes/lib.sh"
i=$(agent http://localhost/Info); echo "$i" | jq -r .compose_hash; echo "$i" | jq -r '.tcb_info | fromjson | .compose_hash'
