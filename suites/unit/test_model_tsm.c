/* SPDX-License-Identifier: Apache-2.0 */
/*
 * test_model_tsm.c - the configfs-tsm report model against docs/kernel-abi.md §3, §2.6,
 * §1.3 and the checklist (configfs-tsm), one test per item, every tsm-* fault (with and
 * without), and a multi-threaded run of the generation protocol.
 *
 * Expected values come from the docs (attribute names, modes, strings, errnos) or from
 * independent checks (OpenSSL/library verification of the report in outblob, the quote
 * parser for TDX). ECDSA signatures are randomised, so two outblobs with the same bytes
 * are one cached report and two with different bytes are two generations.
 */
#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>
#include <openssl/evp.h>
#include "model.h"
#include "teeabi/abi.h"
#include "teeabi/snp.h"
#include "teeabi/tdx.h"
#include "testutil.h"

static struct teeabi_profile base_profile(void)
{
	struct teeabi_profile p;

	memset(&p, 0, sizeof(p));
	snprintf(p.kernel, sizeof(p.kernel), "6.9.0");
	p.kver_major = 6;
	p.kver_minor = 9;
	p.configfs_tsm = true;
	p.tsm_outblob_max = TEEABI_TSM_OUTBLOB_MAX_67;
	p.privlevel_floor = 0;
	return p;
}

static struct teeabi_profile sev_profile(void)
{
	struct teeabi_profile p = base_profile();

	snprintf(p.name, sizeof(p.name), "unit-tsm-snp");
	p.platform = TEEABI_PLAT_SNP;
	p.tsm_provider = TEEABI_TSM_SEV;
	p.sev_guest = true;
	p.sev_throttle = true;
	return p;
}

static struct teeabi_profile tdx_profile(void)
{
	struct teeabi_profile p = base_profile();

	snprintf(p.name, sizeof(p.name), "unit-tsm-tdx");
	p.platform = TEEABI_PLAT_TDX;
	p.tdx_guest = TEEABI_TDX_UPSTREAM;
	p.tsm_provider = TEEABI_TSM_TDX;
	p.tdx_quote_buf = 8192;
	return p;
}

static struct tm_dev *mk(struct teeabi_profile p, tm_fault_mask faults)
{
	struct tm_dev *d = tm_new(&p, faults);

	assert_non_null(d);
	return d;
}
static struct tm_dev *sev(tm_fault_mask faults) { return mk(sev_profile(), faults); }
static struct tm_dev *tdx(tm_fault_mask faults) { return mk(tdx_profile(), faults); }

/* open + one write + close; returns the write's result (or the open error) */
static ssize_t put(struct tm_dev *d, const char *e, const char *a, const void *buf, size_t len)
{
	struct tm_tsm_fh *fh;
	int rc = tm_tsm_open(d, e, a, O_WRONLY, &fh);
	ssize_t w;

	if (rc)
		return rc;
	w = tm_tsm_write(fh, buf, len, 0);
	if (tm_tsm_release(fh) != 0)
		return -1000;
	return w;
}

static ssize_t put_str(struct tm_dev *d, const char *e, const char *a, const char *s)
{
	return put(d, e, a, s, strlen(s));
}

/* open + read everything + close; returns total or the error */
static ssize_t get(struct tm_dev *d, const char *e, const char *a, uint8_t *buf, size_t cap)
{
	struct tm_tsm_fh *fh;
	int rc = tm_tsm_open(d, e, a, O_RDONLY, &fh);
	size_t tot = 0;
	ssize_t n;

	if (rc)
		return rc;
	while ((n = tm_tsm_read(fh, buf + tot, cap - tot, (off_t)tot)) > 0) {
		tot += (size_t)n;
		if (tot == cap)
			break;
	}
	tm_tsm_release(fh);
	return n < 0 ? n : (ssize_t)tot;
}

#define BAD_FORMAT (-1000L)
/* "generation" read through the file, parsed here; no cmocka asserts (thread-safe) */
static long gen_raw(struct tm_dev *d, const char *e)
{
	char b[32] = { 0 };
	ssize_t n = get(d, e, "generation", (uint8_t *)b, sizeof(b) - 1);
	char *end;

	if (n < 0)
		return n;
	if (n < 2 || b[n - 1] != '\n' || b[0] < '0' || b[0] > '9')
		return BAD_FORMAT;
	long v = strtol(b, &end, 10);
	if (end != b + n - 1)
		return BAD_FORMAT;
	return v;
}

static long gen(struct tm_dev *d, const char *e)
{
	long v = gen_raw(d, e);

	assert_int_not_equal(v, BAD_FORMAT);
	return v;
}

static void fill_inblob(uint8_t in[64], unsigned seed)
{
	for (int i = 0; i < 64; i++)
		in[i] = (uint8_t)(seed * 31 + (unsigned)i * 3 + 1);
}

static uint8_t big[64 * 1024];
static uint8_t big2[64 * 1024];

/* ---------------------------------------------------------------- tree */

/* "/sys/kernel/config/tsm/report exists (>=6.7); mkdir with no provider -> ENXIO" */
static void test_tsm_root_and_mkdir_enxio(void **state)
{
	struct teeabi_profile p = sev_profile();
	struct tm_dev *d;
	char names[4][TM_TSM_NAME_MAX + 1];
	char longname[TM_TSM_NAME_MAX + 2];

	p.configfs_tsm = false;
	d = mk(p, TM_NO_FAULTS);
	assert_false(tm_tsm_root_exists(d));
	assert_int_equal(tm_tsm_mkdir(d, "x"), -ENOENT);
	tm_free(d);

	p = sev_profile();
	p.tsm_provider = TEEABI_TSM_NONE;
	d = mk(p, TM_NO_FAULTS);
	assert_true(tm_tsm_root_exists(d));
	assert_int_equal(tm_tsm_mkdir(d, "x"), -ENXIO);
	assert_int_equal(tm_tsm_list(d, names, 4), 0);
	tm_free(d);

	d = sev(TM_NO_FAULTS);
	assert_true(tm_tsm_root_exists(d));
	assert_int_equal(tm_tsm_mkdir(d, "a"), 0);
	assert_int_equal(tm_tsm_mkdir(d, "a"), -EEXIST);
	memset(longname, 'n', sizeof(longname));
	longname[TM_TSM_NAME_MAX] = 0; /* 255 bytes */
	assert_int_equal(tm_tsm_mkdir(d, longname), 0);
	longname[TM_TSM_NAME_MAX] = 'n';
	longname[TM_TSM_NAME_MAX + 1] = 0; /* 256 bytes */
	assert_int_equal(tm_tsm_mkdir(d, longname), -ENAMETOOLONG);
	assert_int_equal(tm_tsm_list(d, names, 4), 2);
	assert_string_equal(names[0], "a");
	assert_int_equal(strlen(names[1]), 255);
	assert_true(tm_tsm_entry_exists(d, "a"));
	assert_int_equal(tm_tsm_generation(d, "a"), 0);
	assert_int_equal(tm_tsm_rmdir(d, "a"), 0);
	assert_int_equal(tm_tsm_rmdir(d, "a"), -ENOENT);
	assert_false(tm_tsm_entry_exists(d, "a"));
	assert_int_equal(tm_tsm_generation(d, "a"), -ENOENT);
	assert_int_equal(tm_tsm_list(d, names, 4), 1);
	tm_free(d);
}

/* the profile's pre-created entry exists from boot and after a reboot; others do not */
static void test_tsm_precreate_entry(void **state)
{
	struct teeabi_profile p = tdx_profile();
	struct tm_dev *d;

	snprintf(p.tsm_precreate, sizeof(p.tsm_precreate), "com.intel.dcap");
	d = mk(p, TM_NO_FAULTS);
	assert_true(tm_tsm_entry_exists(d, "com.intel.dcap"));
	assert_int_equal(tm_tsm_mkdir(d, "com.intel.dcap"), -EEXIST);
	assert_int_equal(tm_tsm_mkdir(d, "mine"), 0);
	assert_int_equal(put_str(d, "com.intel.dcap", "inblob", "x"), 1);
	assert_int_equal(gen(d, "com.intel.dcap"), 1);
	assert_int_equal(tm_tsm_rmdir(d, "com.intel.dcap"), 0);
	assert_false(tm_tsm_entry_exists(d, "com.intel.dcap"));
	tm_reset(d);
	assert_true(tm_tsm_entry_exists(d, "com.intel.dcap"));
	assert_false(tm_tsm_entry_exists(d, "mine"));
	assert_int_equal(gen(d, "com.intel.dcap"), 0);
	tm_free(d);
	d = tdx(TM_NO_FAULTS); /* no precreate in the profile */
	assert_int_equal(tm_tsm_list(d, NULL, 0), 0);
	tm_free(d);
}

/* "Per-provider attribute sets exactly as in 3.2. TDX never has auxblob/privlevel. SEV
 * has privlevel, privlevel_floor and auxblob" (modes and bin-ness too) */
static void test_tsm_attr_sets_per_provider(void **state)
{
	static const struct { const char *name; unsigned mode; bool bin; bool tdx; } want[] = {
		{ "generation", 0444, false, true },   { "provider", 0444, false, true },
		{ "inblob", 0200, true, true },        { "outblob", 0444, true, true },
		{ "auxblob", 0444, true, false },      { "privlevel", 0200, false, false },
		{ "privlevel_floor", 0444, false, false },
	};
	for (int t = 0; t < 2; t++) {
		struct tm_dev *d = t ? tdx(TM_NO_FAULTS) : sev(TM_NO_FAULTS);
		int expect = 0;
		for (size_t i = 0; i < sizeof(want) / sizeof(want[0]); i++) {
			int idx = tm_tsm_attr_lookup(d, want[i].name);
			if (t && !want[i].tdx) {
				assert_int_equal(idx, -ENOENT);
				continue;
			}
			expect++;
			assert_true(idx >= 0);
			assert_string_equal(tm_tsm_attr_name(d, idx), want[i].name);
			assert_int_equal(tm_tsm_attr_mode(d, idx), want[i].mode);
			assert_int_equal(tm_tsm_attr_is_bin(d, idx), want[i].bin);
		}
		assert_int_equal(tm_tsm_attr_count(d), expect);
		assert_int_equal(tm_tsm_attr_lookup(d, "manifestblob"), -ENOENT);
		assert_int_equal(tm_tsm_attr_lookup(d, "service_provider"), -ENOENT);
		assert_int_equal(tm_tsm_mkdir(d, "e"), 0);
		struct tm_tsm_fh *fh;
		assert_int_equal(tm_tsm_open(d, "e", "auxblob", O_RDONLY, &fh), t ? -ENOENT : 0);
		if (!t)
			tm_tsm_release(fh);
		assert_int_equal(tm_tsm_open(d, "e", "nope", O_RDONLY, &fh), -ENOENT);
		assert_int_equal(tm_tsm_open(d, "nope", "outblob", O_RDONLY, &fh), -ENOENT);
		tm_free(d);
	}
}

/* "provider reads tdx_guest\n / sev_guest\n; generation reads N\n starting at 0" */
static void test_tsm_provider_and_generation_strings(void **state)
{
	struct teeabi_profile p = sev_profile();
	char b[64];

	for (int t = 0; t < 2; t++) {
		struct tm_dev *d = t ? tdx(TM_NO_FAULTS) : sev(TM_NO_FAULTS);
		assert_int_equal(tm_tsm_mkdir(d, "e"), 0);
		memset(b, 0, sizeof(b));
		assert_int_equal(get(d, "e", "provider", (uint8_t *)b, sizeof(b)), 10);
		assert_string_equal(b, t ? "tdx_guest\n" : "sev_guest\n");
		memset(b, 0, sizeof(b));
		assert_int_equal(get(d, "e", "generation", (uint8_t *)b, sizeof(b)), 2);
		assert_string_equal(b, "0\n");
		tm_free(d);
	}
	/* privlevel_floor "%u\n": 0 in 6.7-6.10, the running VMPL in 6.11+ */
	p.privlevel_floor = 2;
	p.sev_vmpl = 2;
	struct tm_dev *d = mk(p, TM_NO_FAULTS);
	assert_int_equal(tm_tsm_mkdir(d, "e"), 0);
	memset(b, 0, sizeof(b));
	assert_int_equal(get(d, "e", "privlevel_floor", (uint8_t *)b, sizeof(b)), 2);
	assert_string_equal(b, "2\n");
	tm_free(d);
}

