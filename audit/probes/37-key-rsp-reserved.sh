# MSG_KEY_RSP status and reserved bytes (0x00..0x20) of a derived key
. "$(dirname "$0")/lib.sh"
$PROBE sev-key 0 0 0 | grep keyresp | cut -c1-79
