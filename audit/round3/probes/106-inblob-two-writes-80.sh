# configfs-tsm: inblob written as two 40-byte writes (80 bytes): dd status, then the outblob size and the quote REPORTDATA (offset 568)
. "$(dirname "$0")/../../probes/lib.sh"
rmdir $TSM/a106 2>/dev/null; mkdir $TSM/a106
head -c 80 /dev/zero | tr "\\0" "Q" | dd of=$TSM/a106/inblob bs=40 count=2 2>/dev/null; echo "dd rc=$?"
n=$(cat $TSM/a106/outblob 2>/dev/null | wc -c); echo "outblob bytes=$n"
[ "$n" -gt 0 ] && echo "reportdata=$(at $TSM/a106/outblob 568 64)"
rmdir $TSM/a106
