# GetKey for one path and two purposes
. "$(dirname "$0")/lib.sh"
echo "purpose=a $(agent -X POST -d '{"path":"p","purpose":"a"}' http://localhost/GetKey | jq -r .key)"
echo "purpose=b $(agent -X POST -d '{"path":"p","purpose":"b"}' http://localhost/GetKey | jq -r .key)"
