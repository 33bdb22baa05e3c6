# configfs-tsm SEV: the report signature (R, S read as little-endian) verified with the VCEK/VLEK from auxblob
. "$(dirname "$0")/../../probes/lib.sh"
tsm_entry s; d=$(mktemp -d); cat $TSM/s/outblob > $d/r; cat $TSM/s/auxblob > $d/c
python3 - "$d" <<'PY'
import sys
d = sys.argv[1]
r = open(d + "/r", "rb").read(); c = open(d + "/c", "rb").read()
off, ln = int.from_bytes(c[16:20], "little"), int.from_bytes(c[20:24], "little")
open(d + "/leaf.der", "wb").write(c[off:off + ln])
open(d + "/signed", "wb").write(r[:0x2A0])
def der(x):
    x = x.lstrip(b"\0") or b"\0"
    if x[0] & 0x80: x = b"\0" + x
    return bytes([2, len(x)]) + x
R = r[0x2A0:0x2A0 + 72][::-1]; S = r[0x2E8:0x2E8 + 72][::-1]
body = der(R) + der(S)
open(d + "/sig.der", "wb").write(bytes([0x30, len(body)]) + body)
PY
openssl x509 -inform DER -in $d/leaf.der -pubkey -noout > $d/leaf.pub
openssl dgst -sha384 -verify $d/leaf.pub -signature $d/sig.der $d/signed
