# configfs-tsm SVSM: generation and outblob size before and after service_manifest_version 1 (with the vTPM GUID set)
. "$(dirname "$0")/../../probes/lib.sh"
tsm_entry a98
printf svsm > $TSM/a98/service_provider
printf c476f1eb-0123-45a5-9641-b4e7dde5bfe3 > $TSM/a98/service_guid
echo "gen=$(cat $TSM/a98/generation) outblob bytes=$(cat $TSM/a98/outblob 2>/dev/null | wc -c)"
printf 1 > $TSM/a98/service_manifest_version; echo "smv=1 rc=$?"
n=$(cat $TSM/a98/outblob 2>/dev/null | wc -c); echo "gen=$(cat $TSM/a98/generation) outblob bytes=$n"
rmdir $TSM/a98
