# configfs-tsm TDX quote: size, inner type 5 size field, the last 8 bytes
. "$(dirname "$0")/../../probes/lib.sh"
tsm_entry q; n=$(wc -c < $TSM/q/outblob); echo $n; at $TSM/q/outblob $((n - 8)) 8
at $TSM/q/outblob $((632 + 4 + 134 + 384 + 64 + 2 + 32)) 6
