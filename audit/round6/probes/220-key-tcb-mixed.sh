# SNP_GET_DERIVED_KEY with TCB_VERSION selected (gfs bit 5): Genoa's committed TCB 0x541700000000000A,
# then one with the boot loader SVN one above and the microcode SVN one below (numerically smaller)
. "$(dirname "$0")/../../probes/lib.sh"
$PROBE sev-key-tcb 0x20 0x541700000000000A; $PROBE sev-key-tcb 0x20 0x531700000000000B
