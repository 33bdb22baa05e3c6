/* SPDX-License-Identifier: Apache-2.0 */
/*
 * test_sgx_report.c - SGX report body (384 bytes, docs/formats.md §3) parser: the QE reports
 * carried by the real quotes in vectors/tdx-quote/, a synthetic body with a distinct value in
 * every field (offsets from §3), the size check and the reserved-field warning.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>
#include "teeabi/tdx.h"
#include "testutil.h"

/* formats.md §3: values in every real TD-QE report */
#define QE_MR_SIGNER  "dc9e2a7c6f948f17474e34a7fc43ed030f7c1563f1babddf6340c82e0e54a8c5"
#define QE_ATTRIBUTES "1500000000000000e700000000000000"

/* QE report offset: v4 636 + 134, v5 706 + 134 (§2.2, §2.3, §2.5); qe_isvsvn from MANIFEST. */
static const struct { const char *path; size_t off; unsigned isvsvn; } qes[] = {
	{ "vectors/tdx-quote/go-tdx-guest__tdx_prod_quote_SPR_E4.dat", 770, 4 },
	{ "vectors/tdx-quote/go-tdx-guest__cos-113-tdx-quote.dat", 770, 6 },
	{ "vectors/tdx-quote/trustee__tdx_quote_4.dat", 770, 4 },
	{ "vectors/tdx-quote/trustee__az-tdx-vtpm_td-quote.bin", 770, 5 },
	{ "vectors/tdx-quote/dcap-qvl__tdx_quote.dat", 770, 6 },
	{ "vectors/tdx-quote/dcap-qvl__tdx-quote.bin", 770, 6 },
	{ "vectors/tdx-quote/teekit__tdx-v4-moemahhouk.dat", 770, 5 },
	{ "vectors/tdx-quote/cc-trusted-api__quote.bin", 770, 1 },
	{ "vectors/tdx-quote/teekit__tdx-v4-gcp.quote.bin", 770, 6 },
	{ "vectors/tdx-quote/dstack__guest-agent_attestation.quote.bin", 770, 6 },
	{ "vectors/tdx-quote/go-tdx-guest__quote_v5_sample.dat", 840, 7 },
	{ "vectors/tdx-quote/dcap-qvl__tdx_quote_outdated.dat", 840, 7 },
};
#define NQE (sizeof(qes) / sizeof(qes[0]))

static void test_sgx_report_qe_vectors(void **state)
{
	(void)state;
	for (size_t i = 0; i < NQE; i++) {
		size_t len;
		uint8_t *b = tu_read(qes[i].path, &len);
		assert_true(len >= qes[i].off + 384);
		struct teeabi_sgx_report r;
		assert_int_equal(teeabi_sgx_report_parse(b + qes[i].off, 384, &r), TEEABI_OK);
		assert_int_equal(r.isv_svn, qes[i].isvsvn);
		assert_int_equal(r.isv_prod_id, 2);
		assert_int_equal(r.misc_select, 0);
		assert_int_equal(r.config_svn, 0);
		tu_assert_hex(r.mr_signer, 32, QE_MR_SIGNER, "mr_signer");
		tu_assert_hex(r.attributes, 16, QE_ATTRIBUTES, "attributes");
		assert_true(teeabi_all_zero(r.config_id, 64));
		assert_true(teeabi_all_zero(r.isv_family_id, 16));
		assert_true(teeabi_all_zero(r.isv_ext_prod_id, 16));
		assert_true(teeabi_all_zero(r.report_data + 32, 32)); /* binding: upper half zero (§2.6) */
		assert_int_equal(r.warnings, 0);
		free(b);
	}
}

/* MANIFEST/§1.2: the Azure TDREPORT CPUSVN equals the QE report CPUSVN of its quote. */
static void test_sgx_report_azure_cpusvn(void **state)
{
	(void)state;
	size_t len;
	uint8_t *b = tu_read(qes[3].path, &len);
	struct teeabi_sgx_report r;
	assert_int_equal(teeabi_sgx_report_parse(b + 770, 384, &r), TEEABI_OK);
	tu_assert_hex(r.cpu_svn, 16, "0606131503ff00030000000000000000", "cpu_svn");
	free(b);
}

