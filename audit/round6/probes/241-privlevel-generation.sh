# configfs-tsm sev_guest: generation after inblob, after one privlevel write, after a second
. "$(dirname "$0")/../../probes/lib.sh"
tsm_entry g; cat $TSM/g/generation; f=$(cat $TSM/g/privlevel_floor)
echo "$f" > $TSM/g/privlevel; cat $TSM/g/generation; echo "$f" > $TSM/g/privlevel; cat $TSM/g/generation
