// scripts/verifiers/tinfoil_verify.mjs REPORT VCEK.der ASK.der ARK.der
// Tinfoil's SEV-SNP verifier (@tinfoilsh/verifier) checks one report the way its own
// verifySevReport does (dist/attestation.js): Report parse, CertificateChain.verifyChain (ARK
// self-signed, ARK signs ASK, ASK signs VCEK, RSASSA-PSS, P-384, AMD names, validity),
// the report signature (sev/verify.js) and validateReport with its default policy (TCB
// SPLs and hwID of the VCEK equal to the report's, firmware minimums). The chain is built
// from the given certificates instead of CertificateChain.fromReport's built-in Genoa ARK/
// ASK (its public API cannot be given roots). Tinfoil knows only Genoa parts and VCEK-
// signed reports (it checks the names ARK-Genoa, SEV-Genoa and the VCEK's product name).
// Prints "ok ..." or "FAIL ... <its error>"; exit 0 / 1.
// The packages are where scripts/check.d/39-verifiers.sh installed them: $VERIFIERS.
import fs from 'fs';
import path from 'path';
import { pathToFileURL } from 'url';

const mod = (p) => import(pathToFileURL(path.join(process.env.VERIFIERS, 'node_modules', p)).href);
const sev = '@tinfoilsh/verifier/dist/sev/';
const { Report } = await mod(sev + 'report.js');
const { CertificateChain } = await mod(sev + 'cert-chain.js');
const { verifyAttestation } = await mod(sev + 'verify.js');
const { validateReport, defaultValidationOptions } = await mod(sev + 'validation.js');
const { X509Certificate } = await mod('@freedomofpress/sigstore-browser/dist/index.js');

const [reportPath, vcekPath, askPath, arkPath] = process.argv.slice(2);
const cert = (p) => X509Certificate.parse(new Uint8Array(fs.readFileSync(p)));

try {
    const report = new Report(new Uint8Array(fs.readFileSync(reportPath)));
    const chain = new CertificateChain(cert(arkPath), cert(askPath), cert(vcekPath));
    await verifyAttestation(chain, report);
    validateReport(report, chain, defaultValidationOptions);
    console.log(`ok ${reportPath} product=${report.productName} signer=${report.signerInfoParsed.signingKey}`);
} catch (e) {
    console.log(`FAIL ${reportPath} ${e.message}${e.cause ? ': ' + e.cause.message : ''}`);
    process.exit(1);
}
