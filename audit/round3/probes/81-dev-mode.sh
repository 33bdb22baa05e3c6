# /dev/tdx_guest mode and owner
. "$(dirname "$0")/../../probes/lib.sh"
stat -c "%n %a %U:%G" /dev/tdx_guest
