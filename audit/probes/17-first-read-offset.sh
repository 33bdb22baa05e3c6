# configfs-tsm: the first read of a fresh fd at an offset (provider at 4, outblob at 100)
. "$(dirname "$0")/lib.sh"
tsm_entry audit17
echo "provider@4=$(at $TSM/audit17/provider 4 4)"
echo "outblob@100=$(at $TSM/audit17/outblob 100 16)"
echo "outblob@0=$(at $TSM/audit17/outblob 0 16)"
rmdir $TSM/audit17
