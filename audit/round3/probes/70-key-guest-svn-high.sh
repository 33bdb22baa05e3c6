# SNP_GET_DERIVED_KEY with GUEST_SVN selected: svn 2 (launch), 3, 100
. "$(dirname "$0")/../../probes/lib.sh"
for s in 2 3 100; do $PROBE sev-key 0x10 $s 0 | grep "^key\|keyresp\[0000\]" | cut -c1-80; done
