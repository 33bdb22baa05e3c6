#!/usr/bin/env bash
# kernel-lane/cc-compat.sh: the C compiler for out-of-tree modules of a kernel that Debian
# built with a newer gcc than this machine has (7.x: gcc 14; bookworm: gcc 12). Flags of the
# newer gcc are given their older form, as the kernel's own Makefile would choose them for
# gcc 12 (arch/x86/Makefile, Makefile: CC_HAS_MIN_FUNCTION_ALIGNMENT unset means
# -falign-functions); flags gcc 12 lacks and that only tune diagnostics are dropped.
args=()
for a in "$@"; do
  case "$a" in
    -fmin-function-alignment=*) args+=("-falign-functions=${a#*=}") ;;
    -Wflex-array-member-not-at-end|-Wno-unterminated-string-initialization|-fdiagnostics-show-context*) ;;
    *) args+=("$a") ;;
  esac
done
exec "${KL_CC:-gcc}" "${args[@]}"
