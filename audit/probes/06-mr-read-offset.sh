# pread of 48 bytes at offset 16 of rtmr0:sha384 (sysfs clamps to 32)
. "$(dirname "$0")/lib.sh"
$PROBE mr rtmr0:sha384 16 48
