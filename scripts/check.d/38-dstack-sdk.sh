#!/usr/bin/env bash
# check step: dstack's own JavaScript SDK, unmodified, against the mock guest agent. The
# published @phala/dstack-sdk 0.5.8 tarball (sha256 pinned below) with the two packages it
# loads at start (@noble/hashes 1.8.0, @noble/curves 1.9.7, pinned too) is fetched with
# `npm pack` on first use and cached in build/third-party/; mocks/clients/dstack_sdk_client.js
# calls getQuote, info, getKey, version, emitEvent and the legacy TappdClient.tdxQuote inside
# mockenv, where the SDK finds /var/run/dstack.sock and /var/run/tappd.sock by its own search.
# Then the curl recipes of dstack's API documentation (sdk/curl/api.md @ v0.5.11) run against
# the same agent. Results are judged with teeabi-parse and openssl (nothing the mock says about
# itself is taken on trust):
#   dstack-0.5.9      stripped event log: quote signature, report_data = RD zero-padded,
#                     RTMR0..3 replay; info's tcb_info = the quote; getKey 32 bytes and a
#                     chain; version 0.5.9; emitEvent moves the next quote's RTMR3 to
#                     SHA-384(old || V1 digest) computed here and the log replays to it;
#                     tdxQuote(sha256) = SHA-256("app-data:" || RD); curl recipes
#   dstack-0.5.5      full event log, and the SDK's own replayRtmrs() agrees with the quote;
#                     no Version RPC (the SDK's version() fails), no Attest
#   dstack-0.6.0-tdx  as 0.5.9 (Attest through curl decodes with our report data)
#   negative controls: agent-reportdata-hashed and agent-event-digest-wrong make the same
#                     checks FAIL.
# Without node, npm or the registry the step says SKIP (exit 77) and why. Budget: 100 s
# (a run takes about 2 s).
set -uo pipefail
# shellcheck source=../clients_lib.sh
. "$(dirname "$0")/../clients_lib.sh"
clients_setup 38-dstack-sdk python3 xxd openssl od tar sha256sum curl
command -v node >/dev/null || { echo "SKIP: needs node to run @phala/dstack-sdk (apt-get install nodejs)"; exit 77; }

# ---------------------------------------------------------------- the SDK
NM=$T/node_modules
mkdir -p "$NM/@phala" "$NM/@noble"
fetch() { # PKG VER SHA256 LINK
  local dir
  dir=$(npm_fetch "$1" "$2" "$3") || exit $?
  ln -s "$dir/package" "$NM/$4"
  echo "package: $1@$2 (tarball sha256 $3)"
}
fetch @phala/dstack-sdk 0.5.8 a78a0ffcc429c22c939b9c92b05406881c56220927a3462cc70de9d6c1d5d15c @phala/dstack-sdk
fetch @noble/hashes 1.8.0 e8a765d92c04faaccba8776411c5038cb195f812ee629fce07e1d2e6aec80ea0 @noble/hashes
fetch @noble/curves 1.9.7 c4c5545645b8d58a080d2faf84982f6fe5dc3a0516e11de8dc571b38cab565e9 @noble/curves
export NODE_PATH=$NM CLIENT=$ROOT/mocks/clients/dstack_sdk_client.js
export RD EVENT PAYLOAD
RD=$(head -c 32 /dev/urandom | od -An -tx1 | tr -d ' \n')
EVENT=teeabi-sdk-$$
PAYLOAD=$(head -c 20 /dev/urandom | od -An -tx1 | tr -d ' \n')
ZERO64=$(printf '%0128d' 0)

