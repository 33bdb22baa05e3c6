# measurements: write 48 bytes to rtmr2:sha384, then rtmr2 and rtmr3
. "$(dirname "$0")/../../probes/lib.sh"
echo "rtmr2=$(hexf $MR/rtmr2:sha384) rtmr3=$(hexf $MR/rtmr3:sha384)"
head -c 48 /dev/zero | tr "\0" "\1" | dd of=$MR/rtmr2:sha384 bs=48 count=1 2>/dev/null; echo "write rc=$?"
echo "rtmr2=$(hexf $MR/rtmr2:sha384) rtmr3=$(hexf $MR/rtmr3:sha384)"
