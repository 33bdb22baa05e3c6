/* SPDX-License-Identifier: Apache-2.0 */
/*
 * test_model_mr.c - the TDX measurement register files model (tsm-mr, v6.16+,
 * docs/kernel-abi.md §1.4 and the checklist "Measurements dir"), plus the tsm_mr faults.
 * Expected RTMR values are computed here with OpenSSL: SHA384(old || data).
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <errno.h>
#include <cmocka.h>
#include <openssl/evp.h>
#include "model.h"
#include "teeabi/abi.h"
#include "teeabi/tdx.h"

static const char *const names[8] = {
	"mrtd:sha384", "mrconfigid", "mrowner", "mrownerconfig",
	"rtmr0:sha384", "rtmr1:sha384", "rtmr2:sha384", "rtmr3:sha384",
};
/* TDREPORT offsets of the same registers (kernel-abi.md §1.2 / checklist) */
static const unsigned offs[8] = { 528, 576, 624, 672, 720, 768, 816, 864 };

static struct tm_dev *mkdev(bool tsm_mr, tm_fault_mask faults)
{
	struct teeabi_profile p;
	memset(&p, 0, sizeof(p));
	snprintf(p.name, sizeof(p.name), "unit-mr");
	snprintf(p.kernel, sizeof(p.kernel), "6.16.0-test");
	p.platform = TEEABI_PLAT_TDX;
	p.tdx_guest = TEEABI_TDX_UPSTREAM;
	p.tsm_mr = tsm_mr;
	p.rtmr_extend = tsm_mr ? TEEABI_RTMR_EXTEND_SYSFS : TEEABI_RTMR_EXTEND_NONE;
	struct tm_dev *d = tm_new(&p, faults);
	assert_non_null(d);
	return d;
}

static void sha384_cat(const uint8_t *a, size_t alen, const uint8_t *b, size_t blen, uint8_t out[48])
{
	EVP_MD_CTX *c = EVP_MD_CTX_new();
	assert_non_null(c);
	assert_int_equal(EVP_DigestInit_ex(c, EVP_sha384(), NULL), 1);
	assert_int_equal(EVP_DigestUpdate(c, a, alen), 1);
	if (blen)
		assert_int_equal(EVP_DigestUpdate(c, b, blen), 1);
	assert_int_equal(EVP_DigestFinal_ex(c, out, NULL), 1);
	EVP_MD_CTX_free(c);
}

static void fill(uint8_t *p, size_t n, uint8_t seed)
{
	for (size_t i = 0; i < n; i++)
		p[i] = (uint8_t)(seed * 13 + i);
}

static int idx(struct tm_dev *d, const char *name)
{
	int i = tm_mr_lookup(d, name);
	assert_true(i >= 0);
	return i;
}

static void read48(struct tm_dev *d, int i, uint8_t out[48])
{
	assert_int_equal(tm_mr_read(d, i, out, 48, 0), 48);
}

/* ---------------------------------------------------------------- checklist */

/* Before 6.16 (profile without tsm_mr) there is no measurements dir. */
static void test_mr_absent_without_tsm_mr(void **state)
{
	struct tm_dev *d = mkdev(false, TM_NO_FAULTS);
	uint8_t b[48];
	assert_int_equal(tm_mr_count(d), 0);
	assert_int_equal(tm_mr_lookup(d, "rtmr3:sha384"), -ENOENT);
	assert_null(tm_mr_name(d, 0));
	assert_int_equal(tm_mr_read(d, 0, b, 48, 0), -ENOENT);
	assert_int_equal(tm_mr_write(d, 7, b, 48, 0), -ENOENT);
	tm_free(d);
}

