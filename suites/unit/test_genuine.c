/* SPDX-License-Identifier: Apache-2.0 */
/*
 * test_genuine.c - the genuineness check (lib/genuine.c, teeabi/genuine.h) and the mock's
 * vendor-shaped test PKI from the outside:
 *   - every real TDX quote in vectors/ whose PCK chain ends in the production Intel SGX
 *     Root CA is genuine (vectors/MANIFEST.md "production"), the one with a non-production
 *     root is not; the real Milan, Genoa and Turin SNP reports with their VCEK and ASK
 *     (vectors/snp-certs/) are genuine;
 *   - evidence of the mock, of every SNP product and signer and of TDX, is "test PKI",
 *     never genuine; one changed signed byte, a chain of another product, a missing ASK,
 *     a quote whose chain is cut are what the verdict says they are;
 *   - the library's list of test-root fingerprints is the committed test PKI's (computed
 *     here with OpenSSL from the PEM text);
 *   - the model's PCK certificate carries Intel's SGX extension with the platform's values
 *     and the collateral's signatures verify under the test TCB signing certificate;
 *   - a VCEK is matched in the report's TCB layout (a Turin v2 report without CPUID);
 *   - certificate dates (the real Turin VCEK's, the mock's after 8 years) and CRLs (made here
 *     with OpenSSL: AMD's of the test ARK, Intel's of the test Platform CA; empty, revoking,
 *     stale, forged) give the verdicts teeabi/genuine.h promises. The real vectors are
 *     checked at a fixed time (VECTORS_AT) when all their certificates are valid;
 *   - the certificate cache gives the same answers as fresh decodes, over fuzz_genuine's
 *     seeds and changed copies of them.
 */
#include <dirent.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <cmocka.h>
#include <json-c/json.h>
#include <openssl/bio.h>
#include <openssl/ecdsa.h>
#include <openssl/evp.h>
#include <openssl/pem.h>
#include <openssl/x509.h>
#include "model.h"
#include "pki_material.h"
#include "teeabi/genuine.h"
#include "teeabi/snp.h"
#include "teeabi/tdx.h"
#include "testutil.h"
#include "../../lib/keycache.h"
#include "../../fuzz/fz_genuine.h"

/* the fixed time the real vectors are checked at: every certificate of vectors/ is valid then
 * (latest notBefore 2026-06-17, the VCEK of the dstack SNP attestation; earliest notAfter
 * 2029-09-20, a PCK), so the test does not start failing when they expire; 1782864000 =
 * 2026-07-01T00:00:00Z (Python's calendar.timegm) */
#define VECTORS_AT ((time_t)1782864000)
static const struct teeabi_genuine_opts at_vectors = { .at = VECTORS_AT };

static char *cat_files(const char *a, const char *b, size_t *len)
{
	size_t la, lb;
	uint8_t *x = tu_read(a, &la), *y = tu_read(b, &lb);
	char *s = malloc(la + lb + 1);

	assert_non_null(x);
	assert_non_null(y);
	assert_non_null(s);
	memcpy(s, x, la);
	memcpy(s + la, y, lb);
	s[la + lb] = 0;
	*len = la + lb;
	free(x);
	free(y);
	return s;
}

static void test_real_tdx_quotes(void **state)
{
	static const char *const genuine[] = {
		"go-tdx-guest__tdx_prod_quote_SPR_E4.dat", "go-tdx-guest__cos-113-tdx-quote.dat", "trustee__tdx_quote_4.dat",
		"trustee__az-tdx-vtpm_td-quote.bin", "dcap-qvl__tdx_quote.dat", "dcap-qvl__tdx-quote.bin",
		"teekit__tdx-v4-moemahhouk.dat", "teekit__tdx-v4-gcp.quote.bin", "dstack__guest-agent_attestation.quote.bin",
		"go-tdx-guest__quote_v5_sample.dat", "dcap-qvl__tdx_quote_outdated.dat",
	};
	char path[256];
	struct teeabi_genuineness g;

	for (size_t i = 0; i < sizeof(genuine) / sizeof(genuine[0]); i++) {
		size_t len;
		snprintf(path, sizeof(path), "vectors/tdx-quote/%s", genuine[i]);
		uint8_t *q = tu_read(path, &len);
		assert_non_null(q);
		teeabi_tdx_quote_genuine_opts(q, len, &at_vectors, &g);
		if (g.verdict != TEEABI_GENUINE)
			fail_msg("%s: %s (%s)", genuine[i], teeabi_genuine_name(g.verdict), g.reason);
		assert_int_equal(g.root, TEEABI_ROOT_GENUINE_VENDOR);
		assert_string_equal(g.root_name, "Intel SGX Root CA");
		assert_int_equal(g.ncerts, 3);
		assert_non_null(strstr(g.certs[0].subject, "CN=Intel SGX PCK Certificate"));
		assert_string_equal(g.certs[0].key, "EC P-256");
		assert_string_equal(g.certs[2].sha256, "44a0196b2b99f889b8e149e95b807a350e7424964399e885a7cbb8ccfab674d3");
		/* one changed byte of the signed body: the chain still verifies, the quote does not */
		q[48 + 520] ^= 1;
		teeabi_tdx_quote_genuine_opts(q, len, &at_vectors, &g);
		assert_int_equal(g.verdict, TEEABI_NOT_GENUINE);
		assert_non_null(strstr(g.reason, "not signed"));
		free(q);
	}
	/* MANIFEST: "chain ends in a non-production Intel root key" */
	size_t len;
	uint8_t *q = tu_read("vectors/tdx-quote/cc-trusted-api__quote.bin", &len);
	assert_non_null(q);
	teeabi_tdx_quote_genuine_opts(q, len, &at_vectors, &g);
	assert_int_equal(g.verdict, TEEABI_NOT_GENUINE);
	assert_int_equal(g.root, TEEABI_ROOT_UNKNOWN);
	assert_non_null(strstr(g.reason, "unknown root"));
	free(q);
}

