#!/usr/bin/env bash
# scripts/verifiers/install.sh DIR - the third-party verifiers of package.json into DIR
# (DIR/node_modules), from the npm registry, every tarball pinned by the integrity hashes
# of package-lock.json (npm ci --ignore-scripts); cached: nothing is fetched while DIR holds
# an install from the same lockfile. Never committed (DIR is under build/).
# Exit 0 when DIR is ready; 77 with "SKIP: <why>" on stdout when Node.js, npm or the
# registry is not there (the caller's step is then SKIPPED, never passed).
set -uo pipefail
[ $# = 1 ] || { echo "usage: scripts/verifiers/install.sh DIR" >&2; exit 2; }
here=$(cd "$(dirname "$0")" && pwd)
V=$1
if ! command -v node >/dev/null || ! command -v npm >/dev/null; then
	echo "SKIP: needs Node.js and npm to run the third-party verifiers (apt-get install nodejs npm)"; exit 77
fi
if [ ! -f "$V/.ok" ] || ! cmp -s "$V/package-lock.json" "$here/package-lock.json"; then
	rm -rf "$V" && mkdir -p "$V" && cp "$here/package.json" "$here/package-lock.json" "$V/"
	if ! (cd "$V" && timeout 300 npm ci --ignore-scripts --no-audit --no-fund --loglevel=error >npm.log 2>&1); then
		echo "SKIP: cannot install the verifiers from the npm registry: $(grep -m1 -i err "$V/npm.log" || tail -1 "$V/npm.log")"
		exit 77
	fi
	touch "$V/.ok"
fi
exit 0
