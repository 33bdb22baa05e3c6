# configfs-tsm TDX quote: the QE report signature verified with the PCK certificate (from the quote) and with the attestation key
. "$(dirname "$0")/../../probes/lib.sh"
tsm_entry q; d=$(mktemp -d); cat $TSM/q/outblob > $d/q
dd if=$d/q of=$d/qe bs=1 skip=770 count=384 2>/dev/null; dd if=$d/q of=$d/sig bs=1 skip=1154 count=64 2>/dev/null
python3 - "$d" <<EOF
import sys, subprocess
d = sys.argv[1]
q = open(d + "/q", "rb").read()
pem = q[q.index(b"-----BEGIN"):].split(b"-----END CERTIFICATE-----")[0] + b"-----END CERTIFICATE-----\n"
open(d + "/pck.pem", "wb").write(pem)
s = open(d + "/sig", "rb").read()
def der(x):
    x = x.lstrip(b"\0") or b"\0"
    if x[0] & 0x80: x = b"\0" + x
    return bytes([2, len(x)]) + x
body = der(s[:32]) + der(s[32:])
open(d + "/sig.der", "wb").write(bytes([0x30, len(body)]) + body)
EOF
openssl x509 -in $d/pck.pem -pubkey -noout > $d/pck.pub
openssl dgst -sha256 -verify $d/pck.pub -signature $d/sig.der $d/qe