static void snp_vector(const char *product, enum teeabi_genuine want, const char *certs_of)
{
	char rp[256], vp[256], ap[256];
	size_t rl, ul;

	snprintf(rp, sizeof(rp), "vectors/snp-report/ms-tav__%s_attestation_report.bin", product);
	snprintf(vp, sizeof(vp), "vectors/snp-certs/ms-tav__%s_vcek.pem", certs_of);
	snprintf(ap, sizeof(ap), "vectors/snp-certs/ms-tav__%s_ask.pem", certs_of);
	uint8_t *r = tu_read(rp, &rl);
	char *user = cat_files(vp, ap, &ul);
	struct teeabi_genuineness g;

	assert_non_null(r);
	teeabi_snp_report_genuine_opts(r, rl, NULL, 0, (const uint8_t *)user, ul, &at_vectors, &g);
	if (g.verdict != want)
		fail_msg("%s with %s certs: %s (%s)", product, certs_of, teeabi_genuine_name(g.verdict), g.reason);
	if (want == TEEABI_GENUINE) {
		assert_int_equal(g.ncerts, 3);
		assert_string_equal(g.certs[0].key, "EC P-384");
		assert_string_equal(g.certs[1].key, "RSA-4096");
		char ark[32];
		snprintf(ark, sizeof(ark), "CN=ARK-%c%s", product[0] - 32, product + 1);
		assert_non_null(strstr(g.certs[2].subject, ark));
		/* one changed signed byte */
		r[0x50] ^= 1;
		teeabi_snp_report_genuine_opts(r, rl, NULL, 0, (const uint8_t *)user, ul, &at_vectors, &g);
		assert_int_equal(g.verdict, TEEABI_NOT_GENUINE);
		/* the VCEK alone: the ASK is missing, nothing to check it with */
		r[0x50] ^= 1;
		size_t vl;
		uint8_t *v = tu_read(vp, &vl);
		teeabi_snp_report_genuine_opts(r, rl, NULL, 0, v, vl, &at_vectors, &g);
		assert_int_equal(g.verdict, TEEABI_NOT_CHECKABLE);
		free(v);
	}
	free(user);
	free(r);
}

static void test_real_snp_reports(void **state)
{
	snp_vector("milan", TEEABI_GENUINE, "milan");
	snp_vector("genoa", TEEABI_GENUINE, "genoa");
	snp_vector("turin", TEEABI_GENUINE, "turin");
	/* a genuine chain of another product does not make a report genuine */
	snp_vector("milan", TEEABI_NOT_GENUINE, "genoa");
	snp_vector("genoa", TEEABI_NOT_GENUINE, "turin");
	/* no certificates at all */
	size_t rl;
	uint8_t *r = tu_read("vectors/snp-report/ms-tav__genoa_attestation_report.bin", &rl);
	struct teeabi_genuineness g;
	teeabi_snp_report_genuine(r, rl, NULL, 0, NULL, 0, &g);
	assert_int_equal(g.verdict, TEEABI_NOT_CHECKABLE);
	free(r);
}

/* dstack's own wrappings (docs/dstack-os.md §3): the quote of a GetQuote JSON, the quote or
 * the SNP report with its cert_chain of a VersionedAttestation (SCALE, raw or JSON hex) */
static void test_real_dstack(void **state)
{
	static const struct { const char *file; enum teeabi_genuine want; const char *root; } v[] = {
		{ "dstack__guest-agent_attestation.bin", TEEABI_GENUINE, "Intel SGX Root CA" },
		{ "dstack__quote-report.json", TEEABI_GENUINE, "Intel SGX Root CA" },
		{ "dstack__tdx-lite-getquote.json", TEEABI_GENUINE, "Intel SGX Root CA" },
		{ "dstack__tdx-lite-attestation.json", TEEABI_GENUINE, "Intel SGX Root CA" },
		/* a real Milan report whose ASK and VCEK travel in the attestation */
		{ "dstack__sev-snp-attestation.json", TEEABI_GENUINE, "AMD ARK-Milan" },
		/* the same report without certificates */
		{ "dstack__sev_snp_attestation.bin", TEEABI_NOT_CHECKABLE, NULL },
	};
	char path[256];

	for (size_t i = 0; i < sizeof(v) / sizeof(v[0]); i++) {
		struct teeabi_genuineness g;
		size_t len;
		snprintf(path, sizeof(path), "vectors/dstack/%s", v[i].file);
		uint8_t *b = tu_read(path, &len);
		assert_non_null(b);
		teeabi_evidence_genuine_opts(b, len, NULL, 0, NULL, 0, &at_vectors, &g);
		if (g.verdict != v[i].want)
			fail_msg("%s: %s (%s)", v[i].file, teeabi_genuine_name(g.verdict), g.reason);
		if (v[i].root)
			assert_string_equal(g.root_name, v[i].root);
		free(b);
	}
}

static struct teeabi_profile profile(enum teeabi_platform plat, enum teeabi_snp_product prod, bool vlek)
{
	struct teeabi_profile p;

	memset(&p, 0, sizeof(p));
	snprintf(p.name, sizeof(p.name), "unit-genuine-%d-%d", (int)prod, vlek);
	snprintf(p.kernel, sizeof(p.kernel), "6.11.0");
	p.kver_major = 6;
	p.kver_minor = 11;
	p.platform = plat;
	p.sev_guest = plat == TEEABI_PLAT_SNP;
	p.tdx_guest = plat == TEEABI_PLAT_TDX ? TEEABI_TDX_UPSTREAM : TEEABI_TDX_ABSENT;
	p.snp_product = prod;
	p.snp_vlek = vlek;
	return p;
}

static void test_mock_snp_is_test_pki(void **state)
{
	for (int prod = TEEABI_SNP_MILAN; prod <= TEEABI_SNP_TURIN; prod++)
		for (int vlek = 0; vlek < 2; vlek++) {
			struct teeabi_profile p = profile(TEEABI_PLAT_SNP, prod, vlek);
			struct tm_dev *d = tm_new(&p, TM_NO_FAULTS);
			uint8_t ud[64] = { 3 }, resp[4000];
			size_t bl;
			struct teeabi_genuineness g;

			assert_non_null(d);
			assert_int_equal(tm_sev_report(d, ud, 0, resp), 0);
			const uint8_t *blob = tm_sev_certs(d, &bl);
			teeabi_snp_report_genuine(resp + 0x20, 1184, blob, bl, NULL, 0, &g);
			if (g.verdict != TEEABI_TEST_PKI)
				fail_msg("product %d vlek %d: %s (%s)", prod, vlek, teeabi_genuine_name(g.verdict), g.reason);
			assert_int_equal(g.root, TEEABI_ROOT_TEST);
			assert_non_null(strstr(g.root_name, "teeabi test ARK-"));
			/* a changed signed byte is not "test PKI" either */
			resp[0x20 + 0x90] ^= 1;
			teeabi_snp_report_genuine(resp + 0x20, 1184, blob, bl, NULL, 0, &g);
			assert_int_equal(g.verdict, TEEABI_NOT_GENUINE);
			tm_free(d);
		}
}

