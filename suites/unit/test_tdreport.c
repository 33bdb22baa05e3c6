/* SPDX-License-Identifier: Apache-2.0 */
/*
 * test_tdreport.c - TDREPORT_STRUCT parser and SHA-384 hash checks (docs/formats.md §1)
 * against the two real TDREPORTs in vectors/tdx-report/. Expected values are copied from
 * vectors/MANIFEST.md; the tests also mutate the vectors to trip every check.
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

#define Z16 "00000000000000000000000000000000"
#define Z48 Z16 Z16 Z16

struct rvec {
	const char *path;
	const char *report_type, *cpusvn;
	uint64_t valid, td_attr, xfam, seam_attr;
	const char *tee_tcb_svn, *tee_tcb_svn2, *mrseam, *mrtd, *rtmr[4], *servtd_hash, *reportdata,
		*tee_tcb_info_hash, *tee_info_hash;
};

/* vectors/MANIFEST.md "Per-file detail" (report_type, cpusvn, valid, td_attributes, xfam,
 * seam_attributes, tee_tcb_svn, tee_tcb_svn2, mrseam, mrtd, rtmr0..3, servtd_hash, reportdata,
 * tee_tcb_info_hash, tee_info_hash) */
static const struct rvec vecs[] = {
	{ "vectors/tdx-report/intel-dcap__tdreport_for_test.dat", "81000000", "05050f1103ff00040000000000000000", 0x1ffull, 0x50000000ull,
	  0x602e7ull, 0x0ull, "04000500000000000000000000000000", Z16,
	  "48fa69949db08002ee84252847f572988b1d6e568ec1353f64cb6c0fd905375f69ad959c0eaf7747ac70a392789302a1",
	  "bb1249bde960ef9b22d56eefb94b7f40ca3b528b31e6e4af0babb075c02ce5c1f63681101779927ea604f5aa49ec95b3",
	  { "e1af75e61927410e42b54b39f6681cf9b0bfbae512b15e870e4c8d9d5a5cb385571b0e1dc2f70bf9ccef08560f0a2b58",
	  "eac22f0257a3dcce04d13a8ec1e5e89112e1bc649e743845f58598f6e13bc7fc62506296235aa300eab6b16292cd8a9c",
	  Z48,
	  Z48 },
	  Z48,
	  "b46a00ebf78bcdff4a1d54bd4d8780427f9dbace511059be041209444c7bde00e5deebdc6ab9dcb4d6307123b7f165368e1f04df305d9d3470a679bc2257bd07",
	  "3e00fdef8508b231f93d722b971a9fb151264e7fe41fb8a4dd7bfdfc0692d5ad08fa9addf3ed771eb15b1b56c7f72197",
	  "c155ed68c23976c9737ab9e75b9bd85076c6fd42d30978308e1f40aebeb2509789c25487c1270296b83c25e3c39ecd10",
	},
	{ "vectors/tdx-report/trustee__az-tdx-vtpm_hcl-report.tdreport.bin", "81000000", "0606131503ff00030000000000000000", 0x301ffull, 0x0ull,
	  0x618e7ull, 0x0ull, "02010600000000000000000000000000", "02010600000000000000000000000000",
	  "360304d34a16aace0a18e09ad2d07d2b9fd3c174378e5bf108388079827f89ff62acc5f8c473dd40706324834e202946",
	  "024a32b070383331181619fa387cb4d55d1e38879f989933055ccad5bc2db795d1737b66205949d15469dc8c1ba7ab7b",
	  { Z48,
	  Z48,
	  Z48,
	  Z48 },
	  Z48,
	  "9734504f161d104c74e3165c15f779b06a9bb40dfa71937817d7eee68e5938390000000000000000000000000000000000000000000000000000000000000000",
	  "8801be6397bf0ab3258a7c9eb72a73bee4c6fa4eafe1e3ac3c7d069a652d334593cb1e6ff49e347d538d5bfa19c8b3f9",
	  "254e3d6b6120fac126e91d1709ef43a2d22b14cd2570ca388b21f1fbbdb02761c0cd2586b83cbcc3ba92688e6a5e8a73",
	},
};
#define NVEC (sizeof(vecs) / sizeof(vecs[0]))

static uint8_t *load(const struct rvec *v)
{
	size_t len;
	uint8_t *b = tu_read(v->path, &len);
	assert_int_equal(len, 1024);
	return b;
}

