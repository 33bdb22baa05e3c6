# measurements: rtmr2 read (fills the kernel buffer), 48-byte write to rtmr2, then a first read at offset 24, then at 0
. "$(dirname "$0")/../../probes/lib.sh"
$PROBE mr rtmr2:sha384 0 48
printf "$(i=0; while [ $i -lt 48 ]; do printf "\\%03o" $((i + 1)); i=$((i + 1)); done)" | dd of=$MR/rtmr2:sha384 bs=48 count=1 2>/dev/null
$PROBE mr rtmr2:sha384 24 24
$PROBE mr rtmr2:sha384 0 48