/* A v3+ report's CPUID names the product whose chain must verify it (formats.md §4.2): a
 * Genoa or Turin machine whose report says Milan (19 01 01) is not "test PKI" although its
 * own chain signed it; on Milan the same row is right. */
static void test_cpuid_names_chain_product(void **state)
{
	for (int prod = TEEABI_SNP_MILAN; prod <= TEEABI_SNP_TURIN; prod++) {
		struct teeabi_profile p = profile(TEEABI_PLAT_SNP, prod, false);
		struct tm_dev *d = tm_new(&p, TM_FAULT_BIT(TM_FAULT_SEV_REPORT_CPUID_ALWAYS_MILAN));
		uint8_t ud[64] = { 5 }, resp[4000];
		size_t bl;
		struct teeabi_genuineness g;

		assert_non_null(d);
		assert_int_equal(tm_sev_report(d, ud, 0, resp), 0);
		assert_memory_equal(resp + 0x20 + 0x188, ((const uint8_t[]){ 0x19, 0x01, 0x01 }), 3);
		const uint8_t *blob = tm_sev_certs(d, &bl);
		teeabi_snp_report_genuine(resp + 0x20, 1184, blob, bl, NULL, 0, &g);
		if (prod == TEEABI_SNP_MILAN) {
			if (g.verdict != TEEABI_TEST_PKI)
				fail_msg("Milan report with a Milan CPUID: %s (%s)", teeabi_genuine_name(g.verdict), g.reason);
		} else {
			assert_int_equal(g.verdict, TEEABI_NOT_GENUINE);
			assert_non_null(strstr(g.reason, "CPUID (19 01 01) names another product"));
			assert_non_null(strstr(g.reason, prod == TEEABI_SNP_GENOA ? "ARK-Genoa" : "ARK-Turin"));
		}
		tm_free(d);
	}
}

/* A mock TDX machine's quote (malloc'd) of a TDREPORT with report data rd0, 0, 0...; the
 * TDREPORT into rep, the machine into *d */
static uint8_t *mock_quote(uint8_t rd0, struct tm_dev **d, uint8_t rep[1024], size_t *ql)
{
	struct teeabi_profile p = profile(TEEABI_PLAT_TDX, 0, false);
	uint8_t rd[64] = { rd0 }, *q = NULL;

	*d = tm_new(&p, TM_NO_FAULTS);
	assert_non_null(*d);
	assert_int_equal(tm_tdx_tdreport(*d, rd, rep), 0);
	assert_int_equal(tm_tdx_quote(*d, rep, &q, ql), 0);
	return q;
}

static void test_mock_tdx_is_test_pki(void **state)
{
	struct tm_dev *d;
	uint8_t rep[1024];
	size_t ql;
	uint8_t *q = mock_quote(9, &d, rep, &ql);
	struct teeabi_genuineness g;

	teeabi_tdx_quote_genuine(q, ql, &g);
	if (g.verdict != TEEABI_TEST_PKI)
		fail_msg("%s (%s)", teeabi_genuine_name(g.verdict), g.reason);
	assert_string_equal(g.root_name, "teeabi test Intel SGX Root CA");
	assert_non_null(strstr(g.certs[0].subject, "CN=Intel SGX PCK Certificate"));
	/* the quote's own root replaced by the genuine Intel root's name alone is not enough:
	 * a quote signed by another machine's keys under the same test chain is caught */
	q[48 + 520] ^= 1;
	teeabi_tdx_quote_genuine(q, ql, &g);
	assert_int_equal(g.verdict, TEEABI_NOT_GENUINE);
	free(q);
	tm_free(d);
}

/* The SPL extensions of a VCEK made here: OID suffix (of 1.3.6.1.4.1.3704.1.3.) and value */
struct spl { const char *oid; long v; };

/* A VCEK made here for the report r (1184 bytes, changed in place: re-signed with the new
 * key), with the given SPLs and hwID, signed by the committed test ASK of a product; the
 * verdict on r with VCEK, ASK and ARK as the user's PEM */
static void custom_vcek(uint8_t *r, const char *ask_pem, const char *ask_key_pem, const char *ark_pem, const struct spl *spl,
			size_t nspl, const uint8_t *hw, size_t hwlen, struct teeabi_genuineness *g)
{
	EVP_PKEY *k = EVP_EC_gen("P-384"), *askk = tm_pem_key(ask_key_pem);
	X509 *ask = tm_pem_cert(ask_pem);
	char oid[48];

	assert_true(k && askk && ask);
	X509 *leaf = tm_cert_new(k, X509_get_subject_name(ask), X509_get_subject_name(ask), 0, 1, 365);
	assert_non_null(leaf);
	for (size_t i = 0; i < nspl; i++) {
		snprintf(oid, sizeof(oid), "1.3.6.1.4.1.3704.1.3.%s", spl[i].oid);
		assert_int_equal(tm_cert_add_int_ext(leaf, oid, spl[i].v), 0);
	}
	assert_int_equal(tm_cert_add_raw_ext(leaf, "1.3.6.1.4.1.3704.1.4", false, hw, hwlen), 0);
	assert_int_equal(tm_cert_sign(leaf, askk, NULL), 0);
	memset(r + 0x2A0, 0, 144);
	assert_int_equal(tm_ecdsa_sign_raw(k, EVP_sha384(), r, 0x2A0, 48, true, r + 0x2A0, r + 0x2A0 + 72), 0);
	BIO *b = BIO_new(BIO_s_mem());
	assert_int_equal(PEM_write_bio_X509(b, leaf), 1);
	assert_int_equal(BIO_puts(b, ask_pem) > 0, 1);
	assert_int_equal(BIO_puts(b, ark_pem) > 0, 1);
	char *user;
	long ul = BIO_get_mem_data(b, &user);
	teeabi_snp_report_genuine(r, 1184, NULL, 0, (const uint8_t *)user, (size_t)ul, g);
	BIO_free(b);
	X509_free(leaf);
	X509_free(ask);
	EVP_PKEY_free(askk);
	EVP_PKEY_free(k);
}

