# configfs-tsm sev_guest: auxblob size and the last 16 bytes
. "$(dirname "$0")/../../probes/lib.sh"
tsm_entry a72
n=$(cat $TSM/a72/auxblob | wc -c)
echo "auxblob bytes=$n"
echo "auxblob tail=$(at $TSM/a72/auxblob $((n - 16)) 16)"
rmdir $TSM/a72
