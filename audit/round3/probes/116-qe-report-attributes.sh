# configfs-tsm quote: the QE report ATTRIBUTES (quote offset 770 + 48, 16 bytes)
. "$(dirname "$0")/../../probes/lib.sh"
tsm_entry a116
echo "qe_attributes=$(at $TSM/a116/outblob 818 16)"
rmdir $TSM/a116
