# configfs-tsm sev_guest auxblob: length and its last 16 bytes
. "$(dirname "$0")/lib.sh"
tsm_entry audit14
cat $TSM/audit14/auxblob > /tmp/audit14.$$
echo "auxblob.len=$(wc -c < /tmp/audit14.$$)"
echo "auxblob.tail=$(tail -c 16 /tmp/audit14.$$ | hexf)"
rm -f /tmp/audit14.$$; rmdir $TSM/audit14
