#!/usr/bin/env bash
# SPDX-License-Identifier: Apache-2.0
#
# scripts/dist.sh - `make dist`: the self-contained bundle for guests that have nothing but a
# kernel and a POSIX shell.
#
#   scripts/dist.sh [--stage-only]
#
# Builds (in $DIST_B, default build/dist-obj, apart from the sanitised build/) every suite,
# teeabi-parse, mockenv, mockfs and teeabi-run (when tools/teeabi-run*.c exists) without
# sanitisers, -O2, statically linked (the two whose libraries cannot be, dynamically, with
# those libraries and the loader in lib/, see below); strips them, keeping the debug
# information in separate files tied by .gnu_debuglink; and writes
#
#   build/dist/teeabi-<version>-x86_64.tar.gz          teeabi-<version>-x86_64/
#       teeabi-qualify   the entry point (POSIX sh)       bin/      teeabi-parse teeabi-run mockenv mockfs
#       VERSION README                                    suites/   one binary per area
#       profiles/*.conf faults/*.conf
#   build/dist/teeabi-<version>-x86_64-debug.tar.gz    teeabi-<version>-x86_64/{bin,suites}/.debug/<name>.debug
#   build/dist/SHA256SUMS
#
# (unpack the debug tarball over the bundle and gdb finds the files beside the binaries).
# Reproducible: the same tree gives the same bytes. SOURCE_DATE_EPOCH is the last commit's
# time (or the environment's), file paths in the debug information are relative
# (-ffile-prefix-map), the tar is sorted with fixed owner, group, modes and mtime, gzip -n.
# --stage-only builds and stages build/dist/stage/ (used by `make install`) without tarballs.
set -euo pipefail
cd "$(dirname "$0")/.."
TOP=$PWD
stage_only=0
[ "${1:-}" = --stage-only ] && stage_only=1

VERSION=$(cat VERSION)
NAME=teeabi-$VERSION-x86_64
DB=${DIST_B:-build/dist-obj}
OUTDIR=${DIST_OUT:-build/dist}
if [ -z "${SOURCE_DATE_EPOCH:-}" ]; then
	SOURCE_DATE_EPOCH=$(git log -1 --format=%ct 2>/dev/null || true)
	[ -n "$SOURCE_DATE_EPOCH" ] || { echo "dist.sh: not a git checkout: set SOURCE_DATE_EPOCH" >&2; exit 1; }
fi
export SOURCE_DATE_EPOCH LC_ALL=C TZ=UTC
umask 022

# The suites of the bundle: every suites/<area>/ but the unit tests, the shared harness and
# the harness's own self-test (its failures are deliberate).
. scripts/ship_lib.sh
mapfile -t suites < <(bundle_suites)
tools=(teeabi-parse mockenv mockfs)
ls tools/teeabi-run*.c >/dev/null 2>&1 && tools+=(teeabi-run)

# Programs Debian has no complete static archives for: libcurl (dstack_agent) needs krb5 and
# LDAP, libmicrohttpd (mockfs) GnuTLS and p11-kit, none of which ships a .a. They are linked
# dynamically and shipped with every library they load and the dynamic loader in lib/; the
# name in suites/ or bin/ is a launcher (POSIX sh) that runs DIR/.bin/NAME on lib/'s loader
# with lib/ as the only library path, never the machine's.
dynamic=" dstack_agent mockfs "
is_dynamic() { [[ "$dynamic" == *" $1 "* ]]; }

