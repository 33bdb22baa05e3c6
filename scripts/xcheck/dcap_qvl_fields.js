// scripts/xcheck/dcap_qvl_fields.js - the fields of TDX quotes as a third-party parser sees
// them: Phala's dcap-qvl (the JavaScript package, used by dstack's verifiers) parses each
// file with its Quote.parse; this prints one JSON line per file with teeabi-parse's field
// names, so that check step 37-dcap-qvl can compare the two parsers field by field.
//
// usage: node dcap_qvl_fields.js PATH/TO/dcap-qvl/src/quote.js FILE...
// A file dcap-qvl rejects gets {"file": ..., "error": "<its message>"}.
'use strict';
const fs = require('fs');
const { Quote } = require(process.argv[2]);

const hex = (b) => Buffer.from(b).toString('hex');
const u64le = (b) => '0x' + Buffer.from(b).readBigUInt64LE(0).toString(16);
const BODY_TYPES = { sgx: 1, td10: 2, td15: 3 };

function fields(bytes) {
  const q = Quote.parse(bytes);
  const out = {
    version: q.header.version,
    tee_type: q.header.teeType,
    qe_vendor_id: hex(q.header.qeVendorId),
    body_type: BODY_TYPES[q.report.type],
    inner_cert_type: q.innerCertType(),
  };
  if (q.report.type === 'sgx') {
    out.report_data = hex(q.report.data.reportData);
    return out;
  }
  const td = q.report.type === 'td15' ? q.report.data.base : q.report.data;
  Object.assign(out, {
    tee_tcb_svn: hex(td.teeTcbSvn),
    mrseam: hex(td.mrSeam),
    mrsignerseam: hex(td.mrSignerSeam),
    td_attributes: u64le(td.tdAttributes),
    xfam: u64le(td.xfam),
    mrtd: hex(td.mrTd),
    mrconfigid: hex(td.mrConfigId),
    mrowner: hex(td.mrOwner),
    mrownerconfig: hex(td.mrOwnerConfig),
    rtmr0: hex(td.rtMr0),
    rtmr1: hex(td.rtMr1),
    rtmr2: hex(td.rtMr2),
    rtmr3: hex(td.rtMr3),
    report_data: hex(td.reportData),
  });
  if (q.report.type === 'td15') {
    out.tee_tcb_svn2 = hex(q.report.data.teeTcbSvn2);
    out.mr_servicetd = hex(q.report.data.mrServiceTd);
  }
  return out;
}

for (const file of process.argv.slice(3)) {
  let line;
  try {
    line = Object.assign({ file }, fields(fs.readFileSync(file)));
  } catch (e) {
    line = { file, error: String((e && e.message) || e) };
  }
  console.log(JSON.stringify(line));
}
