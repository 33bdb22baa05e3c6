# measurements: rtmr2 read, a 48-byte write to rtmr2:sha384, rtmr2 read again (then rtmr3 read, then rtmr2 again)
. "$(dirname "$0")/../../probes/lib.sh"
echo "rtmr2.before=$(at $MR/rtmr2:sha384 0 48)"
printf "$(i=0; while [ $i -lt 48 ]; do printf '\\%03o' $((i + 1)); i=$((i + 1)); done)" | dd of=$MR/rtmr2:sha384 bs=48 count=1 2>/dev/null
echo "rtmr2.after_write=$(at $MR/rtmr2:sha384 0 48)"
at $MR/rtmr3:sha384 0 48 >/dev/null
echo "rtmr2.after_rtmr3_read=$(at $MR/rtmr2:sha384 0 48)"
