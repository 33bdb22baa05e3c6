# measurements: open for writing of the read-only mrtd:sha384 and mrconfigid (as root)
. "$(dirname "$0")/../../probes/lib.sh"
for f in mrtd:sha384 mrconfigid; do (exec 3>> "$MR/$f") 2>/dev/null; echo "$f open O_WRONLY rc=$?"; done
