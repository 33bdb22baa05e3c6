# quote body TEE_TCB_SVN (quote offset 48) and the TDREPORT's TEE_TCB_SVN (0x108)
. "$(dirname "$0")/lib.sh"
tsm_entry audit25
echo "quote.tee_tcb_svn=$(at $TSM/audit25/outblob 48 16)"
echo "tdreport.tee_tcb_svn=$($PROBE tdreport | grep '^tdreport\[0100\]' | cut -c32-63)"
rmdir $TSM/audit25
