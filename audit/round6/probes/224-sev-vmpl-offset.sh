# /sys/devices/system/cpu/sev/vmpl: whole, and one byte at offset 0, 1, 2
. "$(dirname "$0")/../../probes/lib.sh"
V=/sys/devices/system/cpu/sev/vmpl; hexf < $V; at $V 0 1; at $V 1 1; at $V 2 1
