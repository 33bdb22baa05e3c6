# SNP_GET_REPORT: the row with CPUID_FAM_ID/MOD_ID/STEP (report 0x188..0x18A)
. "$(dirname "$0")/../../probes/lib.sh"
$PROBE sev-report 0 | grep '^report\[0180\]' | cut -c1-40
