#!/usr/bin/env bash
# check step: third-party parsers as a second opinion on teeabi-parse. Each decodes every piece
# of evidence we have with its own code; every field it reports must equal teeabi-parse's
# (scripts/xcheck/compare_fields.py):
#   TDX quotes   Phala's dcap-qvl (@phala/dcap-qvl, the decoder behind dstack's verifiers),
#                Quote.parse (scripts/xcheck/dcap_qvl_fields.js): version, TEE type, body
#                type, QE vendor, every TD report field, inner certification data type
#   SNP reports  Tinfoil's verifier (@tinfoilsh/verifier, dist/sev/report.js, go-sev-guest's
#                checks in JavaScript; scripts/xcheck/tinfoil_snp_fields.mjs): every report
#                field, TCB values, firmware versions, signer bits, CPUID
# over:
#   vectors/     real evidence: both accept and agree (SNP: Tinfoil's parser is a VCEK-only
#                verifier that predates report v5 and the Turin TCB layout, and rejects must-be-
#                zero bytes that teeabi only warns about: such rejections are listed)
#   mock         evidence from configfs-tsm of every TDX / SNP mock profile: both accept, agree
#                (Tinfoil's refusals of the VLEK- and the Turin-profile's reports are listed)
#   corpus/      crafted seeds: fields agree where both accept; rejections by one side listed
#                (teeabi is stricter in structure, Tinfoil in policy); for TDX a quote only
#                dcap-qvl rejects is a failure
#   mutants      300 seeded variants each of the real quotes and reports (scripts/xcheck/
#                mutate.py), judged like the corpus
# A negative control shows that a doctored field is caught. The packages come from the npm
# registry (tarball sha256 pinned, cached in build/third-party/); without npm or Node.js the
# step says SKIP (exit 77) and why.
set -uo pipefail
# shellcheck source=../clients_lib.sh
. "$(dirname "$0")/../clients_lib.sh"
if ! command -v node >/dev/null; then echo "SKIP: 37-xcheck needs Node.js to run the third-party parsers (apt-get install nodejs npm)"; exit 77; fi
clients_setup 37-xcheck python3 node xxd od tar sha256sum
qvl=$(npm_fetch @phala/dcap-qvl 0.3.9 56d8b31e8012659c0a787123ccbfe11d132d8b2b09aaffe16d20c3ac0f7e266b) || exit $?
tin=$(npm_fetch @tinfoilsh/verifier 1.1.0 c43db3732cd2353e9d7a044c4a6d664ef8fe2a307f4f550ef123a43ace914ea0) || exit $?
echo "third-party parsers: @phala/dcap-qvl@0.3.9 (src/quote.js), @tinfoilsh/verifier@1.1.0 (dist/sev/report.js)"
declare -A TOOL=(
  [tdx]="$ROOT/scripts/xcheck/dcap_qvl_fields.js $qvl/package/src/quote.js"
  [snp]="$ROOT/scripts/xcheck/tinfoil_snp_fields.mjs $tin/package/dist/sev/report.js"
)

# ours FILE...: teeabi-parse's JSON line per file, {"file", "error"} for a rejected one
ours() {
  local f
  for f in "$@"; do
    "$PARSE" "$f" 2>"$T/err" || python3 -c 'import json, sys; print(json.dumps({"file": sys.argv[1], "error": sys.argv[2]}))' "$f" "$(head -1 "$T/err")"
  done
}
# compare KIND LABEL [FLAGS...] -- FILE...
compare() {
  local kind=$1 label=$2 flags=() out; shift 2
  while [ "$1" != -- ]; do flags+=("$1"); shift; done; shift
  # shellcheck disable=SC2086  # TOOL holds "script module-path"
  node ${TOOL[$kind]} "$@" >"$T/$label.theirs" 2>"$T/$label.node.err" ||
    { echo "FAIL: $label: the third-party parser did not run: $(head -3 "$T/$label.node.err")"; fails=$((fails + 1)); return; }
  ours "$@" >"$T/$label.ours"
  out=$(python3 "$ROOT/scripts/xcheck/compare_fields.py" "${flags[@]}" "$T/$label.theirs" "$T/$label.ours" "$label")
  report "$out"
}

