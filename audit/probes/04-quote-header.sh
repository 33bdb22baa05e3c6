# the 48-byte quote header from configfs outblob
. "$(dirname "$0")/lib.sh"
tsm_entry audit04
echo "quote.header=$(at $TSM/audit04/outblob 0 48)"
rmdir $TSM/audit04
