/* SPDX-License-Identifier: Apache-2.0 */
/*
 * test_model_tdx.c - the /dev/tdx_guest device model, the TDX module state and the quote
 * builder, one test per item of docs/kernel-abi.md "What a faithful mock must do"
 * (/dev/tdx_guest) plus the downstream flavours and every tdx_guest fault.
 *
 * Profiles are built here as struct teeabi_profile values. Expected hashes are computed
 * in the test with OpenSSL (SHA384(old || data)); TDREPORT and quote are checked with the
 * lib/ parsers and, independently, with OpenSSL (quote signature, certificate chain).
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
#include <pthread.h>
#include <cmocka.h>
#include <openssl/bio.h>
#include <openssl/bn.h>
#include <openssl/core_names.h>
#include <openssl/ec.h>
#include <openssl/evp.h>
#include <openssl/sha.h>
#include <openssl/pem.h>
#include <openssl/x509.h>
#include "model.h"
#include "teeabi/abi.h"
#include "teeabi/tdx.h"

/* ---------------------------------------------------------------- helpers */

static struct teeabi_profile mkprof(const char *name, enum teeabi_tdx_flavour fl, bool idx_check)
{
	struct teeabi_profile p;
	memset(&p, 0, sizeof(p));
	snprintf(p.name, sizeof(p.name), "%s", name);
	p.platform = TEEABI_PLAT_TDX;
	p.tdx_guest = fl;
	p.tdx_extend_index_check = idx_check;
	snprintf(p.kernel, sizeof(p.kernel), "6.9.0-test");
	return p;
}