/* Every field at its §3 offset: fill each with its own byte value and read it back. */
static void test_sgx_report_offsets(void **state)
{
	(void)state;
	uint8_t b[384];
	memset(b, 0, sizeof(b));
	memset(b + 0, 0x11, 16);   /* cpu_svn */
	teeabi_put_le32(b + 16, 0x22334455);
	memset(b + 32, 0x33, 16);  /* isv_ext_prod_id */
	memset(b + 48, 0x44, 16);  /* attributes */
	memset(b + 64, 0x55, 32);  /* mr_enclave */
	memset(b + 128, 0x66, 32); /* mr_signer */
	memset(b + 192, 0x77, 64); /* config_id */
	teeabi_put_le16(b + 256, 0x0102);
	teeabi_put_le16(b + 258, 0x0304);
	teeabi_put_le16(b + 260, 0x0506);
	memset(b + 304, 0x88, 16); /* isv_family_id */
	memset(b + 320, 0x99, 64); /* report_data */
	uint8_t *c = malloc(384);
	memcpy(c, b, 384);
	struct teeabi_sgx_report r;
	assert_int_equal(teeabi_sgx_report_parse(c, 384, &r), TEEABI_OK);
	assert_int_equal(r.warnings, 0); /* KSS fields are fields, not reserved */
	assert_ptr_equal(r.cpu_svn, c);
	assert_int_equal(r.misc_select, 0x22334455);
	assert_ptr_equal(r.isv_ext_prod_id, c + 32);
	assert_ptr_equal(r.attributes, c + 48);
	assert_ptr_equal(r.mr_enclave, c + 64);
	assert_ptr_equal(r.mr_signer, c + 128);
	assert_ptr_equal(r.config_id, c + 192);
	assert_int_equal(r.isv_prod_id, 0x0102);
	assert_int_equal(r.isv_svn, 0x0304);
	assert_int_equal(r.config_svn, 0x0506);
	assert_ptr_equal(r.isv_family_id, c + 304);
	assert_ptr_equal(r.report_data, c + 320);
	assert_int_equal(r.mr_enclave[31], 0x55);
	assert_int_equal(r.report_data[63], 0x99);
	free(c);
}

static void test_sgx_report_E_SGX_REPORT_SIZE(void **state)
{
	(void)state;
	struct teeabi_sgx_report r;
	const size_t bad[] = { 0, 1, 383, 385, 432 };
	for (size_t i = 0; i < 5; i++) {
		uint8_t *c = calloc(1, bad[i] ? bad[i] : 1);
		assert_int_equal(teeabi_sgx_report_parse(c, bad[i], &r), TEEABI_E_SGX_REPORT_SIZE);
		free(c);
	}
	assert_int_equal(teeabi_sgx_report_parse(NULL, 384, &r), TEEABI_E_NULL);
	uint8_t z[384] = { 0 };
	assert_int_equal(teeabi_sgx_report_parse(z, 384, NULL), TEEABI_E_NULL);
}

/* Reserved ranges (§3: 20..32, 96..128, 160..192, 262..304): a non-zero byte is a warning. */
static void test_sgx_report_reserved_warning(void **state)
{
	(void)state;
	uint8_t b[384] = { 0 };
	struct teeabi_sgx_report r;
	const struct { size_t lo, hi; } rs[] = { { 20, 32 }, { 96, 128 }, { 160, 192 }, { 262, 304 } };
	for (size_t k = 0; k < 4; k++) {
		const size_t edge[] = { rs[k].lo, rs[k].hi - 1 };
		for (size_t e = 0; e < 2; e++) {
			b[edge[e]] = 0x01;
			assert_int_equal(teeabi_sgx_report_parse(b, 384, &r), TEEABI_OK);
			if (!(r.warnings & TEEABI_W_QE_RESERVED))
				fail_msg("reserved byte %zu not flagged", edge[e]);
			b[edge[e]] = 0;
		}
		/* the bytes just outside each range are fields: no warning */
		b[rs[k].lo - 1] = 0x01;
		b[rs[k].hi] = 0x01;
		assert_int_equal(teeabi_sgx_report_parse(b, 384, &r), TEEABI_OK);
		assert_int_equal(r.warnings, 0);
		b[rs[k].lo - 1] = 0;
		b[rs[k].hi] = 0;
	}
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_sgx_report_qe_vectors),
		cmocka_unit_test(test_sgx_report_azure_cpusvn),
		cmocka_unit_test(test_sgx_report_offsets),
		cmocka_unit_test(test_sgx_report_E_SGX_REPORT_SIZE),
		cmocka_unit_test(test_sgx_report_reserved_warning),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