/* "inblob: EFBIG when cumulative write > 64; committed at close()" */
static void test_tsm_inblob_efbig_and_commit_at_close(void **state)
{
	struct tm_dev *d = sev(TM_NO_FAULTS);
	struct tm_tsm_fh *fh, *other;
	uint8_t in[65], out[1184];

	fill_inblob(in, 1);
	in[64] = 0x99;
	assert_int_equal(tm_tsm_mkdir(d, "e"), 0);
	/* two 32-byte writes accumulate; nothing is applied before close */
	assert_int_equal(tm_tsm_open(d, "e", "inblob", O_WRONLY, &fh), 0);
	assert_int_equal(tm_tsm_write(fh, in, 32, 0), 32);
	assert_int_equal(tm_tsm_write(fh, in + 32, 32, 32), 32);
	assert_int_equal(gen(d, "e"), 0);
	assert_int_equal(tm_tsm_write(fh, in + 64, 1, 64), -EFBIG); /* cumulative 65 */
	assert_int_equal(tm_tsm_write(fh, in, 65, 0), -EFBIG);
	assert_int_equal(gen(d, "e"), 0);
	assert_int_equal(get(d, "e", "outblob", out, sizeof(out)), -EINVAL); /* still no inblob */
	tm_tsm_release(fh);
	assert_int_equal(gen(d, "e"), 1);
	assert_int_equal(get(d, "e", "outblob", out, sizeof(out)), 1184);
	assert_memory_equal(out + 0x50, in, 64);
	/* an fd that never wrote changes nothing */
	assert_int_equal(tm_tsm_open(d, "e", "inblob", O_WRONLY, &other), 0);
	tm_tsm_release(other);
	assert_int_equal(gen(d, "e"), 1);
	/* a first write of 65 bytes fails, but configfs still stores what the fd holds
	 * (nothing) at close: generation +1 and no inblob any more */
	assert_int_equal(tm_tsm_open(d, "e", "inblob", O_WRONLY | O_TRUNC, &fh), 0);
	assert_int_equal(tm_tsm_write(fh, in, 65, 0), -EFBIG);
	tm_tsm_release(fh);
	assert_int_equal(gen(d, "e"), 2);
	assert_int_equal(get(d, "e", "outblob", out, sizeof(out)), -EINVAL);
	tm_free(d);
}

/* "exactly 64 bytes is required by both providers at read time (EINVAL otherwise)" */
static void test_tsm_inblob_64_required_at_read(void **state)
{
	uint8_t in[64], out[16];

	fill_inblob(in, 2);
	for (int t = 0; t < 2; t++) {
		struct tm_dev *d = t ? tdx(TM_NO_FAULTS) : sev(TM_NO_FAULTS);
		assert_int_equal(tm_tsm_mkdir(d, "e"), 0);
		assert_int_equal(put(d, "e", "inblob", in, 63), 63);
		assert_int_equal(gen(d, "e"), 1);
		assert_int_equal(get(d, "e", "outblob", out, sizeof(out)), -EINVAL);
		assert_int_equal(put(d, "e", "inblob", in, 1), 1);
		assert_int_equal(get(d, "e", "outblob", out, sizeof(out)), -EINVAL);
		if (!t)
			assert_int_equal(get(d, "e", "auxblob", out, sizeof(out)), -EINVAL);
		tm_free(d);
	}
}

/* "outblob before any inblob -> EINVAL" */
static void test_tsm_outblob_before_inblob_einval(void **state)
{
	uint8_t out[16];

	for (int t = 0; t < 2; t++) {
		struct tm_dev *d = t ? tdx(TM_NO_FAULTS) : sev(TM_NO_FAULTS);
		assert_int_equal(tm_tsm_mkdir(d, "e"), 0);
		assert_int_equal(get(d, "e", "outblob", out, sizeof(out)), -EINVAL);
		if (!t) {
			assert_int_equal(get(d, "e", "auxblob", out, sizeof(out)), -EINVAL);
			assert_int_equal(put_str(d, "e", "privlevel", "1"), 1); /* other writes don't count */
			assert_int_equal(get(d, "e", "outblob", out, sizeof(out)), -EINVAL);
		}
		tm_free(d);
	}
}

/* "Cached until the next attribute write. Any write bumps generation by exactly 1.
 * outblob/auxblob are consistent for one generation." */
static void test_tsm_cached_until_write(void **state)
{
	struct tm_dev *d = sev(TM_NO_FAULTS);
	uint8_t in[64];
	ssize_t n1, n2;

	fill_inblob(in, 3);
	assert_int_equal(tm_tsm_mkdir(d, "e"), 0);
	assert_int_equal(put(d, "e", "inblob", in, 64), 64);
	n1 = get(d, "e", "outblob", big, sizeof(big));
	n2 = get(d, "e", "outblob", big2, sizeof(big2));
	assert_int_equal(n1, 1184);
	assert_int_equal(n2, 1184);
	assert_memory_equal(big, big2, 1184); /* same signature: the same report */
	/* the same value again is still a write: new generation, new report */
	assert_int_equal(put(d, "e", "inblob", in, 64), 64);
	assert_int_equal(gen(d, "e"), 2);
	assert_int_equal(get(d, "e", "outblob", big2, sizeof(big2)), 1184);
	assert_memory_not_equal(big + 0x2A0, big2 + 0x2A0, 144);
	assert_memory_equal(big2 + 0x50, in, 64);
	/* privlevel write: +1 as well, even with the same value */
	assert_int_equal(put_str(d, "e", "privlevel", "0"), 1);
	assert_int_equal(gen(d, "e"), 3);
	assert_int_equal(put_str(d, "e", "privlevel", "0"), 1);
	assert_int_equal(gen(d, "e"), 4);
	assert_int_equal(tm_tsm_generation(d, "e"), 4);
	assert_int_equal(get(d, "e", "outblob", big, sizeof(big)), 1184);
	assert_memory_not_equal(big + 0x2A0, big2 + 0x2A0, 144);
	tm_free(d);
}

/* "Errors are not cached": the next read regenerates */
static void test_tsm_errors_not_cached(void **state)
{
	struct tm_dev *d = sev(TM_NO_FAULTS);
	struct tm_tsm_fh *fh;
	uint8_t in[64], out[1184];

	fill_inblob(in, 4);
	assert_int_equal(tm_tsm_mkdir(d, "e"), 0);
	assert_int_equal(put(d, "e", "inblob", in, 64), 64);
	tm_sev_set_fw_error(d, 0x16);
	assert_int_equal(tm_tsm_open(d, "e", "outblob", O_RDONLY, &fh), 0);
	assert_int_equal(tm_tsm_read(fh, out, sizeof(out), 0), -EIO);
	/* same fd, no write in between: asked again, and the key is gone now */
	assert_int_equal(tm_tsm_read(fh, out, sizeof(out), 0), -ENOTTY);
	tm_tsm_release(fh);
	assert_int_equal(gen(d, "e"), 1);
	tm_free(d);
}

/* "privlevel range floor..3 -> else EINVAL without a generation bump (>=6.7). The floor
 * is 0 for 6.7-6.10 and the running VMPL for >=6.11." + kstrtouint base 0 parsing */
static void test_tsm_privlevel_parse_and_range(void **state)
{
	struct teeabi_profile p = sev_profile();
	struct tm_dev *d = sev(TM_NO_FAULTS);
	static const char *const ok[] = { "2", "0x2", "02\n", "+1", "3\n", "0", "0X3", "2\0junk" };
	static const struct { const char *s; int err; } bad[] = {
		{ "2x", -EINVAL }, { "-1", -EINVAL }, { "\n", -EINVAL }, { " 2", -EINVAL },
		{ "2\n\n", -EINVAL }, { "0x", -EINVAL }, { "08", -EINVAL }, { "4", -EINVAL },
		{ "010", -EINVAL }, { "0x10", -EINVAL }, { "4294967296", -ERANGE },
		{ "99999999999999999999999", -ERANGE }, { "0xffffffffffffffffff", -ERANGE },
	};
	long g;

	assert_int_equal(tm_tsm_mkdir(d, "e"), 0);
	for (size_t i = 0; i < sizeof(ok) / sizeof(ok[0]); i++) {
		g = gen(d, "e");
		size_t len = strlen(ok[i]) + (i == 7 ? 5 : 0);
		assert_int_equal(put(d, "e", "privlevel", ok[i], len), (ssize_t)len);
		assert_int_equal(gen(d, "e"), g + 1);
	}
	g = gen(d, "e");
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		assert_int_equal(put_str(d, "e", "privlevel", bad[i].s), bad[i].err);
		assert_int_equal(gen(d, "e"), g);
	}
	assert_int_equal(put(d, "e", "privlevel", "", 0), -EFAULT); /* empty write */
	assert_int_equal(gen(d, "e"), g);
	tm_free(d);

	/* 6.11+: floor = running VMPL; the value becomes the report's VMPL */
	p.privlevel_floor = 2;
	p.sev_vmpl = 2;
	d = mk(p, TM_NO_FAULTS);
	assert_int_equal(tm_tsm_mkdir(d, "e"), 0);
	assert_int_equal(put_str(d, "e", "privlevel", "1"), -EINVAL);
	assert_int_equal(gen(d, "e"), 0);
	assert_int_equal(put_str(d, "e", "privlevel", "3"), 1);
	uint8_t in[64], out[1184];
	fill_inblob(in, 5);
	assert_int_equal(put(d, "e", "inblob", in, 64), 64);
	assert_int_equal(get(d, "e", "outblob", out, sizeof(out)), 1184);
	assert_int_equal(out[0x30], 3);
	tm_free(d);
}

/* §2.6 "MSG_REPORT_RSP status mapping: 0x16 -> -EINVAL": a 6.7-6.10 kernel under an SVSM
 * (floor 0, guest at VMPL 2) with privlevel left at 0 */
static void test_tsm_sev_status_0x16_einval(void **state)
{
	struct teeabi_profile p = sev_profile();
	struct tm_dev *d;
	uint8_t in[64], out[1184];

	p.sev_vmpl = 2;
	d = mk(p, TM_NO_FAULTS);
	fill_inblob(in, 6);
	assert_int_equal(tm_tsm_mkdir(d, "e"), 0);
	assert_int_equal(put(d, "e", "inblob", in, 64), 64);
	assert_int_equal(get(d, "e", "outblob", out, sizeof(out)), -EINVAL);
	assert_false(tm_sev_vmpck_disabled(d));
	assert_int_equal(put_str(d, "e", "privlevel", "2"), 1);
	assert_int_equal(get(d, "e", "outblob", out, sizeof(out)), 1184);
	assert_int_equal(out[0x30], 2);
	tm_free(d);
}

/* "Wrong open mode -> EACCES" (O_RDWR too; O_TRUNC is fine) */
static void test_tsm_wrong_open_mode_eacces(void **state)
{
	struct tm_dev *d = sev(TM_NO_FAULTS);
	struct tm_tsm_fh *fh;
	static const struct { const char *a; int flags; int rc; } cases[] = {
		{ "inblob", O_RDONLY, -EACCES },   { "inblob", O_RDWR, -EACCES },
		{ "privlevel", O_RDONLY, -EACCES }, { "privlevel", O_RDWR, -EACCES },
		{ "outblob", O_WRONLY, -EACCES },  { "outblob", O_RDWR, -EACCES },
		{ "auxblob", O_WRONLY, -EACCES },  { "generation", O_WRONLY, -EACCES },
		{ "provider", O_RDWR, -EACCES },   { "privlevel_floor", O_WRONLY | O_TRUNC, -EACCES },
		{ "inblob", O_WRONLY | O_TRUNC, 0 }, { "privlevel", O_WRONLY | O_TRUNC, 0 },
		{ "outblob", O_RDONLY, 0 },        { "generation", O_RDONLY, 0 },
	};
	assert_int_equal(tm_tsm_mkdir(d, "e"), 0);
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		fh = NULL;
		assert_int_equal(tm_tsm_open(d, "e", cases[i].a, cases[i].flags, &fh), cases[i].rc);
		if (!cases[i].rc) {
			assert_non_null(fh);
			tm_tsm_release(fh);
		} else {
			assert_null(fh);
		}
	}
	tm_free(d);
}

/* "files vanish after rmdir (ENOENT)": open, first read and close-time store get
 * ENOENT; a read that already filled its copy keeps working */
static void test_tsm_rmdir_enoent(void **state)
{
	struct tm_dev *d = sev(TM_NO_FAULTS);
	struct tm_tsm_fh *rd_fresh, *rd_filled, *wr, *pl;
	uint8_t in[64], a[1184], b[1184];

	fill_inblob(in, 7);
	assert_int_equal(tm_tsm_mkdir(d, "e"), 0);
	assert_int_equal(put(d, "e", "inblob", in, 64), 64);
	assert_int_equal(tm_tsm_open(d, "e", "outblob", O_RDONLY, &rd_fresh), 0);
	assert_int_equal(tm_tsm_open(d, "e", "outblob", O_RDONLY, &rd_filled), 0);
	assert_int_equal(tm_tsm_open(d, "e", "inblob", O_WRONLY, &wr), 0);
	assert_int_equal(tm_tsm_open(d, "e", "privlevel", O_WRONLY, &pl), 0);
	assert_int_equal(tm_tsm_read(rd_filled, a, 100, 0), 100);
	assert_int_equal(tm_tsm_write(wr, in, 64, 0), 64);
	assert_int_equal(tm_tsm_rmdir(d, "e"), 0);
	assert_false(tm_tsm_entry_exists(d, "e"));
	struct tm_tsm_fh *none = NULL;
	assert_int_equal(tm_tsm_open(d, "e", "generation", O_RDONLY, &none), -ENOENT);
	assert_null(none);
	assert_int_equal(tm_tsm_read(rd_fresh, b, sizeof(b), 0), -ENOENT);
	assert_int_equal(tm_tsm_read(rd_filled, a + 100, sizeof(a) - 100, 100), 1084);
	assert_memory_equal(a + 0x50, in, 64);
	assert_int_equal(tm_tsm_write(pl, "1", 1, 0), -ENOENT);
	/* same name again: a fresh entry the old fds cannot touch */
	assert_int_equal(tm_tsm_mkdir(d, "e"), 0);
	tm_tsm_release(wr); /* close-time store goes nowhere */
	assert_int_equal(gen(d, "e"), 0);
	assert_int_equal(get(d, "e", "outblob", b, sizeof(b)), -EINVAL);
	tm_tsm_release(rd_fresh);
	tm_tsm_release(rd_filled);
	tm_tsm_release(pl);
	assert_int_equal(tm_tsm_rmdir(d, "e"), 0);
	tm_free(d);
}

