# configfs-tsm SVSM: vTPM service_guid, read; a malformed GUID write (EINVAL): generation and manifestblob size before and after
. "$(dirname "$0")/../../probes/lib.sh"
tsm_entry s; echo svsm > $TSM/s/service_provider
echo c476f1eb-0123-45a5-9641-b4e7dde5bfe3 > $TSM/s/service_guid; cat $TSM/s/generation; wc -c < $TSM/s/manifestblob
echo not-a-guid > $TSM/s/service_guid 2>/dev/null; echo "bad write rc=$?"; cat $TSM/s/generation; wc -c < $TSM/s/manifestblob
