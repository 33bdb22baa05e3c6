# SNP_GET_EXT_REPORT (4 pages): the certificate table rows (GUID, offset, length of each entry)
. "$(dirname "$0")/../../probes/lib.sh"
$PROBE sev-ext 4 0 | grep "^table"
