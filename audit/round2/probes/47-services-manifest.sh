# SVSM all-services attestation: the services manifest's header and first entry (guid, offset, length)
. "$(dirname "$0")/../../probes/lib.sh"
tsm_entry audit47
echo svsm > $TSM/audit47/service_provider
echo "manifestblob.len=$(wc -c < $TSM/audit47/manifestblob)"
echo "manifest.header=$(at $TSM/audit47/manifestblob 0 24)"
echo "manifest.entry0=$(at $TSM/audit47/manifestblob 24 24)"
rmdir $TSM/audit47
