# GET_REPORT0 with reportdata 00..3f: the TDREPORT's REPORTDATA row (offset 0x80) as the ioctl returns it
. "$(dirname "$0")/../../probes/lib.sh"
$PROBE tdreport | grep '^tdreport\[0080\]\|^tdreport\[00c0\]\|canary'
