# configfs-tsm SVSM (all services): manifestblob header: total length and entry count (bytes 16..24)
. "$(dirname "$0")/../../probes/lib.sh"
tsm_entry a113
printf svsm > $TSM/a113/service_provider
echo "manifest header=$(at $TSM/a113/manifestblob 16 8)"
rmdir $TSM/a113
