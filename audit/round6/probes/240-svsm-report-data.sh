# configfs-tsm with service_provider=svsm: REPORT_DATA (0x50) of the attestation report, and
# whether it is SHA-512(nonce || manifestblob) with the inblob (00..3f) as nonce
. "$(dirname "$0")/../../probes/lib.sh"
tsm_entry s; echo svsm > $TSM/s/service_provider
rd=$(at $TSM/s/outblob 80 64); echo "$rd"
want=$( { printf "$(i=0; while [ $i -lt 64 ]; do printf '\\%03o' $i; i=$((i + 1)); done)"; cat $TSM/s/manifestblob; } | sha512sum | cut -c1-128)
[ "$rd" = "$want" ] && echo "report_data=sha512(nonce||manifest)" || echo "report_data=other"
