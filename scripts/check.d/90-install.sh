#!/usr/bin/env bash
# check step: `make install` and --version.
#   1. make install PREFIX=P: links in P/bin, the bundle's files in P/lib/teeabi, man pages in
#      P/share/man/man1; with DESTDIR=D everything lands under D and the files still name P;
#   2. the installed programs work from anywhere: a suite finds its profiles (profiles/
#      beside its directory), mockenv its mockfs and faults, and runs an installed suite on a
#      mock profile; teeabi-qualify runs through its link;
#   3. every program prints the same version, the VERSION file's: the installed ones, the
#      tree's (sanitised) ones, and teeabi-qualify; a program printing another version or
#      none is caught (negative control on the comparison);
#   4. the man pages lint clean (mandoc -T lint -W warning; groff -man -ww), render with
#      man -l, carry the version; a page with a broken macro is caught.
# Budget: about 15 s (the install reuses the bundle's objects in build/dist-obj).
set -uo pipefail
cd "$(dirname "$0")/../.." || exit 1
. scripts/ship_lib.sh
scripts/deps.sh ship >/dev/null || { echo "FAIL: 90-install: scripts/deps.sh ship failed"; exit 1; }
mapfile -t SUITES < <(bundle_suites)
make -s -j"$(nproc)" build/bin/teeabi-parse build/bin/mockenv build/bin/mockfs "${SUITES[@]/#/build/suites/}" >/dev/null || { echo "FAIL: build"; exit 1; }
ship_tmp 90-install
V=$(cat VERSION)
P=$T/prefix

# ------------------------------------------------------------------ 1. layout
make -s install PREFIX="$P" >"$T/install.log" 2>&1 || { fail "make install:"; tail -5 "$T/install.log"; exit 1; }
for f in bin/teeabi-parse bin/mockenv bin/teeabi-qualify lib/teeabi/bin/mockfs lib/teeabi/profiles/dstack-0.6.0-tdx.conf \
	lib/teeabi/faults/tdx-reportdata-not-echoed.conf share/man/man1/teeabi-parse.1 share/man/man1/mockenv.1 share/man/man1/teeabi-qualify.1; do
	[ -e "$P/$f" ] || fail "make install left out $f"
done
for s in "${SUITES[@]}"; do [ -x "$P/lib/teeabi/suites/$s" ] || fail "suite $s not installed"; done
readelf -lW "$P/lib/teeabi/bin/teeabi-parse" | grep -q INTERP && fail "the installed teeabi-parse is dynamic (not the bundle's build)"
grep -qa AddressSanitizer "$P/lib/teeabi/bin/teeabi-parse" && fail "the installed teeabi-parse is sanitised"
make -s install PREFIX=/opt/teeabi DESTDIR="$T/dest" >"$T/install2.log" 2>&1 || fail "make install DESTDIR=: $(tail -3 "$T/install2.log")"
if [ -x "$T/dest/opt/teeabi/lib/teeabi/teeabi-qualify" ] && [ "$(readlink "$T/dest/opt/teeabi/bin/mockenv")" = ../lib/teeabi/bin/mockenv ] &&
	grep -q "^root='/opt/teeabi/lib/teeabi'$" "$T/dest/opt/teeabi/lib/teeabi/teeabi-qualify" && ! grep -rqF "$T/dest" "$T/dest/opt/teeabi/lib/teeabi/teeabi-qualify"; then
	ok "make install DESTDIR=D PREFIX=/opt/teeabi: files under D, naming /opt/teeabi"
else fail "DESTDIR install: $(find "$T/dest" -maxdepth 4 | head -5 | tr '\n' ' ')"; fi
[ "$(find "$T/dest" -type f | wc -l)" = "$(find "$P" -type f | wc -l)" ] || fail "DESTDIR and plain installs differ in their file count"
ok "make install PREFIX=P: $(find "$P" -type f | wc -l) files, $(find "$P" -type l | wc -l) links"

