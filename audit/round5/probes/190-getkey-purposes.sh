# dstack GetKey path a with purposes x and y: the keys
. "$(dirname "$0")/../../probes/lib.sh"
agent -X POST -d "{\"path\":\"a\",\"purpose\":\"x\"}" http://localhost/GetKey | jq -r .key; agent -X POST -d "{\"path\":\"a\",\"purpose\":\"y\"}" http://localhost/GetKey | jq -r .key
