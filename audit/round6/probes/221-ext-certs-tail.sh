# SNP_GET_EXT_REPORT with 4 pages pre-filled with 0xA5 (more than the host's table needs): which pages keep the canary
. "$(dirname "$0")/../../probes/lib.sh"
p6=$(mktemp -d)/p6; gcc -O1 -I"$(dirname "$0")/../../../lib/include" "$(dirname "$0")/probe6.c" -o "$p6" || exit 2
"$p6" sev-ext-tail 4
