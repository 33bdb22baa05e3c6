# configfs-tsm SEV: auxblob size, its table, and how many PEM headers it holds
. "$(dirname "$0")/../../probes/lib.sh"
tsm_entry c; wc -c < $TSM/c/auxblob; at $TSM/c/auxblob 0 96; grep -ac "BEGIN CERTIFICATE" $TSM/c/auxblob
