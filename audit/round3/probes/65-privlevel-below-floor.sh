# configfs-tsm at VMPL1 (floor 1): privlevel 0 write, generation, outblob read
. "$(dirname "$0")/../../probes/lib.sh"
tsm_entry a65
echo "floor=$(cat $TSM/a65/privlevel_floor) gen=$(cat $TSM/a65/generation)"
printf 0 > $TSM/a65/privlevel 2>/dev/null; echo "privlevel=0 write rc=$?"
echo "gen=$(cat $TSM/a65/generation)"
cat $TSM/a65/outblob > /dev/null 2>&1; echo "outblob read rc=$?"
rmdir $TSM/a65
