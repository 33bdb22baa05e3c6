# configfs-tsm sev_guest: outblob size and its first 8 bytes (VERSION, GUEST_SVN)
. "$(dirname "$0")/../../probes/lib.sh"
tsm_entry r; wc -c < $TSM/r/outblob; at $TSM/r/outblob 0 8