/* the first read() fills the fd's copy; later reads at offsets come from it */
static void test_tsm_reads_from_fd_snapshot(void **state)
{
	struct tm_dev *d = sev(TM_NO_FAULTS);
	struct tm_tsm_fh *fh;
	uint8_t in[64], in2[64], whole[1184], part[1184];
	size_t tot = 0;
	ssize_t n;

	fill_inblob(in, 8);
	fill_inblob(in2, 9);
	assert_int_equal(tm_tsm_mkdir(d, "e"), 0);
	assert_int_equal(put(d, "e", "inblob", in, 64), 64);
	assert_int_equal(tm_tsm_open(d, "e", "outblob", O_RDONLY, &fh), 0);
	assert_int_equal(tm_tsm_read(fh, part, 100, 0), 100);
	tot = 100;
	assert_int_equal(put(d, "e", "inblob", in2, 64), 64); /* new generation meanwhile */
	while ((n = tm_tsm_read(fh, part + tot, 77, (off_t)tot)) > 0)
		tot += (size_t)n;
	assert_int_equal(n, 0);
	assert_int_equal(tot, 1184);
	assert_int_equal(tm_tsm_read(fh, part, 10, 5000), 0); /* past EOF */
	assert_int_equal(tm_tsm_read(fh, part, 10, -1), -EINVAL);
	tm_tsm_release(fh);
	assert_memory_equal(part + 0x50, in, 64); /* the old generation, consistently */
	assert_int_equal(get(d, "e", "outblob", whole, sizeof(whole)), 1184);
	assert_memory_equal(whole + 0x50, in2, 64);
	tm_free(d);
}

/* §2.6: outblob = the 1184-byte report (header stripped); auxblob = cert table cut at
 * max(offset+length) */
static void test_tsm_sev_outblob_and_auxblob(void **state)
{
	struct tm_dev *d = sev(TM_NO_FAULTS);
	uint8_t in[64], out[2048], aux[16384];
	struct teeabi_cert_table host, t;
	size_t bl;
	const uint8_t *blob = tm_sev_certs(d, &bl);
	ssize_t n, an;

	fill_inblob(in, 10);
	assert_int_equal(tm_tsm_mkdir(d, "e"), 0);
	assert_int_equal(put(d, "e", "inblob", in, 64), 64);
	n = get(d, "e", "outblob", out, sizeof(out));
	assert_int_equal(n, 1184);
	assert_int_equal(out[0], 3); /* report version, not the MSG_REPORT_RSP status */
	assert_memory_equal(out + 0x50, in, 64);
	an = get(d, "e", "auxblob", aux, sizeof(aux));
	assert_int_equal(teeabi_snp_cert_table_parse(blob, bl, 0, &host), TEEABI_OK);
	assert_int_equal(an, host.end);
	assert_true((size_t)an < bl); /* the host's zero fill is cut off */
	assert_memory_equal(aux, blob, (size_t)an);
	assert_int_equal(teeabi_snp_cert_table_parse(aux, (size_t)an, 0, &t), TEEABI_OK);
	assert_int_equal(t.e[0].kind, TEEABI_CERT_VCEK);
	assert_int_equal(teeabi_snp_report_verify(out, 1184, t.e[0].data.p, t.e[0].data.len), TEEABI_OK);
	tm_free(d);
}

/* §3.2 outblob "larger than the cap -> EFBIG" (TSM_OUTBLOB_MAX) */
static void test_tsm_outblob_cap_efbig(void **state)
{
	struct teeabi_profile p = sev_profile();
	struct tm_dev *d;
	uint8_t in[64], out[2048];

	p.tsm_outblob_max = 1183; /* one byte short of an SNP report */
	d = mk(p, TM_NO_FAULTS);
	fill_inblob(in, 13);
	assert_int_equal(tm_tsm_mkdir(d, "e"), 0);
	assert_int_equal(put(d, "e", "inblob", in, 64), 64);
	assert_int_equal(get(d, "e", "outblob", out, sizeof(out)), -EFBIG);
	tm_free(d);
	p.tsm_outblob_max = 1184;
	d = mk(p, TM_NO_FAULTS);
	assert_int_equal(tm_tsm_mkdir(d, "e"), 0);
	assert_int_equal(put(d, "e", "inblob", in, 64), 64);
	assert_int_equal(get(d, "e", "outblob", out, sizeof(out)), 1184);
	tm_free(d);
}

/* "TDX outblob: raw quote. Expect > 1020 and < 8192 bytes (DCAP) for 6.7-6.x." */
static void test_tsm_tdx_outblob_raw_quote(void **state)
{
	struct tm_dev *d = tdx(TM_NO_FAULTS);
	uint8_t in[64];
	struct teeabi_tdx_quote q;
	ssize_t n;

	fill_inblob(in, 11);
	assert_int_equal(tm_tsm_mkdir(d, "e"), 0);
	assert_int_equal(put(d, "e", "inblob", in, 64), 64);
	n = get(d, "e", "outblob", big, sizeof(big));
	assert_true(n > 1020 && n < 8192);
	assert_int_equal(big[0] | big[1] << 8, 4);      /* quote version, no GetQuote header */
	assert_int_equal(big[4], 0x81);                 /* TDX */
	assert_memory_equal(big + 48 + 520, in, 64);    /* TD10 body REPORTDATA */
	assert_int_equal(teeabi_tdx_quote_parse(big, (size_t)n, TEEABI_QUOTE_DEFAULT, &q), TEEABI_OK);
	assert_int_equal(teeabi_tdx_quote_verify_signature(big, &q), TEEABI_OK);
	/* cached: same bytes again */
	assert_int_equal(get(d, "e", "outblob", big2, sizeof(big2)), n);
	assert_memory_equal(big, big2, (size_t)n);
	tm_free(d);
}

/* Hostile sequences: seeded random mkdir/rmdir/open/read/write/close on three names with
 * up to 8 open fds. No crash or leak (ASan), only errnos of §3, and generation never
 * goes down while an entry lives. */
static void test_tsm_random_ops_robust(void **state)
{
	static const char *const names[] = { "a", "b", "c" };
	static const char *const attrs[] = { "inblob", "outblob", "auxblob", "privlevel", "generation", "provider", "privlevel_floor", "x" };
	struct tm_dev *d = sev(TM_NO_FAULTS);
	struct tm_tsm_fh *fh[8] = { NULL };
	long last[3] = { 0, 0, 0 };
	uint64_t x = 0xD1B54A32D192ED03ULL;
	uint8_t buf[200];

	for (int i = 0; i < 4000; i++) {
		x ^= x << 13; x ^= x >> 7; x ^= x << 17;
		int n = (int)(x % 3), slot = (int)((x >> 4) % 8), op = (int)((x >> 8) % 7);
		long rc = 0;
		for (size_t j = 0; j < sizeof(buf); j++)
			buf[j] = (uint8_t)(x >> (j % 56)) & 0x7f;
		if (op == 0) {
			rc = tm_tsm_mkdir(d, names[n]);
			assert_true(rc == 0 || rc == -EEXIST);
			if (!rc)
				last[n] = 0;
		} else if (op == 1) {
			rc = tm_tsm_rmdir(d, names[n]);
			assert_true(rc == 0 || rc == -ENOENT);
		} else if (op == 2 && !fh[slot]) {
			int flags = (int)((x >> 16) % 3) | ((x >> 20) % 2 ? O_TRUNC : 0);
			rc = tm_tsm_open(d, names[n], attrs[(x >> 24) % 8], flags, &fh[slot]);
			assert_true(rc == 0 || rc == -ENOENT || rc == -EACCES);
		} else if (op == 3 && fh[slot]) {
			rc = tm_tsm_read(fh[slot], buf, (x >> 16) % sizeof(buf), (off_t)((x >> 32) % 1300));
			assert_true(rc >= 0 || rc == -EBADF || rc == -EINVAL || rc == -ENOENT);
		} else if (op == 4 && fh[slot]) {
			rc = tm_tsm_write(fh[slot], buf, (x >> 16) % 80, (off_t)((x >> 32) % 70));
			assert_true(rc >= 0 || rc == -EBADF || rc == -EINVAL || rc == -ERANGE || rc == -EFBIG ||
				    rc == -EFAULT || rc == -ENOENT);
		} else if (op >= 5 && fh[slot]) {
			assert_int_equal(tm_tsm_release(fh[slot]), 0);
			fh[slot] = NULL;
		}
		for (int k = 0; k < 3; k++) {
			long g = tm_tsm_generation(d, names[k]);
			if (g >= 0) {
				assert_true(g >= last[k]);
				last[k] = g;
			} else {
				last[k] = 0;
			}
		}
	}
	for (int k = 0; k < 8; k++)
		tm_tsm_release(fh[k]);
	tm_free(d);
}

/* ---------------------------------------------------------------- SVSM (6.11+) */

/* A profile through the parser, so that tsm_svsm is what profile.c derives. */
static struct teeabi_profile parsed_profile(const char *text)
{
	struct teeabi_profile p;
	char err[256];

	if (teeabi_profile_parse(text, &p, err, sizeof(err)))
		fail_msg("profile: %s", err);
	return p;
}
#define SVSM_PROFILE "name = unit-tsm-svsm\nplatform = snp\nkernel = 6.11.0\nsev_vmpl = 1\n"
static struct tm_dev *svsm(tm_fault_mask faults) { return mk(parsed_profile(SVSM_PROFILE), faults); }

static const char *const svsm_attrs[4] = { "service_provider", "service_guid", "service_manifest_version", "manifestblob" };
#define UNKNOWN_GUID "0badc0de-1111-4222-8333-944455556666"

static void sha512_2(const void *a, size_t alen, const void *b, size_t blen, uint8_t out[64])
{
	EVP_MD_CTX *c = EVP_MD_CTX_new();
	unsigned n = 0;

	assert_non_null(c);
	assert_true(EVP_DigestInit_ex(c, EVP_sha512(), NULL) > 0 && EVP_DigestUpdate(c, a, alen) > 0 &&
		    EVP_DigestUpdate(c, b, blen) > 0 && EVP_DigestFinal_ex(c, out, &n) > 0);
	assert_int_equal(n, 64);
	EVP_MD_CTX_free(c);
}

/* §2.6/§3.2 "service_provider/service_guid/service_manifest_version/manifestblob: 6.11,
 * sev_guest with SVSM" (sev_report_attr_visible returns snp_vmpl): kernel >= 6.11 and the
 * guest above VMPL0, on the sev_guest provider only */
static void test_tsm_svsm_attrs_visible_only_611_and_vmpl_nonzero(void **state)
{
	static const struct { const char *text; bool visible; } c[] = {
		{ SVSM_PROFILE, true },
		{ "name = u\nplatform = snp\nkernel = 6.18.6\nsev_vmpl = 3\n", true },
		{ "name = u\nplatform = snp\nkernel = 6.11.0\n", false },           /* VMPL0 */
		{ "name = u\nplatform = snp\nkernel = 6.10.0\nsev_vmpl = 1\n", false }, /* before 6.11 */
		{ "name = u\nplatform = snp\nkernel = 6.7.0\nsev_vmpl = 2\n", false },
		{ "name = u\nplatform = tdx\nkernel = 6.16.0\nsev_vmpl = 1\n", false }, /* TDX provider */
		{ "name = u\nplatform = snp\nkernel = 6.11.0\nsev_vmpl = 1\nconfigfs_tsm = 0\n", false },
	};
	for (size_t i = 0; i < sizeof(c) / sizeof(c[0]); i++) {
		struct teeabi_profile p = parsed_profile(c[i].text);
		assert_int_equal(p.tsm_svsm, c[i].visible);
		struct tm_dev *d = mk(p, TM_NO_FAULTS);
		int base = p.tsm_provider == TEEABI_TSM_SEV ? 7 : p.tsm_provider == TEEABI_TSM_TDX ? 4 : 0;
		assert_int_equal(tm_tsm_attr_count(d), base + (c[i].visible ? 4 : 0));
		for (int k = 0; k < 4; k++) {
			int idx = tm_tsm_attr_lookup(d, svsm_attrs[k]);
			if (!c[i].visible) {
				assert_int_equal(idx, -ENOENT);
				continue;
			}
			assert_true(idx >= 0);
			assert_int_equal(tm_tsm_attr_mode(d, idx), k == 3 ? 0444 : 0200);
			assert_int_equal(tm_tsm_attr_is_bin(d, idx), k == 3);
		}
		if (p.tsm_provider != TEEABI_TSM_NONE) {
			struct tm_tsm_fh *fh = NULL;
			assert_int_equal(tm_tsm_mkdir(d, "e"), 0);
			assert_int_equal(tm_tsm_open(d, "e", "service_provider", O_WRONLY, &fh), c[i].visible ? 0 : -ENOENT);
			tm_tsm_release(fh);
			fh = NULL;
			assert_int_equal(tm_tsm_open(d, "e", "manifestblob", O_RDONLY, &fh), c[i].visible ? 0 : -ENOENT);
			tm_tsm_release(fh);
			if (c[i].visible) { /* wrong modes */
				assert_int_equal(tm_tsm_open(d, "e", "service_guid", O_RDONLY, &fh), -EACCES);
				assert_int_equal(tm_tsm_open(d, "e", "service_manifest_version", O_RDWR, &fh), -EACCES);
				assert_int_equal(tm_tsm_open(d, "e", "manifestblob", O_WRONLY, &fh), -EACCES);
			}
		}
		tm_free(d);
	}
}

