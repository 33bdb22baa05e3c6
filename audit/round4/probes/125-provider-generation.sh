# configfs-tsm SVSM: generation and outblob size before and after service_provider svsm
. "$(dirname "$0")/../../probes/lib.sh"
tsm_entry a125
echo "gen=$(cat $TSM/a125/generation) out=$(cat $TSM/a125/outblob | wc -c) man=$(cat $TSM/a125/manifestblob 2>/dev/null | wc -c)"
printf svsm > $TSM/a125/service_provider
echo "gen=$(cat $TSM/a125/generation) out=$(cat $TSM/a125/outblob | wc -c) man=$(cat $TSM/a125/manifestblob 2>/dev/null | wc -c)"
rmdir $TSM/a125
