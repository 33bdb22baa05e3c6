# SNP_GET_EXT_REPORT at VMPL1 on the VLEK profile: the first certificate table entry GUID
. "$(dirname "$0")/../../probes/lib.sh"
$PROBE sev-ext 4 1 | grep "^table\[0000\]" | cut -c1-47
