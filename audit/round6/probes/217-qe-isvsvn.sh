# configfs-tsm TDX quote: the QE report's ISVPRODID and ISVSVN (770+256, 4 bytes)
. "$(dirname "$0")/../../probes/lib.sh"
tsm_entry q; at $TSM/q/outblob 1026 4
