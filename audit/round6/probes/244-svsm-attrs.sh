# configfs-tsm SVSM: the attributes of a report entry
. "$(dirname "$0")/../../probes/lib.sh"
tsm_entry s; ls $TSM/s | sort | tr '\n' ' '; echo