static struct tm_dev *mkdev(enum teeabi_tdx_flavour fl, bool idx_check, tm_fault_mask faults)
{
	struct teeabi_profile p = mkprof("unit-tdx", fl, idx_check);
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

static bool all_zero(const uint8_t *p, size_t n)
{
	for (size_t i = 0; i < n; i++)
		if (p[i])
			return false;
	return true;
}

static uint64_t le64(const uint8_t *p)
{
	uint64_t v = 0;
	for (int i = 7; i >= 0; i--)
		v = v << 8 | p[i];
	return v;
}

/* GET_REPORT0 through the ioctl with reportdata[i] = i + seed. */
static long get_report0(struct tm_dev *d, uint8_t seed, struct teeabi_tdx_report_req *req)
{
	struct tm_local_ua ua;
	memset(req, 0, sizeof(*req));
	for (int i = 0; i < 64; i++)
		req->reportdata[i] = (uint8_t)(i + seed);
	tm_local_ua_init(&ua);
	tm_local_ua_add(&ua, req, sizeof(*req));
	return tm_tdx_ioctl(d, TEEABI_TDX_CMD_GET_REPORT0, (uint64_t)(uintptr_t)req, &ua.ua);
}

static long extend_ioctl(struct tm_dev *d, unsigned cmd, uint8_t index, const uint8_t data[48])
{
	struct teeabi_tdx_extend_rtmr_req req;
	struct tm_local_ua ua;
	memcpy(req.data, data, 48);
	req.index = index;
	tm_local_ua_init(&ua);
	tm_local_ua_add(&ua, &req, sizeof(req));
	return tm_tdx_ioctl(d, cmd, (uint64_t)(uintptr_t)&req, &ua.ua);
}

static void fill(uint8_t *p, size_t n, uint8_t seed)
{
	for (size_t i = 0; i < n; i++)
		p[i] = (uint8_t)(seed + 7 * i);
}

/* Independent ECDSA-P256/SHA-256 check of r||s over msg with the raw X||Y key. */
static bool ossl_verify_xy(const uint8_t xy[64], const uint8_t rs[64], const uint8_t *msg, size_t len)
{
	uint8_t pt[65];
	pt[0] = 4;
	memcpy(pt + 1, xy, 64);
	OSSL_PARAM params[] = {
		OSSL_PARAM_construct_utf8_string(OSSL_PKEY_PARAM_GROUP_NAME, (char *)"prime256v1", 0),
		OSSL_PARAM_construct_octet_string(OSSL_PKEY_PARAM_PUB_KEY, pt, sizeof(pt)),
		OSSL_PARAM_construct_end(),
	};
	EVP_PKEY *key = NULL;
	EVP_PKEY_CTX *kc = EVP_PKEY_CTX_new_from_name(NULL, "EC", NULL);
	assert_non_null(kc);
	assert_int_equal(EVP_PKEY_fromdata_init(kc), 1);
	assert_int_equal(EVP_PKEY_fromdata(kc, &key, EVP_PKEY_PUBLIC_KEY, params), 1);
	ECDSA_SIG *sig = ECDSA_SIG_new();
	assert_int_equal(ECDSA_SIG_set0(sig, BN_bin2bn(rs, 32, NULL), BN_bin2bn(rs + 32, 32, NULL)), 1);
	unsigned char *der = NULL;
	int dl = i2d_ECDSA_SIG(sig, &der);
	assert_true(dl > 0);
	EVP_MD_CTX *md = EVP_MD_CTX_new();
	assert_int_equal(EVP_DigestVerifyInit(md, NULL, EVP_sha256(), NULL, key), 1);
	bool ok = EVP_DigestVerify(md, der, (size_t)dl, msg, len) == 1;
	EVP_MD_CTX_free(md);
	OPENSSL_free(der);
	ECDSA_SIG_free(sig);
	EVP_PKEY_free(key);
	EVP_PKEY_CTX_free(kc);
	return ok;
}

/* Parse + every crypto check of the lib, and the body equals the TDREPORT (formats.md §1.5). */
/* A TDREPORT for rd (into rep) and the model's quote of it (the caller frees it). */
static uint8_t *quote_for(struct tm_dev *d, const uint8_t rd[64], uint8_t rep[1024], size_t *ql)
{
	uint8_t *q = NULL;
	assert_int_equal(tm_tdx_tdreport(d, rd, rep), 0);
	assert_int_equal(tm_tdx_quote(d, rep, &q, ql), 0);
	assert_non_null(q);
	return q;
}

static void check_quote_for_report(const uint8_t *q, size_t qlen, const uint8_t rep[1024])
{
	struct teeabi_tdx_quote pq;
	assert_int_equal(teeabi_tdx_quote_parse(q, qlen, TEEABI_QUOTE_DEFAULT | TEEABI_QUOTE_STRICT_VENDOR |
						 TEEABI_QUOTE_STRICT_TRAILING, &pq), TEEABI_OK);
	assert_int_equal(pq.version, 4);
	assert_int_equal(pq.att_key_type, 2);
	assert_int_equal(pq.tee_type, 0x81);
	assert_int_equal(pq.signed_len, 632);
	assert_int_equal(pq.quote_len, qlen);
	assert_int_equal(pq.trailing_len, 0);
	assert_int_equal(pq.cert_type, 6);
	assert_int_equal(pq.cert_size + 134, pq.sig_data_len);
	assert_int_equal(pq.inner_cert_type, 5);
	assert_int_equal(teeabi_tdx_quote_verify_signature(q, &pq), TEEABI_OK);
	assert_int_equal(teeabi_tdx_quote_verify_qe_binding(&pq), TEEABI_OK);
	assert_int_equal(teeabi_tdx_quote_verify_qe_report_sig(&pq), TEEABI_OK);
	/* independent check of the quote signature */
	assert_true(ossl_verify_xy(q + 636 + 64, q + 636, q, 632));

	assert_memory_equal(pq.td.tee_tcb_svn, rep + 0x108, 16);
	assert_memory_equal(pq.td.mrseam, rep + 0x118, 48);
	assert_memory_equal(pq.td.mrsignerseam, rep + 0x148, 48);
	assert_int_equal(pq.td.td_attributes, le64(rep + 0x200));
	assert_int_equal(pq.td.xfam, le64(rep + 0x208));
	assert_memory_equal(pq.td.mrtd, rep + 0x210, 48);
	assert_memory_equal(pq.td.mrconfigid, rep + 0x240, 48);
	assert_memory_equal(pq.td.mrowner, rep + 0x270, 48);
	assert_memory_equal(pq.td.mrownerconfig, rep + 0x2A0, 48);
	for (int i = 0; i < 4; i++)
		assert_memory_equal(pq.td.rtmr[i], rep + 720 + 48 * i, 48);
	assert_memory_equal(pq.td.report_data, rep + 128, 64);
}

/* ---------------------------------------------------------------- checklist: node / presence */

/* "Exists only >= 6.2": a profile without the driver has no device -> ENODEV for any cmd. */
static void test_absent_device_enodev(void **state)
{
	struct tm_dev *d = mkdev(TEEABI_TDX_ABSENT, false, TM_NO_FAULTS);
	struct teeabi_tdx_report_req req;
	assert_int_equal(get_report0(d, 0, &req), -ENODEV);
	assert_true(all_zero(req.tdreport, sizeof(req.tdreport)));
	tm_free(d);
}

/* ---------------------------------------------------------------- checklist: GET_REPORT0 */

/* 0xC4405401 with a 1088-byte struct: read 64, write 1024 at +64, return 0; nothing else written. */
static void test_get_report0_reads_64_writes_1024(void **state)
{
	enum teeabi_tdx_flavour fl[] = { TEEABI_TDX_UPSTREAM, TEEABI_TDX_DSTACK_MOD, TEEABI_TDX_INTEL };
	for (size_t k = 0; k < 3; k++) {
		struct tm_dev *d = mkdev(fl[k], false, TM_NO_FAULTS);
		uint8_t buf[1088 + 64];
		uint8_t rd[64];
		struct tm_local_ua ua;
		memset(buf, 0xA5, sizeof(buf));
		for (int i = 0; i < 64; i++)
			buf[i] = rd[i] = (uint8_t)i;
		tm_local_ua_init(&ua);
		tm_local_ua_add(&ua, buf, sizeof(buf));
		assert_int_equal(tm_tdx_ioctl(d, TEEABI_TDX_CMD_GET_REPORT0, (uint64_t)(uintptr_t)buf, &ua.ua), 0);
		assert_memory_equal(buf, rd, 64);                       /* input untouched */
		for (size_t i = 1088; i < sizeof(buf); i++)
			assert_int_equal(buf[i], 0xA5);                 /* nothing past the struct */
		/* exactly 1088 bytes registered is enough */
		struct tm_local_ua ua2;
		tm_local_ua_init(&ua2);
		tm_local_ua_add(&ua2, buf, 1088);
		assert_int_equal(tm_tdx_ioctl(d, TEEABI_TDX_CMD_GET_REPORT0, (uint64_t)(uintptr_t)buf, &ua2.ua), 0);
		tm_free(d);
	}
}

/* REPORTDATA echoed at tdreport[128..191] (the kselftest check), type 0x81, MR values at
 * the TDINFO offsets, hashes correct. */
/* The boot event log the mock agent serves (tm_tdx_boot_digest): replayed from 48 zero bytes
 * with SHA-384(RTMR || digest) (OpenSSL here) it gives the TDREPORT's RTMR0..2. */
static void test_boot_event_log_replays(void **state)
{
	(void)state;
	struct tm_dev *d = mkdev(TEEABI_TDX_DSTACK_MOD, true, TM_NO_FAULTS);
	struct teeabi_tdx_report_req req;
	assert_int_equal(get_report0(d, 0, &req), 0);
	for (unsigned i = 0; i < 3; i++) {
		uint8_t r[48] = { 0 }, dg[48], buf[96];
		for (unsigned j = 0; j < TM_TDX_BOOT_EVENTS; j++) {
			tm_tdx_boot_digest(d, i, j, dg);
			assert_false(all_zero(dg, 48));
			memcpy(buf, r, 48);
			memcpy(buf + 48, dg, 48);
			unsigned int n = 0;
			assert_int_equal(EVP_Digest(buf, 96, r, &n, EVP_sha384(), NULL), 1);
		}
		assert_memory_equal(r, req.tdreport + 720 + 48 * i, 48);
	}
	uint8_t z[48];
	tm_tdx_boot_digest(d, 3, 0, z);
	assert_true(all_zero(z, 48));
	tm_free(d);
}

static void test_get_report0_output(void **state)
{
	struct tm_dev *d = mkdev(TEEABI_TDX_UPSTREAM, false, TM_NO_FAULTS);
	struct teeabi_tdx_report_req req;
	assert_int_equal(get_report0(d, 0, &req), 0);
	const uint8_t *r = req.tdreport;
	assert_memory_equal(r + 128, req.reportdata, 64);
	assert_int_equal(r[0], 0x81);
	assert_int_equal(r[1], 0);
	assert_int_equal(r[2], 0);
	assert_int_equal(le64(r + 0x100), 0x1ff);
	assert_int_equal(le64(r + 0x200), 0x10000000);
	assert_int_equal(le64(r + 0x208), 0x602e7);
	assert_false(all_zero(r + 0x210, 48)); /* MRTD */
	assert_false(all_zero(r + 0x118, 48)); /* MRSEAM */
	for (int i = 0; i < 3; i++)
		assert_false(all_zero(r + 720 + 48 * i, 48));
	assert_true(all_zero(r + 864, 48)); /* RTMR3 boots to zero */
	assert_true(all_zero(r + 0x1EF, 17)); /* reserved after TEE_TCB_INFO */
	struct teeabi_tdreport tr;
	assert_int_equal(teeabi_tdreport_parse(r, 1024, &tr), TEEABI_OK);
	assert_int_equal(tr.warnings, 0);
	assert_int_equal(teeabi_tdreport_verify_hashes(r, 1024), TEEABI_OK);
	/* independent: TEE_TCB_INFO_HASH and TEE_INFO_HASH */
	uint8_t h[48];
	sha384_cat(r + 0x100, 239, NULL, 0, h);
	assert_memory_equal(r + 0x20, h, 48);
	sha384_cat(r + 0x200, 512, NULL, 0, h);
	assert_memory_equal(r + 0x50, h, 48);
	tm_free(d);
}

/* Per-machine values are derived from the profile name: stable across machines, distinct
 * between profiles. */
static void test_machine_values_stable_per_profile(void **state)
{
	struct teeabi_profile a = mkprof("unit-a", TEEABI_TDX_UPSTREAM, false);
	struct teeabi_profile b = mkprof("unit-b", TEEABI_TDX_UPSTREAM, false);
	struct tm_dev *d1 = tm_new(&a, TM_NO_FAULTS), *d2 = tm_new(&a, TM_NO_FAULTS), *d3 = tm_new(&b, TM_NO_FAULTS);
	assert_non_null(d1);
	assert_non_null(d2);
	assert_non_null(d3);
	uint8_t rd[64] = { 0 }, r1[1024], r2[1024], r3[1024];
	assert_int_equal(tm_tdx_tdreport(d1, rd, r1), 0);
	assert_int_equal(tm_tdx_tdreport(d2, rd, r2), 0);
	assert_int_equal(tm_tdx_tdreport(d3, rd, r3), 0);
	assert_memory_equal(r1 + 0x200, r2 + 0x200, 512);
	assert_memory_equal(r1 + 0x100, r2 + 0x100, 239);
	assert_memory_not_equal(r1 + 0x210, r3 + 0x210, 48);
	/* MRTD = SHA384("teeabi-mock/<name>/mrtd") by the model's documented derivation */
	uint8_t h[48];
	sha384_cat((const uint8_t *)"teeabi-mock/unit-a/mrtd", 23, NULL, 0, h);
	assert_memory_equal(r1 + 0x210, h, 48);
	tm_free(d1);
	tm_free(d2);
	tm_free(d3);
}

/* ---------------------------------------------------------------- checklist: ENOTTY / EFAULT */

static void test_unknown_cmd_enotty(void **state)
{
	static const unsigned upstream_bad[] = {
		0, 0xC4405402u, 0x84405401u, 0x44405401u, 0xC4415401u, 0xC0085401u, /* size/dir variants */
		TEEABI_TDX_CMD_EXTEND_RTMR, TEEABI_TDX_CMD_EXTEND_RTMR_IOW, TEEABI_TDX_CMD_VERIFY_REPORT,
		TEEABI_TDX_CMD_GET_QUOTE, TEEABI_TDX_CMD_VERIFY_REPORT_V3, TEEABI_TDX_CMD_GET_QUOTE_V3,
		TEEABI_SNP_GET_REPORT, 0xffffffffu,
	};
	uint8_t buf[2048] = { 0 };
	struct tm_local_ua ua;
	tm_local_ua_init(&ua);
	tm_local_ua_add(&ua, buf, sizeof(buf));
	struct tm_dev *up = mkdev(TEEABI_TDX_UPSTREAM, false, TM_NO_FAULTS);
	for (size_t i = 0; i < sizeof(upstream_bad) / sizeof(upstream_bad[0]); i++)
		assert_int_equal(tm_tdx_ioctl(up, upstream_bad[i], (uint64_t)(uintptr_t)buf, &ua.ua), -ENOTTY);
	tm_free(up);
	/* dstack module: no GET_QUOTE, no VERIFY_REPORT */
	struct tm_dev *ds = mkdev(TEEABI_TDX_DSTACK_MOD, true, TM_NO_FAULTS);
	unsigned ds_bad[] = { TEEABI_TDX_CMD_VERIFY_REPORT, TEEABI_TDX_CMD_GET_QUOTE, 0xC0315403u, 0 };
	for (size_t i = 0; i < 4; i++)
		assert_int_equal(tm_tdx_ioctl(ds, ds_bad[i], (uint64_t)(uintptr_t)buf, &ua.ua), -ENOTTY);
	tm_free(ds);
	/* Intel: only the _IOR numbers */
	struct tm_dev *in = mkdev(TEEABI_TDX_INTEL, false, TM_NO_FAULTS);
	unsigned in_bad[] = { TEEABI_TDX_CMD_EXTEND_RTMR_IOW, TEEABI_TDX_CMD_GET_QUOTE_V3, 0 };
	for (size_t i = 0; i < 3; i++)
		assert_int_equal(tm_tdx_ioctl(in, in_bad[i], (uint64_t)(uintptr_t)buf, &ua.ua), -ENOTTY);
	tm_free(in);
}

static void test_bad_pointer_efault(void **state)
{
	struct tm_dev *d = mkdev(TEEABI_TDX_UPSTREAM, false, TM_NO_FAULTS);
	struct teeabi_tdx_report_req req;
	struct tm_local_ua ua;
	memset(&req, 0, sizeof(req));
	tm_local_ua_init(&ua);
	/* NULL and an unregistered pointer */
	assert_int_equal(tm_tdx_ioctl(d, TEEABI_TDX_CMD_GET_REPORT0, 0, &ua.ua), -EFAULT);
	assert_int_equal(tm_tdx_ioctl(d, TEEABI_TDX_CMD_GET_REPORT0, (uint64_t)(uintptr_t)&req, &ua.ua), -EFAULT);
	/* only the reportdata readable: the copy-out faults */
	tm_local_ua_add(&ua, &req, 64);
	assert_int_equal(tm_tdx_ioctl(d, TEEABI_TDX_CMD_GET_REPORT0, (uint64_t)(uintptr_t)&req, &ua.ua), -EFAULT);
	/* an address whose +64 wraps */
	assert_int_equal(tm_tdx_ioctl(d, TEEABI_TDX_CMD_GET_REPORT0, UINT64_MAX - 10, &ua.ua), -EFAULT);
	/* no accessor at all */
	assert_int_equal(tm_tdx_ioctl(d, TEEABI_TDX_CMD_GET_REPORT0, (uint64_t)(uintptr_t)&req, NULL), -EFAULT);
	tm_free(d);

	d = mkdev(TEEABI_TDX_DSTACK_MOD, true, TM_NO_FAULTS);
	struct teeabi_tdx_extend_rtmr_req ex = { .index = 3 };
	tm_local_ua_init(&ua);
	tm_local_ua_add(&ua, &ex, 48); /* one byte short */
	uint8_t before[48], after[48];
	tm_tdx_rtmr_get(d, 3, before);
	assert_int_equal(tm_tdx_ioctl(d, TEEABI_TDX_CMD_EXTEND_RTMR, (uint64_t)(uintptr_t)&ex, &ua.ua), -EFAULT);
	tm_tdx_rtmr_get(d, 3, after);
	assert_memory_equal(before, after, 48);
	tm_free(d);
}

/* ---------------------------------------------------------------- RTMR extend */

/* tm_tdx_rtmr_extend: rtmr = SHA384(old || data); shows in the next TDREPORT and quote. */
static void test_rtmr_extend_api_shows_everywhere(void **state)
{
	struct tm_dev *d = mkdev(TEEABI_TDX_UPSTREAM, false, TM_NO_FAULTS);
	uint8_t old[48], data[48], want[48], got[48], rd[64] = { 1 }, rep[1024];
	for (unsigned idx = 0; idx < 4; idx++) {
		tm_tdx_rtmr_get(d, idx, old);
		fill(data, 48, (uint8_t)(0x30 + idx));
		sha384_cat(old, 48, data, 48, want);
		assert_int_equal(tm_tdx_rtmr_extend(d, idx, data), 0);
		tm_tdx_rtmr_get(d, idx, got);
		assert_memory_equal(got, want, 48);
		assert_int_equal(tm_tdx_tdreport(d, rd, rep), 0);
		assert_memory_equal(rep + 720 + 48 * idx, want, 48);
		assert_int_equal(teeabi_tdreport_verify_hashes(rep, 1024), TEEABI_OK);
		uint8_t *q = NULL;
		size_t ql = 0;
		assert_int_equal(tm_tdx_quote(d, rep, &q, &ql), 0);
		check_quote_for_report(q, ql, rep);
		assert_memory_equal(q + 48 + 328 + 48 * idx, want, 48);
		free(q);
	}
	assert_int_equal(tm_tdx_rtmr_extend(d, 4, data), -EINVAL);
	assert_int_equal(tm_tdx_rtmr_extend(d, 0xffffffffu, data), -EINVAL);
	tm_free(d);
}

/* tm_reset ("reboot") restores the boot RTMRs: RTMR3 zero, RTMR0..2 their boot values. */
static void test_reset_restores_boot_rtmrs(void **state)
{
	struct tm_dev *d = mkdev(TEEABI_TDX_DSTACK_MOD, true, TM_NO_FAULTS);
	uint8_t boot[4][48], data[48], cur[48];
	for (unsigned i = 0; i < 4; i++)
		tm_tdx_rtmr_get(d, i, boot[i]);
	assert_true(all_zero(boot[3], 48));
	fill(data, 48, 9);
	for (unsigned i = 0; i < 4; i++)
		assert_int_equal(tm_tdx_rtmr_extend(d, i, data), 0);
	tm_tdx_rtmr_get(d, 3, cur);
	assert_false(all_zero(cur, 48));
	tm_reset(d);
	for (unsigned i = 0; i < 4; i++) {
		tm_tdx_rtmr_get(d, i, cur);
		assert_memory_equal(cur, boot[i], 48);
	}
	tm_free(d);
}

/* dstack module: both EXTEND_RTMR numbers extend; the next GET_REPORT0 and quote show it. */
static void test_dstack_extend_ior_and_iow(void **state)
{
	struct tm_dev *d = mkdev(TEEABI_TDX_DSTACK_MOD, true, TM_NO_FAULTS);
	unsigned cmds[2] = { TEEABI_TDX_CMD_EXTEND_RTMR, TEEABI_TDX_CMD_EXTEND_RTMR_IOW };
	uint8_t old[48], data[48], want[48];
	for (int k = 0; k < 2; k++) {
		struct teeabi_tdx_report_req req;
		assert_int_equal(get_report0(d, 0, &req), 0);
		memcpy(old, req.tdreport + 864, 48);
		fill(data, 48, (uint8_t)(0x51 + k));
		sha384_cat(old, 48, data, 48, want);
		assert_int_equal(extend_ioctl(d, cmds[k], 3, data), 0);
		assert_int_equal(get_report0(d, 5, &req), 0);
		assert_memory_equal(req.tdreport + 864, want, 48);
		assert_int_equal(teeabi_tdreport_verify_hashes(req.tdreport, 1024), TEEABI_OK);
		uint8_t *q = NULL;
		size_t ql = 0;
		assert_int_equal(tm_tdx_quote(d, req.tdreport, &q, &ql), 0);
		check_quote_for_report(q, ql, req.tdreport);
		assert_memory_equal(q + 48 + 472, want, 48);
		free(q);
	}
	/* the module passes every index 0..3 to the TDX module */
	fill(data, 48, 1);
	for (uint8_t i = 0; i < 4; i++)
		assert_int_equal(extend_ioctl(d, TEEABI_TDX_CMD_EXTEND_RTMR, i, data), 0);
	tm_free(d);
}

/* dstack >= 0.5.9: index > 3 -> EINVAL; before: the TDCALL fails (modelled -EIO). RTMRs unchanged. */
static void test_dstack_extend_index_check(void **state)
{
	for (int chk = 0; chk < 2; chk++) {
		struct tm_dev *d = mkdev(TEEABI_TDX_DSTACK_MOD, chk, TM_NO_FAULTS);
		uint8_t data[48], before[4][48], after[48];
		fill(data, 48, 3);
		for (unsigned i = 0; i < 4; i++)
			tm_tdx_rtmr_get(d, i, before[i]);
		uint8_t bad[] = { 4, 5, 0x7f, 0xff };
		for (size_t k = 0; k < sizeof(bad); k++)
			assert_int_equal(extend_ioctl(d, TEEABI_TDX_CMD_EXTEND_RTMR, bad[k], data), chk ? -EINVAL : -EIO);
		for (unsigned i = 0; i < 4; i++) {
			tm_tdx_rtmr_get(d, i, after);
			assert_memory_equal(after, before[i], 48);
		}
		tm_free(d);
	}
}

/* ---------------------------------------------------------------- Intel downstream flavour */

static void test_intel_extend_rtmr01_refused(void **state)
{
	struct tm_dev *d = mkdev(TEEABI_TDX_INTEL, false, TM_NO_FAULTS);
	uint8_t data[48], before[48], after[48], want[48];
	fill(data, 48, 0x11);
	for (uint8_t i = 0; i < 2; i++) {
		tm_tdx_rtmr_get(d, i, before);
		assert_int_equal(extend_ioctl(d, TEEABI_TDX_CMD_EXTEND_RTMR, i, data), -EINVAL);
		tm_tdx_rtmr_get(d, i, after);
		assert_memory_equal(after, before, 48);
	}
	assert_int_equal(extend_ioctl(d, TEEABI_TDX_CMD_EXTEND_RTMR, 4, data), -EINVAL);
	for (uint8_t i = 2; i < 4; i++) {
		tm_tdx_rtmr_get(d, i, before);
		sha384_cat(before, 48, data, 48, want);
		assert_int_equal(extend_ioctl(d, TEEABI_TDX_CMD_EXTEND_RTMR, i, data), 0);
		tm_tdx_rtmr_get(d, i, after);
		assert_memory_equal(after, want, 48);
	}
	tm_free(d);
}

static void test_intel_verify_report(void **state)
{
	struct tm_dev *d = mkdev(TEEABI_TDX_INTEL, false, TM_NO_FAULTS);
	struct teeabi_tdx_report_req rr;
	assert_int_equal(get_report0(d, 2, &rr), 0);
	struct teeabi_tdx_verify_report_req v;
	struct tm_local_ua ua;
	tm_local_ua_init(&ua);
	tm_local_ua_add(&ua, &v, sizeof(v));
	memcpy(v.reportmac, rr.tdreport, 256);
	v.err_code = 0xdeadbeef;
	assert_int_equal(tm_tdx_ioctl(d, TEEABI_TDX_CMD_VERIFY_REPORT, (uint64_t)(uintptr_t)&v, &ua.ua), 0);
	assert_int_equal(v.err_code, 0);
	/* a changed REPORTDATA byte no longer matches the MAC */
	v.reportmac[130] ^= 1;
	assert_int_equal(tm_tdx_ioctl(d, TEEABI_TDX_CMD_VERIFY_REPORT, (uint64_t)(uintptr_t)&v, &ua.ua), 0);
	assert_true(v.err_code != 0);
	/* another machine's report does not verify here */
	struct teeabi_profile p2 = mkprof("unit-other", TEEABI_TDX_INTEL, false);
	struct tm_dev *d2 = tm_new(&p2, TM_NO_FAULTS);
	assert_non_null(d2);
	struct teeabi_tdx_report_req rr2;
	assert_int_equal(get_report0(d2, 2, &rr2), 0);
	memcpy(v.reportmac, rr2.tdreport, 256);
	assert_int_equal(tm_tdx_ioctl(d, TEEABI_TDX_CMD_VERIFY_REPORT, (uint64_t)(uintptr_t)&v, &ua.ua), 0);
	assert_true(v.err_code != 0);
	tm_free(d2);
	assert_int_equal(tm_tdx_ioctl(d, TEEABI_TDX_CMD_VERIFY_REPORT, 0, &ua.ua), -EFAULT);
	tm_free(d);
}

struct qbuf {
	struct teeabi_tdx_quote_hdr h;
	uint8_t data[16384 - 24];
};

static uint32_t be32(const uint8_t *p) { return (uint32_t)p[0] << 24 | (uint32_t)p[1] << 16 | (uint32_t)p[2] << 8 | p[3]; }

static long get_quote(struct tm_dev *d, struct qbuf *b, uint64_t len)
{
	struct teeabi_tdx_quote_req req = { .buf = (uint64_t)(uintptr_t)b, .len = len };
	struct tm_local_ua ua;
	tm_local_ua_init(&ua);
	tm_local_ua_add(&ua, &req, sizeof(req));
	tm_local_ua_add(&ua, b, sizeof(*b));
	return tm_tdx_ioctl(d, TEEABI_TDX_CMD_GET_QUOTE, (uint64_t)(uintptr_t)&req, &ua.ua);
}

/* Validate a successful GET_QUOTE answer against the TDREPORT that was sent. */
static void check_getquote_answer(const struct qbuf *b, const uint8_t rep[1024])
{
	assert_int_equal(b->h.status, TEEABI_GETQUOTE_SUCCESS);
	assert_true(b->h.out_len > 4);
	uint32_t ql = be32(b->data);
	assert_int_equal((uint64_t)ql + 4, b->h.out_len);
	check_quote_for_report(b->data + 4, ql, rep);
}

static void test_intel_get_quote(void **state)
{
	struct tm_dev *d = mkdev(TEEABI_TDX_INTEL, false, TM_NO_FAULTS);
	struct teeabi_tdx_report_req rr;
	assert_int_equal(get_report0(d, 7, &rr), 0);
	struct qbuf *b = calloc(1, sizeof(*b));
	assert_non_null(b);

	/* raw TDREPORT as the request data */
	b->h.version = 1;
	b->h.status = 0;
	b->h.in_len = 1024;
	memcpy(b->data, rr.tdreport, 1024);
	assert_int_equal(get_quote(d, b, sizeof(*b)), 0);
	check_getquote_answer(b, rr.tdreport);

	/* length-prefixed form */
	memset(b, 0, sizeof(*b));
	b->h.version = 1;
	b->h.in_len = 1028;
	b->data[2] = 0x04; /* BE 1024 */
	memcpy(b->data + 4, rr.tdreport, 1024);
	assert_int_equal(get_quote(d, b, sizeof(*b)), 0);
	check_getquote_answer(b, rr.tdreport);

	/* a buffer too small for the answer: status error, out_len 0 */
	memset(b, 0, sizeof(*b));
	b->h.version = 1;
	b->h.in_len = 1024;
	memcpy(b->data, rr.tdreport, 1024);
	assert_int_equal(get_quote(d, b, 24 + 1100), 0);
	assert_int_equal(b->h.status, TEEABI_GETQUOTE_ERROR);
	assert_int_equal(b->h.out_len, 0);

	/* a forged TDREPORT (REPORTDATA changed after the MAC) is refused by the QE */
	memset(b, 0, sizeof(*b));
	b->h.version = 1;
	b->h.in_len = 1024;
	memcpy(b->data, rr.tdreport, 1024);
	b->data[128] ^= 0xff;
	assert_int_equal(get_quote(d, b, sizeof(*b)), 0);
	assert_int_equal(b->h.status, TEEABI_GETQUOTE_ERROR);

	/* in_len larger than the buffer, wrong version */
	memset(b, 0, sizeof(*b));
	b->h.version = 1;
	b->h.in_len = 0xffffffffu;
	assert_int_equal(get_quote(d, b, sizeof(*b)), 0);
	assert_int_equal(b->h.status, TEEABI_GETQUOTE_ERROR);
	b->h.version = 2;
	b->h.in_len = 1024;
	memcpy(b->data, rr.tdreport, 1024);
	assert_int_equal(get_quote(d, b, sizeof(*b)), 0);
	assert_int_equal(b->h.status, TEEABI_GETQUOTE_ERROR);

	/* len bounds and pointers */
	assert_int_equal(get_quote(d, b, 0), -EINVAL);
	assert_int_equal(get_quote(d, b, 23), -EINVAL);
	assert_int_equal(get_quote(d, b, 16385), -EINVAL);
	assert_int_equal(get_quote(d, b, UINT64_MAX), -EINVAL);
	struct teeabi_tdx_quote_req req = { .buf = 0, .len = 4096 };
	struct tm_local_ua ua;
	tm_local_ua_init(&ua);
	tm_local_ua_add(&ua, &req, sizeof(req));
	assert_int_equal(tm_tdx_ioctl(d, TEEABI_TDX_CMD_GET_QUOTE, (uint64_t)(uintptr_t)&req, &ua.ua), -EFAULT);
	assert_int_equal(tm_tdx_ioctl(d, TEEABI_TDX_CMD_GET_QUOTE, 0, &ua.ua), -EFAULT);
	free(b);
	tm_free(d);
}

/* Regression (fuzz_tdx_ioctl, corpus/regress/tdx_ioctl/crash-getquote-tdinfo-flip-quoted):
 * the MAC covers REPORTMACSTRUCT only, so a TDREPORT whose TEE_TCB_INFO or TDINFO was changed
 * after the fact still carries a genuine MAC; the QE must recompute TEE_TCB_INFO_HASH and
 * TEE_INFO_HASH and refuse it, or a quote would vouch for an RTMR the TD never had. */
static void test_intel_get_quote_checks_report_hashes(void **state)
{
	struct tm_dev *d = mkdev(TEEABI_TDX_INTEL, false, TM_NO_FAULTS);
	struct teeabi_tdx_report_req rr;
	assert_int_equal(get_report0(d, 9, &rr), 0);
	struct qbuf *b = calloc(1, sizeof(*b));
	assert_non_null(b);
	/* one byte in each hashed range: TEE_TCB_INFO (MRSEAM), TDINFO (MROWNERCONFIG, RTMR3) */
	const size_t offs[] = { 0x118, 0x2BC, TDREPORT_OFF_RTMR0 + 3 * 48 };
	for (size_t i = 0; i < sizeof(offs) / sizeof(offs[0]); i++) {
		memset(b, 0, sizeof(*b));
		b->h.version = 1;
		b->h.in_len = 1024;
		memcpy(b->data, rr.tdreport, 1024);
		b->data[offs[i]] ^= 0x01;
		assert_int_equal(get_quote(d, b, sizeof(*b)), 0);
		assert_int_equal(b->h.status, TEEABI_GETQUOTE_ERROR);
		assert_int_equal(b->h.out_len, 0);
	}
	/* the untouched report is still quoted */
	memset(b, 0, sizeof(*b));
	b->h.version = 1;
	b->h.in_len = 1024;
	memcpy(b->data, rr.tdreport, 1024);
	assert_int_equal(get_quote(d, b, sizeof(*b)), 0);
	check_getquote_answer(b, rr.tdreport);
	free(b);
	tm_free(d);
}

/* ---------------------------------------------------------------- quote and PKI */

static int count_certs(const char *pem, size_t n, X509 **out, int max)
{
	BIO *bio = BIO_new_mem_buf(pem, (int)n);
	int k = 0;
	X509 *x;
	while (k < max && (x = PEM_read_bio_X509(bio, NULL, NULL, NULL)))
		out[k++] = x;
	BIO_free(bio);
	return k;
}

/* DCAP v4 quote: header, TD10 body from the TDREPORT, AK signature, QE report bound to the
 * AK and signed by the PCK leaf, auth data 00..1f, PEM chain leaf -> intermediate -> root. */
static void test_quote_valid_dcap_v4(void **state)
{
	struct tm_dev *d = mkdev(TEEABI_TDX_UPSTREAM, false, TM_NO_FAULTS);
	uint8_t rd[64], rep[1024];
	fill(rd, 64, 0x99);
	size_t ql = 0;
	uint8_t *q = quote_for(d, rd, rep, &ql);
	check_quote_for_report(q, ql, rep);

	struct teeabi_tdx_quote pq;
	assert_int_equal(teeabi_tdx_quote_parse(q, ql, TEEABI_QUOTE_DEFAULT, &pq), TEEABI_OK);
	assert_memory_equal(pq.qe_vendor_id, "\x93\x9a\x72\x33\xf7\x9c\x4c\xa9\x94\x0a\x0d\xb3\x95\x7f\x06\x07", 16);
	assert_memory_equal(pq.td.report_data, rd, 64);
	assert_int_equal(pq.qe.isv_prod_id, 2);
	assert_memory_equal(pq.qe.attributes, "\x15\0\0\0\0\0\0\0\xe7\0\0\0\0\0\0\0", 16);
	assert_memory_equal(pq.qe.mr_signer, "\xdc\x9e\x2a\x7c\x6f\x94\x8f\x17\x47\x4e\x34\xa7\xfc\x43\xed\x03"
					     "\x0f\x7c\x15\x63\xf1\xba\xbd\xdf\x63\x40\xc8\x2e\x0e\x54\xa8\xc5", 32);
	assert_int_equal(pq.qe.warnings, 0);
	assert_memory_equal(pq.qe.cpu_svn, rep + 16, 16);
	assert_int_equal(pq.qe_auth.len, 32);
	for (int i = 0; i < 32; i++)
		assert_int_equal(pq.qe_auth.p[i], i);
	/* independent QE binding check */
	uint8_t h[32];
	EVP_MD_CTX *c = EVP_MD_CTX_new();
	EVP_DigestInit_ex(c, EVP_sha256(), NULL);
	EVP_DigestUpdate(c, pq.att_key, 64);
	EVP_DigestUpdate(c, pq.qe_auth.p, 32);
	EVP_DigestFinal_ex(c, h, NULL);
	EVP_MD_CTX_free(c);
	assert_memory_equal(pq.qe.report_data, h, 32);
	assert_true(all_zero(pq.qe.report_data + 32, 32));

	/* the chain: 3 PEM certs, test names, leaf <- intermediate <- root (self-signed) */
	X509 *x[4] = { 0 };
	assert_int_equal(count_certs((const char *)pq.inner_cert.p, pq.inner_cert.len, x, 4), 3);
	for (int i = 0; i < 3; i++) {
		char cn[256];
		X509_NAME_oneline(X509_get_subject_name(x[i]), cn, sizeof(cn));
		assert_non_null(strstr(cn, "teeabi TEST"));
		assert_non_null(strstr(cn, "NOT FOR PRODUCTION"));
	}
	assert_int_equal(X509_verify(x[0], X509_get0_pubkey(x[1])), 1);
	assert_int_equal(X509_verify(x[1], X509_get0_pubkey(x[2])), 1);
	assert_int_equal(X509_verify(x[2], X509_get0_pubkey(x[2])), 1);
	assert_int_not_equal(X509_verify(x[0], X509_get0_pubkey(x[2])), 1);
	/* full path validation with the root as the only trust anchor */
	X509_STORE *st = X509_STORE_new();
	X509_STORE_add_cert(st, x[2]);
	STACK_OF(X509) *untrusted = sk_X509_new_null();
	sk_X509_push(untrusted, x[1]);
	X509_STORE_CTX *sc = X509_STORE_CTX_new();
	assert_int_equal(X509_STORE_CTX_init(sc, st, x[0], untrusted), 1);
	assert_int_equal(X509_verify_cert(sc), 1);
	X509_STORE_CTX_free(sc);
	sk_X509_free(untrusted);
	X509_STORE_free(st);
	for (int i = 0; i < 3; i++)
		X509_free(x[i]);

	/* a changed body byte breaks the signature (the check above can fail) */
	q[48 + 520] ^= 1;
	assert_false(ossl_verify_xy(q + 636 + 64, q + 636, q, 632));
	assert_int_equal(teeabi_tdx_quote_verify_signature(q, &pq), TEEABI_E_SIG_INVALID);
	free(q);

	assert_int_equal(tm_tdx_quote(d, rep, NULL, &ql), -EINVAL);
	assert_int_equal(tm_tdx_quote(d, NULL, &q, &ql), -EINVAL);
	tm_free(d);
}

/* Every RTMR extend shows in every later TDREPORT and quote; serialised across threads. */
struct thr { struct tm_dev *d; int n; };
static void *extender(void *arg)
{
	struct thr *t = arg;
	uint8_t data[48], rd[64] = { 0 }, rep[1024];
	memset(data, 0x5a, 48);
	for (int i = 0; i < t->n; i++) {
		if (tm_tdx_rtmr_extend(t->d, 3, data))
			return (void *)1;
		if (tm_tdx_tdreport(t->d, rd, rep) || teeabi_tdreport_verify_hashes(rep, 1024) != TEEABI_OK)
			return (void *)1;
	}
	return NULL;
}

static void test_concurrent_extends_serialised(void **state)
{
	struct tm_dev *d = mkdev(TEEABI_TDX_DSTACK_MOD, true, TM_NO_FAULTS);
	pthread_t th[2];
	struct thr t = { d, 40 };
	for (int i = 0; i < 2; i++)
		assert_int_equal(pthread_create(&th[i], NULL, extender, &t), 0);
	for (int i = 0; i < 2; i++) {
		void *r;
		pthread_join(th[i], &r);
		assert_null(r);
	}
	uint8_t want[48] = { 0 }, data[48], got[48];
	memset(data, 0x5a, 48);
	for (int i = 0; i < 80; i++) {
		uint8_t n[48];
		sha384_cat(want, 48, data, 48, n);
		memcpy(want, n, 48);
	}
	tm_tdx_rtmr_get(d, 3, got);
	assert_memory_equal(got, want, 48);
	tm_free(d);
}

/* ---------------------------------------------------------------- faults */

static void test_fault_tdx_reportdata_not_echoed(void **state)
{
	for (int f = 0; f < 2; f++) {
		struct tm_dev *d = mkdev(TEEABI_TDX_UPSTREAM, false, TM_FAULT_IF(f, TM_FAULT_TDX_REPORTDATA_NOT_ECHOED));
		struct teeabi_tdx_report_req req;
		assert_int_equal(get_report0(d, 1, &req), 0);
		if (f)
			assert_true(all_zero(req.tdreport + 128, 64));
		else
			assert_memory_equal(req.tdreport + 128, req.reportdata, 64);
		tm_free(d);
	}
}

/* tdx-quote-qe-vendor-id-guid-byte-order, tdx-qe-report-isvprodid-big-endian and
 * tdx-qe-report-debug-attribute: the fixed fields change, every signature still verifies
 * (the deviations are signed in); tdx-qe-report-signed-before-binding: the fields stay,
 * the QE report's PCK signature no longer verifies. */
static void test_fault_tdx_quote_fixed_fields(void **state)
{
	static const uint8_t intel[16] = { 0x93, 0x9a, 0x72, 0x33, 0xf7, 0x9c, 0x4c, 0xa9,
					   0x94, 0x0a, 0x0d, 0xb3, 0x95, 0x7f, 0x06, 0x07 };
	static const uint8_t guid_t_order[16] = { 0x33, 0x72, 0x9a, 0x93, 0x9c, 0xf7, 0xa9, 0x4c,
						  0x94, 0x0a, 0x0d, 0xb3, 0x95, 0x7f, 0x06, 0x07 };
	for (int f = 0; f < 5; f++) {
		tm_fault_mask m = f == 1 ? TM_FAULT_BIT(TM_FAULT_TDX_QUOTE_QE_VENDOR_ID_GUID_BYTE_ORDER)
			      : f == 2 ? TM_FAULT_BIT(TM_FAULT_TDX_QE_REPORT_ISVPRODID_BIG_ENDIAN)
			      : f == 3 ? TM_FAULT_BIT(TM_FAULT_TDX_QE_REPORT_DEBUG_ATTRIBUTE)
			      : f == 4 ? TM_FAULT_BIT(TM_FAULT_TDX_QE_REPORT_SIGNED_BEFORE_BINDING) : TM_NO_FAULTS;
		struct tm_dev *d = mkdev(TEEABI_TDX_UPSTREAM, false, m);
		uint8_t rd[64], rep[1024];
		fill(rd, 64, 0x3c);
		size_t ql = 0;
		uint8_t *q = quote_for(d, rd, rep, &ql);
		struct teeabi_tdx_quote pq;
		assert_int_equal(teeabi_tdx_quote_parse(q, ql, TEEABI_QUOTE_DEFAULT, &pq), TEEABI_OK);
		assert_memory_equal(q + 12, f == 1 ? guid_t_order : intel, 16);
		assert_int_equal(q[pq.qe_report - q + 256], f == 2 ? 0x00 : 0x02);
		assert_int_equal(q[pq.qe_report - q + 257], f == 2 ? 0x02 : 0x00);
		assert_int_equal(pq.qe.isv_prod_id, f == 2 ? 512 : 2);
		assert_int_equal(pq.qe.isv_svn, 7);
		assert_memory_equal(pq.qe.attributes, f == 3 ? "\x17\0\0\0\0\0\0\0\xe7\0\0\0\0\0\0\0"
							     : "\x15\0\0\0\0\0\0\0\xe7\0\0\0\0\0\0\0", 16);
		assert_int_equal(teeabi_tdx_quote_verify_signature(q, &pq), TEEABI_OK);
		/* tdx-qe-report-signed-before-binding: the binding is right, the PCK signature covers
		 * the report as it was before the binding was written */
		assert_int_equal(teeabi_tdx_quote_verify_qe_binding(&pq), TEEABI_OK);
		assert_int_equal(teeabi_tdx_quote_verify_qe_report_sig(&pq), f == 4 ? TEEABI_E_SIG_INVALID : TEEABI_OK);
		free(q);
		tm_free(d);
	}
}

/* Round-4 value faults (fix5a): the bytes each one changes, written out by hand, with and
 * without it; the TDREPORT hashes stay valid either way (the deviations are consistent). */
static void test_fault_tdx_tdreport_values(void **state)
{
	static const uint8_t attr_prod[8] = { 0x00, 0x00, 0x00, 0x10 }, attr_debug[8] = { 0x01, 0x00, 0x00, 0x10 };
	static const uint8_t xfam_ok[8] = { 0xe7, 0x02, 0x06 }, xfam_partial[8] = { 0xa7, 0x02, 0x06 };
	static const uint8_t seam_debug[8] = { 0, 0, 0, 0, 0, 0, 0, 0x80 }, zero[32] = { 0 };
	uint8_t stale[32];
	memset(stale, 0x5c, sizeof(stale));
	static const enum tm_fault f[] = { TM_FAULT_TDX_TDREPORT_VERSION_1, TM_FAULT_TDX_TD_ATTRIBUTES_DEBUG,
					   TM_FAULT_TDX_SEAM_ATTRIBUTES_DEBUG, TM_FAULT_TDX_TDREPORT_RESERVED_NOT_ZEROED,
					   TM_FAULT_TDX_XFAM_AVX512_PARTIAL };
	for (size_t i = 0; i <= sizeof(f) / sizeof(f[0]); i++) {
		bool on = i < sizeof(f) / sizeof(f[0]);
		struct tm_dev *d = mkdev(TEEABI_TDX_UPSTREAM, false, on ? TM_FAULT_BIT(f[i]) : TM_NO_FAULTS);
		struct teeabi_tdx_report_req req;
		assert_int_equal(get_report0(d, 1, &req), 0);
		const uint8_t *r = req.tdreport;
		enum tm_fault g = on ? f[i] : TM_FAULT_COUNT;
		assert_int_equal(r[0], 0x81);
		assert_int_equal(r[2], g == TM_FAULT_TDX_TDREPORT_VERSION_1 ? 1 : 0);
		assert_memory_equal(r + 0x200, g == TM_FAULT_TDX_TD_ATTRIBUTES_DEBUG ? attr_debug : attr_prod, 8);
		assert_memory_equal(r + 0x208, g == TM_FAULT_TDX_XFAM_AVX512_PARTIAL ? xfam_partial : xfam_ok, 8);
		assert_memory_equal(r + 0x178, g == TM_FAULT_TDX_SEAM_ATTRIBUTES_DEBUG ? seam_debug : zero, 8);
		assert_memory_equal(r + 0xc0, g == TM_FAULT_TDX_TDREPORT_RESERVED_NOT_ZEROED ? stale : zero, 32);
		assert_memory_equal(r + 0x390, zero, 32); /* SERVTD_HASH: no service TD, either way */
		assert_int_equal(teeabi_tdreport_verify_hashes(r, 1024), TEEABI_OK);
		tm_free(d);
	}
}

static void test_fault_tdx_report_type_wrong(void **state)
{
	for (int f = 0; f < 2; f++) {
		struct tm_dev *d = mkdev(TEEABI_TDX_UPSTREAM, false, TM_FAULT_IF(f, TM_FAULT_TDX_REPORT_TYPE_WRONG));
		struct teeabi_tdx_report_req req;
		struct teeabi_tdreport tr;
		assert_int_equal(get_report0(d, 1, &req), 0);
		assert_int_equal(req.tdreport[0], f ? 0x00 : 0x81);
		assert_int_equal(teeabi_tdreport_parse(req.tdreport, 1024, &tr) == TEEABI_OK, !f);
		tm_free(d);
	}
}

static void test_fault_tdx_unknown_cmd_einval(void **state)
{
	uint8_t buf[64] = { 0 };
	struct tm_local_ua ua;
	tm_local_ua_init(&ua);
	tm_local_ua_add(&ua, buf, sizeof(buf));
	for (int f = 0; f < 2; f++) {
		struct tm_dev *d = mkdev(TEEABI_TDX_UPSTREAM, false, TM_FAULT_IF(f, TM_FAULT_TDX_UNKNOWN_CMD_EINVAL));
		assert_int_equal(tm_tdx_ioctl(d, 0xC4405402u, (uint64_t)(uintptr_t)buf, &ua.ua), f ? -EINVAL : -ENOTTY);
		assert_int_equal(tm_tdx_ioctl(d, TEEABI_TDX_CMD_EXTEND_RTMR, (uint64_t)(uintptr_t)buf, &ua.ua), f ? -EINVAL : -ENOTTY);
		tm_free(d);
	}
}

/* GET_REPORT0 is matched on the whole number: 'T',1 with another size is ENOTTY; the fault
 * serves it (and writes 1088 bytes into the caller's buffer). */
static void test_fault_tdx_cmd_size_ignored(void **state)
{
	static uint8_t buf[2048];
	struct tm_local_ua ua;
	tm_local_ua_init(&ua);
	tm_local_ua_add(&ua, buf, sizeof(buf));
	for (int f = 0; f < 2; f++) {
		struct tm_dev *d = mkdev(TEEABI_TDX_UPSTREAM, false, TM_FAULT_IF(f, TM_FAULT_TDX_CMD_SIZE_IGNORED));
		memset(buf, 0, sizeof(buf));
		assert_int_equal(tm_tdx_ioctl(d, 0xC0085401u, (uint64_t)(uintptr_t)buf, &ua.ua), f ? 0 : -ENOTTY);
		assert_int_equal(tm_tdx_ioctl(d, 0xC43F5401u, (uint64_t)(uintptr_t)buf, &ua.ua), f ? 0 : -ENOTTY);
		assert_int_equal(buf[64], f ? 0x81 : 0); /* a TDREPORT (type TDX) landed at +64 */
		assert_int_equal(tm_tdx_ioctl(d, 0xC4405402u, (uint64_t)(uintptr_t)buf, &ua.ua), -ENOTTY);
		tm_free(d);
	}
}

static void test_fault_tdx_info_hash_stale(void **state)
{
	for (int f = 0; f < 2; f++) {
		struct tm_dev *d = mkdev(TEEABI_TDX_DSTACK_MOD, true, TM_FAULT_IF(f, TM_FAULT_TDX_INFO_HASH_STALE));
		struct teeabi_tdx_report_req req;
		uint8_t data[48];
		fill(data, 48, 4);
		assert_int_equal(get_report0(d, 1, &req), 0);
		assert_int_equal(teeabi_tdreport_verify_hashes(req.tdreport, 1024), TEEABI_OK); /* fine before any extend */
		assert_int_equal(extend_ioctl(d, TEEABI_TDX_CMD_EXTEND_RTMR, 3, data), 0);
		assert_int_equal(get_report0(d, 1, &req), 0);
		if (f)
			assert_int_not_equal(teeabi_tdreport_verify_hashes(req.tdreport, 1024), TEEABI_OK);
		else
			assert_int_equal(teeabi_tdreport_verify_hashes(req.tdreport, 1024), TEEABI_OK);
		tm_free(d);
	}
}

static void test_fault_tdx_extend_no_index_check(void **state)
{
	for (int f = 0; f < 2; f++) {
		struct tm_dev *d = mkdev(TEEABI_TDX_DSTACK_MOD, true, TM_FAULT_IF(f, TM_FAULT_TDX_EXTEND_NO_INDEX_CHECK));
		uint8_t data[48] = { 0 };
		long rc = extend_ioctl(d, TEEABI_TDX_CMD_EXTEND_RTMR, 4, data);
		if (f)
			assert_int_not_equal(rc, -EINVAL);
		else
			assert_int_equal(rc, -EINVAL);
		tm_free(d);
	}
}

static void test_fault_tdx_extend_iow_missing(void **state)
{
	for (int f = 0; f < 2; f++) {
		struct tm_dev *d = mkdev(TEEABI_TDX_DSTACK_MOD, true, TM_FAULT_IF(f, TM_FAULT_TDX_EXTEND_IOW_MISSING));
		uint8_t data[48] = { 1 };
		assert_int_equal(extend_ioctl(d, TEEABI_TDX_CMD_EXTEND_RTMR_IOW, 3, data), f ? -ENOTTY : 0);
		assert_int_equal(extend_ioctl(d, TEEABI_TDX_CMD_EXTEND_RTMR, 3, data), 0);
		tm_free(d);
	}
}

static void test_fault_tdx_extend_wrong_hash(void **state)
{
	for (int f = 0; f < 2; f++) {
		struct tm_dev *d = mkdev(TEEABI_TDX_DSTACK_MOD, true, TM_FAULT_IF(f, TM_FAULT_TDX_EXTEND_WRONG_HASH));
		uint8_t data[48], old[48], want[48], got[48];
		fill(data, 48, 0x42);
		tm_tdx_rtmr_get(d, 2, old); /* non-zero boot value: SHA384(data) differs */
		if (f)
			sha384_cat(data, 48, NULL, 0, want);
		else
			sha384_cat(old, 48, data, 48, want);
		assert_int_equal(extend_ioctl(d, TEEABI_TDX_CMD_EXTEND_RTMR, 2, data), 0);
		tm_tdx_rtmr_get(d, 2, got);
		assert_memory_equal(got, want, 48);
		tm_free(d);
	}
}

static void test_fault_tdx_legacy_getquote_present(void **state)
{
	for (int f = 0; f < 2; f++) {
		struct tm_dev *d = mkdev(TEEABI_TDX_UPSTREAM, false, TM_FAULT_IF(f, TM_FAULT_TDX_LEGACY_GETQUOTE_PRESENT));
		struct teeabi_tdx_report_req rr;
		assert_int_equal(get_report0(d, 3, &rr), 0);
		struct qbuf *b = calloc(1, sizeof(*b));
		assert_non_null(b);
		b->h.version = 1;
		b->h.in_len = 1024;
		memcpy(b->data, rr.tdreport, 1024);
		long rc = get_quote(d, b, sizeof(*b));
		if (f) {
			assert_int_equal(rc, 0);
			check_getquote_answer(b, rr.tdreport);
		} else {
			assert_int_equal(rc, -ENOTTY);
			assert_int_equal(b->h.out_len, 0);
		}
		free(b);
		tm_free(d);
	}
}

/* Checklist: "TDCALL failure injection: EINVAL/EIO (6.2-6.15), ENXIO/EBUSY/EIO (>= 6.16),
 * EINTR possible (>= 6.16)" (kernel-abi.md §1.3). Nothing is copied out on failure, the
 * injection lasts exactly n calls, and a reset clears it. */
static void test_tdcall_failure_errnos_per_kernel(void **state)
{
	(void)state;
	static const struct {
		bool v616;
		uint64_t code;   /* TDCALL_RETURN_CODE; ~0 = "status 0" (signal on the mutex) */
		long want;
	} cases[] = {
		{ false, TM_TDCALL_INVALID_OPERAND, -EINVAL }, { false, TM_TDCALL_OPERAND_BUSY, -EIO },
		{ false, 0x80000001ULL, -EIO },                { false, ~0ULL, 0 },
		{ true, TM_TDCALL_INVALID_OPERAND, -ENXIO },   { true, TM_TDCALL_OPERAND_BUSY, -EBUSY },
		{ true, 0x80000001ULL, -EIO },                 { true, ~0ULL, -EINTR },
	};
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		struct teeabi_profile p = mkprof("unit-tdx-tdcall", TEEABI_TDX_UPSTREAM, false);
		p.tdx_report_errnos_616 = cases[i].v616;
		struct tm_dev *d = tm_new(&p, TM_NO_FAULTS);
		assert_non_null(d);
		uint64_t status = cases[i].code == ~0ULL ? 0 : cases[i].code << 32;
		tm_tdx_inject_tdcall(d, status, 2);
		struct teeabi_tdx_report_req req;
		for (int k = 0; k < 2; k++) {
			long rc = get_report0(d, 7, &req);
			if (rc != cases[i].want)
				fail_msg("case %zu (6.16 errnos %d, code %#llx) call %d: got %ld want %ld", i,
					 cases[i].v616, (unsigned long long)cases[i].code, k, rc, cases[i].want);
			if (rc != 0)
				assert_true(all_zero(req.tdreport, sizeof(req.tdreport)));
		}
		/* third call: the injection is used up */
		assert_int_equal(get_report0(d, 7, &req), 0);
		assert_int_equal(req.tdreport[0], 0x81);
		assert_int_equal(req.tdreport[TDREPORT_OFF_REPORTDATA], 7);
		/* a reset clears a pending injection */
		tm_tdx_inject_tdcall(d, TM_TDCALL_INVALID_OPERAND << 32, 5);
		tm_reset(d);
		assert_int_equal(get_report0(d, 9, &req), 0);
		tm_free(d);
	}
}

