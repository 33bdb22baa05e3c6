# the QE report's CPUSVN (quote offset 632 + 4 + 134) and the TDREPORT's CPUSVN (0x10)
. "$(dirname "$0")/lib.sh"
tsm_entry audit26
echo "qe_report.cpusvn=$(at $TSM/audit26/outblob 770 16)"
echo "tdreport.cpusvn=$($PROBE tdreport | grep '^tdreport\[0000\]' | cut -c48-79)"
rmdir $TSM/audit26
