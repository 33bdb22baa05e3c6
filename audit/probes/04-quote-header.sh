# the 48-byte quote header from configfs outblob
. "$(dirname "$0")/lib.sh"
tsm_entry audit04
# bytes 0..28 only: user_data (28..48) hashes the attestation key, which is new at every mockfs start
echo "quote.header=$(at $TSM/audit04/outblob 0 28)"
rmdir $TSM/audit04
