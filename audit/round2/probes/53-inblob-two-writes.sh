# configfs-tsm: inblob 00..3f written in two 32-byte write() calls on one fd; outblob REPORTDATA (quote offset 568)
. "$(dirname "$0")/../../probes/lib.sh"
rmdir $TSM/audit53 2>/dev/null; mkdir $TSM/audit53
printf "$(i=0; while [ $i -lt 64 ]; do printf '\\%03o' $i; i=$((i + 1)); done)" | dd of=$TSM/audit53/inblob bs=32 count=2 iflag=fullblock 2>/dev/null
echo "quote.reportdata=$(at $TSM/audit53/outblob 568 64)"
rmdir $TSM/audit53
