# configfs-tsm quote: the QE report's REPORT_DATA bytes 32..64 (quote offset 770 + 352)
. "$(dirname "$0")/../../probes/lib.sh"
tsm_entry a63
echo "qe_report_data_hi=$(at $TSM/a63/outblob 1122 32)"
rmdir $TSM/a63