/* 8 files with the exact names. */
static void test_mr_eight_files_exact_names(void **state)
{
	struct tm_dev *d = mkdev(true, TM_NO_FAULTS);
	assert_int_equal(tm_mr_count(d), 8);
	for (int k = 0; k < 8; k++) {
		int i = tm_mr_lookup(d, names[k]);
		assert_true(i >= 0 && i < 8);
		assert_string_equal(tm_mr_name(d, i), names[k]);
	}
	/* every index names one of the eight, no duplicates */
	for (int i = 0; i < 8; i++)
		for (int j = i + 1; j < 8; j++)
			assert_string_not_equal(tm_mr_name(d, i), tm_mr_name(d, j));
	const char *bad[] = { "rtmr0", "mrtd", "mrconfigid:sha384", "rtmr4:sha384", "", "RTMR0:sha384" };
	for (size_t k = 0; k < sizeof(bad) / sizeof(bad[0]); k++)
		assert_int_equal(tm_mr_lookup(d, bad[k]), -ENOENT);
	assert_int_equal(tm_mr_lookup(d, NULL), -ENOENT);
	assert_null(tm_mr_name(d, 8));
	assert_null(tm_mr_name(d, -1));
	tm_free(d);
}

/* RTMRs 0644, the rest 0444. */
static void test_mr_modes(void **state)
{
	struct tm_dev *d = mkdev(true, TM_NO_FAULTS);
	for (int k = 0; k < 8; k++)
		assert_int_equal(tm_mr_mode(d, idx(d, names[k])), k >= 4 ? 0644 : 0444);
	tm_free(d);
}

/* 48-byte binary values equal to the TDREPORT fields. */
static void test_mr_values_match_tdreport(void **state)
{
	struct tm_dev *d = mkdev(true, TM_NO_FAULTS);
	uint8_t rd[64] = { 0 }, rep[1024], v[64];
	assert_int_equal(tm_tdx_tdreport(d, rd, rep), 0);
	for (int k = 0; k < 8; k++) {
		memset(v, 0xEE, sizeof(v));
		assert_int_equal(tm_mr_read(d, idx(d, names[k]), v, sizeof(v), 0), 48);
		assert_memory_equal(v, rep + offs[k], 48);
		assert_int_equal(v[48], 0xEE); /* no byte past 48 */
	}
	tm_free(d);
}

/* sysfs bin-read clamping: partial reads, EOF at >= 48. */
static void test_mr_read_offsets(void **state)
{
	struct tm_dev *d = mkdev(true, TM_NO_FAULTS);
	int i = idx(d, "rtmr1:sha384");
	uint8_t full[48], b[48];
	read48(d, i, full);
	assert_int_equal(tm_mr_read(d, i, b, 10, 0), 10);
	assert_memory_equal(b, full, 10);
	assert_int_equal(tm_mr_read(d, i, b, 48, 40), 8);
	assert_memory_equal(b, full + 40, 8);
	assert_int_equal(tm_mr_read(d, i, b, 10, 47), 1);
	assert_int_equal(b[0], full[47]);
	assert_int_equal(tm_mr_read(d, i, b, 48, 48), 0);
	assert_int_equal(tm_mr_read(d, i, b, 48, 4096), 0);
	assert_int_equal(tm_mr_read(d, i, b, 0, 0), 0);
	assert_int_equal(tm_mr_read(d, i, b, 48, -1), -EINVAL);
	assert_int_equal(tm_mr_read(d, 8, b, 48, 0), -ENOENT);
	assert_int_equal(tm_mr_read(d, -1, b, 48, 0), -ENOENT);
	tm_free(d);
}

/* A write must be exactly 48 bytes at offset 0, else EINVAL; a longer write is clamped to
 * 48 by sysfs and succeeds; pos >= 48 gives EFBIG. Rejected writes leave the RTMR alone. */
static void test_mr_write_exactly_48_at_0(void **state)
{
	struct tm_dev *d = mkdev(true, TM_NO_FAULTS);
	int i = idx(d, "rtmr3:sha384");
	uint8_t data[64], before[48], after[48], want[48];
	fill(data, sizeof(data), 1);
	read48(d, i, before);
	assert_int_equal(tm_mr_write(d, i, data, 47, 0), -EINVAL);
	assert_int_equal(tm_mr_write(d, i, data, 1, 0), -EINVAL);
	assert_int_equal(tm_mr_write(d, i, data, 48, 1), -EINVAL);
	assert_int_equal(tm_mr_write(d, i, data, 10, 38), -EINVAL);
	assert_int_equal(tm_mr_write(d, i, data, 48, 48), -EFBIG);
	assert_int_equal(tm_mr_write(d, i, data, 1, 1000), -EFBIG);
	assert_int_equal(tm_mr_write(d, i, data, 48, -1), -EINVAL);
	assert_int_equal(tm_mr_write(d, i, data, 0, 0), 0);
	read48(d, i, after);
	assert_memory_equal(after, before, 48);
	tm_tdx_rtmr_get(d, 3, after);
	assert_memory_equal(after, before, 48);
	/* 64 bytes: clamped to 48, returns 48, extends with the first 48 */
	sha384_cat(before, 48, data, 48, want);
	assert_int_equal(tm_mr_write(d, i, data, 64, 0), 48);
	read48(d, i, after);
	assert_memory_equal(after, want, 48);
	tm_free(d);
}

