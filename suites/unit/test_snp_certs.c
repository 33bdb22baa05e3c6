/* SPDX-License-Identifier: Apache-2.0 */
/*
 * test_snp_certs.c - the SNP extended-report certificate table (docs/formats.md §5.2,
 * kernel-abi.md §2.5). Every table is crafted here: a valid VCEK/ASK/ARK table, the
 * one-entry VLEK table of go-sev-guest PR #67, and one table per check. GUIDs are written
 * as their textual form and converted here, independently of lib/snp_certs.c.
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

#define VCEK "63da758d-e664-4564-adc5-f4b93be8accd"
#define VLEK "a8074bc2-a25a-483e-aae6-39c045a0b8a1"
#define ASK  "4ab7b379-bbac-4fe4-a02f-05aef327c782"
#define ARK  "c0b406a4-a803-4952-9743-3fb6014cd0ae"
#define CRL  "92f81bc3-5811-4d3d-97ff-d19f88dc67ea"
#define XPI  "ecae0c0f-9502-43b1-afa2-0ae2e0d565b6"

static void guid(uint8_t out[16], const char *text)
{
	char hex[33];
	size_t j = 0;
	for (const char *p = text; *p; p++)
		if (*p != '-')
			hex[j++] = *p;
	hex[j] = 0;
	tu_unhex(out, 16, hex);
}

/* Write entry i of a table. */
static void entry(uint8_t *t, size_t i, const char *g, uint32_t off, uint32_t len)
{
	guid(t + 24 * i, g);
	teeabi_put_le32(t + 24 * i + 16, off);
	teeabi_put_le32(t + 24 * i + 20, len);
}

/* exact-size heap copy so ASan catches reads past len */
static teeabi_err parse(const uint8_t *t, size_t len, unsigned flags, struct teeabi_cert_table *ct)
{
	uint8_t *c = malloc(len ? len : 1);
	assert_non_null(c);
	memcpy(c, t, len);
	teeabi_err e = teeabi_snp_cert_table_parse(c, len, flags, ct);
	free(c);
	return e;
}

static void test_guid_constants(void **state)
{
	(void)state;
	uint8_t g[16];
	char s[37];
	guid(g, VCEK); assert_memory_equal(g, teeabi_guid_vcek, 16);
	guid(g, VLEK); assert_memory_equal(g, teeabi_guid_vlek, 16);
	guid(g, ASK);  assert_memory_equal(g, teeabi_guid_ask, 16);
	guid(g, ARK);  assert_memory_equal(g, teeabi_guid_ark, 16);
	guid(g, CRL);  assert_memory_equal(g, teeabi_guid_crl, 16);
	guid(g, XPI);  assert_memory_equal(g, teeabi_guid_extra_platform_info, 16);
	teeabi_guid_str(s, teeabi_guid_vcek);
	assert_string_equal(s, VCEK);
	teeabi_guid_str(s, teeabi_guid_extra_platform_info);
	assert_string_equal(s, XPI);
	assert_string_equal(teeabi_cert_kind_name(TEEABI_CERT_ARK), "ark");
	assert_string_equal(teeabi_cert_kind_name(TEEABI_CERT_EXTRA_PLATFORM_INFO), "extra_platform_info");
	assert_string_equal(teeabi_cert_kind_name((enum teeabi_cert_kind)99), "unknown");
}

/* teeabi_guid_parse_le = the kernel's guid_parse(): 36 characters, hyphens at 8/13/18/23,
 * either case, trailing text ignored; guid_t bytes (first three fields little-endian) */
static void test_guid_parse_le(void **state)
{
	static const uint8_t want[16] = { 0xeb, 0xf1, 0x76, 0xc4, 0x23, 0x01, 0xa5, 0x45,
					  0x96, 0x41, 0xb4, 0xe7, 0xdd, 0xe5, 0xbf, 0xe3 };
	uint8_t g[16], keep[16];
	assert_int_equal(teeabi_guid_parse_le("c476f1eb-0123-45a5-9641-b4e7dde5bfe3", g), 0);
	assert_memory_equal(g, want, 16);
	assert_int_equal(teeabi_guid_parse_le("C476F1EB-0123-45A5-9641-B4E7DDE5BFE3\ntrailing", g), 0);
	assert_memory_equal(g, want, 16);
	static const char *const bad[] = {
		"", "c476f1eb-0123-45a5-9641-b4e7dde5bfe", "c476f1eb0123-45a5-9641-b4e7dde5bfe3x",
		"c476f1eb-0123-45a5-9641_b4e7dde5bfe3", "g476f1eb-0123-45a5-9641-b4e7dde5bfe3",
		"{c476f1eb-0123-45a5-9641-b4e7dde5bfe3}", " c476f1eb-0123-45a5-9641-b4e7dde5bfe3",
	};
	memset(keep, 0x5a, sizeof(keep));
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		memcpy(g, keep, 16);
		assert_int_equal(teeabi_guid_parse_le(bad[i], g), -1);
		assert_memory_equal(g, keep, 16);
	}
}

