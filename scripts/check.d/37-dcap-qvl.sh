#!/usr/bin/env bash
# check step: a third-party quote parser against teeabi-parse. Phala's dcap-qvl (the
# JavaScript package; dstack's verifiers use the same library) decodes every TDX quote we
# have, through its own Quote.parse (scripts/xcheck/dcap_qvl_fields.js), and every field it
# reports (version, TEE type, body type, QE vendor, all TD report fields, inner certification
# data type) must equal teeabi-parse's (scripts/xcheck/compare_fields.py):
#   vectors/tdx-quote/*   real quotes: both parsers accept, fields equal
#   mock quotes           configfs outblobs of every TDX profile with configfs-tsm (mockenv):
#                         both accept, fields equal (the mock's evidence is a real DCAP quote
#                         to an independent decoder)
#   corpus/tdx_quote/*    crafted inputs: fields equal where both accept; a file only
#                         teeabi-parse rejects is listed (teeabi is stricter by design), a file
#                         only dcap-qvl rejects is a failure
# The package comes from the npm registry (tarball sha256 pinned, cached in build/third-party/).
set -uo pipefail
# shellcheck source=../clients_lib.sh
. "$(dirname "$0")/../clients_lib.sh"
if ! command -v node >/dev/null; then echo "SKIP: 37-dcap-qvl needs Node.js to run dcap-qvl (apt-get install nodejs npm)"; exit 77; fi
clients_setup 37-dcap-qvl python3 node xxd od tar sha256sum
PKG=@phala/dcap-qvl VER=0.3.9
TGZ_PIN=56d8b31e8012659c0a787123ccbfe11d132d8b2b09aaffe16d20c3ac0f7e266b
dir=$(npm_fetch "$PKG" "$VER" "$TGZ_PIN") || exit $?
QJS=$dir/package/src/quote.js
echo "third-party parser: $PKG@$VER (src/quote.js of the published tarball)"

# ours FILE...: teeabi-parse's JSON line per file, {"file", "error"} for a rejected one
ours() {
  local f
  for f in "$@"; do
    "$PARSE" "$f" 2>"$T/err" || python3 -c 'import json, sys; print(json.dumps({"file": sys.argv[1], "error": sys.argv[2]}))' "$f" "$(head -1 "$T/err")"
  done
}
# compare LABEL [--stricter-ok] FILE...
compare() {
  local label=$1 flag=() out; shift
  if [ "$1" = --stricter-ok ]; then flag=(--stricter-ok); shift; fi
  node "$ROOT/scripts/xcheck/dcap_qvl_fields.js" "$QJS" "$@" >"$T/$label.theirs" 2>"$T/$label.node.err" ||
    { echo "FAIL: $label: dcap-qvl run failed: $(head -3 "$T/$label.node.err")"; fails=$((fails + 1)); return; }
  ours "$@" >"$T/$label.ours"
  out=$(python3 "$ROOT/scripts/xcheck/compare_fields.py" "${flag[@]}" "$T/$label.theirs" "$T/$label.ours" "$label")
  report "$out"
}

compare vectors vectors/tdx-quote/*

# negative control: the comparison fails when one field of teeabi-parse's output is wrong
python3 - "$T/vectors.ours" "$T/ctl.ours" <<'PY'
import json, sys
lines = [json.loads(l) for l in open(sys.argv[1])]
d = next(x for x in lines if "rtmr2" in x)
d["rtmr2"] = ("0" if d["rtmr2"][0] != "0" else "1") + d["rtmr2"][1:]
open(sys.argv[2], "w").write("".join(json.dumps(x) + "\n" for x in lines))
PY
if python3 scripts/xcheck/compare_fields.py "$T/vectors.theirs" "$T/ctl.ours" control >"$T/ctl.out"; then
  echo "FAIL: control: a changed rtmr2 in teeabi-parse's output went unnoticed"; fails=$((fails + 1))
elif grep -q '^FAIL: control .*rtmr2' "$T/ctl.out"; then
  echo "ok: control: a changed rtmr2 in teeabi-parse's output is a disagreement"
else
  echo "FAIL: control: the comparison failed without naming rtmr2: $(grep -m1 FAIL "$T/ctl.out")"; fails=$((fails + 1))
fi

# mock quotes: one configfs outblob per TDX profile with configfs-tsm
mkdir -p "$T/mock"
for prof in dstack-0.6.0-tdx dstack-0.6.0a1-tdx upstream-6.7-tdx upstream-6.16-tdx upstream-7.0-tdx; do
  menv "$T/run.$prof" --profile "$prof" -- sh -c '
    e=/sys/kernel/config/tsm/report/teeabi-qvl
    mkdir $e && head -c 64 /dev/urandom | dd of=$e/inblob bs=64 count=1 2>/dev/null && cat $e/outblob >"$1"
    rc=$?; rmdir $e; exit $rc' sh "$T/mock/$prof.quote"
  if [ "$(txt "$T/run.$prof/rc")" != 0 ] || [ ! -s "$T/mock/$prof.quote" ]; then
    echo "FAIL: mock $prof: no quote from configfs: $(tail -2 "$T/run.$prof/mockenv.log")"; fails=$((fails + 1))
  fi
done
cd "$T/mock" || exit 1
compare mock ./*.quote
cd "$ROOT" || exit 1

compare corpus --stricter-ok corpus/tdx_quote/*

clients_finish 37-dcap-qvl
