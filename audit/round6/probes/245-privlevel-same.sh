# configfs-tsm sev_guest: generation after inblob, after writing the floor to privlevel twice, after 3
. "$(dirname "$0")/../../probes/lib.sh"
tsm_entry g; f=$(cat $TSM/g/privlevel_floor); cat $TSM/g/generation
echo "$f" > $TSM/g/privlevel; cat $TSM/g/generation; echo "$f" > $TSM/g/privlevel; cat $TSM/g/generation; echo 3 > $TSM/g/privlevel; cat $TSM/g/generation
