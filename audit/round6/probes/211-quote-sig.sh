# configfs-tsm TDX quote: do its quote signature and QE report signature verify (quote_sig.py)
. "$(dirname "$0")/../../probes/lib.sh"
tsm_entry q; f=$(mktemp); cat $TSM/q/outblob > "$f"; python3 "$(dirname "$0")/quote_sig.py" "$f"; rm -f "$f"
