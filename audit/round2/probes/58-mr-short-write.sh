# measurements: a 47-byte write to rtmr2:sha384 (one write() call): whether it fails, and rtmr2 after it
. "$(dirname "$0")/../../probes/lib.sh"
echo "rtmr2.before=$(at $MR/rtmr2:sha384 0 48)"
if head -c 47 /dev/zero | dd of=$MR/rtmr2:sha384 bs=47 count=1 2>/dev/null; then echo "write47=ok"; else echo "write47=failed"; fi
echo "rtmr2.after=$(at $MR/rtmr2:sha384 0 48)"
