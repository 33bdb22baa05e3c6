# configfs-tsm sev_guest: outblob size; SNP_GET_REPORT status
. "$(dirname "$0")/../../probes/lib.sh"
tsm_entry a68
echo "outblob bytes=$(cat $TSM/a68/outblob | wc -c)"
echo "outblob tail=$(at $TSM/a68/outblob 1184 32)"
rmdir $TSM/a68