# ------------------------------------------------------------------ 2. installed programs work from anywhere
out=$(cd / && env -u TEEABI_PROFILE -u TEEABI_PROFILE_DIR "$P/lib/teeabi/suites/tdx_guest" --profile dstack-0.6.0-tdx 2>&1)
grep -q '^# profile dstack-0.6.0-tdx (--profile)' <<<"$out" && ok "an installed suite loads its profile from $P/lib/teeabi/profiles" ||
	fail "installed suite, --profile dstack-0.6.0-tdx: $(grep -m3 -E '^# profile|BROK|error|not ok' <<<"$out")"
n=$(cd / && env -u TEEABI_PROFILE_DIR "$P/bin/mockenv" --list-profiles 2>/dev/null | wc -l)
[ "$n" -eq "$(ls mocks/profiles/*.conf | wc -l)" ] && ok "the installed mockenv lists $n profiles" || fail "installed mockenv --list-profiles: $n lines"
nf=$(cd / && env -u TEEABI_FAULT_DIR -u TEEABI_PROFILE_DIR "$P/bin/mockenv" --list-faults 2>/dev/null | grep -c .)
[ "$nf" -ge "$(ls mocks/faults/*.conf | wc -l)" ] && ok "the installed mockenv lists the faults ($nf lines)" || fail "installed mockenv --list-faults: $nf lines"
if [ "$(id -u)" = 0 ] && [ -c /dev/fuse ]; then
	(cd / && env -u TEEABI_PROFILE_DIR "$P/bin/mockenv" --profile dstack-0.6.0-tdx -- "$P/lib/teeabi/suites/tdx_guest" --tap "$T/m.tap") >"$T/m.log" 2>&1
	rc=$?
	[ $rc = 0 ] && tap_complete "$T/m.tap" && ok "installed mockenv + mockfs serve an installed suite: $(tap_tally "$T/m.tap")" ||
		fail "installed mockenv running an installed suite: exit $rc: $(tail -3 "$T/m.log")"
else
	fail "90-install needs root and /dev/fuse for the installed mockenv run"
fi
q=$(cd / && "$P/bin/teeabi-qualify" --reports "$T/q" 2>&1)
qrc=$?
if [ -x "$P/lib/teeabi/bin/teeabi-run" ]; then
	[ -f "$T/q/summary.json" ] && ok "the installed teeabi-qualify ran teeabi-run (exit $qrc)" || fail "installed teeabi-qualify: exit $qrc, no summary.json: $q"
else
	[ $qrc = 1 ] && grep -qF "$P/lib/teeabi/bin/teeabi-run is missing" <<<"$q" &&
		echo "note: no teeabi-run in this tree: the installed teeabi-qualify was checked to find its root through its link and refuse (exit 1)" ||
		fail "installed teeabi-qualify without teeabi-run: exit $qrc: $q"
fi

