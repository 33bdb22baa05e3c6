# configfs-tsm SVSM: service_guid written in lower and upper case: rc
. "$(dirname "$0")/../../probes/lib.sh"
tsm_entry a77
printf c476f1eb-0123-45a5-9641-b4e7dde5bfe3 > $TSM/a77/service_guid 2>/dev/null; echo "lower rc=$?"
printf C476F1EB-0123-45A5-9641-B4E7DDE5BFE3 > $TSM/a77/service_guid 2>/dev/null; echo "upper rc=$?"
rmdir $TSM/a77