static_targets=() dynamic_targets=()
for s in "${suites[@]}"; do if is_dynamic "$s"; then dynamic_targets+=("$DB/suites/$s"); else static_targets+=("$DB/suites/$s"); fi; done
for t in "${tools[@]}"; do if is_dynamic "$t"; then dynamic_targets+=("$DB/bin/$t"); else static_targets+=("$DB/bin/$t"); fi; done
echo "dist.sh: building ${#suites[@]} suites and ${#tools[@]} tools in $DB (-O2, no sanitisers; static but ${dynamic# })" >&2
# build LDFLAGS TARGET...
build() {
	local ld=$1
	shift
	[ $# -gt 0 ] || return 0
	make -s -j"$(nproc)" B="$DB" SAN=0 OPT=-O2 EXTRA_CFLAGS="-ffile-prefix-map=$TOP=." EXTRA_LDFLAGS="$ld" "$@" \
		2> >(grep -v -e "requires at runtime the shared libraries from the glibc version" \
			-e "in function \`\(dlfcn_globallookup\|BIO_lookup_ex\|BIO_gethostbyname\|fuse_get_module\)'" >&2)
}
build -static "${static_targets[@]}"
build "" "${dynamic_targets[@]}"

STAGE=$OUTDIR/stage/$NAME
DSTAGE=$OUTDIR/stage-debug/$NAME
rm -rf "$OUTDIR/stage" "$OUTDIR/stage-debug"
mkdir -p "$STAGE"/{bin,suites,profiles,faults} "$DSTAGE"/{bin,suites}/.debug

# strip_to SRC DST DEBUGDIR: DST is SRC stripped, tied by .gnu_debuglink to DEBUGDIR/<name>.debug
strip_to() {
	local dbg
	dbg=$3/$(basename "$2").debug
	mkdir -p "$3"
	objcopy --only-keep-debug "$1" "$dbg"
	objcopy --strip-all --add-gnu-debuglink="$dbg" "$1" "$2"
	chmod 0644 "$dbg"
	chmod 0755 "$2"
}
# ship SRC DIR NAME: the program into $STAGE/DIR/NAME (a dynamic one: DIR/.bin/NAME, its
# libraries into lib/, a launcher as DIR/NAME)
ship() {
	local src=$1 dir=$2 name=$3 lib so
	if ! is_dynamic "$name"; then
		strip_to "$src" "$STAGE/$dir/$name" "$DSTAGE/$dir/.debug"
		return
	fi
	mkdir -p "$STAGE/$dir/.bin" "$STAGE/lib"
	strip_to "$src" "$STAGE/$dir/.bin/$name" "$DSTAGE/$dir/.bin/.debug"
	# every library the loader resolves (ldd: "name => path" and the loader's own line)
	while read -r so lib; do
		[ -f "$STAGE/lib/$so" ] || install -m 0755 "$lib" "$STAGE/lib/$so"
	done < <(LC_ALL=C ldd "$src" | sed -n -e 's|^[[:space:]]*\([^ ]*\) => \(/[^ ]*\) (0x.*|\1 \2|p' \
		-e 's|^[[:space:]]*\(/[^ ]*/\(ld-linux[^ /]*\)\) (0x.*|\2 \1|p')
	[ -f "$STAGE/lib/ld-linux-x86-64.so.2" ] || { echo "dist.sh: no dynamic loader among $name's libraries" >&2; exit 1; }
	sed -e "s|@DIR@|$dir|g" -e "s|@NAME@|$name|g" tools/launcher.sh >"$STAGE/$dir/$name"
	chmod 0755 "$STAGE/$dir/$name"
}
for s in "${suites[@]}"; do ship "$DB/suites/$s" suites "$s"; done
for t in "${tools[@]}"; do ship "$DB/bin/$t" bin "$t"; done

install -m 0644 mocks/profiles/*.conf "$STAGE/profiles/"
install -m 0644 mocks/faults/*.conf "$STAGE/faults/"
install -m 0644 VERSION "$STAGE/VERSION"
install -m 0644 deploy/bundle-README.txt "$STAGE/README"
sed -e "s|@VERSION@|$VERSION|g" -e "s|@ROOT@||g" tools/teeabi-qualify.sh >"$STAGE/teeabi-qualify"
chmod 0755 "$STAGE/teeabi-qualify"

if [ "$stage_only" = 1 ]; then
	echo "dist.sh: staged $STAGE" >&2
	exit 0
fi

# tarball DIR OUT: DIR's $NAME/ as a reproducible .tar.gz
tarball() {
	tar -C "$1" --sort=name --format=gnu --owner=0 --group=0 --numeric-owner \
		--mtime="@$SOURCE_DATE_EPOCH" -cf - "$NAME" | gzip -n -9 >"$2.tmp"
	mv "$2.tmp" "$2"
}
tarball "$OUTDIR/stage" "$OUTDIR/$NAME.tar.gz"
tarball "$OUTDIR/stage-debug" "$OUTDIR/$NAME-debug.tar.gz"
(cd "$OUTDIR" && sha256sum "$NAME.tar.gz" "$NAME-debug.tar.gz" >SHA256SUMS)
cat "$OUTDIR/SHA256SUMS"
echo "dist.sh: $OUTDIR/$NAME.tar.gz ($(du -k "$OUTDIR/$NAME.tar.gz" | cut -f1) KiB)" >&2
