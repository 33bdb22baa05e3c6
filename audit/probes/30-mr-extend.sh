# extend rtmr2 through its measurements file with 00 01 .. 2f, then read it back
. "$(dirname "$0")/lib.sh"
echo "rtmr2.before=$(hexf $MR/rtmr2:sha384)"
printf "$(i=0; while [ $i -lt 48 ]; do printf '\\%03o' $i; i=$((i + 1)); done)" | dd of=$MR/rtmr2:sha384 bs=48 count=1 2>/dev/null
echo "rtmr2.after=$(hexf $MR/rtmr2:sha384)"
