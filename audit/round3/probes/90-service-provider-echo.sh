# configfs-tsm SVSM: echo svsm > service_provider (with its newline), then the outblob read
. "$(dirname "$0")/../../probes/lib.sh"
tsm_entry a90
echo svsm > $TSM/a90/service_provider; echo "service_provider write rc=$?"
n=$(cat $TSM/a90/outblob 2>/dev/null | wc -c); echo "outblob bytes=$n"
rmdir $TSM/a90