static void test_tdreport_vectors(void **state)
{
	(void)state;
	for (size_t i = 0; i < NVEC; i++) {
		const struct rvec *v = &vecs[i];
		uint8_t *b = load(v);
		struct teeabi_tdreport r;
		assert_int_equal(teeabi_tdreport_parse(b, 1024, &r), TEEABI_OK);
		uint8_t rt[4] = { r.type, r.subtype, r.version, b[3] };
		tu_assert_hex(rt, 4, v->report_type, "report_type");
		tu_assert_hex(r.cpusvn, 16, v->cpusvn, "cpusvn");
		assert_int_equal(r.valid, v->valid);
		assert_int_equal(r.tdx15, v->valid == 0x301ff); /* MANIFEST: 0x301ff = TDX 1.5 */
		assert_int_equal(r.td.td_attributes, v->td_attr);
		assert_int_equal(r.td.xfam, v->xfam);
		assert_int_equal(r.td.seam_attributes, v->seam_attr);
		tu_assert_hex(r.td.tee_tcb_svn, 16, v->tee_tcb_svn, "tee_tcb_svn");
		tu_assert_hex(r.td.tee_tcb_svn2, 16, v->tee_tcb_svn2, "tee_tcb_svn2");
		tu_assert_hex(r.td.mrseam, 48, v->mrseam, "mrseam");
		tu_assert_hex(r.td.mrsignerseam, 48, Z48, "mrsignerseam");
		tu_assert_hex(r.td.mrtd, 48, v->mrtd, "mrtd");
		for (int k = 0; k < 4; k++)
			tu_assert_hex(r.td.rtmr[k], 48, v->rtmr[k], "rtmr");
		tu_assert_hex(r.td.mr_servicetd, 48, v->servtd_hash, "servtd_hash");
		tu_assert_hex(r.td.report_data, 64, v->reportdata, "reportdata");
		tu_assert_hex(r.tee_tcb_info_hash, 48, v->tee_tcb_info_hash, "tee_tcb_info_hash");
		tu_assert_hex(r.tee_info_hash, 48, v->tee_info_hash, "tee_info_hash");
		assert_ptr_equal(r.mac, b + 0xE0);
		assert_ptr_equal(r.td.mrconfigid, b + 0x240);
		assert_ptr_equal(r.td.mrowner, b + 0x270);
		assert_ptr_equal(r.td.mrownerconfig, b + 0x2A0);
		assert_int_equal(r.warnings, 0); /* both real samples: version 0, reserved zero */
		assert_int_equal(teeabi_tdreport_verify_hashes(b, 1024), TEEABI_OK);
		free(b);
	}
}

static void test_tdreport_E_TDREPORT_SIZE(void **state)
{
	(void)state;
	uint8_t *b = load(&vecs[0]);
	struct teeabi_tdreport r;
	const size_t bad[] = { 0, 1, 1023, 1025, 1088 };
	uint8_t *big = calloc(1, 2048);
	memcpy(big, b, 1024);
	for (size_t i = 0; i < 5; i++) {
		assert_int_equal(teeabi_tdreport_parse(big, bad[i], &r), TEEABI_E_TDREPORT_SIZE);
		assert_int_equal(teeabi_tdreport_verify_hashes(big, bad[i]), TEEABI_E_TDREPORT_SIZE);
	}
	/* every short exact-size copy is rejected without reading past it (ASan) */
	for (size_t n = 0; n < 1024; n++) {
		uint8_t *c = malloc(n ? n : 1);
		memcpy(c, b, n);
		assert_int_equal(teeabi_tdreport_parse(c, n, &r), TEEABI_E_TDREPORT_SIZE);
		free(c);
	}
	free(big);
	free(b);
}

static void test_tdreport_E_TDREPORT_TYPE(void **state)
{
	(void)state;
	uint8_t *b = load(&vecs[0]);
	struct teeabi_tdreport r;
	const uint8_t bad[] = { 0x00, 0x80, 0x82, 0xff, 0x0f };
	for (size_t i = 0; i < sizeof(bad); i++) {
		b[0] = bad[i];
		assert_int_equal(teeabi_tdreport_parse(b, 1024, &r), TEEABI_E_TDREPORT_TYPE);
	}
	free(b);
}

