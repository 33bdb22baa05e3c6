#!/bin/sh
# SPDX-License-Identifier: Apache-2.0
#
# teeabi-qualify - qualify the machine this runs on: the real-target run of teeabi-run
# (detection, safety rules, reports with the schema of docs/summary-schema.md) from a
# `make dist` bundle or a `make install` tree. POSIX sh (busybox sh is enough): the
# guest needs nothing but a kernel and a shell.
#
#   teeabi-qualify [--reports DIR] [teeabi-run options...]
#   teeabi-qualify --version | --help
#
# Runs  <root>/bin/teeabi-run --target real --root <root> --reports DIR "$@"  where <root>
# is the bundle (the directory holding this script) and DIR is --reports, else
# $TEEABI_REPORTS, else ./teeabi-reports. Every other option goes to teeabi-run
# (--profile NAME, --allow-destructive, -j N, ...). The exit status is teeabi-run's:
# 0 PASS, 1 any FAIL or BROK, 2 usage, 4 everything skipped.
#
# @VERSION@ and @ROOT@ are filled in by the Makefile (ROOT stays empty in the bundle: the
# script's own directory; `make install` writes the installed root).
set -u
version='@VERSION@'
root='@ROOT@'
me=teeabi-qualify

usage() {
	sed -n '9,16p' "$0" 2>/dev/null | sed 's/^# \{0,1\}//'
}

case "${1:-}" in
--version)
	echo "$me (teeabi) $version"
	exit 0
	;;
-h | --help)
	usage
	exit 0
	;;
esac

reports=${TEEABI_REPORTS:-./teeabi-reports}
# Take --reports out of the arguments (kept in order otherwise); --target and --root are this
# wrapper's to set.
n=$#
while [ "$n" -gt 0 ]; do
	a=$1
	shift
	n=$((n - 1))
	case "$a" in
	--reports)
		if [ "$n" -eq 0 ]; then
			echo "$me: --reports needs a directory" >&2
			exit 2
		fi
		reports=$1
		shift
		n=$((n - 1))
		;;
	--reports=*) reports=${a#--reports=} ;;
	--target | --target=* | --root | --root=*)
		echo "$me: $a is not an option of $me (it always qualifies this machine from its own bundle; run bin/teeabi-run for other targets)" >&2
		exit 2
		;;
	*) set -- "$@" "$a" ;;
	esac
done

if [ -z "$root" ]; then
	case "$0" in
	*/*) root=${0%/*} ;;
	*) root=. ;;
	esac
fi
root=$(cd "$root" 2>/dev/null && pwd -P) || {
	echo "$me: cannot find the bundle directory of $0" >&2
	exit 1
}
run=$root/bin/teeabi-run
if [ ! -x "$run" ]; then
	echo "$me: $run is missing: this bundle has no teeabi-run (built from a tree without tools/teeabi-run.c)" >&2
	exit 1
fi
# The bundle's libcrypto is linked in: keep a guest's own openssl.cnf (which may load
# providers built for another OpenSSL) out of it.
OPENSSL_CONF=${TEEABI_OPENSSL_CONF:-/dev/null}
export OPENSSL_CONF
exec "$run" --target real --root "$root" --reports "$reports" "$@"
