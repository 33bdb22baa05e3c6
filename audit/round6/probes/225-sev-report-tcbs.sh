# SNP_GET_EXT_REPORT at VMPL 0: CURRENT_TCB (0x38), REPORTED_TCB (0x180), COMMITTED_TCB (0x1E0), LAUNCH_TCB (0x1F0)
. "$(dirname "$0")/../../probes/lib.sh"
$PROBE sev-ext-rows 4 0 | sed -n 's/^ext\[0000\]=.\{112\}\(.\{16\}\).*/current=\1/p; s/^ext\[0180\]=\(.\{16\}\).*/reported=\1/p; s/^ext\[01c0\]=.\{64\}\(.\{16\}\).\{16\}\(.\{16\}\).*/committed=\1 launch=\2/p'
