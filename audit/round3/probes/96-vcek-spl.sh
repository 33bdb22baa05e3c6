# configfs-tsm auxblob: the VCEK (first table entry) AMD SPL extensions 3.1 (blSPL) and 3.2 (teeSPL), and the report REPORTED_TCB (0x180)
. "$(dirname "$0")/../../probes/lib.sh"
tsm_entry a96
t=$(mktemp)
off=$(od -An -tu4 -j16 -N4 $TSM/a96/auxblob | tr -d " "); len=$(od -An -tu4 -j20 -N4 $TSM/a96/auxblob | tr -d " ")
dd if=$TSM/a96/auxblob bs=1 skip=$off count=$len 2>/dev/null > "$t"
# OID 1.3.6.1.4.1.3704.1.3.N, then the OCTET STRING holding an INTEGER of one byte
xxd -p "$t" | tr -d "\n" | grep -oE "2b060104019c7801030[12]04030201[0-9a-f]{2}" | sed "s/^2b060104019c7801030\(.\)04030201/spl 3.\1=/"
echo "reported_tcb=$(at $TSM/a96/outblob 384 8)"
rm -f "$t"; rmdir $TSM/a96
