# configfs-tsm: generation read through an fd opened before an inblob write (first read after it), and through a new fd
. "$(dirname "$0")/../../probes/lib.sh"
rmdir $TSM/a111 2>/dev/null; mkdir $TSM/a111
exec 3< $TSM/a111/generation
printf "$(i=0; while [ $i -lt 64 ]; do printf "\\\\%03o" $i; i=$((i + 1)); done)" > $TSM/a111/inblob
echo "old fd: $(cat <&3)"
exec 3<&-
echo "new fd: $(cat $TSM/a111/generation)"
rmdir $TSM/a111
