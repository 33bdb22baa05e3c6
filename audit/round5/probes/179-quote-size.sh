# configfs-tsm TDX quote: outblob size and the last 4 bytes
. "$(dirname "$0")/../../probes/lib.sh"
tsm_entry q; n=$(wc -c < $TSM/q/outblob); echo $n; at $TSM/q/outblob $((n - 4)) 4
