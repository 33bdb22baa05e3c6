// scripts/verifiers/dcap_qvl_verify.js ROOT.pem COLLATERAL.json QUOTE...
// Phala's dcap-qvl (@phala/dcap-qvl, QuoteVerifier.newWithRootCa: the caller names the
// trusted root) verifies each TDX quote with the given collateral, now. One line per quote:
//   ok FILE status=<TCB status> fmspc=... | FAIL FILE <dcap-qvl's error>
// Exit 0 when every quote verified, 1 otherwise.
'use strict';
const fs = require('fs');
const { QuoteVerifier } = require(require('path').join(process.env.VERIFIERS, 'node_modules/@phala/dcap-qvl/src/verify.js'));

const [rootPem, collPath, ...quotes] = process.argv.slice(2);
const b64 = fs.readFileSync(rootPem, 'utf8').replace(/-----[^-]+-----/g, '').replace(/\s+/g, '');
const verifier = QuoteVerifier.newWithRootCa(Buffer.from(b64, 'base64'));
const coll = JSON.parse(fs.readFileSync(collPath, 'utf8'));
let bad = 0;
for (const q of quotes) {
    try {
        const r = verifier.verify(fs.readFileSync(q), coll, Math.floor(Date.now() / 1000));
        console.log(`ok ${q} status=${r.status} advisories=${r.advisory_ids.length}`);
    } catch (e) {
        bad++;
        console.log(`FAIL ${q} ${e.message}${e.cause ? ': ' + e.cause.message : ''}`);
    }
}
process.exit(bad ? 1 : 0);
