# configfs-tsm TDX quote: its size and the signature data length field (offset 632)
. "$(dirname "$0")/../../probes/lib.sh"
tsm_entry q; wc -c < $TSM/q/outblob; at $TSM/q/outblob 632 4
