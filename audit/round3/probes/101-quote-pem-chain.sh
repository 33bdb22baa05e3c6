# configfs-tsm quote: the subjects of the PEM chain in the certification data, in order (the chain starts at quote offset 1258)
. "$(dirname "$0")/../../probes/lib.sh"
tsm_entry a101
dd if=$TSM/a101/outblob bs=1 skip=1258 2>/dev/null | tr -d "\0" | while IFS= read -r l; do
	case "$l" in
	-----BEGIN*) c="$l" ;;
	-----END*) printf "%s\n%s\n" "$c" "$l" | openssl x509 -noout -subject 2>&1; c= ;;
	*) c="$c
$l" ;;
	esac
done
rmdir $TSM/a101
