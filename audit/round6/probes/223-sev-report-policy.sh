# SNP_GET_REPORT at VMPL 0: the report rows (POLICY at 0x08)
. "$(dirname "$0")/../../probes/lib.sh"
$PROBE sev-report 0 | grep -v '^\(rep\|row\|report\)\?[^=]*\[0\(4[0-9a-f]\|[5-9a-f][0-9a-f]\)' | head -8