/* A VCEK made here with the committed test Genoa ASK, whose blSPL is off by bl_delta or
 * whose hwID has one byte changed, re-signs a mock Genoa report: the chain and the
 * signature verify, the certificate does not describe the report. */
static void mismatched_vcek(int bl_delta, bool bad_hwid, const char *want_reason)
{
	struct teeabi_profile p = profile(TEEABI_PLAT_SNP, TEEABI_SNP_GENOA, false);
	struct tm_dev *d = tm_new(&p, TM_NO_FAULTS);
	uint8_t ud[64] = { 5 }, resp[4000], *r = resp + 0x20;
	struct teeabi_snp_report rep;
	struct teeabi_genuineness g;
	uint8_t hw[64];

	assert_non_null(d);
	assert_int_equal(tm_sev_report(d, ud, 0, resp), 0);
	assert_int_equal(teeabi_snp_report_parse(r, 1184, 0, &rep), TEEABI_OK);
	memcpy(hw, rep.chip_id, 64);
	if (bad_hwid)
		hw[17] ^= 0x40;
	const struct spl spl[] = { { "1", rep.reported_tcb.bootloader + bl_delta }, { "2", rep.reported_tcb.tee },
				   { "3", rep.reported_tcb.snp }, { "8", rep.reported_tcb.microcode } };
	custom_vcek(r, tm_pem_snp_genoa_ask, tm_pem_snp_genoa_ask_key, tm_pem_snp_genoa_ark, spl, 4, hw, 64, &g);
	if (bl_delta == 0 && !bad_hwid) {
		if (g.verdict != TEEABI_TEST_PKI)
			fail_msg("control: %s (%s)", teeabi_genuine_name(g.verdict), g.reason);
	} else {
		assert_int_equal(g.verdict, TEEABI_NOT_GENUINE);
		assert_non_null(strstr(g.reason, want_reason));
	}
	tm_free(d);
}

/* The VCEK is matched in the TCB layout the report is decoded in, not by the product
 * alone: a v2 report has no CPUID (so no known product), and a Turin part's v2 report is
 * told by its CHIP_ID (8 significant bytes, formats.md §4.2); its Turin VCEK (fmcSPL,
 * 8-byte hwID; values typed from the Turin TCB 0x5100000004010101) then matches. Before, the
 * Turin rules applied only to reports whose CPUID said Turin. */
static void test_turin_layout_without_cpuid(void **state)
{
	struct teeabi_profile p = profile(TEEABI_PLAT_SNP, TEEABI_SNP_TURIN, false);
	struct tm_dev *d = tm_new(&p, TM_NO_FAULTS);
	uint8_t ud[64] = { 9 }, resp[4000], *r = resp + 0x20;
	struct teeabi_genuineness g;
	const struct spl turin[] = { { "9", 1 }, { "1", 1 }, { "2", 1 }, { "3", 4 }, { "8", 0x51 } };
	/* the same values read in the Milan/Genoa layout: bl 1, tee 1, snp 0, ucode 0x51 */
	const struct spl legacy[] = { { "1", 1 }, { "2", 1 }, { "3", 0 }, { "8", 0x51 } };

	assert_non_null(d);
	assert_int_equal(tm_sev_report(d, ud, 0, resp), 0);
	r[0] = 2;                    /* version 2 */
	memset(r + 0x188, 0, 3);     /* no CPUID */
	custom_vcek(r, tm_pem_snp_turin_ask, tm_pem_snp_turin_ask_key, tm_pem_snp_turin_ark, turin, 5, r + 0x1A0, 8, &g);
	if (g.verdict != TEEABI_TEST_PKI)
		fail_msg("v2 Turin report, Turin VCEK: %s (%s)", teeabi_genuine_name(g.verdict), g.reason);
	custom_vcek(r, tm_pem_snp_turin_ask, tm_pem_snp_turin_ask_key, tm_pem_snp_turin_ark, legacy, 4, r + 0x1A0, 64, &g);
	assert_int_equal(g.verdict, TEEABI_NOT_GENUINE);
	tm_free(d);
}

static void test_vcek_must_describe_report(void **state)
{
	mismatched_vcek(0, false, NULL);          /* control: made like that, it is accepted */
	mismatched_vcek(1, false, "TCB SPLs");
	mismatched_vcek(0, true, "hwID");
}

static void sha256_pem(const char *pem, char out[65])
{
	BIO *b = BIO_new_mem_buf(pem, -1);
	X509 *x = PEM_read_bio_X509(b, NULL, NULL, NULL);
	unsigned char md[32];
	unsigned n = 0;

	assert_non_null(x);
	assert_int_equal(X509_digest(x, EVP_sha256(), md, &n), 1);
	for (int i = 0; i < 32; i++)
		snprintf(out + 2 * i, 3, "%02x", md[i]);
	X509_free(x);
	BIO_free(b);
}

static void test_test_root_fingerprints(void **state)
{
	const char *pems[4] = { tm_pem_tdx_root, tm_pem_snp_milan_ark, tm_pem_snp_genoa_ark, tm_pem_snp_turin_ark };
	char fp[65];

	for (int i = 0; i < 4; i++) {
		sha256_pem(pems[i], fp);
		assert_string_equal(fp, teeabi_test_root_sha256[i]);
	}
}

/* The PCK certificate's SGX extension (Intel's PCK certificate profile), read with
 * OpenSSL's ASN.1 parser: FMSPC, PCESVN, CPUSVN equal to the TDREPORT's */
