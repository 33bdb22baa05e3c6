# configfs-tsm: generation after 1..12 inblob writes
. "$(dirname "$0")/../../probes/lib.sh"
tsm_entry g; for i in 2 3 4 5 6 7 8 9 10 11 12; do printf "%064d" $i > $TSM/g/inblob; done; cat $TSM/g/generation
