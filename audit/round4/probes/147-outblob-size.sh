# configfs-tsm tdx_guest: outblob size read with cat and its last 16 bytes
. "$(dirname "$0")/../../probes/lib.sh"
tsm_entry a147
cat $TSM/a147/outblob > /tmp/a147.q; echo "outblob bytes=$(wc -c < /tmp/a147.q) tail=$(tail -c 16 /tmp/a147.q | hexf)"
rm -f /tmp/a147.q
rmdir $TSM/a147