static void test_pck_sgx_extension(void **state)
{
	struct tm_dev *d;
	uint8_t rep[1024];
	size_t ql;
	uint8_t *q = mock_quote(0, &d, rep, &ql);
	struct teeabi_tdx_quote tq;

	assert_int_equal(teeabi_tdx_quote_parse(q, ql, TEEABI_QUOTE_DEFAULT, &tq), TEEABI_OK);
	BIO *b = BIO_new_mem_buf(tq.inner_cert.p, (int)tq.inner_cert.len);
	X509 *pck = PEM_read_bio_X509(b, NULL, NULL, NULL);
	assert_non_null(pck);
	ASN1_OBJECT *o = OBJ_txt2obj("1.2.840.113741.1.13.1", 1);
	int i = X509_get_ext_by_OBJ(pck, o, -1);
	assert_true(i >= 0);
	const ASN1_OCTET_STRING *v = X509_EXTENSION_get_data(X509_get_ext(pck, i));
	/* walk SEQUENCE { SEQUENCE { OID, value } ... } with d2i */
	const unsigned char *pp = ASN1_STRING_get0_data(v);
	ASN1_SEQUENCE_ANY *top = d2i_ASN1_SEQUENCE_ANY(NULL, &pp, ASN1_STRING_length(v));
	assert_non_null(top);
	bool seen_fmspc = false, seen_tcb = false;
	for (int k = 0; k < sk_ASN1_TYPE_num(top); k++) {
		ASN1_TYPE *t = sk_ASN1_TYPE_value(top, k);
		assert_int_equal(t->type, V_ASN1_SEQUENCE);
		const unsigned char *ip = t->value.sequence->data;
		ASN1_SEQUENCE_ANY *pair = d2i_ASN1_SEQUENCE_ANY(NULL, &ip, t->value.sequence->length);
		assert_non_null(pair);
		char oid[64];
		OBJ_obj2txt(oid, sizeof(oid), sk_ASN1_TYPE_value(pair, 0)->value.object, 1);
		ASN1_TYPE *val = sk_ASN1_TYPE_value(pair, 1);
		if (!strcmp(oid, "1.2.840.113741.1.13.1.4")) {
			assert_int_equal(val->type, V_ASN1_OCTET_STRING);
			assert_int_equal(val->value.octet_string->length, 6);
			seen_fmspc = true;
		}
		if (!strcmp(oid, "1.2.840.113741.1.13.1.2")) {
			const unsigned char *cp = val->value.sequence->data;
			ASN1_SEQUENCE_ANY *comps = d2i_ASN1_SEQUENCE_ANY(NULL, &cp, val->value.sequence->length);
			assert_int_equal(sk_ASN1_TYPE_num(comps), 18);
			for (int c = 0; c < 18; c++) {
				ASN1_TYPE *ct = sk_ASN1_TYPE_value(comps, c);
				const unsigned char *cc = ct->value.sequence->data;
				ASN1_SEQUENCE_ANY *cv = d2i_ASN1_SEQUENCE_ANY(NULL, &cc, ct->value.sequence->length);
				ASN1_TYPE *x = sk_ASN1_TYPE_value(cv, 1);
				if (c < 16)
					assert_int_equal(ASN1_INTEGER_get(x->value.integer), rep[TDREPORT_OFF_CPUSVN + c]);
				else if (c == 17)
					assert_memory_equal(x->value.octet_string->data, rep + TDREPORT_OFF_CPUSVN, 16);
				sk_ASN1_TYPE_pop_free(cv, ASN1_TYPE_free);
			}
			sk_ASN1_TYPE_pop_free(comps, ASN1_TYPE_free);
			seen_tcb = true;
		}
		sk_ASN1_TYPE_pop_free(pair, ASN1_TYPE_free);
	}
	assert_true(seen_fmspc && seen_tcb);
	sk_ASN1_TYPE_pop_free(top, ASN1_TYPE_free);
	ASN1_OBJECT_free(o);
	X509_free(pck);
	BIO_free(b);
	free(q);
	tm_free(d);
}

/* r||s hex signature over text under the test TCB signing certificate */
static bool tcb_signed(const char *text, const char *sighex)
{
	BIO *b = BIO_new_mem_buf(tm_pem_tdx_tcb_signing, -1);
	X509 *x = PEM_read_bio_X509(b, NULL, NULL, NULL);
	uint8_t rs[64];
	ECDSA_SIG *sig = ECDSA_SIG_new();
	unsigned char *der = NULL;
	EVP_MD_CTX *m = EVP_MD_CTX_new();
	bool ok;

	tu_unhex(rs, 64, sighex);
	ECDSA_SIG_set0(sig, BN_bin2bn(rs, 32, NULL), BN_bin2bn(rs + 32, 32, NULL));
	int dl = i2d_ECDSA_SIG(sig, &der);
	ok = EVP_DigestVerifyInit(m, NULL, EVP_sha256(), NULL, X509_get0_pubkey(x)) == 1 &&
	     EVP_DigestVerify(m, der, (size_t)dl, (const uint8_t *)text, strlen(text)) == 1;
	EVP_MD_CTX_free(m);
	OPENSSL_free(der);
	ECDSA_SIG_free(sig);
	X509_free(x);
	BIO_free(b);
	return ok;
}

static void test_collateral(void **state)
{
	struct teeabi_profile p = profile(TEEABI_PLAT_TDX, 0, false);
	struct tm_dev *d = tm_new(&p, TM_NO_FAULTS);
	struct tm_tdx_collateral c;
	uint8_t rd[64] = { 0 }, rep[1024];

	assert_non_null(d);
	assert_int_equal(tm_tdx_tdreport(d, rd, rep), 0);
	assert_int_equal(tm_tdx_collateral(d, time(NULL), &c), 0);
	assert_true(tcb_signed(c.tcb_info, c.tcb_info_sig));
	assert_true(tcb_signed(c.qe_identity, c.qe_identity_sig));
	char *tampered = strdup(c.tcb_info);
	tampered[10] ^= 1;
	assert_false(tcb_signed(tampered, c.tcb_info_sig));
	free(tampered);
	/* the TCB level is the platform's: tdx components = TEE_TCB_SVN, sgx components = CPUSVN */
	json_object *o = json_tokener_parse(c.tcb_info), *lv, *tcb, *a;
	assert_non_null(o);
	assert_true(json_object_object_get_ex(o, "tcbLevels", &lv));
	tcb = json_object_object_get(json_object_array_get_idx(lv, 0), "tcb");
	a = json_object_object_get(tcb, "tdxtcbcomponents");
	for (int i = 0; i < 16; i++)
		assert_int_equal(json_object_get_int(json_object_object_get(json_object_array_get_idx(a, i), "svn")),
				 rep[TDREPORT_OFF_TEE_TCB_SVN + i]);
	a = json_object_object_get(tcb, "sgxtcbcomponents");
	for (int i = 0; i < 16; i++)
		assert_int_equal(json_object_get_int(json_object_object_get(json_object_array_get_idx(a, i), "svn")),
				 rep[TDREPORT_OFF_CPUSVN + i]);
	json_object_put(o);
	/* the CRLs are signed by their issuers */
	const unsigned char *cp = c.pck_crl;
	X509_CRL *crl = d2i_X509_CRL(NULL, &cp, (long)c.pck_crl_len);
	BIO *b = BIO_new_mem_buf(tm_pem_tdx_platform_ca, -1);
	X509 *ca = PEM_read_bio_X509(b, NULL, NULL, NULL);
	assert_int_equal(X509_CRL_verify(crl, X509_get0_pubkey(ca)), 1);
	X509_free(ca);
	BIO_free(b);
	X509_CRL_free(crl);
	tm_tdx_collateral_free(&c);
	tm_free(d);
}

