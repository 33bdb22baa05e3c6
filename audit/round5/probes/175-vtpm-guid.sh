# configfs-tsm SVSM: single-service attestation of the vTPM (outblob and manifestblob sizes)
. "$(dirname "$0")/../../probes/lib.sh"
tsm_entry v; printf svsm > $TSM/v/service_provider; printf c476f1eb-0123-45a5-9641-b4e7dde5bfe3 > $TSM/v/service_guid
wc -c < $TSM/v/outblob; echo "rc=$?"; wc -c < $TSM/v/manifestblob