# ---------------------------------------------------------------- helpers
# v1 EVENT PAYLOADHEX: the V1 runtime-event digest, SHA-384(LE32(0x08000001) ":" e ":" p)
v1() { { printf '\001\000\000\010:%s:' "$1"; printf '%s' "$2" | xxd -r -p; } | openssl dgst -sha384 -binary | xxd -p -c 48; }
pad64() { local h=$1; while [ ${#h} -lt 128 ]; do h=${h}0; done; echo "$h"; }

run_sdk() { # DIR PROFILE [--fault F]
  local dir=$1 p=$2; shift 2
  menv "$dir" --profile "$p" "$@" -- sh -c '
    O=$1
    node "$CLIENT" $O >$O/node.out 2>&1; echo $? >$O/node.rc
    S=/var/run/dstack.sock
    curl -s --unix-socket $S -X POST http://dstack/GetQuote -H "Content-Type: application/json" \
      -d "{\"report_data\": \"1234deadbeaf\"}" >$O/curl-getquote-post.json
    curl -s --unix-socket $S "http://dstack/GetQuote?report_data='$ZERO64'" >$O/curl-getquote-get.json
    curl -s --unix-socket $S http://dstack/Info >$O/curl-info.json
    curl -s --unix-socket $S -X POST http://dstack/GetKey -H "Content-Type: application/json" \
      -d "{\"path\": \"my/key/path\", \"purpose\": \"signing\"}" >$O/curl-getkey.json
    curl -s --unix-socket $S "http://dstack/GetKey?path=my/key/path&purpose=signing" >$O/curl-getkey-get.json
    curl -s -o $O/curl-emit.out -w "%{http_code}" --unix-socket $S -X POST http://dstack/EmitEvent \
      -H "Content-Type: application/json" -d "{\"event\": \"custom-event\", \"payload\": \"deadbeef\"}" >$O/curl-emit.code
    curl -s -o $O/curl-attest.json -w "%{http_code}" --unix-socket $S -X POST http://dstack/Attest \
      -H "Content-Type: application/json" -d "{\"report_data\": \"1234deadbeaf\"}" >$O/curl-attest.code
    curl -s -o $O/curl-toolong.json -w "%{http_code}" --unix-socket $S "http://dstack/GetQuote?report_data='$ZERO64'00" >$O/curl-toolong.code
    true' sh "$dir"
}

check_sdk() { # DIR PROFILE
  local O=$1 p=$2 Q I E old want TQ A
  eq run "mockenv ran the SDK client" "$(txt "$O/rc") $(txt "$O/node.rc")" "0 0"
  eq endpoint "the SDK found the agent at /var/run/dstack.sock (its first choice)" "$(jx "$(txt "$O/endpoint.json")" "d['endpoint']")" /var/run/dstack.sock
  Q=$(parse "$O/getquote.json")
  eq getquote "getQuote: a GetQuote response whose quote verifies, report_data = RD zero-padded" \
    "$(jx "$Q" "[d['format'], d['quote']['signature'], d['quote']['qe_report_binding'], d['quote']['report_data'], d['report_data_match']]")" \
    "['dstack_quote_json', True, True, '$(pad64 "$RD")', True]"
  eq replay "getQuote: its event log replays to RTMR0..3 of the quote" "$(jx "$Q" "d['rtmr_match']")" "[True, True, True, True]"
  I=$(txt "$O/info.json")
  eq info "info(): tcb_info (parsed by the SDK) has the quote's MRTD and RTMR3" \
    "$(jx "$I" "[d['tcb_info']['mrtd'], d['tcb_info']['rtmr3']]")" "$(jx "$Q" "[d['quote']['mrtd'], d['quote']['rtmr3']]")"
  eq getkey "getKey: a 32-byte key and a signature chain" "$(jx "$(txt "$O/getkey.json")" "[len(d['key']), d['chain'] > 0]")" "[64, True]"
  E=$(parse "$O/emit.json")
  old=$(jx "$Q" "d['quote']['rtmr3']")
  want=$(sha384_ext "$old" "$(v1 "$EVENT" "$PAYLOAD")")
  eq emit "emitEvent: the next quote's RTMR3 = SHA-384(old || V1 digest) and its log replays to it" \
    "$(jx "$E" "[d['quote']['rtmr3'], d['rtmr_match'][3]]")" "['$want', True]"
  TQ=$(parse "$O/tappd.json")
  want=$(pad64 "$({ printf 'app-data:'; printf '%s' "$RD" | xxd -r -p; } | openssl dgst -sha256 -binary | xxd -p -c 32)")
  eq tappd "TappdClient.tdxQuote(sha256): report_data = SHA-256(\"app-data:\" || RD) zero-padded" \
    "$(jx "$TQ" "[d['hash_algorithm'], d['prefix'], d['quote']['report_data'], d['rtmr_match'][3]]")" "['sha256', 'app-data', '$want', True]"
  case $p in
    dstack-0.5.5)
      eq version "version(): the SDK reports no Version RPC (< 0.5.7)" "$(jx "$(txt "$O/version.json")" "'error' in d")" true
      eq sdk-replay "full event log: the SDK's own replayRtmrs() equals the quote's RTMRs" \
        "$(jx "$(txt "$O/sdk-replay.json")" "d")" "$(jx "$Q" "[d['quote']['rtmr%d' % i] for i in range(4)]")"
      eq curl-attest "Attest absent (< 0.5.6): HTTP 404" "$(txt "$O/curl-attest.code")" 404 ;;
    *)
      eq version "version(): the guest-agent crate's version (the profile's first agent_crate_version)" \
        "$(jx "$(txt "$O/version.json")" "d['version']")" \
        "$(sed -n 's/^agent_crate_version = \([^|]*\).*/\1/p' "mocks/profiles/$p.conf")"
      A=$(parse "$O/curl-attest.json")
      eq curl-attest "curl Attest: a VersionedAttestation carrying our report data" \
        "$(txt "$O/curl-attest.code") $(jx "$A" "[d['format'], d['report_data'][:12], d.get('report_data_match')]")" \
        "200 ['dstack_attestation', '1234deadbeaf', True]" ;;
  esac
  eq curl-getquote "curl POST GetQuote 1234deadbeaf: report_data 1234deadbeaf zero-padded, replays" \
    "$(jx "$(parse "$O/curl-getquote-post.json")" "[d['quote']['report_data'], d['rtmr_match']]")" "['$(pad64 1234deadbeaf)', [True, True, True, True]]"
  eq curl-getquote-get "curl GET GetQuote?report_data=0...: zero report_data" \
    "$(jx "$(parse "$O/curl-getquote-get.json")" "d['quote']['report_data']")" "$ZERO64"
  eq curl-info "curl GET Info: tcb_info is a JSON string" "$(jx "$(txt "$O/curl-info.json")" "isinstance(json.loads(d['tcb_info']), dict)")" true
  local k1 k2
  k1=$(jx "$(txt "$O/curl-getkey.json")" "d['key']")
  k2=$(jx "$(txt "$O/curl-getkey-get.json")" "d['key']")
  eq curl-getkey "curl GetKey (POST and GET): the same 32-byte key" "${#k1} $([ "$k1" = "$k2" ] && echo same)" "64 same"
  eq curl-emit "curl EmitEvent custom-event: HTTP 200" "$(txt "$O/curl-emit.code")" 200
  eq curl-toolong "curl GetQuote with 65 bytes: an error, no quote" \
    "$(txt "$O/curl-toolong.code") $(jx "$(txt "$O/curl-toolong.json")" "['error' in d, bool(d.get('quote'))]")" "400 [True, False]"
}

for p in dstack-0.5.9 dstack-0.5.5 dstack-0.6.0-tdx; do
  run_sdk "$T/$p" "$p"; L=$p; report "$(check_sdk "$T/$p" "$p")"
done

# ---------------------------------------------------------------- negative controls
run_059() { run_sdk "$1" dstack-0.5.9 "${@:2}"; }
check_059() { check_sdk "$1" dstack-0.5.9; }
control run_059 check_059 dstack-0.5.9 agent-reportdata-hashed getquote curl-getquote
control run_059 check_059 dstack-0.5.9 agent-event-digest-wrong replay emit

clients_finish 38-dstack-sdk
