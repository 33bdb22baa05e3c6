# shellcheck shell=bash
# scripts/clients_lib.sh - sourced by the client check steps (scripts/check.d/35-clients.sh,
# 36-intel-dcap.sh): set-up inside a private work directory, running a script in mockenv,
# and checks that print "ok: LABEL ID: ..." or "FAIL: LABEL ID: ...".
#
# clients_setup STEP TOOL...: cd to the top of the tree, require root, /dev/fuse and the
# tools, build mockfs, mockenv and teeabi-parse (plus $EXTRA_TARGETS), make $T (removed at
# exit unless KEEP is set) with a private $TMPDIR for mockenv. Sets ROOT B ME PARSE T fails.
clients_setup() {
  local step=$1 tool; shift
  cd "$(dirname "${BASH_SOURCE[0]}")/.." || exit 1
  ROOT=$PWD B=${B:-build} fails=0
  if [ "$(id -u)" != 0 ]; then echo "FAIL: $step needs root (mount namespace + FUSE); not run"; exit 1; fi
  if [ ! -c /dev/fuse ]; then echo "FAIL: $step needs /dev/fuse; not run"; exit 1; fi
  for tool in "$@"; do
    command -v "$tool" >/dev/null || { echo "FAIL: $step needs $tool; not run"; exit 1; }
  done
  local targets=("$B/bin/mockfs" "$B/bin/mockenv" "$B/bin/teeabi-parse")
  for tool in ${EXTRA_TARGETS:-}; do targets+=("$B/bin/$tool"); done
  make -s -j"$(nproc)" "${targets[@]}" >/dev/null || { echo "FAIL: build"; exit 1; }
  ME=$ROOT/$B/bin/mockenv
  PARSE=$ROOT/$B/bin/teeabi-parse
  T=$(mktemp -d -t "teeabi-$step.XXXXXX")
  trap '[ -n "${KEEP:-}" ] || rm -rf "$T"' EXIT
  # mockenv makes its work directory under $TMPDIR: a private one (clients_finish checks it)
  mkdir -p "$T/tmp"
  export TMPDIR=$T/tmp
  START=$SECONDS
}

# clients_finish STEP: no mockenv work directory left behind; the step's verdict.
clients_finish() {
  local left
  left=$(ls -A "$T/tmp")
  if [ -z "$left" ]; then echo "ok: no mockenv work directory left in \$TMPDIR"
  else echo "FAIL: mockenv left work directories: $left"; fails=$((fails + 1)); fi
  echo "$1: $fails failure(s)"
  [ "$fails" = 0 ]
}