/* Regression (fuzz_tdx_ioctl, corpus/regress/tdx_ioctl/crash-tdcall-signal-pre616-no-report):
 * before 6.16 GET_REPORT0 takes no interruptible mutex, so an injected "signal" (status 0)
 * must leave the call as it is: the TDREPORT is written, and a bad output pointer is still
 * EFAULT. The model returned 0 and wrote nothing. */
static void test_tdcall_signal_before_616_is_a_normal_call(void **state)
{
	(void)state;
	struct teeabi_profile p = mkprof("unit-tdx-tdcall-sig", TEEABI_TDX_UPSTREAM, false);
	p.tdx_report_errnos_616 = false;
	struct tm_dev *d = tm_new(&p, TM_NO_FAULTS);
	assert_non_null(d);
	struct teeabi_tdx_report_req req;
	tm_tdx_inject_tdcall(d, 0, 1);
	assert_int_equal(get_report0(d, 5, &req), 0);
	assert_int_equal(req.tdreport[0], 0x81);
	for (int i = 0; i < 64; i++)
		assert_int_equal(req.tdreport[TDREPORT_OFF_REPORTDATA + i], (uint8_t)(i + 5));
	/* only the 64 reportdata bytes are user memory: the copy-out faults */
	struct tm_local_ua ua;
	memset(&req, 0, sizeof(req));
	tm_local_ua_init(&ua);
	tm_local_ua_add(&ua, &req, 64);
	tm_tdx_inject_tdcall(d, 0, 1);
	assert_int_equal(tm_tdx_ioctl(d, TEEABI_TDX_CMD_GET_REPORT0, (uint64_t)(uintptr_t)&req, &ua.ua), -EFAULT);
	tm_free(d);
}

