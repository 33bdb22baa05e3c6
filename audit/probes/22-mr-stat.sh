# st_size of the measurements files
. "$(dirname "$0")/lib.sh"
for f in $MR/*; do echo "$(basename $f) size=$(stat -c %s $f)"; done
