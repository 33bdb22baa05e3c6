# configfs-tsm: rmdir of an entry while its generation file is open, then the listing
. "$(dirname "$0")/../../probes/lib.sh"
mkdir $TSM/a78
exec 3< $TSM/a78/generation
rmdir $TSM/a78 2>/dev/null; echo "rmdir rc=$?"
exec 3<&-
ls $TSM | grep -c "^a78$" | sed "s/^/a78 listed: /"
rmdir $TSM/a78 2>/dev/null
