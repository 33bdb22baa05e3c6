# measurements: pread at offset 48, and cat of rtmr0:sha384 (bytes, exit)
. "$(dirname "$0")/../../probes/lib.sh"
$PROBE mr rtmr0:sha384 48 10; cat $MR/rtmr0:sha384 | wc -c; cat $MR/rtmr0:sha384 > /dev/null; echo "cat=$?"
