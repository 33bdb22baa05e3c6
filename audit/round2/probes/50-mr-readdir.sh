# the measurements directory: readdir listing, and stat of rtmr3:sha384 by name
. "$(dirname "$0")/../../probes/lib.sh"
echo "ls=$(ls $MR | tr '\n' ' ')"
echo "stat rtmr3=$(stat -c '%a %s' $MR/rtmr3:sha384)"
