# configfs-tsm: the bytes of generation
. "$(dirname "$0")/../../probes/lib.sh"
tsm_entry a89
echo "generation=$(hexf $TSM/a89/generation)"
rmdir $TSM/a89
