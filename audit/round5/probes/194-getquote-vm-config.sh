# dstack GetQuote: the JSON type of vm_config
. "$(dirname "$0")/../../probes/lib.sh"
agent -X POST -d "{\"report_data\":\"ab\"}" http://localhost/GetQuote | jq -r ".vm_config | type"
