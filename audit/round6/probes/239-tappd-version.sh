# dstack Version on dstack.sock and on tappd.sock
. "$(dirname "$0")/../../probes/lib.sh"
agent http://localhost/Version | jq -c .; curl -s --unix-socket /var/run/tappd.sock http://localhost/prpc/Tappd.Version | jq -c .
