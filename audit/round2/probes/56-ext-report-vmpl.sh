# SNP_GET_EXT_REPORT (4 pages) with vmpl 0 and 2: status and the report's VMPL field; SNP_GET_REPORT with vmpl 2 for comparison
. "$(dirname "$0")/../../probes/lib.sh"
for v in 0 2; do echo "ext vmpl=$v $($PROBE sev-ext 4 $v | grep '^status')"; done
$PROBE sev-report 2 | grep -c '^report' | sed 's/^/report rows at vmpl 2: /'
