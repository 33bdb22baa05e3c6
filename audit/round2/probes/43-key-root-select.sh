# SNP_GET_DERIVED_KEY, no field selected, root_key_select 0 (VCEK) and 1 (VMRK)
. "$(dirname "$0")/../../probes/lib.sh"
for root in 0 1; do $PROBE sev-key 0 0 0 $root | sed "s/^keyresp/root$root keyresp/"; done
