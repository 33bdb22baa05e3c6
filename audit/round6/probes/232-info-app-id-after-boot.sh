# dstack Info app_id / compose_hash, then an EmitEvent app-id and compose-hash after boot (after system-ready), then Info again
. "$(dirname "$0")/../../probes/lib.sh"
agent http://localhost/Info | jq -r '.app_id, .compose_hash'
agent -X POST -d '{"event":"app-id","payload":"0102030405060708090a0b0c0d0e0f1011121314"}' http://localhost/EmitEvent
agent -X POST -d '{"event":"compose-hash","payload":"aa"}' http://localhost/EmitEvent
agent http://localhost/Info | jq -r '.app_id, .compose_hash'
