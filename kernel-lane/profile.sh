#!/usr/bin/env bash
# kernel-lane/profile.sh KERNEL_RELEASE PLATFORM: the profile file of the generic profile the
# project derives for that kernel (lib/profile.c teeabi_profile_derive: every flag from the
# release), for the lane's firmware model and the mock side of the differential.
set -euo pipefail
#   --name: print only the profile's name (the file is NAME.conf)
only_name=0; [ "${1:-}" = --name ] && { only_name=1; shift; }
rel=${1:?release}; plat=${2:?platform}
mm=$(echo "$rel" | sed -n 's/^\([0-9]*\.[0-9]*\).*/\1/p')
[ -n "$mm" ] || { echo "profile.sh: release $rel is not MAJOR.MINOR..." >&2; exit 2; }
[ $only_name = 1 ] && { echo "generic-$mm-$plat"; exit 0; }
cat <<P
# teeabi profile derived for the kernel lane (kernel-lane/profile.sh)
name = generic-$mm-$plat
description = derived from kernel $rel (the kernel lane's $plat guest)
platform = $plat
kernel = $rel
P