/* A write extends RTMR = SHA384(RTMR || data); later reads, TDREPORT (720+48i) and quote
 * reflect it. Every RTMR is writable (no index policy in the kernel). */
static void test_mr_write_extends_and_reads_reflect(void **state)
{
	struct tm_dev *d = mkdev(true, TM_NO_FAULTS);
	for (int r = 0; r < 4; r++) {
		char nm[32];
		snprintf(nm, sizeof(nm), "rtmr%d:sha384", r);
		int i = idx(d, nm);
		uint8_t old[48], data[48], want[48], got[48], rd[64] = { 0 }, rep[1024];
		read48(d, i, old);
		fill(data, 48, (uint8_t)(r + 5));
		sha384_cat(old, 48, data, 48, want);
		assert_int_equal(tm_mr_write(d, i, data, 48, 0), 48);
		read48(d, i, got);
		assert_memory_equal(got, want, 48);
		assert_int_equal(tm_tdx_tdreport(d, rd, rep), 0);
		assert_memory_equal(rep + 720 + 48 * r, want, 48);
		assert_int_equal(teeabi_tdreport_verify_hashes(rep, 1024), TEEABI_OK);
		uint8_t *q = NULL;
		size_t ql = 0;
		assert_int_equal(tm_tdx_quote(d, rep, &q, &ql), 0);
		struct teeabi_tdx_quote pq;
		assert_int_equal(teeabi_tdx_quote_parse(q, ql, TEEABI_QUOTE_DEFAULT, &pq), TEEABI_OK);
		assert_int_equal(teeabi_tdx_quote_verify_signature(q, &pq), TEEABI_OK);
		assert_memory_equal(pq.td.rtmr[r], want, 48);
		free(q);
	}
	tm_free(d);
}

/* A second write extends again (chain), not overwrites. */
static void test_mr_two_writes_chain(void **state)
{
	struct tm_dev *d = mkdev(true, TM_NO_FAULTS);
	int i = idx(d, "rtmr3:sha384");
	uint8_t a[48], b[48], v0[48], v1[48], v2[48], got[48];
	fill(a, 48, 1);
	fill(b, 48, 2);
	read48(d, i, v0);
	sha384_cat(v0, 48, a, 48, v1);
	sha384_cat(v1, 48, b, 48, v2);
	assert_int_equal(tm_mr_write(d, i, a, 48, 0), 48);
	assert_int_equal(tm_mr_write(d, i, b, 48, 0), 48);
	read48(d, i, got);
	assert_memory_equal(got, v2, 48);
	tm_free(d);
}

/* Read-only files refuse writes (sysfs: no write permission). */
static void test_mr_ro_write_eacces(void **state)
{
	struct tm_dev *d = mkdev(true, TM_NO_FAULTS);
	uint8_t data[48] = { 1 }, before[48], after[48];
	for (int k = 0; k < 4; k++) {
		int i = idx(d, names[k]);
		read48(d, i, before);
		assert_int_equal(tm_mr_write(d, i, data, 48, 0), -EACCES);
		read48(d, i, after);
		assert_memory_equal(after, before, 48);
	}
	tm_free(d);
}

/* An extend from elsewhere (the TDCALL via tm_tdx_rtmr_extend) shows in the next read. */
static void test_mr_read_after_api_extend(void **state)
{
	struct tm_dev *d = mkdev(true, TM_NO_FAULTS);
	int i = idx(d, "rtmr3:sha384");
	uint8_t old[48], data[48], want[48], got[48];
	read48(d, i, old); /* cache in sync */
	fill(data, 48, 9);
	sha384_cat(old, 48, data, 48, want);
	assert_int_equal(tm_tdx_rtmr_extend(d, 3, data), 0);
	read48(d, i, got);
	assert_memory_equal(got, want, 48);
	tm_free(d);
}

