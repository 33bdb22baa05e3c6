# /sys/devices/system/cpu/sev/vmpl bytes
. "$(dirname "$0")/../../probes/lib.sh"
od -An -c /sys/devices/system/cpu/sev/vmpl
