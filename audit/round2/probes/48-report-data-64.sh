# GetQuote and Attest with 63 and 64 bytes of report data: HTTP status
. "$(dirname "$0")/../../probes/lib.sh"
for n in 63 64; do
	rd=$(i=0; while [ $i -lt $n ]; do printf ab; i=$((i + 1)); done)
	for m in GetQuote Attest; do
		echo "$m $n bytes: status=$(curl -s -o /dev/null -w '%{http_code}' --unix-socket $SOCK -X POST -d "{\"report_data\":\"$rd\"}" http://localhost/$m)"
	done
done