/* Reboot restores the boot values as seen through the files. */
static void test_mr_reset(void **state)
{
	struct tm_dev *d = mkdev(true, TM_NO_FAULTS);
	int i = idx(d, "rtmr3:sha384");
	uint8_t data[48] = { 7 }, got[48], zero[48] = { 0 };
	assert_int_equal(tm_mr_write(d, i, data, 48, 0), 48);
	read48(d, i, got);
	assert_memory_not_equal(got, zero, 48);
	tm_reset(d);
	read48(d, i, got);
	assert_memory_equal(got, zero, 48);
	tm_free(d);
}

/* ---------------------------------------------------------------- faults */

static void test_fault_mr_wrong_size_accepted(void **state)
{
	for (int f = 0; f < 2; f++) {
		struct tm_dev *d = mkdev(true, TM_FAULT_IF(f, TM_FAULT_MR_WRONG_SIZE_ACCEPTED));
		int i = idx(d, "rtmr2:sha384");
		uint8_t data[48] = { 0 }, old[48], want[48], got[48];
		fill(data, 20, 3);
		read48(d, i, old);
		ssize_t rc = tm_mr_write(d, i, data, 20, 0);
		read48(d, i, got);
		if (f) {
			assert_int_equal(rc, 20);
			sha384_cat(old, 48, data, 48, want); /* zero-padded */
			assert_memory_equal(got, want, 48);
		} else {
			assert_int_equal(rc, -EINVAL);
			assert_memory_equal(got, old, 48);
		}
		tm_free(d);
	}
}

/* A read from position 16 gives the value's bytes 16..; the fault gives bytes 0.. */
static void test_fault_mr_read_ignores_offset(void **state)
{
	for (int f = 0; f < 2; f++) {
		struct tm_dev *d = mkdev(true, TM_FAULT_IF(f, TM_FAULT_MR_READ_IGNORES_OFFSET));
		int i = idx(d, "mrtd:sha384");
		uint8_t whole[48], part[16];
		read48(d, i, whole);
		assert_int_equal(tm_mr_read(d, i, part, 16, 16), 16);
		assert_memory_equal(part, whole + (f ? 0 : 16), 16);
		assert_int_equal(tm_mr_read(d, i, part, 16, 40), 8);
		assert_int_equal(tm_mr_read(d, i, part, 16, 48), 0);
		tm_free(d);
	}
}

static void test_fault_mr_stale_after_extend(void **state)
{
	for (int f = 0; f < 2; f++) {
		struct tm_dev *d = mkdev(true, TM_FAULT_IF(f, TM_FAULT_MR_STALE_AFTER_EXTEND));
		int i = idx(d, "rtmr3:sha384");
		uint8_t data[48], old[48], want[48], got[48], live[48];
		fill(data, 48, 4);
		read48(d, i, old);
		sha384_cat(old, 48, data, 48, want);
		assert_int_equal(tm_mr_write(d, i, data, 48, 0), 48);
		tm_tdx_rtmr_get(d, 3, live);
		assert_memory_equal(live, want, 48); /* the extend itself happened */
		read48(d, i, got);
		assert_memory_equal(got, f ? old : want, 48);
		tm_free(d);
	}
}

/* rtmr2 extended through its file, its own file read first: the extended value; with the
 * fault the old one, until rtmr3:sha384 is read (then rtmr2 is right). rtmr3 itself is not
 * affected. */
static void test_fault_mr_refresh_rtmr3_only(void **state)
{
	for (int f = 0; f < 2; f++) {
		struct tm_dev *d = mkdev(true, TM_FAULT_IF(f, TM_FAULT_MR_REFRESH_RTMR3_ONLY));
		int i2 = idx(d, "rtmr2:sha384"), i3 = idx(d, "rtmr3:sha384");
		uint8_t data[48], old[48], want[48], got[48], r3[48];
		fill(data, 48, 9);
		read48(d, i2, old);
		sha384_cat(old, 48, data, 48, want);
		assert_int_equal(tm_mr_write(d, i2, data, 48, 0), 48);
		read48(d, i2, got);
		assert_memory_equal(got, f ? old : want, 48);
		read48(d, i3, r3);
		read48(d, i2, got);
		assert_memory_equal(got, want, 48); /* the rtmr3 read refreshed the buffer */
		/* rtmr3's own extend is seen at its first read either way */
		read48(d, i3, old);
		sha384_cat(old, 48, data, 48, want);
		assert_int_equal(tm_mr_write(d, i3, data, 48, 0), 48);
		read48(d, i3, got);
		assert_memory_equal(got, want, 48);
		tm_free(d);
	}
}

