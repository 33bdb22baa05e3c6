// scripts/verifiers/dcap_qvl_parse.js QUOTE - the least a program built on Phala's dcap-qvl
// (@phala/dcap-qvl, pinned in package.json / package-lock.json) does with a TDX quote: read
// the file, Quote.parse it (structure only, no signature or certificate check), print the
// TD's MRTD in lowercase hex. bench/process.sh times teeabi-parse against it as whole
// processes. Only the parser module is loaded (src/quote.js), not the verifier's crypto.
// VERIFIERS: the directory the packages were installed in (scripts/verifiers/install.sh).
// Exit 0, or 1 when the quote does not parse or has no TD report.
'use strict';
const fs = require('fs');
const path = require('path');
const { Quote } = require(path.join(process.env.VERIFIERS, 'node_modules/@phala/dcap-qvl/src/quote.js'));

try {
    const td = Quote.parse(fs.readFileSync(process.argv[2])).report.asTd10();
    if (!td)
        throw new Error('not a TD quote');
    console.log(Buffer.from(td.mrTd).toString('hex'));
} catch (e) {
    console.error(`dcap_qvl_parse: ${process.argv[2]}: ${e.message}`);
    process.exit(1);
}
