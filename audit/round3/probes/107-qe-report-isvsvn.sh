# configfs-tsm quote: the QE report ISVPRODID and ISVSVN (quote offsets 1026, 1028)
. "$(dirname "$0")/../../probes/lib.sh"
tsm_entry a107
echo "isvprodid=$(at $TSM/a107/outblob 1026 2) isvsvn=$(at $TSM/a107/outblob 1028 2)"
rmdir $TSM/a107
