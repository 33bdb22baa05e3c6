# dstack agent Version (the image is 0.6.0)
. "$(dirname "$0")/../../probes/lib.sh"
echo "agent=$(agent http://localhost/Version | jq -r .version)"
