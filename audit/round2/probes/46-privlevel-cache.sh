# configfs-tsm sev_guest: report VMPL field (0x30) and generation, before and after a privlevel write
. "$(dirname "$0")/../../probes/lib.sh"
tsm_entry audit46
echo "gen.before=$(cat $TSM/audit46/generation) vmpl.before=$(at $TSM/audit46/outblob 48 4)"
echo 2 > $TSM/audit46/privlevel
echo "gen.after=$(cat $TSM/audit46/generation) vmpl.after=$(at $TSM/audit46/outblob 48 4)"
rmdir $TSM/audit46
