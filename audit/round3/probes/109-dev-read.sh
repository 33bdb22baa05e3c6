# read() of /dev/tdx_guest with dd (one byte): dd's first message and the bytes read
. "$(dirname "$0")/../../probes/lib.sh"
echo "dd: $(dd if=/dev/tdx_guest of=/dev/null bs=1 count=1 2>&1 | head -1 | sed "s/^dd: //")"
echo "bytes=$(dd if=/dev/tdx_guest bs=1 count=1 2>/dev/null | wc -c)"
