# cat of configfs-tsm attributes (cat reads until a read returns 0)
. "$(dirname "$0")/lib.sh"
tsm_entry audit33
for a in provider generation outblob; do
	if cat $TSM/audit33/$a > /tmp/audit33.$$ 2>/dev/null; then echo "$a: cat ok, $(wc -c < /tmp/audit33.$$) bytes"; else echo "$a: cat failed"; fi
done
rm -f /tmp/audit33.$$; rmdir $TSM/audit33
