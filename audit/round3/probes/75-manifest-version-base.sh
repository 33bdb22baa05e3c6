# configfs-tsm SVSM: service_manifest_version writes 1, 0x1, 010: rc and generation
. "$(dirname "$0")/../../probes/lib.sh"
tsm_entry a75
for v in 1 0x1 010; do printf $v > $TSM/a75/service_manifest_version 2>/dev/null; echo "smv=$v rc=$? gen=$(cat $TSM/a75/generation)"; done
rmdir $TSM/a75
