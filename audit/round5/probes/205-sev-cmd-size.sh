# /dev/sev-guest: SNP requests under command numbers of another size or direction
. "$(dirname "$0")/../../probes/lib.sh"
p5=$(mktemp -d)/p5; gcc -O1 -I"$(dirname "$0")/../../../lib/include" "$(dirname "$0")/probe5.c" -o "$p5" || exit 2
"$p5" sev-cmd-size
