# write(2) of 16 bytes to /dev/tdx_guest: what dd says
. "$(dirname "$0")/../../probes/lib.sh"
head -c 16 /dev/zero | dd of=/dev/tdx_guest bs=16 count=1 2>&1 | head -2; echo "rc=$?"