# txt FILE: its content (nothing if a failed run did not write it)
txt() { cat "$1" 2>/dev/null; }
# val KEY FILE: the value of KEY= in a client's output
val() { sed -n "s/^$1=//p" "$2" 2>/dev/null | head -1; }
# sha384_ext OLDHEX DATAHEX: SHA-384(old || data), computed by openssl
sha384_ext() { printf '%s%s' "$1" "$2" | xxd -r -p | openssl dgst -sha384 -binary | xxd -p -c 48; }
# parse FILE: teeabi-parse's JSON line (empty, with the error in $T/parse.err, if none)
parse() { "$PARSE" "$1" 2>"$T/parse.err"; }
parse_hex() { echo -n "$1" | xxd -r -p >"$T/blob.bin"; parse "$T/blob.bin"; }
# jx JSON EXPR: a Python expression over d (the parsed JSON); "<no json>" when none
jx() { python3 -c '
import json, sys
try: d = json.loads(sys.argv[1])
except Exception: print("<no json>"); sys.exit()
try: v = eval(sys.argv[2])
except Exception as e: v = "<%s>" % type(e).__name__
print(json.dumps(v) if isinstance(v, bool) or v is None else v)' "$1" "$2"; }
# checks print "ok: L ID: MESSAGE" / "FAIL: L ID: MESSAGE: got .. want .."
eq() { # ID MESSAGE GOT WANT
  if [ "$3" = "$4" ]; then echo "ok: $L $1: $2"; else echo "FAIL: $L $1: $2: got '${3:0:160}' want '${4:0:160}'"; fi
}
truth() { # ID MESSAGE DETAIL CMD...
  local id=$1 msg=$2 detail=$3; shift 3
  if "$@"; then echo "ok: $L $id: $msg"; else echo "FAIL: $L $id: $msg: ${detail:0:300}"; fi
}

# menv DIR PROFILE [--fault F] -- SCRIPT: run SCRIPT (sh) inside mockenv, output under DIR,
# its exit status in DIR/rc. All runs of a step share one time budget (BUDGET seconds; a
# normal run takes about 1 s).
BUDGET=${BUDGET:-100}
menv() {
  local dir=$1 left=$((START + BUDGET - SECONDS)); shift
  mkdir -p "$dir"
  if [ $left -lt 2 ]; then echo "time budget of $BUDGET s used up" >"$dir/mockenv.log"; echo 124 >"$dir/rc"; return; fi
  timeout $left "$ME" "$@" >"$dir/mockenv.log" 2>&1
  echo $? >"$dir/rc"
}

# report OUTPUT: print a check function's output, count its FAIL lines
report() {
  echo "$1"
  fails=$((fails + $(grep -c '^FAIL:' <<<"$1")))
}

# control RUN CHECK LABEL FAULT ID...: run RUN with FAULT injected and the same CHECK; each
# ID must now FAIL (and the run itself must have worked: CHECK's "run" line passes)
control() {
  local run=$1 check=$2 label=$3 fault=$4 id out missed= dir
  shift 4
  dir=$T/ctl.$label.$fault
  "$run" "$dir" --fault "$fault"
  out=$(L=$label "$check" "$dir")
  if ! grep -q "^ok: $label run:" <<<"$out"; then
    echo "FAIL: control $fault: mockenv did not run: $(tail -2 "$dir/mockenv.log" 2>/dev/null)"; fails=$((fails + 1)); return
  fi
  for id in "$@"; do grep -q "^FAIL: $label $id:" <<<"$out" || missed="$missed $id"; done
  if [ -z "$missed" ]; then
    echo "ok: control $fault ($label): the checks $* fail (all failing: $(sed -n "s/^FAIL: $label \([^:]*\):.*/\1/p" <<<"$out" | tr '\n' ' '| sed 's/ $//'))"
  else
    echo "FAIL: control $fault ($label): checks blind to the fault:$missed"; fails=$((fails + 1))
  fi
}

# npm_fetch PKG VER TGZ_SHA256: the published tarball of PKG@VER, fetched once with `npm pack`
# (the tarball only: no dependencies, no install scripts), its sha256 checked against the pin,
# unpacked under $ROOT/$B/third-party/PKG@VER/ (the directory is printed). Without npm or the
# registry: prints SKIP and why, and exits 77 (check.sh counts the step as skipped).
npm_fetch() {
  local pkg=$1 ver=$2 pin=$3 dir tgz got nrc
  dir=$ROOT/$B/third-party/${pkg//\//_}@$ver
  if [ ! -f "$dir/.ok" ]; then
    if ! command -v npm >/dev/null; then
      echo "SKIP: needs npm to fetch $pkg@$ver (apt-get install npm)" >&2
      exit 77
    fi
    rm -rf "$dir" && mkdir -p "$dir"
    (cd "$dir" && timeout 120 npm pack --loglevel=error "$pkg@$ver" >npm.log 2>&1)
    nrc=$?
    tgz=$(ls "$dir/"*.tgz 2>/dev/null | head -1)
    if [ $nrc != 0 ] || [ -z "$tgz" ]; then
      echo "SKIP: cannot fetch $pkg@$ver from the npm registry (npm pack exit $nrc: $(grep -m1 -i 'err' "$dir/npm.log" || tail -1 "$dir/npm.log"))" >&2
      exit 77
    fi
    got=$(sha256sum "$tgz" | cut -c1-64)
    if [ "$got" != "$pin" ]; then echo "FAIL: $pkg@$ver tarball has sha256 $got, pinned $pin" >&2; exit 1; fi
    tar -xzf "$tgz" -C "$dir" || { echo "FAIL: cannot unpack $tgz" >&2; exit 1; }
    touch "$dir/.ok"
  fi
  echo "$dir"
}
