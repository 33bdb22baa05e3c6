# the QE report's REPORT_DATA[0..32) against SHA-256(attestation key || QE auth data), both from
# the quote (AK at 700, QE report at 770, auth data at 1220, 32 bytes)
. "$(dirname "$0")/lib.sh"
tsm_entry audit39
cat $TSM/audit39/outblob > /tmp/audit39.$$
rd=$(at /tmp/audit39.$$ 1090 32)
calc=$( { dd if=/tmp/audit39.$$ bs=1 skip=700 count=64 2>/dev/null; dd if=/tmp/audit39.$$ bs=1 skip=1220 count=32 2>/dev/null; } | sha256sum | cut -c1-64)
[ "$rd" = "$calc" ] && echo "qe_report_data=SHA-256(AK||auth)" || echo "qe_report_data=other"
rm -f /tmp/audit39.$$; rmdir $TSM/audit39