/* ------------------------------------------------------------------ dates and CRLs */


static void test_parse_time(void **state)
{
	static const struct { const char *s; time_t want; } ok[] = {
		{ "2026-06-01", 1780272000 }, { "2026-06-01T00:00:00Z", 1780272000 }, { "@1780272000", 1780272000 },
		{ "2034-01-01", 2019686400 }, { "2024-02-29T12:30:15Z", 1709209815 },
	};
	static const char *const bad[] = { "", "2026-6-01", "2026-06-01T00:00:00", "2026-06-01 00:00:00Z", "@", "@-5", "@12x",
					   "2026-13-01", "2026-06-32", "20260601", "2026-06-01T25:00:00Z", "tomorrow" };
	time_t t;

	for (size_t i = 0; i < sizeof(ok) / sizeof(ok[0]); i++) {
		t = 0;
		if (teeabi_genuine_parse_time(ok[i].s, &t) != 0 || t != ok[i].want)
			fail_msg("%s: %lld, want %lld", ok[i].s, (long long)t, (long long)ok[i].want);
	}
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++)
		if (teeabi_genuine_parse_time(bad[i], &t) == 0)
			fail_msg("\"%s\" accepted as a time", bad[i]);
}

/* The real Turin report with its VCEK and ASK at a time: the verdict and its reason */
static void turin_at(time_t at, struct teeabi_genuineness *g)
{
	size_t rl, ul;
	uint8_t *r = tu_read("vectors/snp-report/ms-tav__turin_attestation_report.bin", &rl);
	char *user = cat_files("vectors/snp-certs/ms-tav__turin_vcek.pem", "vectors/snp-certs/ms-tav__turin_ask.pem", &ul);
	struct teeabi_genuine_opts o = { .at = at };

	teeabi_snp_report_genuine_opts(r, rl, NULL, 0, (const uint8_t *)user, ul, &o, g);
	free(user);
	free(r);
}

/* Mock evidence far in the future, the real Turin VCEK (notBefore 2026-02-05 01:04:33,
 * notAfter 2033-02-05 01:04:33 as `openssl x509 -dates` prints them) before and after */
static void test_validity_dates(void **state)
{
	struct teeabi_genuineness g;

	turin_at(VECTORS_AT, &g);
	if (g.verdict != TEEABI_GENUINE)
		fail_msg("turin at 2026-07-01: %s (%s)", teeabi_genuine_name(g.verdict), g.reason);
	assert_string_equal(g.certs[0].not_before, "2026-02-05 01:04:33");
	assert_string_equal(g.certs[0].not_after, "2033-02-05 01:04:33");
	assert_string_equal(g.checked_at, "2026-07-01 00:00:00");
	turin_at(2019686400, &g); /* 2034-01-01 */
	assert_int_equal(g.verdict, TEEABI_NOT_GENUINE);
	assert_non_null(strstr(g.reason, "CN=SEV-VCEK has expired at 2034-01-01 00:00:00"));
	turin_at(1767225600, &g); /* 2026-01-01 */
	assert_int_equal(g.verdict, TEEABI_NOT_GENUINE);
	assert_non_null(strstr(g.reason, "CN=SEV-VCEK is not yet valid"));

	/* the mock's VCEK is valid 7 years, its CA certificates 25: 8 years on it has expired */
	struct teeabi_profile p = profile(TEEABI_PLAT_SNP, TEEABI_SNP_GENOA, false);
	struct tm_dev *d = tm_new(&p, TM_NO_FAULTS);
	uint8_t ud[64] = { 4 }, resp[4000];
	size_t bl;
	struct teeabi_genuine_opts later = { .at = time(NULL) + 8L * 365 * 86400 };
	assert_non_null(d);
	assert_int_equal(tm_sev_report(d, ud, 0, resp), 0);
	const uint8_t *blob = tm_sev_certs(d, &bl);
	teeabi_snp_report_genuine_opts(resp + 0x20, 1184, blob, bl, NULL, 0, NULL, &g);
	assert_int_equal(g.verdict, TEEABI_TEST_PKI);
	teeabi_snp_report_genuine_opts(resp + 0x20, 1184, blob, bl, NULL, 0, &later, &g);
	assert_int_equal(g.verdict, TEEABI_NOT_GENUINE);
	assert_non_null(strstr(g.reason, "CN=SEV-VCEK has expired"));
	assert_non_null(strstr(g.reason, "TEST PKI"));
	tm_free(d);

	/* and the mock's PCK certificate (7 years) */
	uint8_t rep[1024];
	size_t ql;
	uint8_t *q = mock_quote(2, &d, rep, &ql);
	teeabi_tdx_quote_genuine_opts(q, ql, &later, &g);
	assert_int_equal(g.verdict, TEEABI_NOT_GENUINE);
	assert_non_null(strstr(g.reason, "CN=Intel SGX PCK Certificate has expired"));
	free(q);
	tm_free(d);
}

/* A CRL made here (not by the model) of the issuer certificate issuer_pem, signed with
 * key_pem, valid from last to next, revoking revoke (NULL: none); DER into der/len */
