# SNP_GET_EXT_REPORT with 4 pages: rc, and the certificate table (bytes 0..144 of the buffer) via configfs auxblob
. "$(dirname "$0")/../../probes/lib.sh"
$PROBE sev-ext 4 | head -1
tsm_entry a139
echo "aux table=$(at $TSM/a139/auxblob 0 144) len=$(cat $TSM/a139/auxblob | wc -c)"
rmdir $TSM/a139
