# TEE_TCB_SVN in the TDREPORT (GET_REPORT0, offset 0x100 row) and in the configfs quote body (48)
. "$(dirname "$0")/../../probes/lib.sh"
$PROBE tdreport | grep '^\(rep\|row\|tdreport\)\?.*\[0100\]' ; tsm_entry q; at $TSM/q/outblob 48 16