compare tdx tdx-vectors -- vectors/tdx-quote/*
compare snp snp-vectors --theirs-rejects-ok -- vectors/snp-report/*

# negative control: the comparison fails when one field of teeabi-parse's output is wrong
python3 - "$T/tdx-vectors.ours" "$T/ctl.ours" <<'PY'
import json, sys
lines = [json.loads(l) for l in open(sys.argv[1])]
d = next(x for x in lines if "rtmr2" in x)
d["rtmr2"] = ("0" if d["rtmr2"][0] != "0" else "1") + d["rtmr2"][1:]
open(sys.argv[2], "w").write("".join(json.dumps(x) + "\n" for x in lines))
PY
if python3 scripts/xcheck/compare_fields.py "$T/tdx-vectors.theirs" "$T/ctl.ours" control >"$T/ctl.out"; then
  echo "FAIL: control: a changed rtmr2 in teeabi-parse's output went unnoticed"; fails=$((fails + 1))
elif grep -q '^FAIL: control .*rtmr2' "$T/ctl.out"; then
  echo "ok: control: a changed rtmr2 in teeabi-parse's output is a disagreement"
else
  echo "FAIL: control: the comparison failed without naming rtmr2: $(grep -m1 FAIL "$T/ctl.out")"; fails=$((fails + 1))
fi

# mock evidence: one configfs outblob per profile with configfs-tsm
mkdir -p "$T/mock"
for prof in dstack-0.6.0-tdx dstack-0.6.0a1-tdx upstream-6.7-tdx upstream-6.16-tdx upstream-7.0-tdx \
            dstack-0.6.0-snp upstream-6.7-snp upstream-6.11-snp upstream-6.11-snp-svsm upstream-6.12-snp-turin; do
  menv "$T/run.$prof" --profile "$prof" -- sh -c '
    e=/sys/kernel/config/tsm/report/teeabi-xcheck
    mkdir $e || exit 1
    # under an SVSM the guest runs above VMPL0: ask at its own level (the floor)
    [ -e $e/privlevel_floor ] && cat $e/privlevel_floor >$e/privlevel
    head -c 64 /dev/urandom | dd of=$e/inblob bs=64 count=1 2>/dev/null && cat $e/outblob >"$1"
    rc=$?; rmdir $e; exit $rc' sh "$T/mock/$prof.blob"
  if [ "$(txt "$T/run.$prof/rc")" != 0 ] || [ ! -s "$T/mock/$prof.blob" ]; then
    echo "FAIL: mock $prof: no outblob from configfs: $(tail -2 "$T/run.$prof/mockenv.log")"; fails=$((fails + 1))
  fi
done
cd "$T/mock" || exit 1
compare tdx tdx-mock -- ./*tdx.blob
vcek_blobs=(); for f in ./*snp*.blob; do [[ $f == *-svsm.blob || $f == *-turin.blob ]] || vcek_blobs+=("$f"); done
compare snp snp-mock -- "${vcek_blobs[@]}"
# the SVSM profile's reports are VLEK-signed (snp_signer = vlek), which Tinfoil refuses
compare snp snp-mock-vlek --theirs-rejects-ok -- ./upstream-6.11-snp-svsm.blob
# Turin's TCB layout (FMC, BL, TEE, SNP in bytes 0-3) has non-zero bytes where Milan/Genoa
# have reserved ones, which Tinfoil (legacy layout only) calls malformed
compare snp snp-mock-turin --theirs-rejects-ok -- ./upstream-6.12-snp-turin.blob
cd "$ROOT" || exit 1

compare tdx tdx-corpus --stricter-ok -- corpus/tdx_quote/*
compare snp snp-corpus --stricter-ok --theirs-rejects-ok -- corpus/snp_report/*

# mutants: seeded hostile variants of the real evidence (bytes changed in the header, body and
# length fields, cuts, trailing bytes): fields agree wherever both accept
python3 scripts/xcheck/mutate.py 1 300 1400 "$T/mut-tdx" vectors/tdx-quote/*
python3 scripts/xcheck/mutate.py 2 300 512 "$T/mut-snp" vectors/snp-report/*
cd "$T" || exit 1
compare tdx tdx-mutants --stricter-ok --quiet -- mut-tdx/m_*
compare snp snp-mutants --stricter-ok --theirs-rejects-ok --quiet -- mut-snp/m_*
cd "$ROOT" || exit 1

clients_finish 37-xcheck