static void test_tdreport_E_TDREPORT_SUBTYPE(void **state)
{
	(void)state;
	uint8_t *b = load(&vecs[1]);
	struct teeabi_tdreport r;
	b[1] = 1;
	assert_int_equal(teeabi_tdreport_parse(b, 1024, &r), TEEABI_E_TDREPORT_SUBTYPE);
	b[1] = 0xff;
	assert_int_equal(teeabi_tdreport_parse(b, 1024, &r), TEEABI_E_TDREPORT_SUBTYPE);
	free(b);
}

static void test_tdreport_E_TDREPORT_TCB_HASH(void **state)
{
	(void)state;
	for (size_t i = 0; i < NVEC; i++) {
		uint8_t *b = load(&vecs[i]);
		/* every byte of the 239-byte TEE_TCB_INFO is covered, nothing after it */
		const size_t offs[] = { 0x100, 0x108, 0x118, 0x180, 0x1EE };
		for (size_t k = 0; k < 5; k++) {
			b[offs[k]] ^= 0x01;
			assert_int_equal(teeabi_tdreport_verify_hashes(b, 1024), TEEABI_E_TDREPORT_TCB_HASH);
			b[offs[k]] ^= 0x01;
		}
		b[0x20] ^= 0x01; /* the stored hash itself */
		assert_int_equal(teeabi_tdreport_verify_hashes(b, 1024), TEEABI_E_TDREPORT_TCB_HASH);
		b[0x20] ^= 0x01;
		b[0x1EF] ^= 0x01; /* reserved gap: hashed by neither */
		assert_int_equal(teeabi_tdreport_verify_hashes(b, 1024), TEEABI_OK);
		struct teeabi_tdreport r;
		assert_int_equal(teeabi_tdreport_parse(b, 1024, &r), TEEABI_OK);
		assert_true(r.warnings & TEEABI_W_TDREPORT_RESERVED);
		free(b);
	}
}

static void test_tdreport_E_TDREPORT_INFO_HASH(void **state)
{
	(void)state;
	for (size_t i = 0; i < NVEC; i++) {
		uint8_t *b = load(&vecs[i]);
		/* the whole 512-byte TDINFO including its reserved tail is covered (§1.2) */
		const size_t offs[] = { 0x200, 0x210, 0x2D0, 0x390, 0x3C0, 0x3FF };
		for (size_t k = 0; k < 6; k++) {
			b[offs[k]] ^= 0x01;
			assert_int_equal(teeabi_tdreport_verify_hashes(b, 1024), TEEABI_E_TDREPORT_INFO_HASH);
			b[offs[k]] ^= 0x01;
		}
		b[0x50 + 47] ^= 0x01;
		assert_int_equal(teeabi_tdreport_verify_hashes(b, 1024), TEEABI_E_TDREPORT_INFO_HASH);
		b[0x50 + 47] ^= 0x01;
		/* REPORTDATA / MAC are outside both hashes */
		b[0x80] ^= 0x01;
		b[0xE0] ^= 0x01;
		assert_int_equal(teeabi_tdreport_verify_hashes(b, 1024), TEEABI_OK);
		free(b);
	}
}

static void test_tdreport_warnings(void **state)
{
	(void)state;
	uint8_t *b = load(&vecs[0]);
	struct teeabi_tdreport r;
	b[2] = 1; /* VERSION: unknown, not corrupt */
	assert_int_equal(teeabi_tdreport_parse(b, 1024, &r), TEEABI_OK);
	assert_int_equal(r.version, 1);
	assert_int_equal(r.warnings, TEEABI_W_TDREPORT_VERSION);
	b[2] = 0;
	const size_t rsvd[] = { 0x003, 0x00F, 0x0C0, 0x0DF, 0x190, 0x1EE, 0x1EF, 0x1FF, 0x3C0, 0x3FF };
	for (size_t k = 0; k < sizeof(rsvd) / sizeof(rsvd[0]); k++) {
		b[rsvd[k]] = 0x5a;
		assert_int_equal(teeabi_tdreport_parse(b, 1024, &r), TEEABI_OK);
		if (r.warnings != TEEABI_W_TDREPORT_RESERVED)
			fail_msg("reserved byte 0x%zx: warnings 0x%x", rsvd[k], r.warnings);
		b[rsvd[k]] = 0;
	}
	/* non-reserved bytes do not warn: TEE_TCB_SVN2 (TDX 1.0 reserved, 1.5 data), SERVTD_HASH */
	b[0x180] = 1;
	b[0x390] = 1;
	assert_int_equal(teeabi_tdreport_parse(b, 1024, &r), TEEABI_OK);
	assert_int_equal(r.warnings, 0);
	free(b);
}

