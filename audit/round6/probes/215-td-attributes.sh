# TD_ATTRIBUTES and XFAM: the TDREPORT's TDINFO row (0x200) and the configfs quote body (48+120, 16 bytes)
. "$(dirname "$0")/../../probes/lib.sh"
$PROBE tdreport | grep '\[0200\]'; tsm_entry q; at $TSM/q/outblob 168 16
