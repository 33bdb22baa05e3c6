# /sys/devices/system/cpu/sev/vmpl: mode
. "$(dirname "$0")/../../probes/lib.sh"
stat -c %a /sys/devices/system/cpu/sev/vmpl