/* mr-refresh-only-at-offset-zero: after an extend, the first read at offset 24 gives bytes
 * 24..47 of the new value without the fault, of the old value with it; a read at offset 0
 * refreshes either way. */
static void test_fault_mr_refresh_only_at_offset_zero(void **state)
{
	for (int f = 0; f < 2; f++) {
		struct tm_dev *d = mkdev(true, TM_FAULT_IF(f, TM_FAULT_MR_REFRESH_ONLY_AT_OFFSET_ZERO));
		int i1 = idx(d, "rtmr1:sha384");
		uint8_t data[48], old[48], want[48], got[48];
		fill(data, 48, 11);
		read48(d, i1, old);
		sha384_cat(old, 48, data, 48, want);
		assert_int_equal(tm_mr_write(d, i1, data, 48, 0), 48);
		assert_int_equal(tm_mr_read(d, i1, got, 24, 24), 24);
		assert_memory_equal(got, (f ? old : want) + 24, 24);
		read48(d, i1, got);
		assert_memory_equal(got, want, 48);
		tm_free(d);
	}
}

static void test_fault_mr_mode_wrong(void **state)
{
	for (int f = 0; f < 2; f++) {
		struct tm_dev *d = mkdev(true, TM_FAULT_IF(f, TM_FAULT_MR_MODE_WRONG));
		assert_int_equal(tm_mr_mode(d, idx(d, "mrtd:sha384")), f ? 0644 : 0444);
		assert_int_equal(tm_mr_mode(d, idx(d, "rtmr0:sha384")), f ? 0444 : 0644);
		assert_int_equal(tm_mr_mode(d, idx(d, "rtmr3:sha384")), f ? 0444 : 0644);
		uint8_t data[48] = { 1 };
		assert_int_equal(tm_mr_write(d, idx(d, "rtmr3:sha384"), data, 48, 0), f ? -EACCES : 48);
		tm_free(d);
	}
}

static void test_fault_mr_name_no_hash_suffix(void **state)
{
	for (int f = 0; f < 2; f++) {
		struct tm_dev *d = mkdev(true, TM_FAULT_IF(f, TM_FAULT_MR_NAME_NO_HASH_SUFFIX));
		for (int r = 0; r < 4; r++) {
			char with[32], without[32];
			snprintf(with, sizeof(with), "rtmr%d:sha384", r);
			snprintf(without, sizeof(without), "rtmr%d", r);
			assert_int_equal(tm_mr_lookup(d, with) >= 0, !f);
			assert_int_equal(tm_mr_lookup(d, without) >= 0, f);
		}
		assert_true(tm_mr_lookup(d, "mrtd:sha384") >= 0);
		tm_free(d);
	}
}

static void test_fault_matrix_no_measurements(void **state)
{
	for (int f = 0; f < 2; f++) {
		struct tm_dev *d = mkdev(true, TM_FAULT_IF(f, TM_FAULT_MATRIX_NO_MEASUREMENTS));
		assert_int_equal(tm_mr_count(d), f ? 0 : 8);
		tm_free(d);
	}
}

static void test_fault_mr_49_byte_write_rejected(void **state)
{
	for (int f = 0; f < 2; f++) {
		struct tm_dev *d = mkdev(true, TM_FAULT_IF(f, TM_FAULT_MR_49_BYTE_WRITE_REJECTED));
		int i = idx(d, "rtmr3:sha384");
		uint8_t data[49], old[48], want[48], got[48];
		fill(data, 49, 5);
		read48(d, i, old);
		sha384_cat(old, 48, data, 48, want); /* clamped to the first 48 bytes */
		assert_int_equal(tm_mr_write(d, i, data, 49, 0), f ? -EINVAL : 48);
		read48(d, i, got);
		assert_memory_equal(got, f ? old : want, 48);
		tm_free(d);
	}
}

