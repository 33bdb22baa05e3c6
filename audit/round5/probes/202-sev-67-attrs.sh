# configfs-tsm sev_guest on 6.7: the attributes of an entry, and privlevel_floor
. "$(dirname "$0")/../../probes/lib.sh"
rmdir $TSM/a 2>/dev/null; mkdir $TSM/a; ls $TSM/a; cat $TSM/a/privlevel_floor
