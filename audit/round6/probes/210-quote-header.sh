# configfs-tsm TDX quote: the header's version, attestation key type, TEE type, reserved, QE vendor id
. "$(dirname "$0")/../../probes/lib.sh"
tsm_entry q; at $TSM/q/outblob 0 28
