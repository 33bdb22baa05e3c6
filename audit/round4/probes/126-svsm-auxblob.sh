# configfs-tsm SVSM: auxblob size (plain SNP and SVSM)
. "$(dirname "$0")/../../probes/lib.sh"
tsm_entry a126
echo "snp aux=$(cat $TSM/a126/auxblob | wc -c)"
printf svsm > $TSM/a126/service_provider
echo "svsm aux=$(cat $TSM/a126/auxblob | wc -c)"
rmdir $TSM/a126
