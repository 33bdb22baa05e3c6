# Tappd RawQuote with 2 bytes and with 64 bytes of report_data: the error or the quote REPORTDATA (offset 568)
. "$(dirname "$0")/../../probes/lib.sh"
for rd in aabb $(i=0; while [ $i -lt 32 ]; do printf aabb; i=$((i + 1)); done); do
	r=$(curl -s --unix-socket /var/run/tappd.sock -X POST -d "{\"report_data\":\"$rd\"}" http://localhost/prpc/Tappd.RawQuote)
	echo "len=${#rd}: $(echo "$r" | jq -r "if .error then .error else (.quote | .[1136:1264]) end")"
done
