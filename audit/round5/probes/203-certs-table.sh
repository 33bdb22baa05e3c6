# configfs-tsm SEV: auxblob size and its table (4 entries)
. "$(dirname "$0")/../../probes/lib.sh"
tsm_entry c; wc -c < $TSM/c/auxblob; at $TSM/c/auxblob 0 96
