# dstack 0.6.0: RTMR2 from the measurements file, and the Info event log replayed for RTMR2
. "$(dirname "$0")/../../probes/lib.sh"
at $MR/rtmr2:sha384 0 48
agent http://localhost/Info | jq -r .tcb_info | jq -r ".event_log[] | select(.imr == 2) | .digest"
