# configfs-tsm TDX quote: the QE report body's MRENCLAVE (770+64) and MRSIGNER (770+128)
. "$(dirname "$0")/../../probes/lib.sh"
tsm_entry q; at $TSM/q/outblob 834 32; at $TSM/q/outblob 898 32