/* user memory whose first 64 bytes (the reportdata) are read-only */
static int ro_rd_write(void *ctx, uint64_t uaddr, const void *src, size_t len)
{
	struct tm_local_ua *l = ctx;
	uint64_t base = l->r[0].base, end = base + l->r[0].len;
	if (uaddr < base + 64 || uaddr > end || len > end - uaddr)
		return -EFAULT;
	memmove((void *)(uintptr_t)uaddr, src, len);
	return 0;
}

static void test_fault_tdx_report0_writes_reportdata(void **state)
{
	for (int f = 0; f < 2; f++) {
		struct tm_dev *d = mkdev(TEEABI_TDX_UPSTREAM, false, TM_FAULT_IF(f, TM_FAULT_TDX_REPORT0_WRITES_REPORTDATA));
		struct teeabi_tdx_report_req req;
		struct tm_local_ua ua;
		memset(&req, 0, sizeof(req));
		req.reportdata[0] = 1;
		tm_local_ua_init(&ua);
		tm_local_ua_add(&ua, &req, sizeof(req));
		ua.ua.write = ro_rd_write;
		assert_int_equal(tm_tdx_ioctl(d, TEEABI_TDX_CMD_GET_REPORT0, (uint64_t)(uintptr_t)&req, &ua.ua), f ? -EFAULT : 0);
		if (!f)
			assert_memory_equal(req.tdreport + 128, req.reportdata, 64);
		tm_free(d);
	}
}

