# GET_REPORT0 on /dev/tdx_guest opened O_RDONLY and O_RDWR: result
. "$(dirname "$0")/../../probes/lib.sh"
/usr/bin/python3 - <<EOF
import fcntl, os
for m, f in (("rdonly", os.O_RDONLY), ("rdwr", os.O_RDWR)):
    fd = os.open("/dev/tdx_guest", f)
    b = bytearray(1088)
    try:
        fcntl.ioctl(fd, 0xC4405401, b); print(m, "ok type=%02x" % b[64])
    except OSError as e:
        print(m, "errno", e.errno)
    os.close(fd)
EOF
