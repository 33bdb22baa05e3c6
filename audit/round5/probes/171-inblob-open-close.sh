# configfs-tsm: generation and outblob size after an open/close of inblob without a write
. "$(dirname "$0")/../../probes/lib.sh"
tsm_entry e; cat $TSM/e/generation; : > $TSM/e/inblob; cat $TSM/e/generation; wc -c < $TSM/e/outblob
