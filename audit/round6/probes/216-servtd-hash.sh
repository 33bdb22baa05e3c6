# TDREPORT (GET_REPORT0) rows 0x380 and 0x3c0 (SERVTD_HASH at 0x390), and the quote size
. "$(dirname "$0")/../../probes/lib.sh"
$PROBE tdreport | grep '\[0\(380\|3c0\)\]'; tsm_entry q; wc -c < $TSM/q/outblob
