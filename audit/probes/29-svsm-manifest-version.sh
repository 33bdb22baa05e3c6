# SVSM single service (vTPM) with service_manifest_version 1 (the SVSM knows version 0 only)
. "$(dirname "$0")/lib.sh"
tsm_entry audit29
echo svsm > $TSM/audit29/service_provider
echo c476f1eb-0123-45a5-9641-b4e7dde5bfe3 > $TSM/audit29/service_guid
echo 1 > $TSM/audit29/service_manifest_version
if cat $TSM/audit29/outblob > /tmp/audit29.$$ 2>/tmp/audit29e.$$; then echo "outblob=ok len=$(wc -c < /tmp/audit29.$$)"; else echo "outblob=error $(sed 's/.*: //' /tmp/audit29e.$$)"; fi
rm -f /tmp/audit29.$$ /tmp/audit29e.$$; rmdir $TSM/audit29
