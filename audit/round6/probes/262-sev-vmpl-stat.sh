# stat of /sys/devices/system/cpu/sev/vmpl: size and mode
. "$(dirname "$0")/../../probes/lib.sh"
stat -c '%s %a' /sys/devices/system/cpu/sev/vmpl
