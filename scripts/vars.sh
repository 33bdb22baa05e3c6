# scripts/vars.sh - checks of the make variables and environment the scripts read, sourced
# by them: a bad value is one line naming the variable and exit 2, never a traceback, a
# shell arithmetic error or a run with a silently different value.
#   need_uint NAME MIN MAX        ${!NAME} is a whole number in MIN..MAX
#   need_choice NAME CHOICE...    ${!NAME} is one of the CHOICEs
#   need_name NAME                ${!NAME} is a profile/fault name ([A-Za-z0-9._+-], not starting with -)
# VARS_WHO (default: the script's name) prefixes the message.
vars_die() { echo "${VARS_WHO:-$(basename "$0")}: $*" >&2; exit 2; }
need_uint() {
  local v=${!1-}
  [[ "$v" =~ ^[0-9]{1,9}$ ]] && [ $((10#$v)) -ge "$2" ] && [ $((10#$v)) -le "$3" ] ||
    vars_die "$1='$v': want a whole number in $2..$3"
}
need_choice() {
  local n=$1 v=${!1-} c; shift
  for c in "$@"; do [ "$v" = "$c" ] && return 0; done
  vars_die "$n='$v': want one of: $*"
}
need_name() {
  local v=${!1-}
  [[ "$v" =~ ^[A-Za-z0-9._+][A-Za-z0-9._+-]{0,62}$ ]] && [ "$v" != . ] && [ "$v" != .. ] ||
    vars_die "$1='$v': not a name ([A-Za-z0-9._+-], at most 63 bytes)"
}