# teeabi-qualify's arguments, under dash and busybox sh, against a stand-in teeabi-run that
# prints what it was given: --target real --root <root> --reports DIR first, DIR from
# --reports, --reports=, $TEEABI_REPORTS or ./teeabi-reports, the rest in order (a blank
# inside an argument kept); --target and --root refused, --reports without a value too.
Q=$T/qroot
mkdir -p "$Q/bin"
sed -e "s|@VERSION@|$V|" -e 's|@ROOT@||' tools/teeabi-qualify.sh >"$Q/teeabi-qualify"
printf '#!/bin/sh\nfor a in "$@"; do printf "[%%s]" "$a"; done; echo " $OPENSSL_CONF"\n' >"$Q/bin/teeabi-run"
chmod +x "$Q/teeabi-qualify" "$Q/bin/teeabi-run"
Qr=$(cd "$Q" && pwd -P)
nq=0
for sh in dash "$(static_busybox) sh"; do
	[ -n "${sh%% *}" ] && command -v "${sh%% *}" >/dev/null || { fail "no $sh to run teeabi-qualify with"; continue; }
	while IFS='|' read -r env args want wrc; do
		# shellcheck disable=SC2086
		got=$(cd "$T" && env $env $sh "$Q/teeabi-qualify" $args 2>/dev/null)
		grc=$?
		want=${want//@R@/$Qr}
		[ "$got" = "$want" ] && [ "$grc" = "$wrc" ] && nq=$((nq + 1)) ||
			fail "teeabi-qualify under ${sh##*/} with '$args' ($env): got '$got' exit $grc, want '$want' exit $wrc"
	done <<'EOF2'
A=1|--profile dstack-0.6.0-tdx --reports /x -j 2|[--target][real][--root][@R@][--reports][/x][--profile][dstack-0.6.0-tdx][-j][2] /dev/null|0
A=1|--reports=/y --allow-destructive|[--target][real][--root][@R@][--reports][/y][--allow-destructive] /dev/null|0
TEEABI_REPORTS=/env|-j 1|[--target][real][--root][@R@][--reports][/env][-j][1] /dev/null|0
TEEABI_OPENSSL_CONF=/etc/o.cnf||[--target][real][--root][@R@][--reports][./teeabi-reports] /etc/o.cnf|0
A=1|--reports||2
A=1|--target mock||2
A=1|--root /||2
EOF2
done
[ $nq = 14 ] && ok "teeabi-qualify under dash and busybox sh: 7 argument cases each (reports directory, pass-through, refusals, OPENSSL_CONF)"

# ------------------------------------------------------------------ 3. --version everywhere
# version_of BIN: what BIN --version prints, checked against "<name> (teeabi) $V"
version_of() {
	local b=$1 got want
	want="$(basename "$(readlink -f "$b")") (teeabi) $V"
	[ "$(basename "$b")" = teeabi-qualify ] && want="teeabi-qualify (teeabi) $V"
	got=$("$b" --version 2>&1 </dev/null)
	[ "$got" = "$want" ] || { echo "$b: '$got', want '$want'"; return 1; }
}
printf '#!/bin/sh\necho "fake (teeabi) 9.9.9"\n' >"$T/fake" && chmod +x "$T/fake"
printf '#!/bin/sh\nexit 0\n' >"$T/mute" && chmod +x "$T/mute"
version_of "$T/fake" >/dev/null && fail "the version check accepts another version"
version_of "$T/mute" >/dev/null && fail "the version check accepts no version"
progs=("$P"/bin/* "$P"/lib/teeabi/bin/* "$P"/lib/teeabi/suites/* build/bin/teeabi-parse build/bin/mockenv build/bin/mockfs)
for s in "${SUITES[@]}"; do progs+=("build/suites/$s"); done
[ -x build/bin/teeabi-run ] && progs+=(build/bin/teeabi-run)
nv=0
for b in "${progs[@]}"; do
	if msg=$(version_of "$b"); then nv=$((nv + 1)); else fail "--version: $msg"; fi
done
[ $nv = ${#progs[@]} ] && ok "all $nv programs (installed, links, tree) print '<name> (teeabi) $V' for --version; another or no version is caught"
# --version is argv[1] only: after -- it is the command's
out=$(build/bin/mockenv --profile no-such-profile -- /bin/echo --version 2>&1)
grep -q '(teeabi)' <<<"$out" && fail "mockenv took a --version meant for its command: $out"

# ------------------------------------------------------------------ 4. man pages
for m in "$P"/share/man/man1/*.1; do
	b=$(basename "$m")
	l=$(mandoc -T lint -W warning "$m" 2>&1) && g=$(groff -man -ww -z "$m" 2>&1) && [ -z "$g" ] ||
		{ fail "$b lint: $l $g"; continue; }
	grep -q "^\.TH .* \"teeabi $V\"" "$m" || fail "$b: no version $V in .TH"
	r=$(MANWIDTH=80 man -l "$m" 2>/dev/null | col -b)
	grep -q '^NAME' <<<"$r" && grep -q '^EXIT STATUS' <<<"$r" && grep -q "^SYNOPSIS" <<<"$r" && ok "man page $b: lint clean, renders (NAME, SYNOPSIS, EXIT STATUS)" ||
		fail "$b does not render with man -l"
done
sed 's/^\.SH OPTIONS/.SHX OPTIONS/' "$P/share/man/man1/mockenv.1" >"$T/bad.1"
mandoc -T lint -W warning "$T/bad.1" >/dev/null 2>&1 && fail "mandoc lint accepts a page with an unknown macro" || ok "mandoc lint catches a page with an unknown macro"
echo "90-install: $fails failure(s)"
[ $fails = 0 ]
