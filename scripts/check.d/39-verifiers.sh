#!/usr/bin/env bash
# check step: real verifiers accept the mock's evidence with the test roots (mocks/pki/) and
# reject it after a one-byte change to a signed field.
#   TDX  Phala's dcap-qvl (@phala/dcap-qvl@0.3.9, QuoteVerifier.newWithRootCa): a quote of
#        every TDX profile (each mocks/profiles/*.conf that is not SNP; the configfs outblob, or
#        on dstack 0.5.x the dstack agent's GetQuote; a profile with neither is listed), with
#        the collateral teeabi-testpki makes for that profile (TCB Info, QE Identity, CRLs):
#        status UpToDate; the same quote with one report_data byte changed is rejected, and
#        (once) the unchanged quote under Intel's own root (dcap-qvl's default).
#   SNP  Tinfoil's verifier (@tinfoilsh/verifier@1.1.0, scripts/verifiers/tinfoil_verify.mjs):
#        the configfs report and auxblob chain (VCEK, ASK, ARK) of every SNP profile of a
#        Genoa part signed with a VCEK (upstream-6.11-snp), the only parts Tinfoil knows; a
#        report with one report_data byte changed is rejected. Milan, Turin and VLEK profiles
#        are listed as not checkable by it (README "Verifiers of the mock's evidence").
#   SNP  the openssl command (scripts/verifiers/snp_openssl.sh), for every SNP profile
#        (each mocks/profiles/*.conf with platform = snp, found when the step runs): the
#        report and certificate table (configfs outblob and auxblob; SNP_GET_EXT_REPORT through
#        the Python stdlib client on the profiles without configfs-tsm), checked end to end
#        with no teeabi code: the ARK is the test ARK of the report's CPUID product, RSASSA-PSS
#        parameters, `openssl verify` leaf <- ASK/ASVK <- ARK, AMD's names, the report signature
#        (R, S little-endian -> DER with `openssl asn1parse -genconf`), the leaf's SPL
#        extensions = reported_tcb in the product's layout (Turin: with FMC), hwID = CHIP_ID
#        (Turin: 8 bytes) or a VLEK's cspID, all read with `openssl asn1parse`. Each check is
#        shown to fail on a copy with one byte changed, once per shape (TCB layout Milan/Genoa
#        or Turin; VCEK, VLEK): report_data (signature), the reported_tcb microcode byte (tcb), the CPUID
#        model (product: another product's anchor, or none), CHIP_ID
#        (identity, VCEK profiles), SIGNING_KEY 1 -> 0 (identity, VLEK profiles), the leaf's last
#        extension byte (chain).
#   CRLs teeabi-parse --verify --crl with CRLs made by `openssl ca`: the TDX collateral's root CA
#        and PCK CRLs (none revoked, 3 certificates checked), a PCK CRL revoking the mock's PCK
#        certificate, an ARK-Genoa CRL (RSASSA-PSS) empty and revoking the ASK, another ARK's;
#        the ARK CRLs of teeabi-testpki roots verify under their ARK (openssl crl) and work.
# The packages and their dependencies come from the npm registry, every tarball pinned by
# the integrity hashes of scripts/verifiers/package-lock.json (scripts/verifiers/install.sh),
# cached in build/third-party/verifiers/; without npm or the registry the openssl checks
# still run and the step then says SKIP (exit 77) and why, or FAIL when one of those failed.
# Budget: 120 s (a warm run: 12 s before the openssl checks of every SNP profile, the agent
# quotes of dstack 0.5.x and the CRL checks, 31 s with them, both at load 5.6 on 2 cores).
set -uo pipefail
# shellcheck source=../clients_lib.sh
. "$(dirname "$0")/../clients_lib.sh"
EXTRA_TARGETS=teeabi-testpki clients_setup 39-verifiers python3 openssl cmp curl
export BUDGET=120 # clients_lib.sh's menv: all mockenv runs of the step
# the committed key material and its C copy agree (mocks/pki/README.md)
report "$(scripts/gen-test-pki.sh --check | tail -1)"
# The npm verifiers; without them the openssl checks still run, and the step then says SKIP
# (exit 77) unless one of those failed.
npm_skip=
V=$ROOT/$B/third-party/verifiers
inst=$(scripts/verifiers/install.sh "$V"); rc=$?
if [ $rc = 77 ]; then npm_skip=${inst#SKIP: }
elif [ $rc != 0 ]; then echo "FAIL: scripts/verifiers/install.sh: exit $rc: $inst"; exit 1; fi
export VERIFIERS=$V
if [ -z "$npm_skip" ]; then echo "verifiers: @phala/dcap-qvl@0.3.9, @tinfoilsh/verifier@1.1.0 (npm ci, lockfile integrity pinned)"
else echo "not run: dcap-qvl and Tinfoil: $npm_skip"; fi
"$ROOT/$B/bin/teeabi-testpki" roots "$T" || { echo "FAIL: teeabi-testpki roots"; exit 1; }

# flip FILE OFFSET OUT: OUT is FILE with the byte at OFFSET changed
# flip FILE OFFSET OUT [MASK]: OUT is FILE with the byte at OFFSET XORed with MASK (default 1)
flip() { python3 -c 'import sys; b=bytearray(open(sys.argv[1],"rb").read()); b[int(sys.argv[2])]^=int(sys.argv[4]); open(sys.argv[3],"wb").write(b)' "$1" "$2" "$3" "${4:-1}"; }
qvl() { node scripts/verifiers/dcap_qvl_verify.js "$@" 2>&1; }
# ossl_snp DIR PROFILE: scripts/verifiers/snp_openssl.sh on DIR's report and certificates, then,
# once per shape of evidence (product and signer), on copies with one byte changed, each of
# which must fail the check that covers that byte
declare -A shapes_done
ossl_snp() {
	local d=$1 v=$1/variant what off id out shape
	out=$(bash scripts/verifiers/snp_openssl.sh "$d" "$T" "$2" 2>&1)
	report "$out"
	# seven checks, each "ok:" or "FAIL:": a check that died on the way counts as failed
	if [ "$(grep -cE '^(ok|FAIL):' <<<"$out")" != 7 ]; then echo "FAIL: openssl $2: the checks did not all run"; fails=$((fails + 1)); fi
	# the shapes the checks treat differently: the TCB layout (Turin or Milan/Genoa) and the signer
	shape="$(grep -q 'in the Turin layout' <<<"$out" && echo Turin || echo Milan/Genoa) layout, $(grep -o '[A-Z]*-signed' <<<"$out")"
	[ -z "${shapes_done[$shape]:-}" ] || { echo "one-byte changes: as for ${shapes_done[$shape]} ($shape)"; return; }
	shapes_done[$shape]=$2
	mkdir -p "$v"
	for what in "report_data[0]:$((0x50)):signature" "reported_tcb microcode byte:$((0x187)):tcb" "CPUID model bit 4:$((0x189)):product:16" \
		"CHIP_ID[0]:$((0x1A0)):identity" "SIGNING_KEY VLEK -> VCEK:$((0x48)):identity:4" \
		"leaf certificate, last byte of the hwID/cspID extension:leaf:chain"; do
		IFS=: read -r what off id mask <<<"$what"
		cp "$d"/{report.bin,leaf.der,ask.der,ark.der} "$v/"
		if [ "$off" = leaf ]; then
			# the last byte of the leaf's last extension value (hwID or cspID), inside its TBS
			off=$(openssl asn1parse -inform DER -in "$d/leaf.der" | awk '/prim: OCTET STRING/ { o = $1; sub(/:.*/, "", o); h = $0; sub(/.*hl= */, "", h); sub(/ .*/, "", h); l = $0; sub(/.*l= */, "", l); sub(/ .*/, "", l); last = o + h + l - 1 } /prim: OBJECT *:1\.3\.6\.1\.4\.1\.3704\.1\.[45]$/ { amd = 1 } amd && /prim: OCTET STRING/ { print last; exit }')
			flip "$d/leaf.der" "$off" "$v/leaf.der"
		else
			# a VLEK report has no CHIP_ID; only a VLEK report has SIGNING_KEY 1
			[ "$id" = identity ] && grep -q 'identity: VLEK-signed' <<<"$out" && [ -z "$mask" ] && continue
			[ "$id" = identity ] && ! grep -q 'identity: VLEK-signed' <<<"$out" && [ -n "$mask" ] && continue
			flip "$d/report.bin" "$off" "$v/report.bin" "${mask:-1}"
		fi
		if grep -q "^FAIL: openssl $2 $id:" <<<"$(CHECKS=$id bash scripts/verifiers/snp_openssl.sh "$v" "$T" "$2" 2>&1)"; then
			echo "ok: openssl $2 changed: one changed byte ($what) fails the $id check"
		else echo "FAIL: openssl $2 changed: one changed byte ($what) passes the $id check"; fails=$((fails + 1)); fi
	done
}
# snp_evidence DIR PROFILE: report and certificate table of PROFILE into DIR/out.bin, aux.bin:
# the configfs outblob and auxblob where the profile has configfs-tsm, else SNP_GET_EXT_REPORT
# through the Python stdlib client of 35-clients (DIR/via says which)
snp_evidence() {
	menv "$1" --profile "$2" -- sh -c '
		e=/sys/kernel/config/tsm/report/teeabi-verifiers
		if [ -d /sys/kernel/config/tsm/report ] && mkdir $e 2>/dev/null; then
			echo configfs >"$1/via"
			[ -e $e/privlevel_floor ] && cat $e/privlevel_floor >$e/privlevel
			head -c 64 /dev/urandom >$e/inblob && cat $e/outblob >"$1/out.bin" && cat $e/auxblob >"$1/aux.bin"
			rc=$?; rmdir $e; exit $rc
		fi
		echo SNP_GET_EXT_REPORT >"$1/via"
		python3 "$2" snp-ext "$(head -c 64 /dev/urandom | od -An -tx1 | tr -d " \n")" >"$1/ext.txt"' sh "$1" mocks/clients/pyclient.py
	[ "$(txt "$1/via")" != SNP_GET_EXT_REPORT ] || python3 -c '
import sys
kv = dict(l.rstrip("\n").split("=", 1) for l in open(sys.argv[1]) if "=" in l)
open(sys.argv[2] + "/out.bin", "wb").write(bytes.fromhex(kv["report"]))
open(sys.argv[2] + "/aux.bin", "wb").write(bytes.fromhex(kv["certs"]))' "$1/ext.txt" "$1" 2>/dev/null
	[ "$(txt "$1/rc")" = 0 ] && [ -s "$1/out.bin" ] && [ -s "$1/aux.bin" ] ||
		{ echo "FAIL: $2: no report and certificates ($(txt "$1/via")): $(tail -2 "$1/ext.txt" "$1/mockenv.log" 2>&1)"; fails=$((fails + 1)); return 1; }
}

# tdx_evidence DIR PROFILE: a quote of PROFILE into DIR/out.bin: the configfs outblob where the
# profile has configfs-tsm with a provider, else the dstack agent's GetQuote (dstack 0.5.x);
# DIR/via says which, "none" when the profile has neither (then no out.bin)
tdx_evidence() {
	menv "$1" --profile "$2" -- sh -c '
		e=/sys/kernel/config/tsm/report/teeabi-verifiers
		if [ -d /sys/kernel/config/tsm/report ] && mkdir $e 2>/dev/null; then
			echo configfs >"$1/via"
			head -c 64 /dev/urandom >$e/inblob && cat $e/outblob >"$1/out.bin"
			rc=$?; rmdir $e; exit $rc
		elif [ -S /var/run/dstack.sock ]; then
			echo "the dstack agent (GetQuote)" >"$1/via"
			curl -s --unix-socket /var/run/dstack.sock "http://dstack/GetQuote?report_data=$(head -c 32 /dev/urandom | od -An -tx1 | tr -d " \n")" >"$1/gq.json"
		else echo none >"$1/via"; fi' sh "$1"
	[ -s "$1/gq.json" ] && python3 -c '
import json, sys
open(sys.argv[2], "wb").write(bytes.fromhex(json.load(open(sys.argv[1]))["quote"]))' "$1/gq.json" "$1/out.bin" 2>/dev/null
	[ "$(txt "$1/via")" = none ] && [ "$(txt "$1/rc")" = 0 ] && return 2
	[ "$(txt "$1/rc")" = 0 ] && [ -s "$1/out.bin" ] ||
		{ echo "FAIL: $2: no quote ($(txt "$1/via")): $(tail -2 "$1/mockenv.log")"; fails=$((fails + 1)); return 1; }
}
# every TDX profile there is (mocks/profiles/*.conf without platform = snp)
for prof in $(grep -L '^platform *= *snp' mocks/profiles/*.conf | sed 's|.*/||; s|\.conf$||'); do
	D=$T/$prof
	tdx_evidence "$D" "$prof"
	case $? in 1) continue ;; 2) echo "not reached by a TDX verifier: $prof (no quote: no configfs-tsm provider, no dstack agent)"; continue ;; esac
	echo "evidence of $prof: $(txt "$D/via")"
	"$ROOT/$B/bin/teeabi-testpki" collateral "$prof" "$D" || { echo "FAIL: $prof: teeabi-testpki collateral"; fails=$((fails + 1)); continue; }
	[ -z "$npm_skip" ] || continue
	flip "$D/out.bin" $((48 + 520)) "$D/flip.bin"  # report_data[0], inside the signed header+body
	out=$(qvl "$T/tdx-root.pem" "$D/collateral.json" "$D/out.bin" "$D/flip.bin")
	if grep -q "^ok $D/out.bin status=UpToDate" <<<"$out"; then echo "ok: dcap-qvl $prof: quote verifies to the test root, TCB UpToDate"
	else echo "FAIL: dcap-qvl $prof: $out"; fails=$((fails + 1)); fi
	if grep -q "^FAIL $D/flip.bin .*signature is invalid" <<<"$out"; then echo "ok: dcap-qvl $prof: one changed report_data byte is rejected ($(grep flip.bin <<<"$out"))"
	else echo "FAIL: dcap-qvl $prof: one changed report_data byte: $out"; fails=$((fails + 1)); fi
	[ -z "${prod_checked:-}" ] || continue # Intel's root is no matter of the profile: once
	prod_checked=$prof
	out=$(node -e '
		const fs = require("fs"), path = require("path");
		const { QuoteVerifier } = require(path.join(process.env.VERIFIERS, "node_modules/@phala/dcap-qvl/src/verify.js"));
		try { QuoteVerifier.newProd().verify(fs.readFileSync(process.argv[1]), JSON.parse(fs.readFileSync(process.argv[2])), Date.now() / 1000 | 0); console.log("accepted"); }
		catch (e) { console.log("rejected: " + e.message); }' "$D/out.bin" "$D/collateral.json" 2>&1)
	if [[ $out == rejected* ]]; then echo "ok: dcap-qvl $prof: under Intel's root the mock quote is $out"
	else echo "FAIL: dcap-qvl $prof: under Intel's root: $out"; fails=$((fails + 1)); fi
done

# every SNP profile there is (mocks/profiles/*.conf with platform = snp)
snp_profiles=$(grep -l '^platform *= *snp' mocks/profiles/*.conf | sed 's|.*/||; s|\.conf$||')
echo "SNP profiles: $(echo $snp_profiles)"
for prof in $snp_profiles; do
	D=$T/$prof
	snp_evidence "$D" "$prof" || continue
	echo "evidence of $prof: $(txt "$D/via")"
	cp "$D/out.bin" "$D/report.bin" && cp "$D/aux.bin" "$D/certs.bin"
	ossl_snp "$D" "$prof"
	[ -z "$npm_skip" ] || continue
	gen=$("$PARSE" "$D/out.bin" | python3 -c 'import json,sys; d=json.load(sys.stdin); print(d["generation"], d["signing_key"])')
	if [ "$gen" != "genoa vcek" ]; then echo "not checkable by Tinfoil: $prof ($gen; Tinfoil knows Genoa VCEK-signed reports only)"; continue; fi
	out=$(node scripts/verifiers/tinfoil_verify.mjs "$D/out.bin" "$D/leaf.der" "$D/ask.der" "$D/ark.der" 2>&1)
	if [[ $out == ok* ]]; then echo "ok: tinfoil $prof: report and auxblob chain verify to the test ARK"
	else echo "FAIL: tinfoil $prof: $out"; fails=$((fails + 1)); fi
	flip "$D/out.bin" $((0x50)) "$D/flip.bin"
	out=$(node scripts/verifiers/tinfoil_verify.mjs "$D/flip.bin" "$D/leaf.der" "$D/ask.der" "$D/ark.der" 2>&1)
	if [[ $out == FAIL*signature* ]]; then echo "ok: tinfoil $prof: one changed report_data byte is rejected ($out)"
	else echo "FAIL: tinfoil $prof: one changed report_data byte: $out"; fails=$((fails + 1)); fi
done
# ca_crl CERT KEY SERIAL|- OUT [OPENSSL-CA-ARGS]: a CRL of the CA CERT made by `openssl ca`,
# revoking the certificate with that serial (hex) or nothing
ca_crl() {
	local w=$T/ca-$RANDOM
	mkdir -p "$w" && : >"$w/index.txt" && echo 01 >"$w/crlnumber"
	[ "$3" = - ] || printf 'R\t491231235959Z\t250101000000Z\t%s\tunknown\t/CN=revoked\n' "$3" >"$w/index.txt"
	printf '[ca]\ndefault_ca = c\n[c]\ndatabase = %s/index.txt\ncrlnumber = %s/crlnumber\ndefault_md = sha384\ndefault_crl_days = 30\n' "$w" "$w" >"$w/ca.cnf"
	openssl ca -batch -gencrl -config "$w/ca.cnf" -cert "$1" -keyfile "$2" "${@:5}" -out "$w/crl.pem" 2>"$w/err" &&
		openssl crl -in "$w/crl.pem" -outform DER -out "$4" || echo "FAIL: openssl ca -gencrl: $(tail -1 "$w/err")"
}
# verify_crl LABEL WANT_RC TEXT ARGS...: teeabi-parse --verify ARGS exits WANT_RC and says TEXT
verify_crl() {
	local label=$1 want=$2 text=$3 out rc; shift 3
	out=$("$PARSE" --verify "$@" 2>&1); rc=$?
	if [ $rc = "$want" ] && grep -qF "$text" <<<"$out"; then echo "ok: teeabi-parse --verify $label: exit $rc, $text"
	else echo "FAIL: teeabi-parse --verify $label: exit $rc (want $want, '$text'): $(tail -1 <<<"$out")"; fails=$((fails + 1)); fi
}
# Revocation with CRLs made by openssl, not by teeabi: Intel's (the collateral's root CA CRL and a
# PCK CRL of the test Platform CA), AMD's (a CRL of the test ARK-Genoa, signed RSASSA-PSS as KDS's)
D=$T/dstack-0.6.0-tdx
if [ -s "$D/out.bin" ] && [ -s "$D/root_ca.crl" ]; then
	verify_crl "TDX, the collateral's CRLs" 0 "3 certificate(s) checked against the given CRLs, none revoked" \
		--crl "$D/root_ca.crl" --crl "$D/pck.crl" "$D/out.bin"
	ca_crl mocks/pki/tdx-platform-ca.pem mocks/pki/tdx-platform-ca.key.pem 7E57 "$D/revoked.crl"
	verify_crl "TDX, a PCK CRL revoking the PCK certificate" 1 "CN=Intel SGX PCK Certificate is revoked" \
		--crl "$D/root_ca.crl" --crl "$D/revoked.crl" "$D/out.bin"
else echo "FAIL: no dstack-0.6.0-tdx quote and collateral for the CRL checks"; fails=$((fails + 1)); fi
D=$T/upstream-6.11-snp
if [ -s "$D/out.bin" ] && [ -s "$D/aux.bin" ]; then
	pss=(-sigopt rsa_padding_mode:pss -sigopt rsa_pss_saltlen:48 -sigopt rsa_mgf1_md:sha384)
	ca_crl mocks/pki/snp-genoa-ark.pem mocks/pki/snp-genoa-ark.key.pem - "$D/amd.crl" "${pss[@]}"
	verify_crl "SNP, an empty CRL of ARK-Genoa" 0 "2 certificate(s) checked against the given CRLs, none revoked" \
		--certs "$D/aux.bin" --crl "$D/amd.crl" "$D/out.bin"
	ca_crl mocks/pki/snp-genoa-ark.pem mocks/pki/snp-genoa-ark.key.pem \
		"$(openssl x509 -in mocks/pki/snp-genoa-ask.pem -noout -serial | cut -d= -f2)" "$D/amd-revoked.crl" "${pss[@]}"
	verify_crl "SNP, a CRL of ARK-Genoa revoking the ASK" 1 "CN=SEV-Genoa is revoked" --certs "$D/aux.bin" --crl "$D/amd-revoked.crl" "$D/out.bin"
	# the ARK CRLs teeabi-testpki roots writes: signed by their ARK (openssl crl), usable
	for p in milan genoa turin; do
		out=$(openssl crl -inform DER -in "$T/snp-$p-ark.crl" -CAfile "$T/snp-$p-ark.pem" -noout -text 2>&1)
		if grep -q 'verify OK' <<<"$out" && grep -q 'rsassaPss' <<<"$out" && grep -q 'No Revoked Certificates' <<<"$out"; then
			echo "ok: openssl crl: teeabi-testpki's snp-$p-ark.crl is an empty CRL signed (RSASSA-PSS) by the test ARK-${p^}"
		else echo "FAIL: openssl crl: snp-$p-ark.crl: $(head -2 <<<"$out")"; fails=$((fails + 1)); fi
	done
	verify_crl "SNP, teeabi-testpki's ARK-Genoa CRL" 0 "2 certificate(s) checked against the given CRLs, none revoked" \
		--certs "$D/aux.bin" --crl "$T/snp-genoa-ark.crl" "$D/out.bin"
	ca_crl mocks/pki/snp-milan-ark.pem mocks/pki/snp-milan-ark.key.pem - "$D/milan.crl" "${pss[@]}"
	verify_crl "SNP, a CRL of another product's ARK" 0 "0 certificate(s) against CRLs" --certs "$D/aux.bin" --crl "$D/milan.crl" "$D/out.bin"
else echo "FAIL: no upstream-6.11-snp report and certificates for the CRL checks"; fails=$((fails + 1)); fi
clients_finish 39-verifiers || exit 1
[ -z "$npm_skip" ] || { echo "SKIP: $npm_skip (the openssl checks above passed)"; exit 77; }