static void test_valid_vcek_ask_ark(void **state)
{
	(void)state;
	uint8_t t[276] = { 0 };
	entry(t, 0, VCEK, 96, 100);
	entry(t, 1, ASK, 196, 50);
	entry(t, 2, ARK, 246, 30);
	for (size_t i = 96; i < sizeof(t); i++)
		t[i] = (uint8_t)i;
	struct teeabi_cert_table ct;
	uint8_t *c = malloc(sizeof(t));
	memcpy(c, t, sizeof(t));
	assert_int_equal(teeabi_snp_cert_table_parse(c, sizeof(t), 0, &ct), TEEABI_OK);
	assert_int_equal(ct.count, 3);
	assert_int_equal(ct.table_len, 96);
	assert_int_equal(ct.end, 276);
	assert_int_equal(ct.e[0].kind, TEEABI_CERT_VCEK);
	assert_string_equal(ct.e[0].name, "vcek");
	assert_int_equal(ct.e[1].kind, TEEABI_CERT_ASK);
	assert_string_equal(ct.e[2].name, "ark");
	assert_int_equal(ct.e[1].offset, 196);
	assert_int_equal(ct.e[1].length, 50);
	assert_ptr_equal(ct.e[1].data.p, c + 196);
	assert_int_equal(ct.e[1].data.len, 50);
	assert_ptr_equal(ct.e[2].guid, c + 48);
	/* trailing zero bytes after the certificates (the kernel zero-fills certs_len) are fine */
	free(c);
	uint8_t big[600] = { 0 };
	memcpy(big, t, sizeof(t));
	assert_int_equal(parse(big, sizeof(big), 0, &ct), TEEABI_OK);
	assert_int_equal(ct.end, 276);
}

/* go-sev-guest PR #67: a8074bc2 a25a 483e aae6 39c045a0b8a1 | 30000000 | 30050000 | 24 x 00 */
static void test_vlek_pr67_shape(void **state)
{
	(void)state;
	size_t len = 0x30 + 0x530;
	uint8_t *t = calloc(1, len);
	assert_non_null(t);
	tu_unhex(t, 24, "a8074bc2a25a483eaae639c045a0b8a13000000030050000");
	t[0x30] = 0x30; t[0x31] = 0x82; t[0x32] = 0x05; t[0x33] = 0x2c;
	struct teeabi_cert_table ct;
	assert_int_equal(parse(t, len, 0, &ct), TEEABI_OK);
	assert_int_equal(ct.count, 1);
	assert_int_equal(ct.e[0].kind, TEEABI_CERT_VLEK);
	assert_int_equal(ct.e[0].offset, 0x30);
	assert_int_equal(ct.e[0].length, 0x530);
	assert_int_equal(ct.end, len);
	/* one byte short -> bounds */
	assert_int_equal(parse(t, len - 1, 0, &ct), TEEABI_E_CERTS_BOUNDS);
	free(t);
}

