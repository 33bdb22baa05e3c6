#!/usr/bin/env bash
# check step: build/bin/teeabi-parse on every real vector. Exit 0 and one JSON line per
# file; a few fields compared with vectors/MANIFEST.md; a truncated file must give exit 1
# and a "FILE: E_...:" line on stderr; an unreadable file exit 2; a FIFO or directory is
# refused at once (exit 2); a stdout that cannot be written is exit 2 with
# "teeabi-parse: stdout: <error>"; an unknown option is one line, exit 2; --verify --at
# tells a certificate's validity period (the real Turin VCEK one second inside and outside
# its dates; OpenSSL counts the notAfter second itself as expired).
set -uo pipefail
cd "$(dirname "$0")/../.."
BIN=build/bin/teeabi-parse
fail=0
bad() { echo "FAIL: $*"; fail=1; }
[ -x "$BIN" ] || { echo "FAIL: $BIN not built"; exit 1; }
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

files=(vectors/tdx-quote/* vectors/tdx-report/* vectors/snp-report/* vectors/dstack/*)
"$BIN" "${files[@]}" >"$tmp/out" 2>"$tmp/err"
rc=$?
[ $rc -eq 0 ] || { bad "exit $rc on the vectors"; cat "$tmp/err"; }
[ -s "$tmp/err" ] && { bad "stderr not empty"; cat "$tmp/err"; }
lines=$(wc -l <"$tmp/out")
[ "$lines" -eq "${#files[@]}" ] || bad "$lines output lines for ${#files[@]} files"

# field FILE KEY[.SUBKEY] -> value from the JSON line of FILE
field() {
  python3 - "$tmp/out" "$1" "$2" <<'PY'
import json, sys
out, f, key = sys.argv[1:]
for line in open(out):
    d = json.loads(line)
    if d.get("file") == f:
        for k in key.split("."):
            d = d[int(k)] if isinstance(d, list) else d[k]
        print(str(d).lower() if isinstance(d, bool) else d)
        sys.exit(0)
sys.exit("no line for " + f)
PY
}
expect() { # file key value
  local got
  got=$(field "$1" "$2") || { bad "$1: no $2"; return; }
  [ "$got" = "$3" ] || bad "$1 $2: got '$got' want '$3'"
}

# values from vectors/MANIFEST.md
expect vectors/tdx-quote/trustee__tdx_quote_4.dat mrtd 705ee9381b8633a9fbe532b52345e8433343d2868959f57889d84ca377c395b689cac1599ccea1b7d420483a9ce5f031
expect vectors/tdx-quote/trustee__tdx_quote_4.dat report_data 7c71fe2c86eff65a7cf8dbc22b3275689fd0464a267baced1bf94fc1324656aeb755da3d44d098c0c87382f3a5f85b45c8a28fee1d3bdb38342bf96671501429
expect vectors/tdx-quote/trustee__tdx_quote_4.dat signature true
expect vectors/tdx-quote/go-tdx-guest__tdx_prod_quote_SPR_E4.dat trailing_bytes 39
expect vectors/tdx-quote/dcap-qvl__tdx_quote.dat mrtd 91eb2b44d141d4ece09f0c75c2c53d247a3c68edd7fafe8a3520c942a604a407de03ae6dc5f87f27428b2538873118b7
expect vectors/tdx-quote/go-tdx-guest__quote_v5_sample.dat tee_tcb_svn2 0d010400000000000000000000000000
expect vectors/tdx-report/intel-dcap__tdreport_for_test.dat valid 0x1ff
expect vectors/tdx-report/trustee__az-tdx-vtpm_hcl-report.tdreport.bin mrtd 024a32b070383331181619fa387cb4d55d1e38879f989933055ccad5bc2db795d1737b66205949d15469dc8c1ba7ab7b
expect vectors/snp-report/go-sev-guest__attestation.bin measurement b07af9620f3b839b47996422ddec6058338951d984e312115131ea82705eaf5b6bdf8a9ece31a5a608eb0cf2e4872b01
expect vectors/snp-report/go-sev-guest__attestation.bin report_data 01020304050000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000
expect vectors/snp-report/ms-tav__turin_attestation_report.bin measurement 6d6c354511d6f7c6d7504668903dc5bdc066a048b651840d8d03fb85299ebfa142fccf1d1b0baca496841bdf243619d4
expect vectors/snp-report/ms-tav__turin_attestation_report.bin current_tcb.snp 4
expect vectors/snp-report/trustee__snp_test-vlek-report.bin signing_key vlek
expect vectors/dstack/dstack__tdx-lite-getquote.json replayed_rtmr.3 6f24c170d0fd63fc2b1b53202eea47b013978437fa6982cf5e0438ff95c208994aaa0f4ebab2e3a66824b5b56869137e
expect vectors/dstack/dstack__tdx-lite-getquote.json quote.mrtd fd685522ce791dfef67414614eb07d03fc07a32c5a66f36288b329dab92b724b1564c73d436ffb9ea84488c51ac5a1c5
expect vectors/dstack/dstack__quote-report.json rtmr_match.3 true
expect vectors/dstack/dstack__quote-report.json report_data 12340000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000
expect vectors/dstack/dstack__guest-agent_attestation.bin payload_len 5010
expect vectors/dstack/dstack__guest-agent_attestation.bin quote.mrtd e53236d44a074bc78e784cdfa1a2c858a5f6b53afc1b60d8f079662314978b64241b646d8498dd767d5ea48e1e115822
expect vectors/dstack/dstack__guest-agent_attestation.bin quote.report_data 00000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000
expect vectors/dstack/dstack__tdx-lite-attestation.json variant 0
expect vectors/dstack/dstack__tdx-lite-attestation.json payload_sha256 ce9491c22f10cefcc86ea2f20d443d7510a1ee12d7326419534fc096eace6452
expect vectors/dstack/dstack__tdx-lite-attestation.json quote.mrtd fd685522ce791dfef67414614eb07d03fc07a32c5a66f36288b329dab92b724b1564c73d436ffb9ea84488c51ac5a1c5
expect vectors/dstack/dstack__tdx-lite-attestation.json quote.report_data 646970313a3a736563703235366b31632d706b3a41353570576d74654a494a4f6a385f7049372d707a654478793147327131384744763838484e526442586b51
expect vectors/dstack/dstack__sev_snp_attestation.bin variant 3
expect vectors/dstack/dstack__sev_snp_attestation.bin payload_len 1184
expect vectors/dstack/dstack__sev_snp_attestation.bin report.measurement 7f51e17f72a04d5422cb2c00998166536019a217376f3aa45a630e59c805a599847ff250dbffcd07e1ba639771d6f05d
expect vectors/dstack/dstack__sev-snp-attestation.json attestation_len 8292
expect vectors/dstack/dstack__sev-snp-attestation.json report.version 3
expect vectors/dstack/dstack__sev-snp-attestation.json report.report_data 6174746573742d746573742d666978747572652d3230323600000000000000000000000000000000000000000000000000000000000000000000000000000000

expect vectors/dstack/dstack-examples__rtmr3-report.json hash_algorithm raw
expect vectors/dstack/dstack-examples__rtmr3-report.json rtmr_match.3 true
expect vectors/dstack/dstack__simulator-eventlog.json format dstack_event_log
expect vectors/dstack/dstack__simulator-eventlog.json events 27

# a bare event log with its quote given apart (--quote, binary or hex text as the simulator
# ships it) replays to the quote's RTMRs; without --quote nothing is compared
SIM=vectors/dstack/dstack__simulator-eventlog.json
xxd -p vectors/dstack/dstack__simulator-quote.bin >"$tmp/quote.hex"
for q in vectors/dstack/dstack__simulator-quote.bin "$tmp/quote.hex"; do
  "$BIN" --quote "$q" "$SIM" >"$tmp/outq" 2>"$tmp/errq" || { bad "--quote $q: exit $?"; cat "$tmp/errq"; }
  grep -q '"rtmr_match":\[true,true,true,true\]' "$tmp/outq" || bad "--quote $q: RTMRs do not all match"
done
grep -q '"rtmr_match":\[false,false,false,false\]' <("$BIN" "$SIM") || bad "bare log without --quote compared something"
# the runtime event log files of both generations, built from the simulator's RTMR3 events,
# replay to the quote's RTMR3
python3 - "$SIM" "$tmp" <<'PY'
import base64, json, sys
ev = [e for e in json.load(open(sys.argv[1])) if e["imr"] == 3]
open(sys.argv[2] + "/tdx_events.log", "w").write("".join(json.dumps(e) + "\n" for e in ev))
open(sys.argv[2] + "/runtime_events.log", "w").write("".join(json.dumps(
    {"event": e["event"], "payload": base64.b64encode(bytes.fromhex(e["event_payload"])).decode()}) + "\n" for e in ev))
PY
r3=$(field vectors/dstack/dstack__simulator-quote.bin rtmr3)
for l in tdx_events.log runtime_events.log; do
  "$BIN" "$tmp/$l" >"$tmp/outl" 2>"$tmp/errl" || { bad "$l: exit $?"; cat "$tmp/errl"; }
  grep -q "\"format\":\"dstack_runtime_log\".*\"replayed_rtmr3\":\"$r3\"" "$tmp/outl" || { bad "$l does not replay to RTMR3 $r3"; cat "$tmp/outl"; }
  grep -q '"rtmr3_match":true' <("$BIN" --quote vectors/dstack/dstack__simulator-quote.bin "$tmp/$l") || bad "$l --quote: no rtmr3_match true"
done
head -n 6 "$tmp/runtime_events.log" >"$tmp/short.log"
grep -q '"rtmr3_match":false' <("$BIN" --quote vectors/dstack/dstack__simulator-quote.bin "$tmp/short.log") || bad "a runtime log missing its last event still matches RTMR3"

# truncated files: exit 1, an E_ line on stderr naming the file, the good file still printed
head -c 1000 vectors/tdx-quote/trustee__tdx_quote_4.dat >"$tmp/trunc-quote.bin"
head -c 1183 vectors/snp-report/teekit__sev-gcp.bin >"$tmp/trunc-snp.bin"
"$BIN" "$tmp/trunc-quote.bin" vectors/snp-report/teekit__sev-gcp.bin "$tmp/trunc-snp.bin" >"$tmp/out2" 2>"$tmp/err2"
rc=$?
[ $rc -eq 1 ] || bad "truncated files: exit $rc, want 1"
grep -q "^$tmp/trunc-quote.bin: E_QUOTE_SIGLEN_BOUNDS: " "$tmp/err2" || { bad "no E_QUOTE_SIGLEN_BOUNDS line"; cat "$tmp/err2"; }
grep -q "^$tmp/trunc-snp.bin: E_SNP_REPORT_SIZE: " "$tmp/err2" || { bad "no E_SNP_REPORT_SIZE line"; cat "$tmp/err2"; }
[ "$(wc -l <"$tmp/out2")" -eq 1 ] || bad "want exactly one JSON line for the one good file"

# strict: the 39 non-zero trailing bytes of SPR_E4 become an error
"$BIN" --strict vectors/tdx-quote/go-tdx-guest__tdx_prod_quote_SPR_E4.dat >/dev/null 2>"$tmp/err3"
rc=$?
[ $rc -eq 1 ] || bad "--strict SPR_E4: exit $rc, want 1"
grep -q ": E_QUOTE_TRAILING: " "$tmp/err3" || bad "--strict: no E_QUOTE_TRAILING"

# stdin, unreadable file, usage
"$BIN" - <vectors/snp-report/teekit__sev-gcp.bin >"$tmp/out4" 2>/dev/null || bad "stdin input failed"
grep -q '"file":"-","format":"snp_report"' "$tmp/out4" || bad "stdin: no snp_report line"
"$BIN" "$tmp/does-not-exist" >/dev/null 2>&1; rc=$?
[ $rc -eq 2 ] || bad "missing file: exit $rc, want 2"
"$BIN" >/dev/null 2>&1; rc=$?
[ $rc -eq 2 ] || bad "no arguments: exit $rc, want 2"
"$BIN" --help >"$tmp/help" || bad "--help: exit $?"
grep -q "qe_report_binding" "$tmp/help" || bad "--help does not document the output fields"

# output errors are errors: a full device, for the JSON and for --help
good=vectors/snp-report/teekit__sev-gcp.bin
"$BIN" "$good" >/dev/full 2>"$tmp/full.err"; rc=$?
[ $rc -eq 2 ] && grep -qx 'teeabi-parse: stdout: No space left on device' "$tmp/full.err" || bad "stdout on /dev/full: exit $rc, stderr: $(cat "$tmp/full.err")"
"$BIN" --help >/dev/full 2>"$tmp/full.err"; rc=$?
[ $rc -eq 2 ] && grep -q 'stdout: No space left on device' "$tmp/full.err" || bad "--help on /dev/full: exit $rc"
# not a regular file: refused at once (a FIFO without a writer would block a plain open)
mkfifo "$tmp/fifo"
timeout 5 "$BIN" "$tmp/fifo" "$good" >"$tmp/out5" 2>"$tmp/err5"; rc=$?
[ $rc -eq 2 ] && grep -q "^$tmp/fifo: E_IO: cannot open: not a regular file" "$tmp/err5" && [ "$(wc -l <"$tmp/out5")" -eq 1 ] ||
  bad "FIFO: exit $rc (124 = blocked), stderr: $(cat "$tmp/err5")"
timeout 5 "$BIN" vectors >/dev/null 2>"$tmp/err6"; rc=$?
[ $rc -eq 2 ] && grep -q "^vectors: E_IO: cannot open: not a regular file" "$tmp/err6" || bad "directory: exit $rc, stderr: $(cat "$tmp/err6")"
# usage errors: one line naming the option
"$BIN" --no-such "$good" >/dev/null 2>"$tmp/err7"; rc=$?
[ $rc -eq 2 ] && [ "$(wc -l <"$tmp/err7")" -eq 1 ] && grep -q -- '--no-such' "$tmp/err7" || bad "unknown option: exit $rc, $(wc -l <"$tmp/err7") lines"

# --verify with a time: the real Turin report with its VCEK and ASK (vectors/snp-certs/; the
# VCEK is valid 2026-02-05 01:04:33 to 2033-02-05 01:04:33, `openssl x509 -dates`) is genuine
# in between, not genuine (exit 1, "has expired" / "is not yet valid") outside
cat vectors/snp-certs/ms-tav__turin_vcek.pem vectors/snp-certs/ms-tav__turin_ask.pem >"$tmp/turin.pem"
turin=vectors/snp-report/ms-tav__turin_attestation_report.bin
for c in "2026-07-01|0|genuineness: genuine (" "2033-02-05T01:04:34Z|1|CN=SEV-VCEK has expired at 2033-02-05 01:04:34" \
	"@1770253472|1|CN=SEV-VCEK is not yet valid at 2026-02-05 01:04:32" "2033-02-05T01:04:32Z|0|genuineness: genuine ("; do
	IFS='|' read -r at want text <<<"$c"
	"$BIN" --verify --vcek "$tmp/turin.pem" --at "$at" "$turin" >"$tmp/v.out" 2>&1; rc=$?
	[ $rc = "$want" ] && grep -qF "$text" "$tmp/v.out" && grep -q "2026-02-05 01:04:33 to 2033-02-05 01:04:33" "$tmp/v.out" ||
		bad "--verify --at $at: exit $rc, want $want and '$text': $(tail -1 "$tmp/v.out")"
done
for at in 2026-02-30 2026-07-01T00:00 @ now; do
	"$BIN" --verify --vcek "$tmp/turin.pem" --at "$at" "$turin" >/dev/null 2>"$tmp/v.err"; rc=$?
	[ $rc = 2 ] && grep -q -- '--at needs' "$tmp/v.err" || bad "--verify --at $at: exit $rc, $(cat "$tmp/v.err")"
done
"$BIN" --at 2026-07-01 "$turin" >/dev/null 2>&1; rc=$?
[ $rc = 2 ] || bad "--at without --verify: exit $rc"

[ $fail -eq 0 ] && echo "teeabi-parse: ${#files[@]} vectors ok, error paths ok, --verify --at ok"
exit $fail
