# configfs-tsm quote: body RTMR1 and RTMR2 (quote offsets 424, 472), beside the measurements files
. "$(dirname "$0")/../../probes/lib.sh"
tsm_entry a64
echo "quote.rtmr1=$(at $TSM/a64/outblob 424 48)"
echo "quote.rtmr2=$(at $TSM/a64/outblob 472 48)"
echo "mr.rtmr1=$(at $MR/rtmr1:sha384 0 48)"
echo "mr.rtmr2=$(at $MR/rtmr2:sha384 0 48)"
rmdir $TSM/a64