static void test_short_and_terminator(void **state)
{
	(void)state;
	uint8_t t[200] = { 0 };
	struct teeabi_cert_table ct;
	for (size_t n = 0; n < 24; n++)
		assert_int_equal(parse(t, n, 0, &ct), TEEABI_E_CERTS_SHORT);
	/* an empty table: just the terminator */
	assert_int_equal(parse(t, 24, 0, &ct), TEEABI_OK);
	assert_int_equal(ct.count, 0);
	assert_int_equal(ct.table_len, 24);
	/* one entry, the terminator cut short */
	entry(t, 0, VCEK, 48, 10);
	for (size_t n = 24; n < 48; n++)
		assert_int_equal(parse(t, n, 0, &ct), TEEABI_E_CERTS_NO_TERMINATOR);
	/* the terminator must be all-zero: a zero GUID with a non-zero offset is an entry */
	memset(t, 0, sizeof(t));
	teeabi_put_le32(t + 16, 48);
	teeabi_put_le32(t + 20, 4);
	assert_int_equal(parse(t, 100, 0, &ct), TEEABI_OK);
	assert_int_equal(ct.count, 1);
	assert_int_equal(ct.e[0].kind, TEEABI_CERT_UNKNOWN);
	assert_string_equal(ct.e[0].name, "unknown");
	/* no terminator at all: every 24-byte slot is an entry up to the end of the blob */
	memset(t, 0xAB, sizeof(t));
	assert_int_equal(parse(t, 192, 0, &ct), TEEABI_E_CERTS_NO_TERMINATOR);
}

static void test_too_many(void **state)
{
	(void)state;
	size_t max = TEEABI_CERTS_MAX_ENTRIES;
	size_t tl = (max + 2) * 24, len = tl + max + 1;
	uint8_t *t = calloc(1, len);
	assert_non_null(t);
	/* exactly max entries with distinct GUIDs and 1-byte certs */
	for (size_t i = 0; i < max; i++) {
		entry(t, i, VCEK, (uint32_t)(tl + i), 1);
		t[24 * i + 15] = (uint8_t)i; /* make the GUIDs distinct */
	}
	struct teeabi_cert_table ct;
	assert_int_equal(parse(t, len, 0, &ct), TEEABI_OK);
	assert_int_equal(ct.count, max);
	/* one more */
	entry(t, max, ARK, (uint32_t)(tl + max), 1);
	assert_int_equal(parse(t, len, 0, &ct), TEEABI_E_CERTS_TOO_MANY);
	free(t);
}

static void test_bounds(void **state)
{
	(void)state;
	uint8_t t[100] = { 0 };
	struct teeabi_cert_table ct;
	entry(t, 0, VCEK, 48, 52); /* ends exactly at 100 */
	assert_int_equal(parse(t, 100, 0, &ct), TEEABI_OK);
	entry(t, 0, VCEK, 48, 53);
	assert_int_equal(parse(t, 100, 0, &ct), TEEABI_E_CERTS_BOUNDS);
	assert_int_equal(ct.err_entry, 0);
	/* u32 wrap: 0xFFFFFFF0 + 0x20 = 0x10 in 32 bits */
	entry(t, 0, VCEK, 0xFFFFFFF0u, 0x20);
	assert_int_equal(parse(t, 100, 0, &ct), TEEABI_E_CERTS_BOUNDS);
	entry(t, 0, VCEK, 48, 0xFFFFFFFFu);
	assert_int_equal(parse(t, 100, 0, &ct), TEEABI_E_CERTS_BOUNDS);
	entry(t, 0, VCEK, 0xFFFFFFFFu, 0xFFFFFFFFu);
	assert_int_equal(parse(t, 100, 0, &ct), TEEABI_E_CERTS_BOUNDS);
	entry(t, 0, VCEK, 0xFFFFFFFFu, 1);
	assert_int_equal(parse(t, 100, 0, &ct), TEEABI_E_CERTS_BOUNDS);
	/* second entry out of bounds */
	uint8_t u[130] = { 0 };
	entry(u, 0, VCEK, 72, 10);
	entry(u, 1, ASK, 82, 49);
	assert_int_equal(parse(u, 130, 0, &ct), TEEABI_E_CERTS_BOUNDS);
	assert_int_equal(ct.err_entry, 1);
}

static void test_in_table(void **state)
{
	(void)state;
	uint8_t t[100] = { 0 };
	struct teeabi_cert_table ct;
	entry(t, 0, VCEK, 0, 10);
	assert_int_equal(parse(t, 100, 0, &ct), TEEABI_E_CERTS_IN_TABLE);
	entry(t, 0, VCEK, 47, 10); /* table_len 48: the last byte of the terminator */
	assert_int_equal(parse(t, 100, 0, &ct), TEEABI_E_CERTS_IN_TABLE);
	entry(t, 0, VCEK, 24, 10); /* the terminator itself */
	assert_int_equal(parse(t, 100, 0, &ct), TEEABI_E_CERTS_IN_TABLE);
	entry(t, 0, VCEK, 48, 10);
	assert_int_equal(parse(t, 100, 0, &ct), TEEABI_OK);
}