/* §1.3: VALID bit i = 8-byte chunk i of TEE_TCB_INFO populated; 0x301FF (SEAMDB_ENABLED)
 * adds both TEE_TCB_SVN2 chunks (bits 16 and 17). One of the two is not TDX 1.5. */
static void test_tdreport_tdx15_needs_both_svn2_chunks(void **state)
{
	(void)state;
	uint8_t *b = load(&vecs[0]);
	struct teeabi_tdreport r;
	static const struct { uint32_t valid; bool tdx15; } cases[] = {
		{ 0x1ff, false }, { 0x101ff, false }, { 0x201ff, false }, { 0x301ff, true }, { 0x30000, true },
	};
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		teeabi_put_le32(b + 0x100, cases[i].valid);
		assert_int_equal(teeabi_tdreport_parse(b, 1024, &r), TEEABI_OK);
		assert_int_equal(r.valid, cases[i].valid);
		if (r.tdx15 != cases[i].tdx15)
			fail_msg("VALID 0x%x: tdx15 %d", cases[i].valid, r.tdx15);
	}
	free(b);
}

static void test_tdreport_null(void **state)
{
	(void)state;
	struct teeabi_tdreport r;
	assert_int_equal(teeabi_tdreport_parse(NULL, 1024, &r), TEEABI_E_NULL);
	assert_int_equal(teeabi_tdreport_parse((const uint8_t *)"", 0, NULL), TEEABI_E_NULL);
	assert_int_equal(teeabi_tdreport_verify_hashes(NULL, 1024), TEEABI_E_NULL);
}

/* formats.md §1.5: the Azure TDREPORT and its v4 quote agree field by field. */
static void test_tdreport_matches_azure_quote(void **state)
{
	(void)state;
	uint8_t *rb = load(&vecs[1]);
	size_t qlen;
	uint8_t *qb = tu_read("vectors/tdx-quote/trustee__az-tdx-vtpm_td-quote.bin", &qlen);
	struct teeabi_tdreport r;
	struct teeabi_tdx_quote q;
	assert_int_equal(teeabi_tdreport_parse(rb, 1024, &r), TEEABI_OK);
	assert_int_equal(teeabi_tdx_quote_parse(qb, qlen, TEEABI_QUOTE_DEFAULT, &q), TEEABI_OK);
	assert_memory_equal(r.td.tee_tcb_svn, q.td.tee_tcb_svn, 16);
	assert_memory_equal(r.td.mrseam, q.td.mrseam, 48);
	assert_memory_equal(r.td.mrsignerseam, q.td.mrsignerseam, 48);
	assert_int_equal(r.td.seam_attributes, q.td.seam_attributes);
	assert_int_equal(r.td.td_attributes, q.td.td_attributes);
	assert_int_equal(r.td.xfam, q.td.xfam);
	assert_memory_equal(r.td.mrtd, q.td.mrtd, 48);
	assert_memory_equal(r.td.mrconfigid, q.td.mrconfigid, 48);
	assert_memory_equal(r.td.mrowner, q.td.mrowner, 48);
	assert_memory_equal(r.td.mrownerconfig, q.td.mrownerconfig, 48);
	for (int k = 0; k < 4; k++)
		assert_memory_equal(r.td.rtmr[k], q.td.rtmr[k], 48);
	assert_memory_equal(r.td.report_data, q.td.report_data, 64);
	/* CPUSVN equals the QE report's (§1.2) */
	assert_memory_equal(r.cpusvn, q.qe.cpu_svn, 16);
	free(qb);
	free(rb);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_tdreport_vectors),
		cmocka_unit_test(test_tdreport_E_TDREPORT_SIZE),
		cmocka_unit_test(test_tdreport_E_TDREPORT_TYPE),
		cmocka_unit_test(test_tdreport_E_TDREPORT_SUBTYPE),
		cmocka_unit_test(test_tdreport_E_TDREPORT_TCB_HASH),
		cmocka_unit_test(test_tdreport_E_TDREPORT_INFO_HASH),
		cmocka_unit_test(test_tdreport_warnings),
		cmocka_unit_test(test_tdreport_tdx15_needs_both_svn2_chunks),
		cmocka_unit_test(test_tdreport_null),
		cmocka_unit_test(test_tdreport_matches_azure_quote),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
