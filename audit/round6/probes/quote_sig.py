#!/usr/bin/env python3
"""quote_sig.py QUOTE - the client side of a TDX v4 quote's two signatures (round 6 probes):
prints whether the quote signature (r||s at 636) verifies over bytes [0, 632) under the
attestation key (X||Y at 700), and whether the QE report signature (at 1154) verifies over
the QE report [770, 1154) under the PCK leaf of the PEM chain (the first certificate)."""
import sys
from cryptography import x509
from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.hazmat.primitives.asymmetric.utils import encode_dss_signature

q = open(sys.argv[1], "rb").read()


def check(pub, sig, msg):
    r, s = int.from_bytes(sig[:32], "big"), int.from_bytes(sig[32:64], "big")
    try:
        pub.verify(encode_dss_signature(r, s), msg, ec.ECDSA(hashes.SHA256()))
        return "ok"
    except (InvalidSignature, ValueError):
        return "bad"


ak = ec.EllipticCurvePublicKey.from_encoded_point(ec.SECP256R1(), b"\x04" + q[700:764])
print("quote_sig=" + check(ak, q[636:700], q[:632]))
pem = q[770 + 384 + 64 + 2 + 32 + 6:]
try:
    leaf = x509.load_pem_x509_certificate(pem[:pem.index(b"-----END CERTIFICATE-----") + 25])
    print("qe_report_sig=" + check(leaf.public_key(), q[1154:1218], q[770:1154]))
except ValueError as e:
    print("qe_report_sig=unparsable", e)
