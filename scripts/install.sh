#!/usr/bin/env bash
# SPDX-License-Identifier: Apache-2.0
#
# scripts/install.sh - `make install [PREFIX=/usr/local] [DESTDIR=]`.
#
# Installs the same files as the bundle (scripts/dist.sh --stage-only: static, -O2, no
# sanitisers, stripped; never the sanitised build/ tree) as
#
#   $PREFIX/lib/teeabi/            bin/ suites/ profiles/ faults/ teeabi-qualify VERSION README
#   $PREFIX/bin/teeabi-parse mockenv teeabi-qualify (teeabi-run)   links into lib/teeabi
#   $PREFIX/share/man/man1/teeabi-parse.1 mockenv.1 teeabi-qualify.1
#
# under $DESTDIR (for packaging: the files name $PREFIX, not $DESTDIR). The programs find
# their profiles as profiles/ beside their own directory, mockenv its mockfs beside itself,
# so the tree works wherever PREFIX is.
set -euo pipefail
cd "$(dirname "$0")/.."
PREFIX=${PREFIX:-/usr/local}
DESTDIR=${DESTDIR:-}
case "$PREFIX" in /*) ;; *) echo "install.sh: PREFIX must be an absolute path (got '$PREFIX')" >&2; exit 2 ;; esac
VERSION=$(cat VERSION)
NAME=teeabi-$VERSION-x86_64
OUTDIR=${DIST_OUT:-build/dist}

scripts/dist.sh --stage-only
STAGE=$OUTDIR/stage/$NAME
LIBDIR=$DESTDIR$PREFIX/lib/teeabi
BINDIR=$DESTDIR$PREFIX/bin
MANDIR=$DESTDIR$PREFIX/share/man/man1

rm -rf "$LIBDIR"
mkdir -p "$LIBDIR" "$BINDIR" "$MANDIR"
cp -R "$STAGE/." "$LIBDIR/"
# The installed entry point names its root: PREFIX/lib/teeabi (a link in bin/ points at it).
sed -e "s|@VERSION@|$VERSION|g" -e "s|@ROOT@|$PREFIX/lib/teeabi|g" tools/teeabi-qualify.sh >"$LIBDIR/teeabi-qualify"
chmod 0755 "$LIBDIR/teeabi-qualify"
links=(teeabi-parse mockenv)
[ -x "$LIBDIR/bin/teeabi-run" ] && links+=(teeabi-run)
for t in "${links[@]}"; do ln -sfn "../lib/teeabi/bin/$t" "$BINDIR/$t"; done
ln -sfn ../lib/teeabi/teeabi-qualify "$BINDIR/teeabi-qualify"
for m in man/*.1; do
	sed "s|@VERSION@|$VERSION|g" "$m" >"$MANDIR/$(basename "$m")"
	chmod 0644 "$MANDIR/$(basename "$m")"
done
echo "install.sh: installed teeabi $VERSION in $DESTDIR$PREFIX (${links[*]} teeabi-qualify, $(ls "$LIBDIR/suites" | wc -l) suites, man pages)" >&2
