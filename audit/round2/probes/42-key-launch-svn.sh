# SNP_GET_DERIVED_KEY with GUEST_SVN selected, guest_svn 1, 2 (the launch SVN) and 3 (above it)
. "$(dirname "$0")/../../probes/lib.sh"
for svn in 1 2 3; do $PROBE sev-key 0x10 $svn 0 | sed "s/^keyresp/svn$svn keyresp/"; done
