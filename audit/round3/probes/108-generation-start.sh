# configfs-tsm: generation of a new entry, then after one inblob write
. "$(dirname "$0")/../../probes/lib.sh"
rmdir $TSM/a108 2>/dev/null; mkdir $TSM/a108
echo "gen.new=$(cat $TSM/a108/generation)"
printf "$(i=0; while [ $i -lt 64 ]; do printf "\\\\%03o" $i; i=$((i + 1)); done)" > $TSM/a108/inblob
echo "gen.after_inblob=$(cat $TSM/a108/generation)"
rmdir $TSM/a108
