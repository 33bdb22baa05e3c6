# configfs-tsm without provider: the report directory and a mkdir in it
. "$(dirname "$0")/../../probes/lib.sh"
ls -d $TSM; mkdir $TSM/x; echo "mkdir=$?"
