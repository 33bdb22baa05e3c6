#!/usr/bin/env bash
# kernel-lane/fetch.sh [SERIES...]: download the pinned Debian kernel packages of the lane
# (kernel-lane/pins.txt) into the cache outside the work tree, check each .deb's sha256,
# unpack them, and take the driver sources out of the linux-source tarball.
#
#   cache: ${TEEABI_CACHE:-/var/cache/teeabi}/kernel-lane/
#     debs/                 the .deb files (kept; a second run downloads nothing)
#     apt/                  a private apt sources list and index (the system's is untouched)
#     <series>/root/        the image, modules and headers packages unpacked
#     <series>/src/         the driver files from the source tarball, byte for byte
#     <series>/drivers.sha256  sha256sum of those files
#
# Exit: 0 done, 1 a package is missing or its sha256 differs, 77 the archive is unreachable.
set -euo pipefail
. "$(dirname "$0")/lib.sh"

series=("$@")
[ ${#series[@]} -gt 0 ] || mapfile -t series < <(kl_series)

mkdir -p "$KL_CACHE/debs" "$KL_CACHE/apt/lists/partial" "$KL_CACHE/apt/cache"
uri=$(sed -n 's/^URIs: *\([^ ]*\).*/\1/p' /etc/apt/sources.list.d/debian.sources 2>/dev/null | head -1)
uri=${KL_ARCHIVE:-${uri:-http://deb.debian.org/debian}}   # KL_ARCHIVE: another mirror
for s in bookworm-backports trixie trixie-backports sid; do
  echo "deb [signed-by=/usr/share/keyrings/debian-archive-keyring.gpg] $uri $s main"
done > "$KL_CACHE/apt/sources.list"
APT=(-o "Dir::Etc::SourceList=$KL_CACHE/apt/sources.list" -o Dir::Etc::SourceParts=/dev/null
     -o "Dir::State::Lists=$KL_CACHE/apt/lists" -o "Dir::Cache=$KL_CACHE/apt/cache")

deb_name() { echo "${1}_${2/:/%3a}_"; }    # prefix of PKG_VERSION_ARCH.deb
have_deb() { # PKG VERSION SHA256: the cached file when its sha256 is the pinned one
  local f
  for f in "$KL_CACHE/debs/$(deb_name "$1" "$2")"*.deb; do
    [ -f "$f" ] || continue
    if [ "$(sha256sum < "$f" | cut -d' ' -f1)" = "$3" ]; then echo "$f"; return 0; fi
    kl_say "$f: sha256 differs from the pin, removed"; rm -f "$f"
  done
  return 1
}

updated=0
fetch_one() { # PKG VERSION SHA256
  have_deb "$@" >/dev/null && return 0
  if [ $updated = 0 ]; then
    kl_say "updating the private package index"
    # apt-get update exits 0 with "Err:"/"W: Failed to fetch" lines when a source cannot be
    # reached: those lines count as an unreachable archive
    if ! apt-get "${APT[@]}" update > "$KL_CACHE/apt/update.log" 2>&1 ||
       grep -q '^Err:\|^W: Failed to fetch\|^E: ' "$KL_CACHE/apt/update.log"; then
      kl_say "SKIP: the Debian archive $uri cannot be reached ($(grep -m1 '^Err:\|^W: Failed\|^E: ' "$KL_CACHE/apt/update.log" | cut -c1-160))"
      exit 77
    fi
    updated=1
  fi
  kl_say "downloading $1=$2"
  (cd "$KL_CACHE/debs" && apt-get "${APT[@]}" download "$1=$2" >/dev/null 2>"$KL_CACHE/apt/download.log") || {
    kl_say "$1=$2 is not in the archive index any more: $(tail -1 "$KL_CACHE/apt/download.log")"
    kl_say "(pick a current version and update kernel-lane/pins.txt)"; exit 1; }
  have_deb "$@" >/dev/null || kl_die "$1=$2: downloaded file does not have the pinned sha256 $3"
}

for s in "${series[@]}"; do
  pins=$(kl_pins "$s"); [ -n "$pins" ] || kl_die "no pins for series $s"
  while read -r p v h; do fetch_one "$p" "$v" "$h"; done <<< "$pins"
  t=$(kl_tree "$s")
  if [ ! -f "$t/.unpacked" ]; then
    kl_say "$s: unpacking"
    rm -rf "$t"; mkdir -p "$t/root" "$t/src"
    while read -r p v h; do
      f=$(have_deb "$p" "$v" "$h")
      case "$p" in
        linux-source-*)
          dpkg-deb --fsys-tarfile "$f" | tar -x -C "$t" --wildcards './usr/src/linux-source-*.tar.xz'
          tb=$(ls "$t"/usr/src/linux-source-*.tar.xz)
          top=$(basename "$tb" .tar.xz)    # the tarball's top directory has its name
          tar -xJf "$tb" -C "$t/src" --strip-components=1 "${KL_DRIVERS[@]/#/$top/}"
          echo "$(basename "$tb")" > "$t/src/.tarball"
          mv "$tb" "$t/"; rm -rf "${t:?}/usr" ;;
        *) dpkg-deb -x "$f" "$t/root" ;;
      esac
    done <<< "$pins"
    (cd "$t/src" && sha256sum "${KL_DRIVERS[@]}") > "$t/drivers.sha256"
    touch "$t/.unpacked"
  fi
  # The files compiled are the tarball's, byte for byte (checked on every run).
  (cd "$t/src" && sha256sum --quiet -c "$t/drivers.sha256") || kl_die "$s: driver sources changed in the cache"
  kl_say "$s: ready ($(wc -l < "$t/drivers.sha256") driver sources)"
done
