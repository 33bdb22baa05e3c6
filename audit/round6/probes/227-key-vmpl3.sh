# SNP_GET_DERIVED_KEY (gfs 0, svn 0) at VMPL 2 and VMPL 3: rc, status, key
. "$(dirname "$0")/../../probes/lib.sh"
$PROBE sev-key 0 0 2; $PROBE sev-key 0 0 3
