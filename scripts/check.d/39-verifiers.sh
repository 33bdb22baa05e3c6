#!/usr/bin/env bash
# check step: real verifiers accept the mock's evidence with the test roots (mocks/pki/) and
# reject it after a one-byte change to a signed field.
#   TDX  Phala's dcap-qvl (@phala/dcap-qvl@0.3.9, QuoteVerifier.newWithRootCa): the configfs
#        quote of every TDX profile with configfs-tsm, with the collateral teeabi-testpki
#        makes for that profile (TCB Info, QE Identity, CRLs): status UpToDate; the same
#        quote with one report_data byte changed, and the unchanged quote under Intel's own
#        root (dcap-qvl's default), are rejected.
#   SNP  Tinfoil's verifier (@tinfoilsh/verifier@1.1.0, scripts/verifiers/tinfoil_verify.mjs):
#        the configfs report and auxblob chain (VCEK, ASK, ARK) of every SNP profile of a
#        Genoa part signed with a VCEK, the only parts Tinfoil knows; a report with one
#        report_data byte changed is rejected. Milan, Turin and VLEK profiles are listed as
#        not checkable by it (README "Verifiers of the mock's evidence").
#   SNP  the openssl command, for every SNP profile with configfs-tsm: `openssl verify` of
#        the auxblob's VCEK/VLEK and ASK/ASVK under the test ARK of the report's product
#        (teeabi-testpki roots; the auxblob's ARK must be that one), and `openssl dgst
#        -sha384 -verify` of the report's signature (R, S little-endian -> DER with
#        `openssl asn1parse -genconf`); one changed report_data byte is rejected.
# The packages and their dependencies come from the npm registry, every tarball pinned by
# the integrity hashes of scripts/verifiers/package-lock.json (npm ci --ignore-scripts),
# cached in build/third-party/verifiers/; without npm or the registry the step says SKIP
# (exit 77) and why. Budget: 120 s (a warm run takes about 15 s).
set -uo pipefail
# shellcheck source=../clients_lib.sh
. "$(dirname "$0")/../clients_lib.sh"
if ! command -v node >/dev/null || ! command -v npm >/dev/null; then
	echo "SKIP: 39-verifiers needs Node.js and npm to run the third-party verifiers (apt-get install nodejs npm)"; exit 77
fi
EXTRA_TARGETS=teeabi-testpki clients_setup 39-verifiers python3 node npm cmp
export BUDGET=120 # clients_lib.sh's menv: all mockenv runs of the step
# the committed key material and its C copy agree (mocks/pki/README.md)
report "$(scripts/gen-test-pki.sh --check | tail -1)"
V=$ROOT/$B/third-party/verifiers
scripts/verifiers/install.sh "$V" || exit $?
export VERIFIERS=$V
echo "verifiers: @phala/dcap-qvl@0.3.9, @tinfoilsh/verifier@1.1.0 (npm ci, lockfile integrity pinned)"
"$ROOT/$B/bin/teeabi-testpki" roots "$T" || { echo "FAIL: teeabi-testpki roots"; exit 1; }

