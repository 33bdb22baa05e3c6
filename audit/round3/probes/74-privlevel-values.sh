# configfs-tsm sev_guest: privlevel 0..3 and 4: write rc and generation
. "$(dirname "$0")/../../probes/lib.sh"
tsm_entry a74
for v in 0 1 2 3 4; do printf $v > $TSM/a74/privlevel 2>/dev/null; echo "privlevel=$v rc=$? gen=$(cat $TSM/a74/generation)"; done
rmdir $TSM/a74
