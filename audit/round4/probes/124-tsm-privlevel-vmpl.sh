# configfs-tsm sev_guest: privlevel 2, the outblob report VMPL field (0x30)
. "$(dirname "$0")/../../probes/lib.sh"
tsm_entry a124
printf 2 > $TSM/a124/privlevel
echo "vmpl=$(at $TSM/a124/outblob 48 4)"
rmdir $TSM/a124
