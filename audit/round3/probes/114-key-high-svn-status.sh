# SNP_GET_DERIVED_KEY with guest_svn 3 (above launch) and with vmpl 4: the response status word
. "$(dirname "$0")/../../probes/lib.sh"
for a in "0x10 3 0" "0 0 4"; do $PROBE sev-key $a | grep "^key\|keyresp\[0000\]" | cut -c1-60; done