/* tdx-extend-writes-back-rtmr (blind audit round 5 #157): the dstack module's EXTEND_RTMR
 * request is input only on both numbers. Without the fault the caller's 49 bytes are what it
 * wrote after a successful extend of RTMR3 and after a refused index 4; with it, a
 * successful extend leaves the new RTMR3 in req.data (index kept), a refused one nothing. */
static void test_fault_tdx_extend_writes_back_rtmr(void **state)
{
	static const unsigned cmds[2] = { TEEABI_TDX_CMD_EXTEND_RTMR, TEEABI_TDX_CMD_EXTEND_RTMR_IOW };
	(void)state;
	for (int f = 0; f < 2; f++) {
		for (int c = 0; c < 2; c++) {
			struct tm_dev *d = mkdev(TEEABI_TDX_DSTACK_MOD, true, TM_FAULT_IF(f, TM_FAULT_TDX_EXTEND_WRITES_BACK_RTMR));
			struct teeabi_tdx_extend_rtmr_req req, orig;
			struct tm_local_ua ua;
			uint8_t rtmr3[48];
			fill(orig.data, 48, (uint8_t)(0x30 + c));
			orig.index = 3;
			req = orig;
			tm_local_ua_init(&ua);
			tm_local_ua_add(&ua, &req, sizeof(req));
			assert_int_equal(tm_tdx_ioctl(d, cmds[c], (uint64_t)(uintptr_t)&req, &ua.ua), 0);
			tm_tdx_rtmr_get(d, 3, rtmr3);
			assert_memory_not_equal(rtmr3, orig.data, 48); /* the extend happened either way */
			assert_int_equal(req.index, 3);
			if (f)
				assert_memory_equal(req.data, rtmr3, 48);
			else
				assert_memory_equal(req.data, orig.data, 48);
			orig.index = 4; /* refused (-EINVAL, index check): nothing written back, fault or not */
			req = orig;
			assert_int_equal(tm_tdx_ioctl(d, cmds[c], (uint64_t)(uintptr_t)&req, &ua.ua), -EINVAL);
			assert_memory_equal(&req, &orig, sizeof(req));
			tm_free(d);
		}
	}
}

