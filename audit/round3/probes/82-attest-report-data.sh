# dstack agent Attest: how often the 64-byte report data occurs in the attestation (quote body + its own field)
. "$(dirname "$0")/../../probes/lib.sh"
rd=$(i=0; while [ $i -lt 16 ]; do printf 5ca1ab1e; i=$((i + 1)); done)
echo "occurrences=$(agent -X POST -d "{\"report_data\":\"$rd\"}" http://localhost/Attest | jq -r .attestation | grep -o "$rd" | wc -l)"
