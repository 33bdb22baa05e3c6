# the SNP report's TCB fields: CURRENT (0x38), REPORTED (0x180), COMMITTED (0x1E0), LAUNCH (0x1F0)
. "$(dirname "$0")/lib.sh"
$PROBE sev-report 0 > /tmp/audit09.$$
grep '^rc=' /tmp/audit09.$$
echo "current_tcb=$(grep '^report\[0000\]' /tmp/audit09.$$ | cut -c15- | cut -c113-128)"
echo "reported_tcb=$(grep '^report\[0180\]' /tmp/audit09.$$ | cut -c15- | cut -c1-16)"
echo "committed_launch=$(grep '^report\[01c0\]' /tmp/audit09.$$ | cut -c15- | cut -c65-128)"
rm -f /tmp/audit09.$$
