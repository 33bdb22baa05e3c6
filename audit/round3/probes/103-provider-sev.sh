# configfs-tsm on SEV-SNP: the provider attribute
. "$(dirname "$0")/../../probes/lib.sh"
tsm_entry a103
echo "provider=$(hexf $TSM/a103/provider)"
rmdir $TSM/a103