static void test_fault_mr_write_past_end_einval(void **state)
{
	for (int f = 0; f < 2; f++) {
		struct tm_dev *d = mkdev(true, TM_FAULT_IF(f, TM_FAULT_MR_WRITE_PAST_END_EINVAL));
		int i = idx(d, "rtmr3:sha384");
		uint8_t data[48], old[48], got[48];
		fill(data, 48, 6);
		read48(d, i, old);
		assert_int_equal(tm_mr_write(d, i, data, 48, 48), f ? -EINVAL : -EFBIG);
		read48(d, i, got);
		assert_memory_equal(got, old, 48);
		tm_free(d);
	}
}

static void test_fault_mr_rtmr01_write_refused(void **state)
{
	for (int f = 0; f < 2; f++) {
		struct tm_dev *d = mkdev(true, TM_FAULT_IF(f, TM_FAULT_MR_RTMR01_WRITE_REFUSED));
		uint8_t data[48];
		fill(data, 48, 7);
		assert_int_equal(tm_mr_write(d, idx(d, "rtmr0:sha384"), data, 48, 0), f ? -EINVAL : 48);
		assert_int_equal(tm_mr_write(d, idx(d, "rtmr1:sha384"), data, 48, 0), f ? -EINVAL : 48);
		assert_int_equal(tm_mr_write(d, idx(d, "rtmr2:sha384"), data, 48, 0), 48);
		tm_free(d);
	}
}

/* Every register read first thing after boot and after a reset (before any TDREPORT was
 * asked for) is the TDREPORT's: the boot report behind the files is made on first use,
 * not at the reset, and must be there by the first read. */
static void test_first_read_after_boot_and_reset(void **state)
{
	(void)state;
	for (int round = 0; round < 2; round++) {
		struct tm_dev *d = mkdev(true, TM_NO_FAULTS);
		uint8_t rep[1024], zero[64] = { 0 }, v[48];
		if (round)
			tm_reset(d);
		for (int i = 0; i < 8; i++) {
			int k = tm_mr_lookup(d, names[i]);
			assert_true(k >= 0);
			assert_int_equal(tm_mr_read(d, k, v, 48, 0), 48);
			assert_int_equal(tm_tdx_tdreport(d, zero, rep), 0);
			if (memcmp(v, rep + offs[i], 48) != 0)
				fail_msg("%s read first after %s is not the TDREPORT's", names[i], round ? "a reset" : "boot");
			tm_reset(d);
		}
		tm_free(d);
	}
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_mr_absent_without_tsm_mr),
		cmocka_unit_test(test_mr_eight_files_exact_names),
		cmocka_unit_test(test_mr_modes),
		cmocka_unit_test(test_mr_values_match_tdreport),
		cmocka_unit_test(test_mr_read_offsets),
		cmocka_unit_test(test_mr_write_exactly_48_at_0),
		cmocka_unit_test(test_mr_write_extends_and_reads_reflect),
		cmocka_unit_test(test_mr_two_writes_chain),
		cmocka_unit_test(test_mr_ro_write_eacces),
		cmocka_unit_test(test_mr_read_after_api_extend),
		cmocka_unit_test(test_mr_reset),
		cmocka_unit_test(test_fault_mr_wrong_size_accepted),
		cmocka_unit_test(test_fault_mr_stale_after_extend),
		cmocka_unit_test(test_fault_mr_read_ignores_offset),
		cmocka_unit_test(test_fault_mr_refresh_rtmr3_only),
		cmocka_unit_test(test_fault_mr_refresh_only_at_offset_zero),
		cmocka_unit_test(test_fault_mr_mode_wrong),
		cmocka_unit_test(test_fault_mr_name_no_hash_suffix),
		cmocka_unit_test(test_fault_matrix_no_measurements),
		cmocka_unit_test(test_fault_mr_49_byte_write_rejected),
		cmocka_unit_test(test_fault_mr_write_past_end_einval),
		cmocka_unit_test(test_fault_mr_rtmr01_write_refused),
		cmocka_unit_test(test_first_read_after_boot_and_reset),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
