# lib.sh - shell helpers of the audit probes: configfs-tsm, measurements and the dstack agent
# through their real paths (mkdir/write/read, curl --unix-socket). Sourced by NN-*.sh.
TSM=/sys/kernel/config/tsm/report
MR=/sys/devices/virtual/misc/tdx_guest/measurements
SOCK=/var/run/dstack.sock
PROBE=${PROBE:-probe}
hexf() { od -An -v -tx1 "$@" | tr -d ' \n'; echo; }
# a fresh entry named $1 with inblob = 64 bytes 00..3f
tsm_entry() {
	rmdir "$TSM/$1" 2>/dev/null
	mkdir "$TSM/$1" || return 1
	printf "$(i=0; while [ $i -lt 64 ]; do printf '\\%03o' $i; i=$((i + 1)); done)" > "$TSM/$1/inblob"
}
# bytes [off, off+len) of a file, as hex, read with one lseek + read on a fresh fd
at() { dd if="$1" bs="$3" skip="$2" count="$3" iflag=skip_bytes,count_bytes 2>/dev/null | hexf; }
agent() { curl -s --unix-socket "$SOCK" "$@"; echo; }
