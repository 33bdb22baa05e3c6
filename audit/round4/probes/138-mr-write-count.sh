# measurements: one write() of 96 bytes to rtmr3:sha384: its return value, then rtmr3
. "$(dirname "$0")/../../probes/lib.sh"
/usr/bin/python3 - <<EOF
import os
fd = os.open("/sys/devices/virtual/misc/tdx_guest/measurements/rtmr3:sha384", os.O_WRONLY)
try:
    print("write returned", os.write(fd, bytes(range(96))))
except OSError as e:
    print("write errno", e.errno)
os.close(fd)
EOF
echo "rtmr3=$(hexf $MR/rtmr3:sha384)"
