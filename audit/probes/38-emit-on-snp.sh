# EmitEvent on an SEV-SNP guest: HTTP status and body
. "$(dirname "$0")/lib.sh"
curl -s -o /tmp/audit38.$$ -w 'status=%{http_code}\n' --unix-socket $SOCK -X POST -d '{"event":"audit-38","payload":"00"}' http://localhost/EmitEvent
echo "body=$(cat /tmp/audit38.$$)"; rm -f /tmp/audit38.$$
