# SNP_GET_REPORT at VMPL0: rows 0x000 (VERSION) and 0x180 (CPUID at 0x188)
. "$(dirname "$0")/../../probes/lib.sh"
$PROBE sev-report 0 | grep "report\[0000\]\|report\[0180\]"
