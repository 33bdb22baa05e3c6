# configfs-tsm SVSM: service_provider svsm with an unknown service_guid: outblob and manifestblob read
. "$(dirname "$0")/../../probes/lib.sh"
tsm_entry a104
printf svsm > $TSM/a104/service_provider
printf 11111111-2222-3333-4444-555555555555 > $TSM/a104/service_guid; echo "guid write rc=$?"
cat $TSM/a104/outblob > /dev/null 2>&1; echo "outblob read rc=$?"
n=$(cat $TSM/a104/manifestblob 2>/dev/null | wc -c); echo "manifestblob bytes=$n"
rmdir $TSM/a104
