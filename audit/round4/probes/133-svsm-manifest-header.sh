# configfs-tsm SVSM services manifest: header bytes 16..24 (size, count) and its length
. "$(dirname "$0")/../../probes/lib.sh"
tsm_entry a133
printf svsm > $TSM/a133/service_provider
echo "hdr=$(at $TSM/a133/manifestblob 16 8) len=$(cat $TSM/a133/manifestblob | wc -c)"
rmdir $TSM/a133
