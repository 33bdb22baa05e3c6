# Turin: the SNP report rows (CHIP_ID at 0x1A0)
. "$(dirname "$0")/../../probes/lib.sh"
$PROBE sev-report 0
