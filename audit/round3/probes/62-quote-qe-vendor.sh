# configfs-tsm quote: header bytes 12..28 (QE_VENDOR_ID)
. "$(dirname "$0")/../../probes/lib.sh"
tsm_entry a62
echo "qe_vendor=$(at $TSM/a62/outblob 12 16)"
rmdir $TSM/a62