/* "service_provider: free string, one trailing \n stripped; only svsm valid, checked at
 * generation time; bumps generation even when the value is invalid" */
static void test_tsm_service_provider_bumps_even_if_invalid_einval_at_read(void **state)
{
	struct tm_dev *d = svsm(TM_NO_FAULTS);
	uint8_t in[64];

	fill_inblob(in, 20);
	assert_int_equal(tm_tsm_mkdir(d, "e"), 0);
	assert_int_equal(put(d, "e", "inblob", in, 64), 64);
	assert_int_equal(gen(d, "e"), 1);
	static const char *const bad[] = { "tdx", "SVSM", "svsm\n\n", " svsm", "svsmx", "\n" };
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		long g = gen(d, "e");
		assert_int_equal(put_str(d, "e", "service_provider", bad[i]), (ssize_t)strlen(bad[i]));
		assert_int_equal(gen(d, "e"), g + 1);
		assert_int_equal(get(d, "e", "outblob", big, sizeof(big)), -EINVAL);
		assert_int_equal(get(d, "e", "manifestblob", big, sizeof(big)), -EINVAL);
		assert_int_equal(get(d, "e", "auxblob", big, sizeof(big)), -EINVAL);
		assert_int_equal(gen(d, "e"), g + 1); /* failed reads do not move it */
	}
	/* "svsm", "svsm\n" and "svsm\0junk" (kstrndup stops at the NUL) are all the SVSM */
	static const struct { const char *s; size_t len; } good[] = { { "svsm", 4 }, { "svsm\n", 5 }, { "svsm\0junk", 9 } };
	for (size_t i = 0; i < 3; i++) {
		long g = gen(d, "e");
		assert_int_equal(put(d, "e", "service_provider", good[i].s, good[i].len), (ssize_t)good[i].len);
		assert_int_equal(gen(d, "e"), g + 1);
		assert_int_equal(get(d, "e", "outblob", big, sizeof(big)), 1184);
		assert_int_equal(big[0x30], 0); /* the SVSM's report: VMPL0 */
	}
	assert_int_equal(put(d, "e", "service_provider", "", 0), -EFAULT); /* empty write: nothing stored */
	tm_free(d);
}

/* "service_guid: on a bad value -EINVAL, but generation is bumped AND the GUID reset to
 * null BEFORE parsing" (guid_parse: 36 characters, trailing text ignored) */
static void test_tsm_service_guid_reset_before_parse(void **state)
{
	struct tm_dev *d = svsm(TM_NO_FAULTS);
	uint8_t in[64];

	fill_inblob(in, 21);
	assert_int_equal(tm_tsm_mkdir(d, "e"), 0);
	assert_int_equal(put_str(d, "e", "service_provider", "svsm"), 4);
	assert_int_equal(put(d, "e", "inblob", in, 64), 64);
	/* an unknown service: the SVSM refuses, the read is EINVAL */
	assert_int_equal(put_str(d, "e", "service_guid", UNKNOWN_GUID "\n"), 37);
	assert_int_equal(gen(d, "e"), 3);
	assert_int_equal(get(d, "e", "outblob", big, sizeof(big)), -EINVAL);
	static const char *const bad[] = {
		"not-a-guid", "0badc0de-1111-4222-8333-94445555666", "0badc0de11114222833394445555666600",
		"0badc0de-1111-4222-8333_944455556666", "0badc0dg-1111-4222-8333-944455556666", "",
	};
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		assert_int_equal(put_str(d, "e", "service_guid", UNKNOWN_GUID), 36);
		long g = gen(d, "e");
		ssize_t want = bad[i][0] ? -EINVAL : -EFAULT;
		assert_int_equal(put_str(d, "e", "service_guid", bad[i]), want);
		if (want == -EFAULT) { /* a zero-length write never reaches the store */
			assert_int_equal(gen(d, "e"), g);
			continue;
		}
		assert_int_equal(gen(d, "e"), g + 1);
		/* the GUID is null now: every service, a manifest that is the services table */
		ssize_t n = get(d, "e", "manifestblob", big, sizeof(big));
		assert_true(n >= 48);
		uint8_t hdr[16];
		assert_int_equal(teeabi_guid_parse_le(TEEABI_SVSM_SERVICES_MANIFEST_GUID, hdr), 0);
		assert_memory_equal(big, hdr, 16);
	}
	/* trailing text is ignored, upper case is fine; the vTPM is a single service */
	assert_int_equal(put_str(d, "e", "service_guid", "C476F1EB-0123-45A5-9641-B4E7DDE5BFE3 and more"), 45);
	assert_int_equal(get(d, "e", "manifestblob", big, sizeof(big)), 64);
	/* the null GUID written out is "every service" as well */
	assert_int_equal(put_str(d, "e", "service_guid", "00000000-0000-0000-0000-000000000000"), 36);
	assert_true(get(d, "e", "manifestblob", big, sizeof(big)) > 64);
	tm_free(d);
}

/* "service_manifest_version: kstrtouint base 0; -EINVAL/-ERANGE before the bump (no bump on
 * error)"; the SVSM accepts only version 0 of the vTPM manifest (coconut-svsm) */
static void test_tsm_service_manifest_version_no_bump_on_parse_error(void **state)
{
	struct tm_dev *d = svsm(TM_NO_FAULTS);
	uint8_t in[64];
	static const struct { const char *s; int err; } bad[] = {
		{ "x", -EINVAL }, { "-1", -EINVAL }, { "1 ", -EINVAL }, { "0x", -EINVAL }, { "08", -EINVAL },
		{ "\n", -EINVAL }, { "4294967296", -ERANGE }, { "0x100000000", -ERANGE },
	};
	static const char *const ok[] = { "0", "0x0", "00\n", "+0", "7", "0x7", "4294967295" };

	fill_inblob(in, 22);
	assert_int_equal(tm_tsm_mkdir(d, "e"), 0);
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		long g = gen(d, "e");
		assert_int_equal(put_str(d, "e", "service_manifest_version", bad[i].s), bad[i].err);
		assert_int_equal(gen(d, "e"), g);
	}
	for (size_t i = 0; i < sizeof(ok) / sizeof(ok[0]); i++) {
		long g = gen(d, "e");
		assert_int_equal(put_str(d, "e", "service_manifest_version", ok[i]), (ssize_t)strlen(ok[i]));
		assert_int_equal(gen(d, "e"), g + 1);
	}
	/* version 4294967295 of the vTPM manifest does not exist: EINVAL; version 0 does */
	assert_int_equal(put_str(d, "e", "service_provider", "svsm\n"), 5);
	assert_int_equal(put_str(d, "e", "service_guid", TEEABI_SVSM_VTPM_GUID), 36);
	assert_int_equal(put(d, "e", "inblob", in, 64), 64);
	assert_int_equal(get(d, "e", "outblob", big, sizeof(big)), -EINVAL);
	assert_int_equal(put_str(d, "e", "service_manifest_version", "0"), 1);
	assert_int_equal(get(d, "e", "outblob", big, sizeof(big)), 1184);
	/* every services request ignores the version */
	assert_int_equal(put_str(d, "e", "service_manifest_version", "3"), 1);
	assert_int_equal(put_str(d, "e", "service_guid", "bad"), -EINVAL);
	assert_int_equal(get(d, "e", "outblob", big, sizeof(big)), 1184);
	tm_free(d);
}

/* SVSM_ATTEST_SERVICES / SVSM_ATTEST_SINGLE_SERVICE (coconut-svsm attest.rs): outblob is an
 * SNP report requested at VMPL0 whose REPORT_DATA = SHA-512(inblob || manifestblob), signed
 * by the test VCEK; auxblob is the certificate table that verifies it */
static void test_tsm_svsm_outblob_reportdata_sha512_signature(void **state)
{
	struct tm_dev *d = svsm(TM_NO_FAULTS);
	uint8_t in[64], want[64], man[4096], aux[TEEABI_SNP_CERTS_MAX], vtpm[16];
	struct teeabi_snp_report r;
	struct teeabi_cert_table *ct = calloc(1, sizeof(*ct));
	size_t vl;
	const uint8_t *vcek = tm_sev_vcek_der(d, &vl);

	assert_non_null(ct);
	assert_int_equal(teeabi_guid_parse_le(TEEABI_SVSM_VTPM_GUID, vtpm), 0);
	fill_inblob(in, 23);
	assert_int_equal(tm_tsm_mkdir(d, "e"), 0);
	assert_int_equal(put_str(d, "e", "service_provider", "svsm\n"), 5);
	assert_int_equal(put(d, "e", "inblob", in, 64), 64);
	for (int single = 0; single < 2; single++) {
		if (single)
			assert_int_equal(put_str(d, "e", "service_guid", TEEABI_SVSM_VTPM_GUID "\n"), 37);
		ssize_t n = get(d, "e", "outblob", big, sizeof(big));
		ssize_t mn = get(d, "e", "manifestblob", man, sizeof(man));
		ssize_t an = get(d, "e", "auxblob", aux, sizeof(aux));
		assert_int_equal(n, TEEABI_SNP_REPORT_LEN);
		assert_true(mn > 0 && an > 0);
		assert_int_equal(teeabi_snp_report_parse(big, (size_t)n, TEEABI_SNP_STRICT_MBZ, &r), TEEABI_OK);
		assert_int_equal(r.vmpl, 0);
		sha512_2(in, 64, man, (size_t)mn, want);
		assert_memory_equal(r.report_data, want, 64);
		assert_memory_not_equal(r.report_data, in, 64);
		assert_int_equal(teeabi_snp_report_verify(big, (size_t)n, vcek, vl), TEEABI_OK);
		assert_int_equal(teeabi_snp_cert_table_parse(aux, (size_t)an, 0, ct), TEEABI_OK);
		assert_int_equal(ct->end, (size_t)an);
		bool verified = false;
		for (size_t i = 0; i < ct->count; i++)
			if (ct->e[i].kind == TEEABI_CERT_VCEK)
				verified = teeabi_snp_report_verify(big, (size_t)n, ct->e[i].data.p, ct->e[i].data.len) == TEEABI_OK;
		assert_true(verified);
		if (!single) {
			/* services manifest: header {GUID, total length, count}, entries, data */
			uint8_t hdr[16];
			teeabi_guid_parse_le(TEEABI_SVSM_SERVICES_MANIFEST_GUID, hdr);
			assert_memory_equal(man, hdr, 16);
			assert_int_equal(teeabi_le32(man + 16), (uint32_t)mn);
			assert_int_equal(teeabi_le32(man + 20), 1);
			assert_memory_equal(man + 24, vtpm, 16);
			uint32_t off = teeabi_le32(man + 40), len = teeabi_le32(man + 44);
			assert_int_equal(off, 48);
			assert_int_equal((size_t)off + len, (size_t)mn);
		} else {
			assert_int_equal(mn, 64); /* the vTPM's own manifest */
		}
	}
	free(ct);
	tm_free(d);
}

/* "outblob/auxblob/manifestblob are consistent for one generation", cached like the others;
 * the normal path (no service_provider) has an empty manifestblob */
