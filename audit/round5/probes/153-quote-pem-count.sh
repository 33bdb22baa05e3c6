# configfs-tsm TDX quote: how many PEM certificates it carries
. "$(dirname "$0")/../../probes/lib.sh"
tsm_entry q; grep -ao "BEGIN CERTIFICATE" $TSM/q/outblob | wc -l
