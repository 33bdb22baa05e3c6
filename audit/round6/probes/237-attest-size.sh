# dstack Attest (TDX) after one EmitEvent: size of the attestation, and its bytes around the new event's digest
. "$(dirname "$0")/../../probes/lib.sh"
agent -X POST -d '{"event":"probe","payload":"01"}' http://localhost/EmitEvent
a=$(agent -X POST -d '{"report_data":"00"}' http://localhost/Attest | jq -r .attestation); echo "${#a}"
echo "$a" | grep -o '0300000001000008.\{2\}' | sort | uniq -c
