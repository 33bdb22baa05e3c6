# configfs-tsm quote: does the ECDSA-P256 signature (offset 636) verify with the attestation key (700) over header||body (0..632)?
. "$(dirname "$0")/../../probes/lib.sh"
tsm_entry a119
cat $TSM/a119/outblob > /tmp/a119.q
rmdir $TSM/a119
/usr/bin/python3 - /tmp/a119.q <<EOF
import sys
from cryptography.hazmat.primitives.asymmetric import ec, utils
from cryptography.hazmat.primitives import hashes
q = open(sys.argv[1], "rb").read()
sig, key = q[636:700], q[700:764]
pub = ec.EllipticCurvePublicNumbers(int.from_bytes(key[:32], "big"), int.from_bytes(key[32:], "big"), ec.SECP256R1()).public_key()
try:
    pub.verify(utils.encode_dss_signature(int.from_bytes(sig[:32], "big"), int.from_bytes(sig[32:], "big")), q[:632], ec.ECDSA(hashes.SHA256()))
    print("quote_sig=valid")
except Exception as e:
    print("quote_sig=invalid", type(e).__name__)
EOF
rm -f /tmp/a119.q
