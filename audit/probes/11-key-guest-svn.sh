# derived keys with GUEST_FIELD_SELECT = GUEST_SVN for guest_svn 0 and 1
. "$(dirname "$0")/lib.sh"
$PROBE sev-key 0x10 0 0 | grep keyresp.0000 | sed 's/^/svn0 /'
$PROBE sev-key 0x10 1 0 | grep keyresp.0000 | sed 's/^/svn1 /'
