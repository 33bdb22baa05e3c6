#!/usr/bin/env bash
# scripts/deps.sh: make sure the Debian packages teeabi builds and tests with are installed.
#
#   scripts/deps.sh [core|fuzz|kernel-lane|ship|all]     (default: all; ship is not part of all)
#
# As root, missing packages are installed (apt-get update first). Otherwise the exact
# command to run is printed and the script exits 1. Nothing is downloaded from anywhere
# but the configured Debian archive.
set -euo pipefail

want=${1:-all}

core_pkgs=(make gcc pkg-config python3 xxd libcmocka-dev libssl-dev libjson-c-dev libfuse3-dev fuse3 openssl util-linux libmicrohttpd-dev libcurl4-openssl-dev curl)
fuzz_pkgs=(clang libclang-rt-14-dev llvm afl++ lcov zip)
# the kernel lane (kernel-lane/): QEMU, the guest's busybox, initramfs tools, and what an
# out-of-tree module build and the 7.x host tools need
klane_pkgs=(qemu-system-x86 busybox-static cpio gzip xz-utils dwarves bc flex bison libelf-dev kmod)
# the shipping checks: a static busybox for the bundle's empty root, podman + runc for the
# container, docker-compose (its `config` validates Compose files), mandoc (man page lint),
# QEMU and cpio for the busybox-only guest
ship_pkgs=(busybox-static podman runc docker-compose mandoc qemu-system-x86 cpio)

case "$want" in
  core) pkgs=("${core_pkgs[@]}") ;;
  fuzz) pkgs=("${fuzz_pkgs[@]}") ;;
  kernel-lane) pkgs=("${klane_pkgs[@]}") ;;
  ship) pkgs=("${ship_pkgs[@]}") ;;
  all)  pkgs=("${core_pkgs[@]}" "${fuzz_pkgs[@]}" "${klane_pkgs[@]}") ;;
  *) echo "usage: $0 [core|fuzz|kernel-lane|ship|all]" >&2; exit 2 ;;
esac

missing=()
for p in "${pkgs[@]}"; do
  if ! dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed"; then
    missing+=("$p")
  fi
done

[ ${#missing[@]} -eq 0 ] && exit 0

if [ "$(id -u)" -ne 0 ]; then
  echo "teeabi: missing Debian packages: ${missing[*]}" >&2
  echo "teeabi: install them with:  sudo apt-get update && sudo apt-get install -y ${missing[*]}" >&2
  exit 1
fi

echo "teeabi: installing missing Debian packages: ${missing[*]}" >&2
export DEBIAN_FRONTEND=noninteractive
apt-get update -q >&2
apt-get install -y -q --no-install-recommends "${missing[@]}" >&2