static void make_test_crl(const char *issuer_pem, const char *key_pem, time_t last, time_t next, const ASN1_INTEGER *revoke,
			  uint8_t **der, size_t *len)
{
	X509 *issuer = tm_pem_cert(issuer_pem);
	EVP_PKEY *k = tm_pem_key(key_pem);
	X509_CRL *c = X509_CRL_new();
	ASN1_TIME *t0 = ASN1_TIME_set(NULL, last), *t1 = ASN1_TIME_set(NULL, next);
	unsigned char *p = NULL;

	assert_true(issuer && k && c && t0 && t1);
	assert_int_equal(X509_CRL_set_version(c, 1), 1);
	assert_int_equal(X509_CRL_set_issuer_name(c, X509_get_subject_name(issuer)), 1);
	assert_int_equal(X509_CRL_set1_lastUpdate(c, t0), 1);
	assert_int_equal(X509_CRL_set1_nextUpdate(c, t1), 1);
	if (revoke) {
		X509_REVOKED *r = X509_REVOKED_new();
		assert_non_null(r);
		assert_int_equal(X509_REVOKED_set_serialNumber(r, (ASN1_INTEGER *)revoke), 1);
		assert_int_equal(X509_REVOKED_set_revocationDate(r, t0), 1);
		assert_int_equal(X509_CRL_add0_revoked(c, r), 1);
		assert_int_equal(X509_CRL_sort(c), 1);
	}
	assert_true(X509_CRL_sign(c, k, EVP_sha384()) > 0);
	int n = i2d_X509_CRL(c, &p);
	assert_true(n > 0);
	*der = malloc((size_t)n);
	assert_non_null(*der);
	memcpy(*der, p, (size_t)n);
	*len = (size_t)n;
	OPENSSL_free(p);
	ASN1_TIME_free(t0);
	ASN1_TIME_free(t1);
	X509_CRL_free(c);
	EVP_PKEY_free(k);
	X509_free(issuer);
}

/* A mock Genoa report and its certificate table, checked with one CRL */
static void snp_with_crl(const uint8_t *crl, size_t crl_len, struct teeabi_genuineness *g)
{
	struct teeabi_profile p = profile(TEEABI_PLAT_SNP, TEEABI_SNP_GENOA, false);
	struct tm_dev *d = tm_new(&p, TM_NO_FAULTS);
	uint8_t ud[64] = { 6 }, resp[4000];
	size_t bl;
	struct teeabi_slice s = { crl, crl_len };
	struct teeabi_genuine_opts o = { .crls = &s, .ncrls = 1 };

	assert_non_null(d);
	assert_int_equal(tm_sev_report(d, ud, 0, resp), 0);
	const uint8_t *blob = tm_sev_certs(d, &bl);
	teeabi_snp_report_genuine_opts(resp + 0x20, 1184, blob, bl, NULL, 0, &o, g);
	tm_free(d);
}

static void test_revocation(void **state)
{
	time_t now = time(NULL);
	struct teeabi_genuineness g;
	uint8_t *crl;
	size_t cl;

	/* AMD: a CRL of ARK-Genoa (as KDS serves /vcek/v1/Genoa/crl) covers the ASK and the ARK.
	 * A stale CRL (nextUpdate passed) that lists nothing tells nothing: not checkable; one
	 * that lists the ASK still proves the revocation (an entry is never taken back). */
	X509 *ask = tm_pem_cert(tm_pem_snp_genoa_ask);
	assert_non_null(ask);
	const ASN1_INTEGER *ask_serial = X509_get0_serialNumber(ask);
	const struct {
		const char *what, *issuer, *key;
		time_t last, next;
		const ASN1_INTEGER *revoke;
		enum teeabi_genuine want;
		const char *text;
		int checked;
	} cases[] = {
		{ "empty", tm_pem_snp_genoa_ark, tm_pem_snp_genoa_ark_key, now - 3600, now + 86400, NULL, TEEABI_TEST_PKI, "none revoked", 2 },
		{ "ASK revoked", tm_pem_snp_genoa_ark, tm_pem_snp_genoa_ark_key, now - 3600, now + 86400, ask_serial, TEEABI_NOT_GENUINE,
		  "CN=SEV-Genoa is revoked", -1 },
		{ "stale, empty", tm_pem_snp_genoa_ark, tm_pem_snp_genoa_ark_key, now - 60 * 86400, now - 30 * 86400, NULL,
		  TEEABI_NOT_CHECKABLE, "CRL has expired", -1 },
		{ "stale, ASK revoked", tm_pem_snp_genoa_ark, tm_pem_snp_genoa_ark_key, now - 60 * 86400, now - 30 * 86400, ask_serial,
		  TEEABI_NOT_GENUINE, "CN=SEV-Genoa is revoked", -1 },
		/* in ARK-Genoa's name, signed by another key: the revocation it lists does not count */
		{ "forged", tm_pem_snp_genoa_ark, tm_pem_snp_milan_ark_key, now - 3600, now + 86400, ask_serial, TEEABI_NOT_CHECKABLE,
		  "signature", -1 },
		/* another product's ARK: nothing of this chain is checked */
		{ "of ARK-Milan", tm_pem_snp_milan_ark, tm_pem_snp_milan_ark_key, now - 3600, now + 86400, NULL, TEEABI_TEST_PKI, "TEST PKI",
		  0 },
	};
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		make_test_crl(cases[i].issuer, cases[i].key, cases[i].last, cases[i].next, cases[i].revoke, &crl, &cl);
		snp_with_crl(crl, cl, &g);
		if (g.verdict != cases[i].want || !strstr(g.reason, cases[i].text) || (cases[i].checked >= 0 && g.revocation_checked != cases[i].checked))
			fail_msg("CRL %s: %s (%s), %d checked", cases[i].what, teeabi_genuine_name(g.verdict), g.reason, g.revocation_checked);
		free(crl);
	}
	X509_free(ask);
	/* a file that holds no CRL */
	snp_with_crl((const uint8_t *)"-----BEGIN X509 CRL-----\nAAAA\n-----END X509 CRL-----\n", 54, &g);
	assert_int_equal(g.verdict, TEEABI_NOT_CHECKABLE);
	assert_non_null(strstr(g.reason, "hold no CRL"));

	/* Intel: the collateral's root CA and PCK CRLs cover root, Platform CA and PCK */
	struct tm_dev *d;
	struct tm_tdx_collateral c;
	uint8_t rep[1024];
	size_t ql;
	uint8_t *q = mock_quote(8, &d, rep, &ql);
	assert_int_equal(tm_tdx_collateral(d, now, &c), 0);
	struct teeabi_slice two[2] = { { c.root_ca_crl, c.root_ca_crl_len }, { c.pck_crl, c.pck_crl_len } };
	struct teeabi_genuine_opts o = { .crls = two, .ncrls = 2 };
	teeabi_tdx_quote_genuine_opts(q, ql, &o, &g);
	if (g.verdict != TEEABI_TEST_PKI)
		fail_msg("collateral CRLs: %s (%s)", teeabi_genuine_name(g.verdict), g.reason);
	assert_int_equal(g.revocation_checked, 3);
	/* a PCK CRL of the Platform CA that revokes the PCK certificate (serial 0x7e57) */
	ASN1_INTEGER *serial = ASN1_INTEGER_new();
	assert_int_equal(ASN1_INTEGER_set(serial, 0x7e57), 1);
	make_test_crl(tm_pem_tdx_platform_ca, tm_pem_tdx_platform_ca_key, now - 3600, now + 86400, serial, &crl, &cl);
	two[1] = (struct teeabi_slice){ crl, cl };
	teeabi_tdx_quote_genuine_opts(q, ql, &o, &g);
	assert_int_equal(g.verdict, TEEABI_NOT_GENUINE);
	assert_non_null(strstr(g.reason, "CN=Intel SGX PCK Certificate is revoked"));
	/* without CRLs nothing is checked for revocation */
	teeabi_tdx_quote_genuine(q, ql, &g);
	assert_int_equal(g.verdict, TEEABI_TEST_PKI);
	assert_int_equal(g.revocation_checked, 0);
	ASN1_INTEGER_free(serial);
	free(crl);
	tm_tdx_collateral_free(&c);
	free(q);
	tm_free(d);
}

