# configfs-tsm: 64-byte inblob, outblob size; then a 32-byte inblob, outblob read
. "$(dirname "$0")/../../probes/lib.sh"
tsm_entry a76
echo "64: outblob bytes=$(cat $TSM/a76/outblob | wc -c)"
head -c 32 /dev/zero | tr "\\0" "Z" > $TSM/a76/inblob
n=$(cat $TSM/a76/outblob 2>/dev/null | wc -c); echo "32: outblob bytes=$n"
rmdir $TSM/a76