static void test_tsm_svsm_manifestblob_consistent_with_generation(void **state)
{
	struct tm_dev *d = svsm(TM_NO_FAULTS);
	struct tm_tsm_fh *fh;
	uint8_t in[64], in2[64], m1[4096], m2[4096], want[64];
	ssize_t n1, n2;

	fill_inblob(in, 24);
	fill_inblob(in2, 25);
	assert_int_equal(tm_tsm_mkdir(d, "e"), 0);
	assert_int_equal(put_str(d, "e", "service_provider", "svsm"), 4);
	assert_int_equal(put(d, "e", "inblob", in, 64), 64);
	/* manifestblob first: it generates the report that outblob then serves from the cache */
	n1 = get(d, "e", "manifestblob", m1, sizeof(m1));
	assert_true(n1 > 0);
	assert_int_equal(get(d, "e", "outblob", big, sizeof(big)), 1184);
	assert_int_equal(get(d, "e", "outblob", big2, sizeof(big2)), 1184);
	assert_memory_equal(big, big2, 1184);
	n2 = get(d, "e", "manifestblob", m2, sizeof(m2));
	assert_int_equal(n1, n2);
	assert_memory_equal(m1, m2, (size_t)n1);
	sha512_2(in, 64, m1, (size_t)n1, want);
	assert_memory_equal(big + 0x50, want, 64);
	assert_int_equal(gen(d, "e"), 2);
	/* an fd filled before the next write keeps its generation's bytes */
	assert_int_equal(tm_tsm_open(d, "e", "outblob", O_RDONLY, &fh), 0);
	assert_int_equal(tm_tsm_read(fh, big2, 10, 0), 10);
	assert_int_equal(put(d, "e", "inblob", in2, 64), 64);
	assert_int_equal(tm_tsm_read(fh, big2 + 10, sizeof(big2) - 10, 10), 1174);
	tm_tsm_release(fh);
	assert_memory_equal(big, big2, 1184);
	/* the new generation: a new report over the new nonce and the (same) manifest */
	assert_int_equal(get(d, "e", "outblob", big2, sizeof(big2)), 1184);
	assert_memory_not_equal(big + 0x2A0, big2 + 0x2A0, 144);
	n2 = get(d, "e", "manifestblob", m2, sizeof(m2));
	assert_int_equal(n2, n1);
	sha512_2(in2, 64, m2, (size_t)n2, want);
	assert_memory_equal(big2 + 0x50, want, 64);
	/* a new entry without service_provider: the firmware path at privlevel (floor 1 at
	 * VMPL1; the default 0 is refused by the firmware -> EINVAL), no manifest */
	assert_int_equal(tm_tsm_mkdir(d, "f"), 0);
	assert_int_equal(put(d, "f", "inblob", in, 64), 64);
	assert_int_equal(get(d, "f", "outblob", big, sizeof(big)), -EINVAL);
	assert_int_equal(put_str(d, "f", "privlevel", "0"), -EINVAL); /* below the floor */
	assert_int_equal(put_str(d, "f", "privlevel", "1"), 1);
	assert_int_equal(get(d, "f", "outblob", big, sizeof(big)), 1184);
	assert_int_equal(big[0x30], 1);
	assert_memory_equal(big + 0x50, in, 64);
	assert_int_equal(get(d, "f", "manifestblob", m1, sizeof(m1)), 0);
	tm_free(d);
}

/* the SVSM's own checks: a single service is found by its guid_t bytes, unknown GUIDs and
 * manifest versions other than 0 fail the read with EINVAL and are not cached; the guest's
 * VMPCK is not involved */
static void test_tsm_svsm_single_service_and_errors(void **state)
{
	struct tm_dev *d = svsm(TM_NO_FAULTS);
	uint8_t in[64], m1[4096], m2[4096];

	fill_inblob(in, 26);
	assert_int_equal(tm_tsm_mkdir(d, "e"), 0);
	assert_int_equal(put_str(d, "e", "service_provider", "svsm"), 4);
	assert_int_equal(put_str(d, "e", "service_guid", UNKNOWN_GUID), 36);
	assert_int_equal(get(d, "e", "outblob", big, sizeof(big)), -EINVAL); /* no inblob yet */
	assert_int_equal(put(d, "e", "inblob", in, 32), 32);
	assert_int_equal(get(d, "e", "outblob", big, sizeof(big)), -EINVAL); /* 32-byte nonce */
	assert_int_equal(put(d, "e", "inblob", in, 64), 64);
	assert_int_equal(get(d, "e", "outblob", big, sizeof(big)), -EINVAL); /* unknown service */
	assert_int_equal(get(d, "e", "manifestblob", m1, sizeof(m1)), -EINVAL);
	/* the vTPM: its manifest alone, and the same bytes as its slot in the services table */
	assert_int_equal(put_str(d, "e", "service_guid", TEEABI_SVSM_VTPM_GUID), 36);
	assert_int_equal(get(d, "e", "manifestblob", m1, sizeof(m1)), 64);
	assert_int_equal(put_str(d, "e", "service_guid", "00000000-0000-0000-0000-000000000000"), 36);
	ssize_t n = get(d, "e", "manifestblob", m2, sizeof(m2));
	assert_int_equal(n, 48 + 64);
	assert_memory_equal(m2 + 48, m1, 64);
	/* the text GUID is stored in guid_t order: a byte-swapped vTPM GUID is another service */
	assert_int_equal(put_str(d, "e", "service_guid", "eb f176c4-2301-a545-9641-b4e7dde5bfe3"), -EINVAL);
	assert_int_equal(put_str(d, "e", "service_guid", "ebf176c4-2301-a545-9641-b4e7dde5bfe3"), 36);
	assert_int_equal(get(d, "e", "outblob", big, sizeof(big)), -EINVAL);
	/* a disabled guest VMPCK does not matter to the SVSM */
	assert_int_equal(put_str(d, "e", "service_guid", TEEABI_SVSM_VTPM_GUID), 36);
	tm_sev_set_fw_error(d, 0x16);
	assert_int_equal(tm_tsm_mkdir(d, "f"), 0);
	assert_int_equal(put_str(d, "f", "privlevel", "1"), 1);
	assert_int_equal(put(d, "f", "inblob", in, 64), 64);
	assert_int_equal(get(d, "f", "outblob", big, sizeof(big)), -EIO);
	assert_true(tm_sev_vmpck_disabled(d));
	assert_int_equal(get(d, "f", "outblob", big, sizeof(big)), -ENOTTY);
	assert_int_equal(get(d, "e", "outblob", big, sizeof(big)), 1184);
	assert_int_equal(big[0x30], 0);
	tm_free(d);
}

/* ---------------------------------------------------------------- faults */

#define FB(x) TM_FAULT_BIT(TM_FAULT_##x)

static void test_fault_tsm_generation_not_bumped(void **state)
{
	for (int f = 0; f < 2; f++) {
		struct tm_dev *d = sev(TM_FAULT_IF(f, TM_FAULT_TSM_GENERATION_NOT_BUMPED));
		uint8_t in[64] = { 1 };
		assert_int_equal(tm_tsm_mkdir(d, "e"), 0);
		assert_int_equal(put(d, "e", "inblob", in, 64), 64);
		assert_int_equal(gen(d, "e"), f ? 0 : 1);
		tm_free(d);
	}
}

static void test_fault_tsm_outblob_not_cached(void **state)
{
	for (int f = 0; f < 2; f++) {
		struct tm_dev *d = sev(TM_FAULT_IF(f, TM_FAULT_TSM_OUTBLOB_NOT_CACHED));
		uint8_t in[64] = { 2 };
		assert_int_equal(tm_tsm_mkdir(d, "e"), 0);
		assert_int_equal(put(d, "e", "inblob", in, 64), 64);
		assert_int_equal(get(d, "e", "outblob", big, sizeof(big)), 1184);
		assert_int_equal(get(d, "e", "outblob", big2, sizeof(big2)), 1184);
		bool same = memcmp(big, big2, 1184) == 0;
		assert_true(f ? !same : same);
		tm_free(d);
	}
}

static void test_fault_tsm_inblob_65_accepted(void **state)
{
	for (int f = 0; f < 2; f++) {
		struct tm_dev *d = sev(TM_FAULT_IF(f, TM_FAULT_TSM_INBLOB_65_ACCEPTED));
		uint8_t in[65] = { 3 };
		assert_int_equal(tm_tsm_mkdir(d, "e"), 0);
		assert_int_equal(put(d, "e", "inblob", in, 65), f ? 65 : -EFBIG);
		tm_free(d);
	}
}

static void test_fault_tsm_provider_no_newline(void **state)
{
	for (int f = 0; f < 2; f++) {
		struct tm_dev *d = tdx(TM_FAULT_IF(f, TM_FAULT_TSM_PROVIDER_NO_NEWLINE));
		char b[32] = { 0 };
		assert_int_equal(tm_tsm_mkdir(d, "e"), 0);
		get(d, "e", "provider", (uint8_t *)b, sizeof(b) - 1);
		assert_string_equal(b, f ? "tdx_guest" : "tdx_guest\n");
		tm_free(d);
	}
}

static void test_fault_tsm_outblob_before_inblob(void **state)
{
	for (int f = 0; f < 2; f++) {
		struct tm_dev *d = sev(TM_FAULT_IF(f, TM_FAULT_TSM_OUTBLOB_BEFORE_INBLOB));
		uint8_t out[2048];
		assert_int_equal(tm_tsm_mkdir(d, "e"), 0);
		assert_int_equal(get(d, "e", "outblob", out, sizeof(out)), f ? 1184 : -EINVAL);
		tm_free(d);
	}
}

static void test_fault_tsm_privlevel_whitespace_accepted(void **state)
{
	static const char *ws[] = { " 3", "3 ", "3\n\n", "\t2\n" };
	for (int f = 0; f < 2; f++) {
		struct tm_dev *d = sev(TM_FAULT_IF(f, TM_FAULT_TSM_PRIVLEVEL_WHITESPACE_ACCEPTED));
		assert_int_equal(tm_tsm_mkdir(d, "e"), 0);
		for (size_t i = 0; i < sizeof(ws) / sizeof(ws[0]); i++)
			assert_int_equal(put_str(d, "e", "privlevel", ws[i]), f ? (ssize_t)strlen(ws[i]) : -EINVAL);
		assert_int_equal(gen(d, "e"), f ? 4 : 0);
		/* what kstrtouint takes stays accepted, the range stays */
		assert_int_equal(put_str(d, "e", "privlevel", "+3\n"), 3);
		assert_int_equal(put_str(d, "e", "privlevel", " 4"), -EINVAL);
		tm_free(d);
	}
}

static void test_fault_tsm_failed_read_bumps_generation(void **state)
{
	for (int f = 0; f < 2; f++) {
		struct tm_dev *d = tdx(TM_FAULT_IF(f, TM_FAULT_TSM_FAILED_READ_BUMPS_GENERATION));
		uint8_t in[64];
		fill_inblob(in, 1);
		assert_int_equal(tm_tsm_mkdir(d, "e"), 0);
		assert_int_equal(get(d, "e", "outblob", big, sizeof(big)), -EINVAL); /* no inblob: not counted either way */
		assert_int_equal(gen(d, "e"), 0);
		assert_int_equal(put(d, "e", "inblob", in, 32), 32);
		assert_int_equal(get(d, "e", "outblob", big, sizeof(big)), -EINVAL);
		assert_int_equal(gen(d, "e"), f ? 2 : 1);
		assert_int_equal(put(d, "e", "inblob", in, 64), 64);
		long g = gen(d, "e");
		assert_true(get(d, "e", "outblob", big, sizeof(big)) > 1020); /* a good read counts as nothing */
		assert_int_equal(gen(d, "e"), g);
		tm_free(d);
	}
}

static void test_fault_tsm_wrong_mode_open(void **state)
{
	for (int f = 0; f < 2; f++) {
		struct tm_dev *d = sev(TM_FAULT_IF(f, TM_FAULT_TSM_WRONG_MODE_OPEN));
		struct tm_tsm_fh *fh = NULL;
		assert_int_equal(tm_tsm_mkdir(d, "e"), 0);
		assert_int_equal(tm_tsm_open(d, "e", "inblob", O_RDONLY, &fh), f ? 0 : -EACCES);
		tm_tsm_release(fh);
		tm_free(d);
	}
}

static void test_fault_tsm_privlevel_base10(void **state)
{
	for (int f = 0; f < 2; f++) {
		struct tm_dev *d = sev(TM_FAULT_IF(f, TM_FAULT_TSM_PRIVLEVEL_BASE10));
		assert_int_equal(tm_tsm_mkdir(d, "e"), 0);
		assert_int_equal(put_str(d, "e", "privlevel", "0x2"), f ? -EINVAL : 3);
		assert_int_equal(put_str(d, "e", "privlevel", "2"), 1);
		tm_free(d);
	}
}

static void test_fault_tsm_privlevel_no_range(void **state)
{
	for (int f = 0; f < 2; f++) {
		struct tm_dev *d = sev(TM_FAULT_IF(f, TM_FAULT_TSM_PRIVLEVEL_NO_RANGE));
		assert_int_equal(tm_tsm_mkdir(d, "e"), 0);
		assert_int_equal(put_str(d, "e", "privlevel", "4"), f ? 1 : -EINVAL);
		tm_free(d);
	}
}

static void test_fault_tsm_rmdir_leak(void **state)
{
	for (int f = 0; f < 2; f++) {
		struct tm_dev *d = sev(TM_FAULT_IF(f, TM_FAULT_TSM_RMDIR_LEAK));
		struct tm_tsm_fh *fh = NULL;
		assert_int_equal(tm_tsm_mkdir(d, "e"), 0);
		assert_int_equal(tm_tsm_rmdir(d, "e"), 0);
		assert_int_equal(tm_tsm_entry_exists(d, "e"), f);
		assert_int_equal(tm_tsm_list(d, NULL, 0), f ? 1 : 0);
		assert_int_equal(tm_tsm_open(d, "e", "generation", O_RDONLY, &fh), f ? 0 : -ENOENT);
		tm_tsm_release(fh);
		tm_free(d);
	}
}

static void test_fault_tsm_auxblob_on_tdx(void **state)
{
	for (int f = 0; f < 2; f++) {
		struct tm_dev *d = tdx(TM_FAULT_IF(f, TM_FAULT_TSM_AUXBLOB_ON_TDX));
		assert_int_equal(tm_tsm_attr_lookup(d, "auxblob") >= 0, f);
		assert_int_equal(tm_tsm_attr_lookup(d, "privlevel") >= 0, f);
		assert_int_equal(tm_tsm_attr_count(d), f ? 7 : 4);
		tm_free(d);
	}
}

