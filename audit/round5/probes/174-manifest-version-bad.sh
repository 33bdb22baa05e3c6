# configfs-tsm SVSM: generation around a bad service_manifest_version write
. "$(dirname "$0")/../../probes/lib.sh"
tsm_entry m; cat $TSM/m/generation; printf x 2>/dev/null > $TSM/m/service_manifest_version; echo "rc=$?"; cat $TSM/m/generation