/* tdx-report0-copy-one-short: GET_REPORT0 on a tdreport half filled with 0xA5; byte 1023 is
 * in TDINFO's reserved tail, which the model's TDX module writes as 0: 0x00 without the
 * fault, the canary 0xA5 with it; byte 1022 (reserved too) is 0 either way. */
static void test_fault_tdx_report0_copy_one_short(void **state)
{
	(void)state;
	for (int f = 0; f < 2; f++) {
		struct tm_dev *d = mkdev(TEEABI_TDX_UPSTREAM, false, TM_FAULT_IF(f, TM_FAULT_TDX_REPORT0_COPY_ONE_SHORT));
		struct teeabi_tdx_report_req req;
		struct tm_local_ua ua;
		memset(req.reportdata, 0x11, sizeof(req.reportdata));
		memset(req.tdreport, 0xA5, sizeof(req.tdreport));
		tm_local_ua_init(&ua);
		tm_local_ua_add(&ua, &req, sizeof(req));
		assert_int_equal(tm_tdx_ioctl(d, TEEABI_TDX_CMD_GET_REPORT0, (uint64_t)(uintptr_t)&req, &ua.ua), 0);
		assert_int_equal(req.tdreport[0], 0x81);
		assert_int_equal(req.tdreport[1022], 0x00);
		assert_int_equal(req.tdreport[1023], f ? 0xA5 : 0x00);
		tm_free(d);
	}
}


