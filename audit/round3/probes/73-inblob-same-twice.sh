# configfs-tsm: generation after one inblob write, and after writing the same 64 bytes again
. "$(dirname "$0")/../../probes/lib.sh"
tsm_entry a73
echo "gen.after_first=$(cat $TSM/a73/generation)"
printf "$(i=0; while [ $i -lt 64 ]; do printf "\\\\%03o" $i; i=$((i + 1)); done)" > $TSM/a73/inblob
echo "gen.after_second=$(cat $TSM/a73/generation)"
rmdir $TSM/a73