# flip FILE OFFSET OUT: OUT is FILE with the byte at OFFSET changed
flip() { python3 -c 'import sys; b=bytearray(open(sys.argv[1],"rb").read()); b[int(sys.argv[2])]^=1; open(sys.argv[3],"wb").write(b)' "$@"; }
# evidence DIR PROFILE: configfs outblob (and auxblob) of PROFILE into DIR/out.bin, DIR/aux.bin
evidence() {
	menv "$1" --profile "$2" -- sh -c '
		e=/sys/kernel/config/tsm/report/teeabi-verifiers
		mkdir $e || exit 1
		[ -e $e/privlevel_floor ] && cat $e/privlevel_floor >$e/privlevel
		head -c 64 /dev/urandom >$e/inblob && cat $e/outblob >"$1/out.bin" && { [ ! -e $e/auxblob ] || cat $e/auxblob >"$1/aux.bin"; }
		rc=$?; rmdir $e; exit $rc' sh "$1"
	[ "$(txt "$1/rc")" = 0 ] && [ -s "$1/out.bin" ] || { echo "FAIL: $2: no evidence from configfs: $(tail -2 "$1/mockenv.log")"; fails=$((fails + 1)); return 1; }
}
qvl() { node scripts/verifiers/dcap_qvl_verify.js "$@" 2>&1; }
# report_sig_ok DIR REPORT: the SNP report's ECDSA-P384 signature over [0, 0x2A0) verifies
# with DIR/leaf.der's key, all done by the openssl command
report_sig_ok() {
	python3 -c '
import sys
b = open(sys.argv[1], "rb").read()
r = int.from_bytes(b[0x2A0:0x2A0 + 72], "little"); s = int.from_bytes(b[0x2E8:0x2E8 + 72], "little")
open(sys.argv[2], "w").write("asn1=SEQUENCE:sig\n[sig]\nr=INTEGER:0x%x\ns=INTEGER:0x%x\n" % (r, s))
open(sys.argv[3], "wb").write(b[:0x2A0])' "$2" "$1/sig.cnf" "$1/signed.bin" &&
	openssl asn1parse -genconf "$1/sig.cnf" -out "$1/sig.der" -noout &&
	openssl x509 -inform DER -in "$1/leaf.der" -pubkey -noout >"$1/pub.pem" &&
	openssl dgst -sha384 -verify "$1/pub.pem" -signature "$1/sig.der" "$1/signed.bin" >/dev/null 2>&1
}
# ossl_snp DIR GENERATION SIGNER PROFILE: the chain under the test ARK, the report signature
ossl_snp() {
	local d=$1 ark=$T/snp-$2-ark.pem leaf=$1/$3.der
	cp "$leaf" "$d/leaf.der"
	openssl x509 -inform DER -in "$d/ark.der" -outform DER | cmp -s - <(openssl x509 -in "$ark" -outform DER)
	truth "$4 ark" "the auxblob's ARK is the test ARK of the $2 product" "" test $? = 0
	openssl x509 -inform DER -in "$d/ask.der" -out "$d/ask.pem" && openssl x509 -inform DER -in "$leaf" -out "$d/leaf.pem"
	truth "$4 chain" "openssl verify: $3 <- ASK <- test ARK-$2" "$(openssl verify -CAfile "$ark" -untrusted "$d/ask.pem" "$d/leaf.pem" 2>&1)" \
		openssl verify -CAfile "$ark" -untrusted "$d/ask.pem" "$d/leaf.pem"
	truth "$4 signature" "openssl dgst: the report signature verifies with the $3" "" report_sig_ok "$d" "$d/out.bin"
	flip "$d/out.bin" $((0x50)) "$d/flip.bin"
	if report_sig_ok "$d" "$d/flip.bin"; then echo "FAIL: openssl $4 changed: a changed report_data byte still verifies"
	else echo "ok: openssl $4 changed: one changed report_data byte fails the signature"; fi
}

