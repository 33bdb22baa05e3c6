# configfs-tsm TDX quote: header version, attestation key type, TEE type
. "$(dirname "$0")/../../probes/lib.sh"
tsm_entry q; at $TSM/q/outblob 0 8