/* no provider registered: mkdir is ENXIO and nothing is created (tsm_report_make_item());
   the fault creates the entry anyway */
static void test_fault_tsm_noprovider_mkdir_allowed(void **state)
{
	for (int f = 0; f < 2; f++) {
		struct teeabi_profile p = tdx_profile();
		p.tsm_provider = TEEABI_TSM_NONE;
		struct tm_dev *d = mk(p, TM_FAULT_IF(f, TM_FAULT_TSM_NOPROVIDER_MKDIR_ALLOWED));
		assert_int_equal(tm_tsm_mkdir(d, "e"), f ? 0 : -ENXIO);
		assert_int_equal(tm_tsm_rmdir(d, "e"), f ? 0 : -ENOENT);
		tm_free(d);
	}
}

static void test_fault_tsm_inblob_applied_on_write(void **state)
{
	for (int f = 0; f < 2; f++) {
		struct tm_dev *d = sev(TM_FAULT_IF(f, TM_FAULT_TSM_INBLOB_APPLIED_ON_WRITE));
		struct tm_tsm_fh *fh;
		uint8_t in[64] = { 4 };
		assert_int_equal(tm_tsm_mkdir(d, "e"), 0);
		assert_int_equal(tm_tsm_open(d, "e", "inblob", O_WRONLY, &fh), 0);
		assert_int_equal(tm_tsm_write(fh, in, 32, 0), 32);
		assert_int_equal(gen(d, "e"), f ? 1 : 0);
		assert_int_equal(tm_tsm_write(fh, in + 32, 32, 32), 32);
		assert_int_equal(gen(d, "e"), f ? 2 : 0);
		tm_tsm_release(fh);
		assert_int_equal(gen(d, "e"), f ? 2 : 1);
		tm_free(d);
	}
}

/* inblob in two 32-byte writes on one fd (at 0 and 32): the report's REPORTDATA (0x50) is
 * the 64 bytes; with the fault the second chunk sits at 0 and 32..63 are zero. */
static void test_fault_tsm_inblob_write_ignores_offset(void **state)
{
	uint8_t in[64], out[1184], zero[32] = { 0 };
	fill_inblob(in, 21);
	for (int f = 0; f < 2; f++) {
		struct tm_dev *d = sev(TM_FAULT_IF(f, TM_FAULT_TSM_INBLOB_WRITE_IGNORES_OFFSET));
		struct tm_tsm_fh *fh;
		assert_int_equal(tm_tsm_mkdir(d, "e"), 0);
		assert_int_equal(tm_tsm_open(d, "e", "inblob", O_WRONLY, &fh), 0);
		assert_int_equal(tm_tsm_write(fh, in, 32, 0), 32);
		assert_int_equal(tm_tsm_write(fh, in + 32, 32, 32), 32);
		tm_tsm_release(fh);
		assert_int_equal(get(d, "e", "outblob", out, sizeof(out)), 1184);
		if (f) {
			assert_memory_equal(out + 0x50, in + 32, 32);
			assert_memory_equal(out + 0x50 + 32, zero, 32);
		} else {
			assert_memory_equal(out + 0x50, in, 64);
		}
		tm_free(d);
	}
}

static void test_fault_tsm_reportdata_not_echoed(void **state)
{
	uint8_t in[64], out[1184];

	fill_inblob(in, 12);
	for (int t = 0; t < 2; t++) {
		for (int f = 0; f < 2; f++) {
			tm_fault_mask fl = TM_FAULT_IF(f, TM_FAULT_TSM_REPORTDATA_NOT_ECHOED);
			struct tm_dev *d = t ? tdx(fl) : sev(fl);
			assert_int_equal(tm_tsm_mkdir(d, "e"), 0);
			assert_int_equal(put(d, "e", "inblob", in, 64), 64);
			ssize_t n = get(d, "e", "outblob", t ? big : out, t ? sizeof(big) : sizeof(out));
			assert_true(n > 0);
			const uint8_t *rd = t ? big + 48 + 520 : out + 0x50;
			bool same = memcmp(rd, in, 64) == 0;
			assert_true(f ? !same : same);
			tm_free(d);
		}
	}
}

static void test_fault_tsm_generation_bump_on_einval(void **state)
{
	for (int f = 0; f < 2; f++) {
		struct tm_dev *d = sev(TM_FAULT_IF(f, TM_FAULT_TSM_GENERATION_BUMP_ON_EINVAL));
		assert_int_equal(tm_tsm_mkdir(d, "e"), 0);
		assert_int_equal(put_str(d, "e", "privlevel", "4"), -EINVAL);
		assert_int_equal(gen(d, "e"), f ? 1 : 0);
		tm_free(d);
	}
}

static void test_fault_tsm_quote_header_included(void **state)
{
	for (int f = 0; f < 2; f++) {
		struct tm_dev *d = tdx(TM_FAULT_IF(f, TM_FAULT_TSM_QUOTE_HEADER_INCLUDED));
		uint8_t in[64] = { 5 };
		struct teeabi_tdx_quote q;
		assert_int_equal(tm_tsm_mkdir(d, "e"), 0);
		assert_int_equal(put(d, "e", "inblob", in, 64), 64);
		ssize_t n = get(d, "e", "outblob", big, sizeof(big));
		assert_true(n > 24);
		if (f) {
			assert_int_equal(big[0], 1); /* GetQuote buffer header version 1 */
			assert_int_not_equal(teeabi_tdx_quote_parse(big, (size_t)n, TEEABI_QUOTE_DEFAULT, &q), TEEABI_OK);
			assert_int_equal(teeabi_tdx_quote_parse(big + 24, (size_t)n - 24, TEEABI_QUOTE_DEFAULT, &q), TEEABI_OK);
		} else {
			assert_int_equal(teeabi_tdx_quote_parse(big, (size_t)n, TEEABI_QUOTE_DEFAULT, &q), TEEABI_OK);
		}
		tm_free(d);
	}
}

static void test_fault_tsm_svsm_attrs_visible_at_vmpl0(void **state)
{
	for (int f = 0; f < 2; f++) {
		tm_fault_mask fl = TM_FAULT_IF(f, TM_FAULT_TSM_SVSM_ATTRS_VISIBLE_AT_VMPL0);
		struct tm_dev *d = mk(parsed_profile("name = u\nplatform = snp\nkernel = 6.18.6\n"), fl);
		assert_int_equal(tm_tsm_attr_lookup(d, "manifestblob") >= 0, f);
		assert_int_equal(tm_tsm_attr_lookup(d, "service_provider") >= 0, f);
		assert_int_equal(tm_tsm_attr_count(d), f ? 11 : 7);
		tm_free(d);
		d = mk(parsed_profile("name = u\nplatform = snp\nkernel = 6.7.0\n"), fl); /* no callbacks before 6.11 */
		assert_int_equal(tm_tsm_attr_count(d), 7);
		tm_free(d);
	}
}

static void test_fault_tsm_service_guid_no_reset(void **state)
{
	uint8_t in[64];

	fill_inblob(in, 27);
	for (int f = 0; f < 2; f++) {
		struct tm_dev *d = svsm(TM_FAULT_IF(f, TM_FAULT_TSM_SERVICE_GUID_NO_RESET));
		assert_int_equal(tm_tsm_mkdir(d, "e"), 0);
		assert_int_equal(put_str(d, "e", "service_provider", "svsm"), 4);
		assert_int_equal(put(d, "e", "inblob", in, 64), 64);
		assert_int_equal(put_str(d, "e", "service_guid", UNKNOWN_GUID), 36);
		assert_int_equal(put_str(d, "e", "service_guid", "bogus"), -EINVAL);
		assert_int_equal(gen(d, "e"), 4);
		assert_int_equal(get(d, "e", "outblob", big, sizeof(big)), f ? -EINVAL : 1184);
		tm_free(d);
	}
}

static void test_fault_tsm_service_provider_checked_at_write(void **state)
{
	for (int f = 0; f < 2; f++) {
		struct tm_dev *d = svsm(TM_FAULT_IF(f, TM_FAULT_TSM_SERVICE_PROVIDER_CHECKED_AT_WRITE));
		assert_int_equal(tm_tsm_mkdir(d, "e"), 0);
		assert_int_equal(put_str(d, "e", "service_provider", "tdx"), f ? -EINVAL : 3);
		assert_int_equal(gen(d, "e"), f ? 0 : 1);
		assert_int_equal(put_str(d, "e", "service_provider", "svsm\n"), 5);
		assert_int_equal(gen(d, "e"), f ? 1 : 2);
		tm_free(d);
	}
}

/* Entry "e" with service_provider svsm, service_guid guid (NULL: none written) and inblob
 * in, its SVSM report read into big. */
static void svsm_report_at(struct tm_dev *d, const uint8_t in[64], const char *guid)
{
	assert_int_equal(tm_tsm_mkdir(d, "e"), 0);
	assert_int_equal(put_str(d, "e", "service_provider", "svsm"), 4);
	if (guid)
		assert_int_equal(put_str(d, "e", "service_guid", guid), (ssize_t)strlen(guid));
	assert_int_equal(put(d, "e", "inblob", in, 64), 64);
	assert_int_equal(get(d, "e", "outblob", big, sizeof(big)), 1184);
}

static void test_fault_tsm_svsm_reportdata_not_hashed(void **state)
{
	uint8_t in[64];

	fill_inblob(in, 28);
	for (int f = 0; f < 2; f++) {
		struct tm_dev *d = svsm(TM_FAULT_IF(f, TM_FAULT_TSM_SVSM_REPORTDATA_NOT_HASHED));
		svsm_report_at(d, in, NULL);
		bool echoed = memcmp(big + 0x50, in, 64) == 0;
		assert_int_equal(echoed, f);
		tm_free(d);
	}
}

/* ---------------------------------------------------------------- threads */

#define MT_ROUNDS 10
static pthread_barrier_t mt_start;

struct worker {
	struct tm_dev *d;
	char entry[32];
	unsigned id;
	bool tdx;
	int rounds, attempts, mismatches, errors;
};

static void *worker_main(void *arg)
{
	struct worker *w = arg;
	uint8_t *out = malloc(64 * 1024);

	pthread_barrier_wait(&mt_start);
	if (!out) {
		w->errors++;
		return NULL;
	}
	while (w->rounds < MT_ROUNDS && w->attempts < 5000) {
		uint8_t in[64];
		w->attempts++;
		memset(in, 0, sizeof(in));
		snprintf((char *)in, sizeof(in), "teeabi-mt thread %u attempt %d", w->id, w->attempts);
		long g1 = gen_raw(w->d, w->entry);
		if (put(w->d, w->entry, "inblob", in, 64) != 64) {
			w->errors++;
			continue;
		}
		ssize_t n = get(w->d, w->entry, "outblob", out, 64 * 1024);
		long g2 = gen_raw(w->d, w->entry);
		if (n <= 0 || g1 < 0 || g2 < 0) {
			w->errors++;
			continue;
		}
		const uint8_t *rd = w->tdx ? out + 48 + 520 : out + 0x50;
		if (n < (w->tdx ? 48 + 520 + 64 : 0x50 + 64)) {
			w->errors++;
			continue;
		}
		/* whatever the generation, the blob is some thread's well-formed request */
		if (memcmp(rd, "teeabi-mt thread ", 17) != 0)
			w->mismatches++;
		if (g2 == g1 + 1) {
			if (memcmp(rd, in, 64) != 0)
				w->mismatches++;
			w->rounds++;
		}
	}
	free(out);
	return NULL;
}

static void run_threads(bool use_tdx, bool shared)
{
	struct tm_dev *d = use_tdx ? tdx(TM_NO_FAULTS) : sev(TM_NO_FAULTS);
	struct worker w[8];
	pthread_t th[8];

	memset(w, 0, sizeof(w));
	if (shared)
		assert_int_equal(tm_tsm_mkdir(d, "shared"), 0);
	for (unsigned i = 0; i < 8; i++) {
		w[i].d = d;
		w[i].id = i;
		w[i].tdx = use_tdx;
		snprintf(w[i].entry, sizeof(w[i].entry), shared ? "shared" : "entry%u", i);
		if (!shared)
			assert_int_equal(tm_tsm_mkdir(d, w[i].entry), 0);
	}
	assert_int_equal(pthread_barrier_init(&mt_start, NULL, 8), 0);
	for (int i = 0; i < 8; i++)
		assert_int_equal(pthread_create(&th[i], NULL, worker_main, &w[i]), 0);
	for (int i = 0; i < 8; i++)
		assert_int_equal(pthread_join(th[i], NULL), 0);
	pthread_barrier_destroy(&mt_start);
	int retries = 0;
	for (int i = 0; i < 8; i++) {
		assert_int_equal(w[i].errors, 0);
		assert_int_equal(w[i].mismatches, 0);
		assert_int_equal(w[i].rounds, MT_ROUNDS);
		if (!shared)
			assert_int_equal(w[i].attempts, MT_ROUNDS); /* nobody else writes my entry */
		retries += w[i].attempts - w[i].rounds;
	}
	if (!shared)
		for (int i = 0; i < 8; i++)
			assert_int_equal(tm_tsm_generation(d, w[i].entry), MT_ROUNDS);
	else /* one inblob write per attempt, all on the one entry */
		assert_int_equal(tm_tsm_generation(d, "shared"), MT_ROUNDS * 8 + retries);
	print_message("%s %s entry: %d retries\n", use_tdx ? "tdx" : "sev", shared ? "shared" : "own", retries);
	tm_free(d);
}

