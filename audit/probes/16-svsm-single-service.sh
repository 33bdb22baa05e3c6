# SVSM single service (vTPM): outblob REPORT_DATA (0x50) and SHA-512(inblob || manifestblob)
. "$(dirname "$0")/lib.sh"
tsm_entry audit16
echo svsm > $TSM/audit16/service_provider
echo c476f1eb-0123-45a5-9641-b4e7dde5bfe3 > $TSM/audit16/service_guid
echo "outblob.report_data=$(at $TSM/audit16/outblob 80 64)"
echo "manifestblob.len=$(wc -c < $TSM/audit16/manifestblob)"
echo "sha512(inblob||manifest)=$( { printf "$(i=0; while [ $i -lt 64 ]; do printf '\\%03o' $i; i=$((i + 1)); done)"; cat $TSM/audit16/manifestblob; } | sha512sum | cut -c1-128)"
rmdir $TSM/audit16
