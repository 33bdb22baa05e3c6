# configfs-tsm: generation after one 64-byte inblob write, then after two 32-byte writes
. "$(dirname "$0")/../../probes/lib.sh"
rmdir $TSM/g 2>/dev/null; mkdir $TSM/g; printf "%064d" 1 > $TSM/g/inblob; cat $TSM/g/generation
printf "%064d" 2 | dd of=$TSM/g/inblob bs=32 2>/dev/null; cat $TSM/g/generation