/* The fault set holds every fault faults.def lists, by index, with no neighbour set by
 * mistake: the set was an __int128 (and the kernel lane's teeabi-fwd kept a uint64_t, which
 * silently dropped every fault from 64 on). Indexes past the last fault give the empty set. */
static void test_fault_mask_every_index(void **state)
{
	(void)state;
	assert_true(TM_FAULT_COUNT > 64 && 64 * TM_FAULT_WORDS >= TM_FAULT_COUNT);
	tm_fault_mask all = TM_NO_FAULTS;
	for (int f = 0; f < TM_FAULT_COUNT; f++) {
		tm_fault_mask one = TM_FAULT_BIT(f);
		for (int g = -1; g <= TM_FAULT_COUNT; g++)
			assert_int_equal(tm_fault_in(&one, g), g == f);
		tm_fault_add(&all, f);
	}
	for (int f = 0; f < TM_FAULT_COUNT; f++)
		assert_true(tm_fault_in(&all, f));
	tm_fault_mask none = TM_FAULT_IF(false, 5), out = TM_FAULT_BIT(TM_FAULT_COUNT);
	tm_fault_add(&out, -1);
	for (int g = 0; g < TM_FAULT_COUNT; g++)
		assert_false(tm_fault_in(&none, g) || tm_fault_in(&out, g));
	const int probe[] = { 0, 63, 64, TM_FAULT_COUNT - 1 };
	for (size_t i = 0; i < sizeof(probe) / sizeof(probe[0]); i++) {
		struct tm_dev *d = mkdev(TEEABI_TDX_UPSTREAM, false, TM_FAULT_BIT(probe[i]));
		for (int g = 0; g < TM_FAULT_COUNT; g++)
			assert_int_equal(tm_has_fault(d, g), g == probe[i]);
		tm_free(d);
	}
}

