# privlevel_floor and what a privlevel 0 write gets
. "$(dirname "$0")/lib.sh"
rmdir $TSM/audit15 2>/dev/null; mkdir $TSM/audit15
echo "privlevel_floor=$(cat $TSM/audit15/privlevel_floor)"
if echo 0 > $TSM/audit15/privlevel 2>/dev/null; then echo "privlevel0=accepted"; else echo "privlevel0=refused"; fi
rmdir $TSM/audit15