/* The fuzz_genuine checks on data but the repeated one (fz_genuine.h) */
static void harness_calls(const uint8_t *data, size_t size, struct teeabi_genuineness g[3])
{
	fz_genuine_check(data, size, 0, &g[0]);
	fz_genuine_check(data, size, 2, &g[1]);
	fz_genuine_check(data, size, 3, &g[2]);
}

/* The certificate cache (lib/keycache.c) changes no answer: every seed of fuzz_genuine
 * (corpus/genuine/, real and mock evidence with their certificates and CRLs), as it is and
 * with single bytes changed across it and cut short, gives the very same results (every
 * byte of each struct) decoded fresh each time, through a cache being filled, and from the
 * filled cache. */
static void test_cache_same_answers(void **state)
{
	(void)state;
	DIR *d = opendir(tu_src_path("corpus/genuine"));
	struct dirent *e;
	unsigned files = 0, inputs = 0, verdicts[4] = { 0 };

	assert_non_null(d);
	while ((e = readdir(d))) {
		char rel[512];
		size_t len;
		if (e->d_name[0] == '.')
			continue;
		snprintf(rel, sizeof(rel), "corpus/genuine/%s", e->d_name);
		uint8_t *orig = tu_read(rel, &len), *b = malloc(len + 1);
		assert_non_null(b);
		files++;
		/* all the variants of a seed decoded fresh, then through the cache twice in a row:
		 * the cache holds the other variants' entries meanwhile, as a fuzzer's does */
		enum { NV = 33 };
		struct teeabi_genuineness(*res)[NV][3] = calloc(3, sizeof(*res));
		assert_non_null(res);
		for (int pass = 0; pass < 3 && len >= 2; pass++) {
			teeabi_cache_set_enabled(pass > 0);
			for (unsigned v = 0; v < NV; v++) {
				size_t size = len;
				memcpy(b, orig, len);
				if (v >= 1 && v <= 24)
					b[2 + (len - 2) * (v - 1) / 24] ^= (uint8_t)(0x11 * v); /* one byte changed */
				else if (v > 24)
					size = 2 + (len - 2) * (v - 24) / 9; /* cut short */
				harness_calls(b, size, res[pass][v]);
			}
		}
		for (unsigned v = 0; v < NV && len >= 2; v++, inputs++)
			for (int i = 0; i < 3; i++) {
				const struct teeabi_genuineness *f = &res[0][v][i], *c1 = &res[1][v][i], *c2 = &res[2][v][i];
				if (memcmp(f, c1, sizeof(*f)) || memcmp(f, c2, sizeof(*f)))
					fail_msg("%s variant %u call %d: fresh \"%s\", filling \"%s\", cached \"%s\"", e->d_name, v, i,
						 f->reason, c1->reason, c2->reason);
				verdicts[f->verdict]++;
			}
		free(res);
		free(b);
		free(orig);
	}
	closedir(d);
	print_message("cache: %u seeds, %u inputs, verdicts genuine %u, not genuine %u, not checkable %u, test PKI %u\n",
		      files, inputs, verdicts[TEEABI_GENUINE], verdicts[TEEABI_NOT_GENUINE], verdicts[TEEABI_NOT_CHECKABLE],
		      verdicts[TEEABI_TEST_PKI]);
	assert_true(files >= 10);
	/* the seeds reach every verdict but genuine at the harness's time (the real chains have
	 * CRLs of their own only in the mock seeds): a cache bug in any branch would show */
	assert_true(verdicts[TEEABI_NOT_GENUINE] > 0 && verdicts[TEEABI_NOT_CHECKABLE] > 0 && verdicts[TEEABI_TEST_PKI] > 0);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_real_tdx_quotes),
		cmocka_unit_test(test_real_snp_reports),
		cmocka_unit_test(test_real_dstack),
		cmocka_unit_test(test_mock_snp_is_test_pki),
		cmocka_unit_test(test_cpuid_names_chain_product),
		cmocka_unit_test(test_mock_tdx_is_test_pki),
		cmocka_unit_test(test_vcek_must_describe_report),
		cmocka_unit_test(test_test_root_fingerprints),
		cmocka_unit_test(test_pck_sgx_extension),
		cmocka_unit_test(test_collateral),
		cmocka_unit_test(test_turin_layout_without_cpuid),
		cmocka_unit_test(test_parse_time),
		cmocka_unit_test(test_validity_dates),
		cmocka_unit_test(test_revocation),
		cmocka_unit_test(test_cache_same_answers),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
