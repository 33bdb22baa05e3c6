#!/usr/bin/env bash
# scripts/verifiers/snp_openssl.sh DIR ROOTS LABEL - an SEV-SNP report checked end to end with
# the openssl command alone, as a verifier that names its own trust anchor would (the
# independent check for the profiles no third-party verifier reaches; README "Verifiers of the
# mock's evidence"). DIR holds report.bin (the 1184-byte report) and either certs.bin (the
# certificate table of SNP_GET_EXT_REPORT or the auxblob: GUID, offset, length entries,
# kernel-abi.md §2.5), whose VCEK or VLEK, ASK (or ASVK) and ARK are written to leaf.der,
# ask.der, ark.der, or those three files.
# ROOTS is a directory of trust anchors snp-<milan|genoa|turin>-ark.pem (teeabi-testpki roots).
#
# Nothing here asks teeabi: the report's fields are read at their offsets of AMD's SNP ABI
# (docs: formats.md §4.1, §4.2), the certificates' contents are what `openssl asn1parse`
# and `openssl x509` print. Checks (each prints one "ok: openssl LABEL ID: ..." or "FAIL: ..."):
#   product    the product of the report's CPUID (0x188: family 19 model 0x = Milan, 1x/Ax =
#              Genoa; family 1A model 00-11 = Turin) has a trust anchor; the table's ARK is it
#   pss        ARK, ASK/ASVK and leaf are signed with RSASSA-PSS, SHA-384, MGF1 SHA-384, salt 48
#   chain      openssl verify -check_ss_sig: leaf <- ASK/ASVK <- the anchor (self-signature too)
#   names      CN ARK-<P>, SEV-<P> (SEV-VLEK-<P> for a VLEK), SEV-VCEK (SEV-VLEK)
#   signature  ECDSA P-384 SHA-384 over bytes [0, 0x2A0), R and S little-endian at 0x2A0 and
#              0x2E8 converted to a DER ECDSA-Sig-Value with openssl asn1parse -genconf
#   tcb        the leaf's SPL extensions equal the report's reported_tcb (0x180) in the layout of
#              the product: Milan/Genoa bl[0] tee[1] snp[6] ucode[7]; Turin fmc[0] bl[1] tee[2]
#              snp[3] ucode[7], with fmcSPL present only on Turin; productName is the product's
#   identity   SIGNING_KEY (0x48 bits 4:2) 0: hwID = CHIP_ID (0x1A0; Turin its first 8 bytes and
#              the rest zero), no cspID; 1: a cspID and no hwID
# CHECKS="ID ..." in the environment runs only those checks (the one-byte-change controls).
# Exit 0 when every check printed ok.
set -uo pipefail
D=$1 ROOTS=$2 L=$3
fails=0
want() { [ -z "${CHECKS:-}" ] || [[ " $CHECKS " == *" $1 "* ]]; }
ok() { echo "ok: openssl $L $1: $2"; }
bad() { echo "FAIL: openssl $L $1: $2"; fails=$((fails + 1)); }

if [ -f "$D/certs.bin" ]; then
	python3 -c '
import sys
t = open(sys.argv[1], "rb").read()
names = {"63da758de6644564adc5f4b93be8accd": "leaf", "a8074bc2a25a483eaae639c045a0b8a1": "leaf",
         "4ab7b379bbac4fe4a02f05aef327c782": "ask", "c0b406a4a803495297433fb6014cd0ae": "ark"}
for i in range(0, len(t) - 23, 24):
    g, off, n = t[i:i + 16].hex(), int.from_bytes(t[i + 16:i + 20], "little"), int.from_bytes(t[i + 20:i + 24], "little")
    if g == "00" * 16: break
    if g in names and off + n <= len(t): open("%s/%s.der" % (sys.argv[2], names[g]), "wb").write(t[off:off + n])' "$D/certs.bin" "$D" ||
		{ bad table "the certificate table cannot be read"; exit 1; }
