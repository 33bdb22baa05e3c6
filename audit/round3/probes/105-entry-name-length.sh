# configfs-tsm: mkdir of entries named with 20, 21 and 36 characters (a UUID)
. "$(dirname "$0")/../../probes/lib.sh"
for n in aaaaaaaaaaaaaaaaaaaa aaaaaaaaaaaaaaaaaaaab 6f1c2a9e-5b1d-4c3e-9a7f-0d2e3b4c5d6e; do mkdir $TSM/$n 2>/dev/null; echo "${#n} chars: mkdir rc=$?"; rmdir $TSM/$n 2>/dev/null; done
