# a firmware-rejected request (msg_version 2) wipes the VMPCK; then a configfs-tsm outblob read
. "$(dirname "$0")/../../probes/lib.sh"
$PROBE sev-wipe
tsm_entry audit52
if n=$(cat $TSM/audit52/outblob 2>/dev/null | wc -c) && [ "$n" -gt 0 ]; then echo "outblob=ok len=$n"; else echo "outblob=error"; fi
rmdir $TSM/audit52