fi
for c in leaf ask ark; do [ -s "$D/$c.der" ] || { bad table "no $c certificate"; exit 1; }; done
# the report's fields, by offset: CPUID, SIGNING_KEY, reported_tcb bytes, CHIP_ID
read -r fam model signer tcb chip < <(python3 -c '
import sys
b = open(sys.argv[1], "rb").read()
if len(b) != 1184: sys.exit("report is %d bytes, not 1184" % len(b))
print("%02x %02x %d %s %s" % (b[0x188], b[0x189], (int.from_bytes(b[0x48:0x4C], "little") >> 2) & 7, b[0x180:0x188].hex(), b[0x1A0:0x1E0].hex()))' "$D/report.bin")
if [ -z "${chip:-}" ]; then bad report "the report cannot be read"; exit 1; fi
case $fam:$model in
19:0?) prod=Milan ;;
19:1? | 19:a?) prod=Genoa ;;
1a:0? | 1a:10 | 1a:11) prod=Turin ;;
*) prod= ;;
esac
anchor=$ROOTS/snp-${prod,,}-ark.pem
if [ -z "$prod" ] || [ ! -f "$anchor" ]; then bad product "no trust anchor for CPUID family $fam model $model"; exit 1; fi
if ! want product; then :
elif openssl x509 -inform DER -in "$D/ark.der" -outform DER | cmp -s - <(openssl x509 -in "$anchor" -outform DER); then
	ok product "CPUID $fam/$model is $prod; the table's ARK is the trust anchor ARK-$prod"
else bad product "the table's ARK is not the $prod trust anchor"; fi

vlek=$([ "$signer" = 1 ] && echo 1 || echo 0)
if want pss || want chain || want names || want signature; then
	for c in ark ask leaf; do openssl x509 -inform DER -in "$D/$c.der" -out "$D/$c.pem" 2>/dev/null || bad pem "$c.der is no certificate"; done
fi
pss=0
want pss && for c in ark ask leaf; do
	# the algorithm shows twice (TBS and outer), each time with its four parameter lines, and
	# nothing else does: 8 lines
	n=$(openssl x509 -in "$D/$c.pem" -noout -text 2>/dev/null |
		grep -cE '^ *(Signature Algorithm: rsassaPss|Hash Algorithm: sha384|Mask Algorithm: mgf1 with sha384|Salt Length: 0x30) *$')
	[ "$n" = 8 ] || { bad pss "$c is not signed with RSASSA-PSS SHA-384/MGF1-SHA-384/salt 48 ($n of 8 lines)"; pss=1; }
done
want pss && [ $pss = 0 ] && ok pss "ARK, ASK and leaf signatures are RSASSA-PSS SHA-384, MGF1 SHA-384, salt 48"
if ! want chain; then :
elif out=$(openssl verify -check_ss_sig -CAfile "$anchor" -untrusted "$D/ask.pem" "$D/leaf.pem" 2>&1); then
	ok chain "openssl verify: leaf <- ASK <- ARK-$prod (self-signature checked)"
else bad chain "${out//$'\n'/ }"; fi
cn() { openssl x509 -in "$D/$1.pem" -noout -subject -nameopt multiline 2>/dev/null | sed -n 's/^ *commonName *= *//p'; }
want_ask=SEV-$prod want_leaf=SEV-VCEK
[ $vlek = 1 ] && want_ask=SEV-VLEK-$prod want_leaf=SEV-VLEK
if want names; then
	names="$(cn ark), $(cn ask), $(cn leaf)"
	if [ "$names" = "ARK-$prod, $want_ask, $want_leaf" ]; then ok names "CN $names"
	else bad names "CN $names; want ARK-$prod, $want_ask, $want_leaf"; fi
fi

# report_sig_ok REPORT: the report's signature verifies with the leaf's key
report_sig_ok() {
	python3 -c '
import sys
b = open(sys.argv[1], "rb").read()
r = int.from_bytes(b[0x2A0:0x2A0 + 72], "little"); s = int.from_bytes(b[0x2E8:0x2E8 + 72], "little")
open(sys.argv[2], "w").write("asn1=SEQUENCE:sig\n[sig]\nr=INTEGER:0x%x\ns=INTEGER:0x%x\n" % (r, s))
open(sys.argv[3], "wb").write(b[:0x2A0])' "$1" "$D/sig.cnf" "$D/signed.bin" &&
		openssl asn1parse -genconf "$D/sig.cnf" -out "$D/sig.der" -noout &&
		openssl x509 -in "$D/leaf.pem" -pubkey -noout >"$D/pub.pem" &&
		openssl dgst -sha384 -verify "$D/pub.pem" -signature "$D/sig.der" "$D/signed.bin" >/dev/null 2>&1
}
if ! want signature; then :
elif report_sig_ok "$D/report.bin"; then ok signature "ECDSA P-384 over [0, 0x2A0) verifies with the leaf's key"
else bad signature "the report signature does not verify with the leaf's key"; fi