static void test_tsm_threads_generation_protocol_shared_entry(void **state)
{
	run_threads(false, true);
	run_threads(true, true);
}

static void test_tsm_threads_generation_protocol_own_entries(void **state)
{
	run_threads(false, false);
	run_threads(true, false);
}

static void test_fault_tsm_read_after_rmdir_works(void **state)
{
	for (int f = 0; f < 2; f++) {
		struct tm_dev *d = tdx(TM_FAULT_IF(f, TM_FAULT_TSM_READ_AFTER_RMDIR_WORKS));
		struct tm_tsm_fh *fh;
		char b[32];
		assert_int_equal(tm_tsm_mkdir(d, "e"), 0);
		assert_int_equal(tm_tsm_open(d, "e", "provider", O_RDONLY, &fh), 0);
		assert_int_equal(tm_tsm_rmdir(d, "e"), 0);
		assert_int_equal(tm_tsm_read(fh, b, sizeof(b), 0), f ? 10 : -ENOENT);
		tm_tsm_release(fh);
		tm_free(d);
	}
}

static void test_fault_tsm_mkdir_revives_removed_entry(void **state)
{
	for (int f = 0; f < 2; f++) {
		struct tm_dev *d = tdx(TM_FAULT_IF(f, TM_FAULT_TSM_MKDIR_REVIVES_REMOVED_ENTRY));
		uint8_t in[64] = { 3 };
		assert_int_equal(tm_tsm_mkdir(d, "e"), 0);
		assert_int_equal(put(d, "e", "inblob", in, 64), 64);
		assert_int_equal(tm_tsm_rmdir(d, "e"), 0);
		assert_false(tm_tsm_entry_exists(d, "e"));
		assert_int_equal(tm_tsm_mkdir(d, "e"), 0);
		assert_int_equal(gen(d, "e"), f ? 1 : 0);
		tm_free(d);
	}
}

static void test_fault_tsm_bin_read_refetches(void **state)
{
	for (int f = 0; f < 2; f++) {
		struct tm_dev *d = sev(TM_FAULT_IF(f, TM_FAULT_TSM_BIN_READ_REFETCHES));
		struct tm_tsm_fh *fh;
		uint8_t in[64] = { 1 }, first[1184], mixed[1184];
		assert_int_equal(tm_tsm_mkdir(d, "e"), 0);
		assert_int_equal(put(d, "e", "inblob", in, 64), 64);
		assert_int_equal(get(d, "e", "outblob", first, sizeof(first)), 1184);
		assert_int_equal(tm_tsm_open(d, "e", "outblob", O_RDONLY, &fh), 0);
		assert_int_equal(tm_tsm_read(fh, mixed, 64, 0), 64);
		in[0] = 2;
		assert_int_equal(put(d, "e", "inblob", in, 64), 64);
		assert_int_equal(tm_tsm_read(fh, mixed + 64, sizeof(mixed) - 64, 64), 1184 - 64);
		tm_tsm_release(fh);
		/* REPORT_DATA (at 0x50) comes from the second inblob only with the fault */
		assert_int_equal(memcmp(first, mixed, sizeof(first)) != 0, f);
		tm_free(d);
	}
}

static void test_fault_tsm_service_guid_trailing_text_rejected(void **state)
{
	for (int f = 0; f < 2; f++) {
		struct tm_dev *d = svsm(TM_FAULT_IF(f, TM_FAULT_TSM_SERVICE_GUID_TRAILING_TEXT_REJECTED));
		static const char v[] = UNKNOWN_GUID " trailing text\n";
		assert_int_equal(tm_tsm_mkdir(d, "e"), 0);
		assert_int_equal(put_str(d, "e", "service_guid", v), f ? -EINVAL : (ssize_t)strlen(v));
		assert_int_equal(gen(d, "e"), 1);
		assert_int_equal(put_str(d, "e", "service_guid", UNKNOWN_GUID "\n"), 37);
		tm_free(d);
	}
}

/* tsm-first-read-ignores-offset: the first read of a fresh fd at offset 4 of provider
 * ("sev_guest\n") returns "guest\n" without the fault and "sev_guest\n" (from 0) with it; a
 * first read at 100 of the 1184-byte outblob returns 1084 bytes equal to outblob[100..)
 * without the fault. */
static void test_fault_tsm_first_read_ignores_offset(void **state)
{
	(void)state;
	for (int f = 0; f < 2; f++) {
		struct tm_dev *d = sev(TM_FAULT_IF(f, TM_FAULT_TSM_FIRST_READ_IGNORES_OFFSET));
		struct tm_tsm_fh *fh;
		uint8_t in[64] = { 3 }, whole[1184], at[1184];
		char p[16] = { 0 };
		assert_int_equal(tm_tsm_mkdir(d, "e"), 0);
		assert_int_equal(tm_tsm_open(d, "e", "provider", O_RDONLY, &fh), 0);
		ssize_t n = tm_tsm_read(fh, p, sizeof(p) - 1, 4);
		tm_tsm_release(fh);
		assert_string_equal(p, f ? "sev_guest\n" : "guest\n");
		assert_int_equal(n, f ? 10 : 6);
		assert_int_equal(put(d, "e", "inblob", in, 64), 64);
		assert_int_equal(get(d, "e", "outblob", whole, sizeof(whole)), 1184);
		assert_int_equal(tm_tsm_open(d, "e", "outblob", O_RDONLY, &fh), 0);
		n = tm_tsm_read(fh, at, sizeof(at), 100);
		tm_tsm_release(fh);
		assert_int_equal(n, f ? 1184 : 1084);
		assert_int_equal(memcmp(at, whole + (f ? 0 : 100), (size_t)n) == 0, true);
		tm_free(d);
	}
}

/* tsm-svsm-single-service-hashes-services-manifest: a vTPM single-service report's
 * REPORT_DATA is SHA-512(inblob || the vTPM manifest it returns) without the fault, and
 * SHA-512(inblob || the all-services manifest of a null GUID) with it; the all-services
 * report is bound to its manifest either way. */
static void test_fault_tsm_svsm_single_service_hashes_services_manifest(void **state)
{
	(void)state;
	uint8_t in[64], want[64], man[4096], all[4096];
	fill_inblob(in, 41);
	for (int f = 0; f < 2; f++) {
		struct tm_dev *d = svsm(TM_FAULT_IF(f, TM_FAULT_TSM_SVSM_SINGLE_SERVICE_HASHES_SERVICES_MANIFEST));
		svsm_report_at(d, in, NULL);
		ssize_t an = get(d, "e", "manifestblob", all, sizeof(all));
		assert_true(an > 64);
		sha512_2(in, 64, all, (size_t)an, want);
		assert_memory_equal(big + 0x50, want, 64);
		assert_int_equal(put_str(d, "e", "service_guid", TEEABI_SVSM_VTPM_GUID "\n"), 37);
		assert_int_equal(get(d, "e", "outblob", big, sizeof(big)), 1184);
		ssize_t mn = get(d, "e", "manifestblob", man, sizeof(man));
		assert_int_equal(mn, 64); /* the vTPM's own manifest */
		sha512_2(in, 64, f ? all : man, f ? (size_t)an : (size_t)mn, want);
		assert_memory_equal(big + 0x50, want, 64);
		tm_free(d);
	}
}

/* tsm-svsm-manifest-version-ignored: a vTPM single service at manifest version 1 fails the
 * read with EINVAL without the fault (the SVSM offers version 0 only) and gives a report
 * with it (version 0 is sent whatever was written). */
static void test_fault_tsm_svsm_manifest_version_ignored(void **state)
{
	(void)state;
	uint8_t in[64];
	fill_inblob(in, 42);
	for (int f = 0; f < 2; f++) {
		struct tm_dev *d = svsm(TM_FAULT_IF(f, TM_FAULT_TSM_SVSM_MANIFEST_VERSION_IGNORED));
		svsm_report_at(d, in, TEEABI_SVSM_VTPM_GUID "\n");
		assert_int_equal(put_str(d, "e", "service_manifest_version", "1\n"), 2);
		assert_int_equal(get(d, "e", "outblob", big, sizeof(big)), f ? 1184 : -EINVAL);
		tm_free(d);
	}
}

/* tsm-service-guid-no-bump: after the all-services report was read, a vTPM service_guid
 * write moves generation 2 -> 3 and the next read is the vTPM's 64-byte manifest without the
 * fault; with it generation stays 2 and the cached all-services manifest (112 bytes: a
 * 24-byte header, one 24-byte entry, the vTPM's 64) is served. */
static void test_fault_tsm_service_guid_no_bump(void **state)
{
	(void)state;
	uint8_t in[64], man[4096];
	fill_inblob(in, 43);
	for (int f = 0; f < 2; f++) {
		struct tm_dev *d = svsm(TM_FAULT_IF(f, TM_FAULT_TSM_SERVICE_GUID_NO_BUMP));
		svsm_report_at(d, in, NULL);
		assert_int_equal(gen(d, "e"), 2);
		assert_int_equal(get(d, "e", "manifestblob", man, sizeof(man)), 112);
		assert_int_equal(put_str(d, "e", "service_guid", TEEABI_SVSM_VTPM_GUID "\n"), 37);
		assert_int_equal(gen(d, "e"), f ? 2 : 3);
		assert_int_equal(get(d, "e", "manifestblob", man, sizeof(man)), f ? 112 : 64);
		tm_free(d);
	}
}

/* tsm-service-guid-uppercase-refused: the vTPM GUID in upper case is taken (its 64-byte
 * manifest comes back) without the fault, refused with EINVAL with it; lower case works
 * either way. */
static void test_fault_tsm_service_guid_uppercase_refused(void **state)
{
	(void)state;
	uint8_t in[64], man[4096];
	fill_inblob(in, 44);
	for (int f = 0; f < 2; f++) {
		struct tm_dev *d = svsm(TM_FAULT_IF(f, TM_FAULT_TSM_SERVICE_GUID_UPPERCASE_REFUSED));
		assert_int_equal(tm_tsm_mkdir(d, "e"), 0);
		assert_int_equal(put_str(d, "e", "service_provider", "svsm"), 4);
		assert_int_equal(put_str(d, "e", "service_guid", "C476F1EB-0123-45A5-9641-b4e7dde5bfe3\n"), f ? -EINVAL : 37);
		assert_int_equal(put(d, "e", "inblob", in, 64), 64);
		assert_int_equal(get(d, "e", "outblob", big, sizeof(big)), 1184);
		/* refused: the GUID was reset to null, so the all-services manifest (112 bytes) */
		assert_int_equal(get(d, "e", "manifestblob", man, sizeof(man)), f ? 112 : 64);
		assert_int_equal(put_str(d, "e", "service_guid", TEEABI_SVSM_VTPM_GUID "\n"), 37);
		assert_int_equal(get(d, "e", "manifestblob", man, sizeof(man)), 64);
		tm_free(d);
	}
}

/* svsm-services-manifest-count-zero: the all-services manifest's count is 1 (the vTPM)
 * without the fault and 0 with it; the 112 bytes and the vTPM's entry are the same. */
static void test_fault_svsm_services_manifest_count_zero(void **state)
{
	(void)state;
	uint8_t in[64], man[4096];
	fill_inblob(in, 46);
	for (int f = 0; f < 2; f++) {
		struct tm_dev *d = svsm(TM_FAULT_IF(f, TM_FAULT_SVSM_SERVICES_MANIFEST_COUNT_ZERO));
		svsm_report_at(d, in, NULL);
		assert_int_equal(get(d, "e", "manifestblob", man, sizeof(man)), 112);
		assert_int_equal(man[20], f ? 0 : 1);
		uint8_t g[16];
		teeabi_guid_parse_le(TEEABI_SVSM_VTPM_GUID, g);
		assert_memory_equal(man + 24, g, 16);
		tm_free(d);
	}
}

/* tsm-inblob-len-never-shrinks: a 32-byte inblob after a 64-byte one gives EINVAL at read
 * without the fault; with it the length stays 64 and a report comes back. */
static void test_fault_tsm_inblob_len_never_shrinks(void **state)
{
	(void)state;
	uint8_t in[64];
	fill_inblob(in, 45);
	for (int f = 0; f < 2; f++) {
		struct tm_dev *d = tdx(TM_FAULT_IF(f, TM_FAULT_TSM_INBLOB_LEN_NEVER_SHRINKS));
		assert_int_equal(tm_tsm_mkdir(d, "e"), 0);
		assert_int_equal(put(d, "e", "inblob", in, 64), 64);
		assert_true(get(d, "e", "outblob", big, sizeof(big)) > 0);
		assert_int_equal(put(d, "e", "inblob", in, 32), 32);
		if (f)
			assert_true(get(d, "e", "outblob", big, sizeof(big)) > 0);
		else
			assert_int_equal(get(d, "e", "outblob", big, sizeof(big)), -EINVAL);
		tm_free(d);
	}
}

/* tsm-entry-name-20-chars: names of 21 and 255 characters are made without the fault and
 * refused with ENAMETOOLONG with it; 20 characters work either way, 256 never. */
