/* SPDX-License-Identifier: Apache-2.0 */
/*
 * test_snp_msg.c - MSG_REPORT_RSP / MSG_KEY_RSP parsers (docs/formats.md §5.1,
 * kernel-abi.md §2.4): a 4000-byte SNP_GET_REPORT response built around a real report,
 * every check tripped, and a length sweep with exact-size buffers.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>
#include "teeabi/snp.h"
#include "testutil.h"

#define RSP_LEN 4000
#define RLEN 1184

static uint8_t *make_rsp(void)
{
	size_t n;
	uint8_t *rep = tu_read("vectors/snp-report/ms-tav__turin_attestation_report.bin", &n);
	assert_int_equal(n, RLEN);
	uint8_t *b = calloc(1, RSP_LEN);
	assert_non_null(b);
	teeabi_put_le32(b, 0);
	teeabi_put_le32(b + 4, 0x4A0);
	memcpy(b + 0x20, rep, RLEN);
	free(rep);
	return b;
}

static void test_report_rsp_ok(void **state)
{
	(void)state;
	uint8_t *b = make_rsp();
	struct teeabi_snp_msg_report_rsp m;
	assert_int_equal(teeabi_snp_msg_report_rsp_parse(b, RSP_LEN, &m), TEEABI_OK);
	assert_int_equal(m.status, 0);
	assert_int_equal(m.report_size, 1184);
	assert_ptr_equal(m.report.p, b + 0x20);
	assert_int_equal(m.report.len, 1184);
	struct teeabi_snp_report r;
	assert_int_equal(teeabi_snp_report_parse(m.report.p, m.report.len, 0, &r), TEEABI_OK);
	tu_assert_hex(r.measurement, 48,
		      "6d6c354511d6f7c6d7504668903dc5bdc066a048b651840d8d03fb85299ebfa142fccf1d1b0baca496841bdf243619d4",
		      "measurement");
	free(b);
}

static void test_report_rsp_checks(void **state)
{
	(void)state;
	uint8_t *b = make_rsp();
	struct teeabi_snp_msg_report_rsp m;
	/* status values from kernel-abi.md §2.4 */
	teeabi_put_le32(b, 0x16);
	assert_int_equal(teeabi_snp_msg_report_rsp_parse(b, RSP_LEN, &m), TEEABI_E_SNP_MSG_STATUS);
	assert_int_equal(m.status, 0x16);
	teeabi_put_le32(b, 0x27);
	assert_int_equal(teeabi_snp_msg_report_rsp_parse(b, RSP_LEN, &m), TEEABI_E_SNP_MSG_STATUS);
	/* formats.md §5.1 order: status first; a failed request has no report (size 0) */
	teeabi_put_le32(b + 4, 0);
	assert_int_equal(teeabi_snp_msg_report_rsp_parse(b, RSP_LEN, &m), TEEABI_E_SNP_MSG_STATUS);
	teeabi_put_le32(b + 4, 0x4A0);
	teeabi_put_le32(b, 0);
	static const uint32_t sizes[] = { 0, 0x49F, 0x4A1, 4000 - 0x20, 0xFFFFFFFFu, 0xFFFFFFE0u };
	for (size_t i = 0; i < sizeof(sizes) / sizeof(sizes[0]); i++) {
		teeabi_put_le32(b + 4, sizes[i]);
		assert_int_equal(teeabi_snp_msg_report_rsp_parse(b, RSP_LEN, &m), TEEABI_E_SNP_MSG_REPORT_SIZE);
	}
	teeabi_put_le32(b + 4, 0x4A0);
	assert_int_equal(teeabi_snp_msg_report_rsp_parse(NULL, RSP_LEN, &m), TEEABI_E_NULL);
	free(b);
}

static void test_report_rsp_lengths(void **state)
{
	(void)state;
	uint8_t *full = make_rsp();
	for (size_t n = 0; n <= 0x20 + RLEN; n++) {
		uint8_t *c = malloc(n ? n : 1);
		assert_non_null(c);
		memcpy(c, full, n);
		struct teeabi_snp_msg_report_rsp m;
		teeabi_err want = n < 0x20 ? TEEABI_E_SNP_MSG_SHORT
				 : n < 0x20 + RLEN ? TEEABI_E_SNP_MSG_BOUNDS : TEEABI_OK;
		teeabi_err got = teeabi_snp_msg_report_rsp_parse(c, n, &m);
		if (got != want)
			fail_msg("len %zu: got %s want %s", n, teeabi_err_name(got), teeabi_err_name(want));
		free(c);
	}
	free(full);
}

static void test_key_rsp(void **state)
{
	(void)state;
	uint8_t b[64];
	for (int i = 0; i < 64; i++)
		b[i] = (uint8_t)(i < 0x20 ? 0 : i);
	struct teeabi_snp_msg_key_rsp k;
	assert_int_equal(teeabi_snp_msg_key_rsp_parse(b, 64, &k), TEEABI_OK);
	assert_int_equal(k.status, 0);
	assert_ptr_equal(k.derived_key, b + 0x20);
	assert_int_equal(k.derived_key[0], 0x20);
	assert_int_equal(teeabi_snp_msg_key_rsp_parse(b, 63, &k), TEEABI_E_SNP_KEY_SHORT);
	assert_int_equal(teeabi_snp_msg_key_rsp_parse(b, 0, &k), TEEABI_E_SNP_KEY_SHORT);
	teeabi_put_le32(b, 0x16);
	assert_int_equal(teeabi_snp_msg_key_rsp_parse(b, 64, &k), TEEABI_E_SNP_KEY_STATUS);
	assert_int_equal(k.status, 0x16);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_report_rsp_ok),
		cmocka_unit_test(test_report_rsp_checks),
		cmocka_unit_test(test_report_rsp_lengths),
		cmocka_unit_test(test_key_rsp),
	};
	return cmocka_run_group_tests_name("snp_msg", tests, NULL, NULL);
}
