# configfs-tsm: creating a new file in a report entry and in the report directory (the shell's errno text)
. "$(dirname "$0")/../../probes/lib.sh"
tsm_entry c; ( : > $TSM/c/newfile ) 2>&1 | sed 's/.*: //'; ( : > $TSM/newfile ) 2>&1 | sed 's/.*: //'