static void test_zero_len(void **state)
{
	(void)state;
	uint8_t t[100] = { 0 };
	struct teeabi_cert_table ct;
	entry(t, 0, VCEK, 48, 0);
	assert_int_equal(parse(t, 100, 0, &ct), TEEABI_E_CERTS_ZERO_LEN);
	/* the length is checked before the offset (check order of snp_certs.c): an empty
	 * entry pointing into the table is a zero-length entry */
	entry(t, 0, VCEK, 0, 0);
	assert_int_equal(parse(t, 100, 0, &ct), TEEABI_E_CERTS_ZERO_LEN);
	entry(t, 0, VCEK, 47, 0);
	assert_int_equal(parse(t, 100, 0, &ct), TEEABI_E_CERTS_ZERO_LEN);
}

static void test_overlap(void **state)
{
	(void)state;
	uint8_t t[300] = { 0 };
	struct teeabi_cert_table ct;
	entry(t, 0, VCEK, 72, 100);
	entry(t, 1, ASK, 171, 50); /* [72,172) and [171,221) share byte 171 */
	assert_int_equal(parse(t, 300, 0, &ct), TEEABI_E_CERTS_OVERLAP);
	assert_int_equal(ct.err_entry, 1);
	assert_int_equal(parse(t, 300, TEEABI_CERTS_ALLOW_OVERLAP, &ct), TEEABI_OK);
	entry(t, 1, ASK, 172, 50); /* adjacent: fine */
	assert_int_equal(parse(t, 300, 0, &ct), TEEABI_OK);
	entry(t, 1, ASK, 72, 100); /* identical range */
	assert_int_equal(parse(t, 300, 0, &ct), TEEABI_E_CERTS_OVERLAP);
	entry(t, 1, ASK, 100, 10); /* contained */
	assert_int_equal(parse(t, 300, 0, &ct), TEEABI_E_CERTS_OVERLAP);
}

static void test_duplicate(void **state)
{
	(void)state;
	uint8_t t[300] = { 0 };
	struct teeabi_cert_table ct;
	entry(t, 0, VCEK, 72, 10);
	entry(t, 1, VCEK, 82, 10);
	assert_int_equal(parse(t, 300, 0, &ct), TEEABI_E_CERTS_DUPLICATE);
	assert_int_equal(ct.err_entry, 1);
	assert_int_equal(parse(t, 300, TEEABI_CERTS_ALLOW_DUPLICATE, &ct), TEEABI_OK);
	assert_int_equal(ct.count, 2);
	/* err_entry names the later entry of the first duplicate pair */
	memset(t, 0, sizeof(t));
	entry(t, 0, VCEK, 96, 10);
	entry(t, 1, ASK, 106, 10);
	entry(t, 2, VCEK, 116, 10);
	assert_int_equal(parse(t, 300, 0, &ct), TEEABI_E_CERTS_DUPLICATE);
	assert_int_equal(ct.err_entry, 2);
	/* CRL, VLEK and extra-platform-info kinds */
	memset(t, 0, sizeof(t));
	entry(t, 0, CRL, 96, 10);
	entry(t, 1, VLEK, 106, 10);
	entry(t, 2, XPI, 116, 10);
	assert_int_equal(parse(t, 300, 0, &ct), TEEABI_OK);
	assert_int_equal(ct.e[0].kind, TEEABI_CERT_CRL);
	assert_int_equal(ct.e[1].kind, TEEABI_CERT_VLEK);
	assert_int_equal(ct.e[2].kind, TEEABI_CERT_EXTRA_PLATFORM_INFO);
	assert_int_equal(teeabi_snp_cert_table_parse(NULL, 10, 0, &ct), TEEABI_E_NULL);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_guid_constants),
		cmocka_unit_test(test_guid_parse_le),
		cmocka_unit_test(test_valid_vcek_ask_ark),
		cmocka_unit_test(test_vlek_pr67_shape),
		cmocka_unit_test(test_short_and_terminator),
		cmocka_unit_test(test_too_many),
		cmocka_unit_test(test_bounds),
		cmocka_unit_test(test_in_table),
		cmocka_unit_test(test_zero_len),
		cmocka_unit_test(test_overlap),
		cmocka_unit_test(test_duplicate),
	};
	return cmocka_run_group_tests_name("snp_certs", tests, NULL, NULL);
}
