# configfs-tsm TDX: two entries, one inblob each (00..3f and 64 x "A"): the REPORTDATA of each quote
. "$(dirname "$0")/../../probes/lib.sh"
tsm_entry a; rmdir $TSM/b 2>/dev/null; mkdir $TSM/b; printf "%064d" 0 | tr 0 A > $TSM/b/inblob
cat $TSM/a/generation $TSM/b/generation; at $TSM/a/outblob 568 64; at $TSM/b/outblob 568 64
