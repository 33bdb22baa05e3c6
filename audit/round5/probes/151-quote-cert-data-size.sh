# configfs-tsm TDX quote: size, certification data type and size (signature data + 128..134)
. "$(dirname "$0")/../../probes/lib.sh"
tsm_entry q; wc -c < $TSM/q/outblob; at $TSM/q/outblob 764 6