/* The quote faults of the blind audit: without a fault the quote's TEE_TCB_SVN (quote byte
 * 48), MRSIGNERSEAM (48 + 64) and QE report CPUSVN (636 + 134) are the TDREPORT's 0x108,
 * 0x148 and 0x010; each fault takes its one field from the neighbour it names (CPUSVN 0x010,
 * MRSEAM 0x118, TEE_TCB_SVN 0x108) and leaves the other two alone. */
static void test_fault_tdx_quote_field_map(void **state)
{
	(void)state;
	const tm_fault_mask fault[4] = { TM_NO_FAULTS, TM_FAULT_BIT(TM_FAULT_TDX_QUOTE_TEE_TCB_SVN_FROM_CPUSVN),
					 TM_FAULT_BIT(TM_FAULT_TDX_QUOTE_MRSIGNERSEAM_FROM_MRSEAM),
					 TM_FAULT_BIT(TM_FAULT_TDX_QE_REPORT_CPUSVN_WRONG) };
	for (int f = 0; f < 4; f++) {
		struct tm_dev *d = mkdev(TEEABI_TDX_UPSTREAM, false, fault[f]);
		uint8_t rd[64] = { 9 }, rep[1024], *q = NULL;
		size_t ql = 0;
		assert_int_equal(tm_tdx_tdreport(d, rd, rep), 0);
		/* the neighbours differ, so a swap shows */
		assert_memory_not_equal(rep + 0x108, rep + 0x010, 16);
		assert_memory_not_equal(rep + 0x148, rep + 0x118, 48);
		assert_int_equal(tm_tdx_quote(d, rep, &q, &ql), 0);
		assert_true(ql > 636 + 134 + 16);
		assert_memory_equal(q + 48, rep + (f == 1 ? 0x010 : 0x108), 16);
		assert_memory_equal(q + 48 + 64, rep + (f == 2 ? 0x118 : 0x148), 48);
		assert_memory_equal(q + 636 + 134, rep + (f == 3 ? 0x108 : 0x010), 16);
		free(q);
		tm_free(d);
	}
}

/* r = SHA-256(m || s), computed here with OpenSSL. */
static bool fast_sig_ok_256(const uint8_t *m, size_t n, const uint8_t *rs)
{
	uint8_t buf[1024], md[32];
	if (n + 32 > sizeof(buf))
		return false;
	memcpy(buf, m, n);
	memcpy(buf + n, rs + 32, 32);
	return SHA256(buf, n + 32, md) && memcmp(md, rs, 32) == 0;
}

/* tm_set_fast_sign: the quote's and the QE report's (r, s) become r = SHA-256(m || s) for a
 * nonce s (checked here with OpenSSL), a new nonce each time (two quotes of one TDREPORT
 * differ, as ECDSA's do); the ECDSA checks then fail, and off again the machine signs for
 * real. */
static void test_fast_sign_quote(void **state)
{
	(void)state;
	struct tm_dev *d = mkdev(TEEABI_TDX_UPSTREAM, false, TM_NO_FAULTS);
	uint8_t rd[64] = { 7 }, rep[1024];
	assert_int_equal(tm_tdx_tdreport(d, rd, rep), 0);
	assert_false(tm_fast_sign_on(d));
	tm_set_fast_sign(d, true);
	assert_true(tm_fast_sign_on(d));
	uint8_t *q = NULL, *q2 = NULL;
	size_t ql = 0, ql2 = 0;
	assert_int_equal(tm_tdx_quote(d, rep, &q, &ql), 0);
	assert_int_equal(tm_tdx_quote(d, rep, &q2, &ql2), 0);
	assert_int_equal(ql, ql2);
	struct teeabi_tdx_quote pq;
	assert_int_equal(teeabi_tdx_quote_parse(q, ql, TEEABI_QUOTE_DEFAULT, &pq), TEEABI_OK);
	assert_true(fast_sig_ok_256(q, 632, pq.signature));
	assert_true(fast_sig_ok_256(pq.qe_report, 384, pq.qe_report_sig));
	assert_true(tm_fast_sign_check(pq.qe_report, 384, 32, pq.qe_report_sig, pq.qe_report_sig + 32));
	assert_false(tm_fast_sign_check(pq.qe_report, 383, 32, pq.qe_report_sig, pq.qe_report_sig + 32));
	assert_memory_not_equal(q + 636, q2 + 636, 64); /* another signature for the same quote */
	assert_memory_equal(q, q2, 632);
	assert_int_equal(teeabi_tdx_quote_verify_signature(q, &pq), TEEABI_E_SIG_INVALID);
	assert_int_equal(teeabi_tdx_quote_verify_qe_report_sig(&pq), TEEABI_E_SIG_INVALID);
	assert_int_equal(teeabi_tdx_quote_verify_qe_binding(&pq), TEEABI_OK);
	free(q);
	free(q2);
	tm_set_fast_sign(d, false);
	assert_int_equal(tm_tdx_quote(d, rep, &q, &ql), 0);
	check_quote_for_report(q, ql, rep);
	free(q);
	tm_free(d);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_absent_device_enodev),
		cmocka_unit_test(test_get_report0_reads_64_writes_1024),
		cmocka_unit_test(test_get_report0_output),
		cmocka_unit_test(test_boot_event_log_replays),
		cmocka_unit_test(test_machine_values_stable_per_profile),
		cmocka_unit_test(test_unknown_cmd_enotty),
		cmocka_unit_test(test_bad_pointer_efault),
		cmocka_unit_test(test_tdcall_failure_errnos_per_kernel),
		cmocka_unit_test(test_rtmr_extend_api_shows_everywhere),
		cmocka_unit_test(test_reset_restores_boot_rtmrs),
		cmocka_unit_test(test_dstack_extend_ior_and_iow),
		cmocka_unit_test(test_dstack_extend_index_check),
		cmocka_unit_test(test_intel_extend_rtmr01_refused),
		cmocka_unit_test(test_intel_verify_report),
		cmocka_unit_test(test_intel_get_quote),
		cmocka_unit_test(test_intel_get_quote_checks_report_hashes),
		cmocka_unit_test(test_tdcall_signal_before_616_is_a_normal_call),
		cmocka_unit_test(test_quote_valid_dcap_v4),
		cmocka_unit_test(test_concurrent_extends_serialised),
		cmocka_unit_test(test_fault_tdx_reportdata_not_echoed),
		cmocka_unit_test(test_fault_tdx_report_type_wrong),
		cmocka_unit_test(test_fault_tdx_unknown_cmd_einval),
		cmocka_unit_test(test_fault_tdx_cmd_size_ignored),
		cmocka_unit_test(test_fault_tdx_info_hash_stale),
		cmocka_unit_test(test_fault_tdx_extend_no_index_check),
		cmocka_unit_test(test_fault_tdx_extend_iow_missing),
		cmocka_unit_test(test_fault_tdx_extend_wrong_hash),
		cmocka_unit_test(test_fault_tdx_legacy_getquote_present),
		cmocka_unit_test(test_fault_tdx_report0_writes_reportdata),
		cmocka_unit_test(test_fast_sign_quote),
		cmocka_unit_test(test_fault_tdx_report0_copy_one_short),
		cmocka_unit_test(test_fault_tdx_quote_field_map),
		cmocka_unit_test(test_fault_tdx_quote_fixed_fields),
		cmocka_unit_test(test_fault_tdx_tdreport_values),
		cmocka_unit_test(test_fault_tdx_extend_writes_back_rtmr),
		cmocka_unit_test(test_fault_mask_every_index),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