want tcb || want identity || exit $((fails > 0))
# The leaf's AMD extensions as openssl reads them: "OID OFFSET HEX" lines from one asn1parse;
# ext OID prints the INTEGER or IA5String inside the extension (openssl asn1parse -strparse of
# its OCTET STRING), or for hwID the OCTET STRING's hex (its value is the raw bytes), or absent
openssl asn1parse -inform DER -in "$D/leaf.der" >"$D/leaf.asn1" 2>/dev/null
exts=$(awk '/prim: OBJECT *:1\.3\.6\.1\.4\.1\.3704\.1\./ { sub(/.*:1\.3\.6\.1\.4\.1\.3704\.1\./, ""); oid = $0; next }
	oid != "" && /prim: OCTET STRING/ { off = $1; sub(/:.*/, "", off); hex = $0; sub(/.*\[HEX DUMP\]:/, "", hex); print oid, off, hex; oid = "" }' "$D/leaf.asn1")
ext() {
	local line v
	line=$(awk -v o="$1" '$1 == o { print $2, $3; exit }' <<<"$exts")
	if [ -z "$line" ]; then echo absent; return; fi
	if [ "$1" = 4 ]; then echo "${line#* }" | tr '[:upper:]' '[:lower:]'; return; fi
	v=$(openssl asn1parse -inform DER -in "$D/leaf.der" -strparse "${line%% *}" 2>/dev/null | sed -n 's/.*prim: \(INTEGER\|IA5STRING\) *://p')
	echo "${v:-?}"
}
# ext_int OID: the INTEGER as a decimal number (openssl prints it in hex)
ext_int() { local v; v=$(ext "$1"); [[ $v =~ ^[0-9A-Fa-f]+$ ]] && echo $((16#$v)) || echo "$v"; }
byte() { echo $((16#${tcb:$((2 * $1)):2})); }
if [ $prod = Turin ]; then
	expect="fmc=$(byte 0) bl=$(byte 1) tee=$(byte 2) snp=$(byte 3) ucode=$(byte 7)"
	got="fmc=$(ext_int 3.9) bl=$(ext_int 3.1) tee=$(ext_int 3.2) snp=$(ext_int 3.3) ucode=$(ext_int 3.8)"
	name=Turin
else
	expect="fmc=absent bl=$(byte 0) tee=$(byte 1) snp=$(byte 6) ucode=$(byte 7)"
	got="fmc=$(ext 3.9) bl=$(ext_int 3.1) tee=$(ext_int 3.2) snp=$(ext_int 3.3) ucode=$(ext_int 3.8)"
	name=$prod
fi
pn=$(ext 2)
if ! want tcb; then :
elif [ "$got" = "$expect" ] && [ "${pn%%-*}" = "$name" ]; then
	ok tcb "the leaf's SPLs ($got) are reported_tcb $tcb in the $prod layout; productName $pn"
else bad tcb "leaf: $got productName $pn; reported_tcb $tcb in the $prod layout: $expect, product $name"; fi
hw=$(ext 4) csp=$(ext 5)
if ! want identity; then :
elif [ $vlek = 1 ]; then
	if [ "$hw" = absent ] && [ "$csp" != absent ]; then ok identity "VLEK-signed: cspID $csp, no hwID"
	else bad identity "VLEK-signed, but hwID $hw, cspID $csp"; fi
else
	n=64; [ $prod = Turin ] && n=8
	if [ "$csp" = absent ] && [ "$hw" = "${chip:0:$((2 * n))}" ] && [[ ${chip:$((2 * n))} =~ ^0*$ ]]; then
		ok identity "VCEK-signed: hwID = the first $n bytes of CHIP_ID (the rest zero), no cspID"
	else bad identity "VCEK-signed: hwID $hw, cspID $csp; CHIP_ID $chip ($n significant bytes)"; fi
fi
exit $((fails > 0))
