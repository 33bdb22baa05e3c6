# dstack Attest (TDX): the size of the attestation and its first 16 bytes after the quote header
. "$(dirname "$0")/../../probes/lib.sh"
agent -X POST -d "{\"report_data\":\"ab\"}" http://localhost/Attest | jq -r ".attestation | length"
