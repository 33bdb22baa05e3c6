#!/bin/sh
# SPDX-License-Identifier: Apache-2.0
# Launcher of @DIR@/@NAME@ in a teeabi bundle (scripts/dist.sh writes one per program that
# is linked dynamically because Debian ships no static archive of one of its libraries): the
# program runs on the bundle's own dynamic loader with the bundle's lib/ as its only library
# path, so nothing is loaded from the machine. POSIX sh (busybox sh is enough).
case "$0" in
*/*) here=${0%/*} ;;
*) here=. ;;
esac
root=$(cd "$here/.." 2>/dev/null && pwd -P) || {
	echo "@NAME@: cannot find the bundle around $0" >&2
	exit 127
}
# The program finds its profiles beside its own directory; run by the loader, its own
# executable is the loader: name the bundle's profiles unless the caller chose others.
TEEABI_PROFILE_DIR=${TEEABI_PROFILE_DIR:-$root/profiles}
export TEEABI_PROFILE_DIR
exec "$root/lib/ld-linux-x86-64.so.2" --library-path "$root/lib" --argv0 "$0" "$root/@DIR@/.bin/@NAME@" "$@"
