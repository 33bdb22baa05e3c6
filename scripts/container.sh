#!/usr/bin/env bash
# SPDX-License-Identifier: Apache-2.0
#
# scripts/container.sh - `make container`: the image of deploy/Containerfile from the bundle.
#
#   scripts/container.sh [TAG]      (default: teeabi:<version>, also tagged teeabi:latest)
#
# Needs build/dist/teeabi-<version>-x86_64.tar.gz (`make dist`) and a static busybox
# (busybox-static). Stages the build context in build/container/ and runs `podman build`.
#
# podman is run as $TEEABI_PODMAN (default: podman --runtime runc) with CONTAINERS_CONF
# pointing at build/container/containers.conf (default_ulimits = []): on machines whose
# cgroup layout is hybrid, crun refuses to start containers and the default ulimits make the
# runtime fail (setrlimit RLIMIT_NOFILE); both settings are harmless elsewhere.
set -euo pipefail
cd "$(dirname "$0")/.."
VERSION=$(cat VERSION)
NAME=teeabi-$VERSION-x86_64
TAG=${1:-teeabi:$VERSION}
TGZ=${DIST_OUT:-build/dist}/$NAME.tar.gz
CTX=build/container
[ -f "$TGZ" ] || { echo "container.sh: $TGZ is missing: run make dist first" >&2; exit 1; }
. scripts/ship_lib.sh
BUSYBOX=$(static_busybox)
[ -n "$BUSYBOX" ] || { echo "container.sh: needs a static busybox (apt-get install busybox-static)" >&2; exit 1; }
SDE=$(git log -1 --format=%ct 2>/dev/null || echo "${SOURCE_DATE_EPOCH:-0}")

rm -rf "$CTX" && mkdir -p "$CTX/rootfs"/{bin,opt,tmp,reports,etc}
cp "$BUSYBOX" "$CTX/rootfs/bin/busybox"
ln -s busybox "$CTX/rootfs/bin/sh"
ln -s "$NAME" "$CTX/rootfs/opt/teeabi"
# users for the non-root Compose patterns (su nobody); busybox reads these files itself
printf 'root:x:0:0:root:/:/bin/sh\nnobody:x:65534:65534:nobody:/:/bin/sh\n' >"$CTX/rootfs/etc/passwd"
printf 'root:x:0:\nnogroup:x:65534:\n' >"$CTX/rootfs/etc/group"
chmod 1777 "$CTX/rootfs/tmp"
chmod 0777 "$CTX/rootfs/reports" # a non-root entry point writes here when no volume is mounted
tar -C "$CTX/rootfs" --sort=name --format=gnu --owner=0 --group=0 --numeric-owner \
	--mtime="@$SDE" -cf "$CTX/rootfs.tar" .
rm -rf "$CTX/rootfs"
cp "$TGZ" "$CTX/"
cp deploy/Containerfile "$CTX/Containerfile"
printf '[containers]\ndefault_ulimits = []\n' >"$CTX/containers.conf"

export CONTAINERS_CONF=${CONTAINERS_CONF:-$PWD/$CTX/containers.conf}
read -r -a PODMAN <<<"${TEEABI_PODMAN:-podman --runtime runc}"
"${PODMAN[@]}" build --pull=never --network=none --build-arg "VERSION=$VERSION" \
	-t "$TAG" -f "$CTX/Containerfile" "$CTX"
[ -n "${1:-}" ] || "${PODMAN[@]}" tag "$TAG" teeabi:latest
echo "container.sh: built $TAG" >&2
