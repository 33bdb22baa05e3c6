# rtmr3:sha384 before and after an EmitEvent through the agent
. "$(dirname "$0")/lib.sh"
echo "rtmr3.before=$(hexf $MR/rtmr3:sha384)"
agent -X POST -d '{"event":"audit-05","payload":"00"}' http://localhost/EmitEvent
echo "rtmr3.after=$(hexf $MR/rtmr3:sha384)"
echo "tdreport.rtmr3=$($PROBE tdreport | grep -A1 '^tdreport\[0340\]' | tr '\n' ' ' | cut -c1-200)"
echo "rtmr3.after_report=$(hexf $MR/rtmr3:sha384)"
