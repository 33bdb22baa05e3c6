# configfs-tsm SVSM attestation: the report VMPL field (0x30)
. "$(dirname "$0")/../../probes/lib.sh"
tsm_entry a132
printf svsm > $TSM/a132/service_provider
echo "vmpl=$(at $TSM/a132/outblob 48 4)"
rmdir $TSM/a132
