# generation after an inblob write, before and after the outblob read
. "$(dirname "$0")/lib.sh"
tsm_entry audit35
echo "generation.after_inblob=$(cat $TSM/audit35/generation)"
cat $TSM/audit35/outblob > /dev/null
echo "generation.after_outblob=$(cat $TSM/audit35/generation)"
rmdir $TSM/audit35
