# tsm-mr: rtmr3 read whole, an extend through the file, then the first 16 bytes (one short read), then whole
. "$(dirname "$0")/../../probes/lib.sh"
f=$MR/rtmr3:sha384; at $f 0 48
printf "$(i=0; while [ $i -lt 48 ]; do printf '\\%03o' $((i + 1)); i=$((i + 1)); done)" > $f; echo "extend rc=$?"
at $f 0 16; at $f 0 48
