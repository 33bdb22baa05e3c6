# configfs-tsm tdx_guest: a 32-byte inblob, then outblob
. "$(dirname "$0")/lib.sh"
rmdir $TSM/audit28 2>/dev/null; mkdir $TSM/audit28
printf '0123456789abcdef0123456789abcdef' > $TSM/audit28/inblob
if cat $TSM/audit28/outblob > /tmp/audit28.$$ 2>/tmp/audit28e.$$; then echo "outblob=ok len=$(wc -c < /tmp/audit28.$$)"; else echo "outblob=error $(sed 's/.*: //' /tmp/audit28e.$$)"; fi
rm -f /tmp/audit28.$$ /tmp/audit28e.$$; rmdir $TSM/audit28
