# dstack Info: mr_aggregated (top level and in tcb_info) and the RTMRs it is made of
. "$(dirname "$0")/../../probes/lib.sh"
i=$(agent http://localhost/Info); echo "$i" | jq -r .mr_aggregated; echo "$i" | jq -r '.tcb_info | fromjson | .mr_aggregated, .mrtd, .rtmr3'
