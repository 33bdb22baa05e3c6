// scripts/xcheck/tinfoil_snp_fields.mjs - the fields of SEV-SNP attestation reports as a
// third-party parser sees them: the Report class of Tinfoil's verifier (the npm package
// @tinfoilsh/verifier, dist/sev/report.js, a port of go-sev-guest's checks) parses each file;
// this prints one JSON line per file with teeabi-parse's field names ("a.b" for a member of a
// nested object), so that check step 37 can compare the two parsers field by field.
//
// usage: node tinfoil_snp_fields.mjs PATH/TO/dist/sev/report.js FILE...
// A file the parser rejects gets {"file": ..., "error": "<its message>"}.
import { readFileSync } from 'node:fs';
import { pathToFileURL } from 'node:url';

const { Report } = await import(pathToFileURL(process.argv[2]).href);
const hex = (b) => Buffer.from(b).toString('hex');
const h64 = (v) => '0x' + BigInt(v).toString(16);
const hx2 = (n) => n.toString(16).padStart(2, '0');

function fields(bytes) {
  // the first 1184 bytes are the report; teeabi-parse counts the rest as trailing bytes
  const r = new Report(new Uint8Array(bytes.buffer, bytes.byteOffset, Math.min(bytes.length, 1184)));
  const out = {
    version: r.version,
    guest_svn: r.guestSvn,
    policy: h64(r.policy),
    family_id: hex(r.familyId),
    image_id: hex(r.imageId),
    vmpl: r.vmpl,
    'current_tcb.raw': h64(r.currentTcb),
    platform_info: h64(r.platformInfo),
    signer_info: h64(r.signerInfo),
    report_data: hex(r.reportData),
    measurement: hex(r.measurement),
    host_data: hex(r.hostData),
    id_key_digest: hex(r.idKeyDigest),
    author_key_digest: hex(r.authorKeyDigest),
    report_id: hex(r.reportId),
    report_id_ma: hex(r.reportIdMa),
    'reported_tcb.raw': h64(r.reportedTcb),
    chip_id: hex(r.chipId),
    'committed_tcb.raw': h64(r.committedTcb),
    'launch_tcb.raw': h64(r.launchTcb),
    current_fw: `${r.currentMajor}.${r.currentMinor}.${r.currentBuild}`,
    committed_fw: `${r.committedMajor}.${r.committedMinor}.${r.committedBuild}`,
    author_key_en: r.signerInfoParsed.authorKeyEn,
    mask_chip_key: r.signerInfoParsed.maskChipKey,
  };
  if (r.version >= 3) out.cpuid = hx2(r.family) + hx2(r.model) + hx2(r.stepping);
  return out;
}

for (const file of process.argv.slice(3)) {
  let line;
  try {
    line = Object.assign({ file }, fields(readFileSync(file)));
  } catch (e) {
    line = { file, error: String((e && e.message) || e) };
  }
  console.log(JSON.stringify(line));
}
