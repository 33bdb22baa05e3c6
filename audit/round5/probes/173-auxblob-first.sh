# configfs-tsm SEV: auxblob size read before outblob, then outblob, then auxblob
. "$(dirname "$0")/../../probes/lib.sh"
tsm_entry x; wc -c < $TSM/x/auxblob; wc -c < $TSM/x/outblob; wc -c < $TSM/x/auxblob