static void test_fault_tsm_entry_name_20_chars(void **state)
{
	(void)state;
	char n[300];
	for (int f = 0; f < 2; f++) {
		struct tm_dev *d = tdx(TM_FAULT_IF(f, TM_FAULT_TSM_ENTRY_NAME_20_CHARS));
		static const struct { size_t len; bool ok_with_fault, ok; } c[] = {
			{ 20, true, true }, { 21, false, true }, { 255, false, true }, { 256, false, false },
		};
		for (size_t i = 0; i < sizeof(c) / sizeof(c[0]); i++) {
			memset(n, 'a' + (int)i, c[i].len);
			n[c[i].len] = 0;
			bool ok = f ? c[i].ok_with_fault : c[i].ok;
			assert_int_equal(tm_tsm_mkdir(d, n), ok ? 0 : -ENAMETOOLONG);
			assert_int_equal(tm_tsm_entry_exists(d, n), ok);
		}
		tm_free(d);
	}
}

/* Blind audit round 5, fix6c: each fault with and without, the expected values by hand. */
/* tsm-generation-hex: 10 writes read "10\n" (decimal), "a\n" with the fault; 9 writes "9\n" either way */
static void test_fault_tsm_generation_hex(void **state)
{
	(void)state;
	for (int f = 0; f < 2; f++) {
		struct tm_dev *d = tdx(TM_FAULT_IF(f, TM_FAULT_TSM_GENERATION_HEX));
		uint8_t in[64];
		char b[16] = { 0 };
		assert_int_equal(tm_tsm_mkdir(d, "e"), 0);
		for (unsigned i = 1; i <= 10; i++) {
			fill_inblob(in, i);
			assert_int_equal(put(d, "e", "inblob", in, 64), 64);
			if (i == 9)
				assert_int_equal(gen(d, "e"), 9);
		}
		assert_true(get(d, "e", "generation", (uint8_t *)b, sizeof(b) - 1) > 0);
		assert_string_equal(b, f ? "a\n" : "10\n");
		tm_free(d);
	}
}

/* tsm-cache-shared-across-entries: two entries at generation 1, A read first: B's outblob
 * carries B's inblob without the fault, A's with it (report data at 0x50 of the SNP report) */
static void test_fault_tsm_cache_shared_across_entries(void **state)
{
	(void)state;
	for (int f = 0; f < 2; f++) {
		struct tm_dev *d = sev(TM_FAULT_IF(f, TM_FAULT_TSM_CACHE_SHARED_ACROSS_ENTRIES));
		uint8_t ina[64], inb[64];
		fill_inblob(ina, 20);
		fill_inblob(inb, 21);
		assert_int_equal(tm_tsm_mkdir(d, "a"), 0);
		assert_int_equal(tm_tsm_mkdir(d, "b"), 0);
		assert_int_equal(put(d, "a", "inblob", ina, 64), 64);
		assert_int_equal(put(d, "b", "inblob", inb, 64), 64);
		assert_int_equal(get(d, "a", "outblob", big, sizeof(big)), 1184);
		assert_memory_equal(big + 0x50, ina, 64);
		assert_int_equal(get(d, "b", "outblob", big2, sizeof(big2)), 1184);
		assert_memory_equal(big2 + 0x50, f ? ina : inb, 64);
		/* at another generation B gets its own report either way */
		assert_int_equal(put(d, "b", "inblob", inb, 64), 64);
		assert_int_equal(get(d, "b", "outblob", big2, sizeof(big2)), 1184);
		assert_memory_equal(big2 + 0x50, inb, 64);
		tm_free(d);
	}
}

/* tsm-auxblob-empty-before-outblob: auxblob read first is the host's certificate table
 * without the fault, 0 bytes with it; read after outblob it is the table either way */
static void test_fault_tsm_auxblob_empty_before_outblob(void **state)
{
	(void)state;
	for (int f = 0; f < 2; f++) {
		struct tm_dev *d = sev(TM_FAULT_IF(f, TM_FAULT_TSM_AUXBLOB_EMPTY_BEFORE_OUTBLOB));
		struct teeabi_cert_table host;
		size_t bl;
		const uint8_t *blob = tm_sev_certs(d, &bl);
		uint8_t in[64];
		assert_int_equal(teeabi_snp_cert_table_parse(blob, bl, 0, &host), TEEABI_OK);
		fill_inblob(in, 22);
		assert_int_equal(tm_tsm_mkdir(d, "e"), 0);
		assert_int_equal(put(d, "e", "inblob", in, 64), 64);
		assert_int_equal(get(d, "e", "auxblob", big, sizeof(big)), f ? 0 : (ssize_t)host.end);
		assert_int_equal(get(d, "e", "outblob", big2, sizeof(big2)), 1184);
		assert_int_equal(get(d, "e", "auxblob", big, sizeof(big)), (ssize_t)host.end);
		assert_memory_equal(big, blob, host.end);
		tm_free(d);
	}
}

/* tsm-report-dir-absent-without-provider: without a provider the report directory is there
 * and mkdir is ENXIO; with the fault it is absent (mkdir ENOENT); with a provider the fault
 * changes nothing */
static void test_fault_tsm_report_dir_absent_without_provider(void **state)
{
	(void)state;
	for (int f = 0; f < 2; f++) {
		struct teeabi_profile p = tdx_profile();
		p.tsm_provider = TEEABI_TSM_NONE;
		struct tm_dev *d = mk(p, TM_FAULT_IF(f, TM_FAULT_TSM_REPORT_DIR_ABSENT_WITHOUT_PROVIDER));
		assert_int_equal(tm_tsm_root_exists(d), !f);
		assert_int_equal(tm_tsm_mkdir(d, "x"), f ? -ENOENT : -ENXIO);
		tm_free(d);
		d = tdx(TM_FAULT_IF(f, TM_FAULT_TSM_REPORT_DIR_ABSENT_WITHOUT_PROVIDER));
		assert_true(tm_tsm_root_exists(d));
		assert_int_equal(tm_tsm_mkdir(d, "x"), 0);
		tm_free(d);
	}
}

/* Churn (issue 12, item 10): every removed entry is freed, also one removed while an fd
 * still held it (freed at that fd's release), and the entries in memory come back to the
 * live count after each cycle, for both providers. */
static void churn_cycles(struct tm_dev *d, int base)
{
	uint8_t rd[64], out[16384];
	char name[64];

	for (int k = 0; k < 300; k++) {
		struct tm_tsm_fh *held = NULL;
		snprintf(name, sizeof(name), "churn-%d", k);
		memset(rd, k & 0xff, sizeof(rd));
		assert_int_equal(tm_tsm_mkdir(d, name), 0);
		assert_int_equal(tm_tsm_entry_count(d), base + 1);
		assert_int_equal(put(d, name, "inblob", rd, sizeof(rd)), (ssize_t)sizeof(rd));
		assert_true(get(d, name, "outblob", out, sizeof(out)) > 0);
		if (k % 3 == 0)
			assert_int_equal(tm_tsm_open(d, name, "generation", O_RDONLY, &held), 0);
		assert_int_equal(tm_tsm_rmdir(d, name), 0);
		assert_false(tm_tsm_entry_exists(d, name));
		assert_int_equal(tm_tsm_entry_count(d), base + (held ? 1 : 0));
		tm_tsm_release(held);
		assert_int_equal(tm_tsm_entry_count(d), base);
	}
}

static void test_tsm_churn_frees_removed_entries(void **state)
{
	struct teeabi_profile p = tdx_profile();
	struct tm_dev *d;

	snprintf(p.tsm_precreate, sizeof(p.tsm_precreate), "com.intel.dcap");
	d = mk(p, TM_NO_FAULTS);
	assert_int_equal(tm_tsm_entry_count(d), 1);
	churn_cycles(d, 1);
	assert_int_equal(tm_tsm_rmdir(d, "com.intel.dcap"), 0);
	assert_int_equal(tm_tsm_entry_count(d), 0);
	tm_free(d);
	d = sev(TM_NO_FAULTS);
	assert_int_equal(tm_tsm_entry_count(d), 0);
	churn_cycles(d, 0);
	tm_free(d);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_tsm_root_and_mkdir_enxio),
		cmocka_unit_test(test_tsm_precreate_entry),
		cmocka_unit_test(test_tsm_attr_sets_per_provider),
		cmocka_unit_test(test_tsm_provider_and_generation_strings),
		cmocka_unit_test(test_tsm_inblob_efbig_and_commit_at_close),
		cmocka_unit_test(test_tsm_inblob_64_required_at_read),
		cmocka_unit_test(test_tsm_outblob_before_inblob_einval),
		cmocka_unit_test(test_tsm_cached_until_write),
		cmocka_unit_test(test_tsm_errors_not_cached),
		cmocka_unit_test(test_tsm_privlevel_parse_and_range),
		cmocka_unit_test(test_tsm_sev_status_0x16_einval),
		cmocka_unit_test(test_tsm_wrong_open_mode_eacces),
		cmocka_unit_test(test_tsm_rmdir_enoent),
		cmocka_unit_test(test_tsm_reads_from_fd_snapshot),
		cmocka_unit_test(test_tsm_sev_outblob_and_auxblob),
		cmocka_unit_test(test_tsm_outblob_cap_efbig),
		cmocka_unit_test(test_tsm_tdx_outblob_raw_quote),
		cmocka_unit_test(test_tsm_random_ops_robust),
		cmocka_unit_test(test_fault_tsm_generation_not_bumped),
		cmocka_unit_test(test_fault_tsm_outblob_not_cached),
		cmocka_unit_test(test_fault_tsm_inblob_65_accepted),
		cmocka_unit_test(test_fault_tsm_provider_no_newline),
		cmocka_unit_test(test_fault_tsm_outblob_before_inblob),
		cmocka_unit_test(test_fault_tsm_privlevel_whitespace_accepted),
		cmocka_unit_test(test_fault_tsm_failed_read_bumps_generation),
		cmocka_unit_test(test_fault_tsm_wrong_mode_open),
		cmocka_unit_test(test_fault_tsm_privlevel_base10),
		cmocka_unit_test(test_fault_tsm_privlevel_no_range),
		cmocka_unit_test(test_fault_tsm_rmdir_leak),
		cmocka_unit_test(test_fault_tsm_auxblob_on_tdx),
		cmocka_unit_test(test_fault_tsm_noprovider_mkdir_allowed),
		cmocka_unit_test(test_fault_tsm_inblob_applied_on_write),
		cmocka_unit_test(test_fault_tsm_inblob_write_ignores_offset),
		cmocka_unit_test(test_fault_tsm_reportdata_not_echoed),
		cmocka_unit_test(test_fault_tsm_generation_bump_on_einval),
		cmocka_unit_test(test_fault_tsm_quote_header_included),
		cmocka_unit_test(test_tsm_svsm_attrs_visible_only_611_and_vmpl_nonzero),
		cmocka_unit_test(test_tsm_service_provider_bumps_even_if_invalid_einval_at_read),
		cmocka_unit_test(test_tsm_service_guid_reset_before_parse),
		cmocka_unit_test(test_tsm_service_manifest_version_no_bump_on_parse_error),
		cmocka_unit_test(test_tsm_svsm_outblob_reportdata_sha512_signature),
		cmocka_unit_test(test_tsm_svsm_manifestblob_consistent_with_generation),
		cmocka_unit_test(test_tsm_svsm_single_service_and_errors),
		cmocka_unit_test(test_fault_tsm_svsm_attrs_visible_at_vmpl0),
		cmocka_unit_test(test_fault_tsm_service_guid_no_reset),
		cmocka_unit_test(test_fault_tsm_service_provider_checked_at_write),
		cmocka_unit_test(test_fault_tsm_svsm_reportdata_not_hashed),
		cmocka_unit_test(test_fault_tsm_read_after_rmdir_works),
		cmocka_unit_test(test_fault_tsm_mkdir_revives_removed_entry),
		cmocka_unit_test(test_fault_tsm_bin_read_refetches),
		cmocka_unit_test(test_fault_tsm_service_guid_trailing_text_rejected),
		cmocka_unit_test(test_fault_tsm_first_read_ignores_offset),
		cmocka_unit_test(test_fault_tsm_svsm_single_service_hashes_services_manifest),
		cmocka_unit_test(test_fault_tsm_svsm_manifest_version_ignored),
		cmocka_unit_test(test_fault_tsm_service_guid_no_bump),
		cmocka_unit_test(test_fault_tsm_service_guid_uppercase_refused),
		cmocka_unit_test(test_fault_tsm_inblob_len_never_shrinks),
		cmocka_unit_test(test_fault_svsm_services_manifest_count_zero),
		cmocka_unit_test(test_fault_tsm_entry_name_20_chars),
		cmocka_unit_test(test_fault_tsm_generation_hex),
		cmocka_unit_test(test_fault_tsm_cache_shared_across_entries),
		cmocka_unit_test(test_fault_tsm_auxblob_empty_before_outblob),
		cmocka_unit_test(test_fault_tsm_report_dir_absent_without_provider),
		cmocka_unit_test(test_tsm_threads_generation_protocol_shared_entry),
		cmocka_unit_test(test_tsm_threads_generation_protocol_own_entries),
		cmocka_unit_test(test_tsm_churn_frees_removed_entries),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