for prof in dstack-0.6.0-tdx dstack-0.6.0a1-tdx upstream-6.7-tdx upstream-6.16-tdx upstream-7.0-tdx; do
	D=$T/$prof
	evidence "$D" "$prof" || continue
	"$ROOT/$B/bin/teeabi-testpki" collateral "$prof" "$D" || { echo "FAIL: $prof: teeabi-testpki collateral"; fails=$((fails + 1)); continue; }
	out=$(qvl "$T/tdx-root.pem" "$D/collateral.json" "$D/out.bin")
	if grep -q '^ok .*status=UpToDate' <<<"$out"; then echo "ok: dcap-qvl $prof: quote verifies to the test root, TCB UpToDate"
	else echo "FAIL: dcap-qvl $prof: $out"; fails=$((fails + 1)); fi
	flip "$D/out.bin" $((48 + 520)) "$D/flip.bin"  # report_data[0], inside the signed header+body
	out=$(qvl "$T/tdx-root.pem" "$D/collateral.json" "$D/flip.bin")
	if grep -q '^FAIL .*signature is invalid' <<<"$out"; then echo "ok: dcap-qvl $prof: one changed report_data byte is rejected ($out)"
	else echo "FAIL: dcap-qvl $prof: one changed report_data byte: $out"; fails=$((fails + 1)); fi
	out=$(node -e '
		const fs = require("fs"), path = require("path");
		const { QuoteVerifier } = require(path.join(process.env.VERIFIERS, "node_modules/@phala/dcap-qvl/src/verify.js"));
		try { QuoteVerifier.newProd().verify(fs.readFileSync(process.argv[1]), JSON.parse(fs.readFileSync(process.argv[2])), Date.now() / 1000 | 0); console.log("accepted"); }
		catch (e) { console.log("rejected: " + e.message); }' "$D/out.bin" "$D/collateral.json" 2>&1)
	if [[ $out == rejected* ]]; then echo "ok: dcap-qvl $prof: under Intel's root the mock quote is $out"
	else echo "FAIL: dcap-qvl $prof: under Intel's root: $out"; fails=$((fails + 1)); fi
done

for prof in dstack-0.6.0-snp upstream-6.7-snp upstream-6.11-snp upstream-6.11-snp-svsm; do
	D=$T/$prof
	evidence "$D" "$prof" || continue
	"$PARSE" "$D/aux.bin" >"$D/aux.json" 2>"$D/aux.err" || { echo "FAIL: $prof: auxblob: $(cat "$D/aux.err")"; fails=$((fails + 1)); continue; }
	python3 -c '
import json, sys
d = json.load(open(sys.argv[1])); b = open(sys.argv[2], "rb").read()
for e in d["entries"]:
    open("%s/%s.der" % (sys.argv[3], e["name"]), "wb").write(b[e["offset"]:e["offset"] + e["length"]])' "$D/aux.json" "$D/aux.bin" "$D"
	gen=$("$PARSE" "$D/out.bin" | python3 -c 'import json,sys; d=json.load(sys.stdin); print(d["generation"], d["signing_key"])')
	out=$(L=openssl ossl_snp "$D" "${gen%% *}" "${gen##* }" "$prof" 2>&1)
	report "$out"
	# four checks, each "ok:" or "FAIL:": a check that died on the way counts as failed
	if [ "$(grep -cE '^(ok|FAIL):' <<<"$out")" != 4 ]; then echo "FAIL: openssl $prof: the checks did not all run"; fails=$((fails + 1)); fi
	if [ "$gen" != "genoa vcek" ]; then echo "not checkable by Tinfoil: $prof ($gen; Tinfoil knows Genoa VCEK-signed reports only)"; continue; fi
	out=$(node scripts/verifiers/tinfoil_verify.mjs "$D/out.bin" "$D/vcek.der" "$D/ask.der" "$D/ark.der" 2>&1)
	if [[ $out == ok* ]]; then echo "ok: tinfoil $prof: report and auxblob chain verify to the test ARK"
	else echo "FAIL: tinfoil $prof: $out"; fails=$((fails + 1)); fi
	flip "$D/out.bin" $((0x50)) "$D/flip.bin"
	out=$(node scripts/verifiers/tinfoil_verify.mjs "$D/flip.bin" "$D/vcek.der" "$D/ask.der" "$D/ark.der" 2>&1)
	if [[ $out == FAIL*signature* ]]; then echo "ok: tinfoil $prof: one changed report_data byte is rejected ($out)"
	else echo "FAIL: tinfoil $prof: one changed report_data byte: $out"; fails=$((fails + 1)); fi
done
clients_finish 39-verifiers
