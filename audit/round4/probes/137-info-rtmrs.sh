# dstack agent Info: tcb_info rtmr0..3, then measurements rtmr1 and rtmr2
. "$(dirname "$0")/../../probes/lib.sh"
agent http://localhost/Info | jq -r ".tcb_info | fromjson | .rtmr0, .rtmr1, .rtmr2, .rtmr3"
echo "mr rtmr1=$(hexf $MR/rtmr1:sha384)"
echo "mr rtmr2=$(hexf $MR/rtmr2:sha384)"
