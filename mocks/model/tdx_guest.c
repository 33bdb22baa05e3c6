/* SPDX-License-Identifier: Apache-2.0 */
/*
 * tdx_guest.c - the TDX module state of one machine and the /dev/tdx_guest ioctl handler
 * of each driver flavour (docs/kernel-abi.md §1, docs/dstack-os.md §1.2).
 *
 * State: MRTD, MRCONFIGID, MROWNER, MROWNERCONFIG, MRSEAM, TEE_TCB_SVN, CPUSVN are fixed
 * per machine and derived from the profile name with SHA-384, so they are stable across
 * runs; RTMR0..2 boot to non-zero derived values, RTMR3 boots to zero. TD attributes
 * 0x10000000 (SEPT_VE_DISABLE), XFAM 0x602e7, VALID 0x1ff (TDX 1.0 layout).
 *
 * TDREPORT (formats.md §1): type 0x81, REPORTDATA at 128, TEE_TCB_INFO_HASH =
 * SHA-384(TDREPORT[0x100..0x1EF)), TEE_INFO_HASH = SHA-384(TDREPORT[0x200..0x400)), and a
 * MAC = HMAC-SHA-256(machine key, REPORTMACSTRUCT[0..0xE0)) standing in for the CPU's MAC,
 * so VERIFY_REPORT and the simulated QE can tell the machine's own reports from forgeries.
 *
 * The tsm-mr part (tsm_mr.c) shares the "kernel TDREPORT buffer" kept here: every report
 * generated (ioctl, configfs, MR refresh) rewrites it, as in v6.16+ (kernel-abi.md §1.4).
 */
#include <errno.h>
#include <pthread.h>
#include <linux/ioctl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <openssl/evp.h>
#include <openssl/core_names.h>
#include <openssl/err.h>
#include <openssl/params.h>
#include "internal.h"
#include "teeabi/tdx.h"

struct tm_tdx_state {
	uint8_t cpusvn[16];
	uint64_t valid;
	uint8_t tee_tcb_svn[16];
	uint8_t mrseam[48], mrsignerseam[48];
	uint64_t td_attributes, xfam;
	uint8_t mrtd[48], mrconfigid[48], mrowner[48], mrownerconfig[48];
	uint8_t rtmr[4][48];
	uint8_t rtmr_boot[4][48];
	uint8_t mac_key[32];
	EVP_MAC_CTX *mac_ctx;        /* HMAC-SHA-256 keyed with mac_key (report_mac) */
	EVP_MD_CTX *md_ctx;          /* for the SHA-384 of TDREPORTs and extends (sha384_2c) */
	bool extended_since_boot;
	/* TEE_TCB_INFO_HASH and TEE_INFO_HASH of the current state: the inputs change only at
	 * an extend or a reset, which clear hashes_valid (reportdata is outside both) */
	bool hashes_valid;
	uint8_t tcb_info_hash[48], info_hash[48];
	uint8_t boot_info_hash[48];  /* TEE_INFO_HASH over the boot TDINFO (tdx-info-hash-stale) */
	/* the kernel's shared TDREPORT buffer (v6.16+) and the tsm-mr in_sync flag */
	uint8_t kbuf[1024];
	bool kbuf_boot_pending; /* kbuf holds no report yet since the reset (tm_tdx_kbuf_locked) */
	bool mr_in_sync;
	/* injected TDG.MR.REPORT failures (tm_tdx_inject_tdcall) */
	uint64_t inj_status;
	unsigned inj_count;
};

/* Shared with tsm_mr.c (declared there). */
int tm_tdx_extend_locked(struct tm_dev *d, unsigned idx, const uint8_t data[48]);
const uint8_t *tm_tdx_kbuf_locked(struct tm_dev *d);
bool *tm_tdx_mr_in_sync_locked(struct tm_dev *d);

#define TD_ATTRIBUTES 0x10000000ULL
#define TD_XFAM       0x602e7ULL
#define TD_VALID      0x1ffULL
/* GET_QUOTE: "Use 16K as MAX size" in Intel's downstream driver; libtdx_attest uses 16 KiB. */
#define GET_QUOTE_MAX_SIZE (16 * 1024)
/* Status a TDCALL returns for a bad operand (TDX_OPERAND_INVALID class); model value. */
#define TDX_STATUS_OPERAND_INVALID 0xC000010000000000ULL

/* SHA-384 and HMAC are fetched from the provider once per process: an OpenSSL 3 fetch per
 * call costs as much as the hash itself (GET_REPORT0 does three of them). */
static EVP_MD *g_sha384;
static EVP_MAC *g_hmac;
static pthread_once_t g_fetch_once = PTHREAD_ONCE_INIT;

static void fetch_algs(void)
{
	g_sha384 = EVP_MD_fetch(NULL, "SHA384", NULL);
	g_hmac = EVP_MAC_fetch(NULL, "HMAC", NULL);
}

/* SHA-384(a || b) with the context c (reset here), or with a context of its own when c is
 * NULL. The hot paths (TDREPORT, extend) pass the machine's context: no allocation each. */
static int sha384_2c(EVP_MD_CTX *c, const void *a, size_t alen, const void *b, size_t blen, uint8_t out[48])
{
	pthread_once(&g_fetch_once, fetch_algs);
	EVP_MD_CTX *own = c ? NULL : EVP_MD_CTX_new();
	if (!c)
		c = own;
	int ok = c && g_sha384 && EVP_DigestInit_ex(c, g_sha384, NULL) == 1 && EVP_DigestUpdate(c, a, alen) == 1 &&
		 (blen == 0 || EVP_DigestUpdate(c, b, blen) == 1) && EVP_DigestFinal_ex(c, out, NULL) == 1;
	EVP_MD_CTX_free(own);
	if (!ok)
		ERR_clear_error();
	return ok ? 0 : -EIO;
}

static int sha384_2(const void *a, size_t alen, const void *b, size_t blen, uint8_t out[48])
{
	return sha384_2c(NULL, a, alen, b, blen, out);
}

/* SHA-384("teeabi-mock/<profile>/<field>"), truncated to n <= 48 bytes. */
static int derive(const struct tm_dev *d, const char *field, uint8_t *out, size_t n)
{
	char s[160];
	uint8_t md[48];
	int l = snprintf(s, sizeof(s), "teeabi-mock/%s/%s", d->prof.name, field);
	if (l < 0 || (size_t)l >= sizeof(s))
		return -EINVAL;
	int rc = sha384_2(s, (size_t)l, NULL, 0, md);
	if (rc)
		return rc;
	memcpy(out, md, n);
	return 0;
}

int tm_tdx_derive(struct tm_dev *d, const char *label, uint8_t *out, size_t n)
{
	return n <= 48 ? derive(d, label, out, n) : -EINVAL;
}

const uint8_t *tm_tdx_cpusvn(struct tm_dev *d)
{
	return d->tdx->cpusvn;
}

const uint8_t *tm_tdx_tee_tcb_svn(struct tm_dev *d)
{
	return d->tdx->tee_tcb_svn;
}

static void put_le64(uint8_t *p, uint64_t v) { for (int i = 0; i < 8; i++) p[i] = (uint8_t)(v >> (8 * i)); }

/* MAC over the REPORTMACSTRUCT bytes before its MAC field (TDREPORT_OFF_MAC of them); rep
 * may be a whole TDREPORT or just the 256-byte REPORTMACSTRUCT. */
static int report_mac(struct tm_tdx_state *t, const uint8_t *rep, uint8_t mac[32])
{
	size_t n = 0;
	/* the keyed context made at init (HMAC-SHA-256 with mac_key), restarted with its key
	 * (EVP_MAC_init with no key keeps the one it has); callers hold the machine lock */
	EVP_MAC_CTX *c = t->mac_ctx;
	int ok = c && EVP_MAC_init(c, NULL, 0, NULL) == 1 && EVP_MAC_update(c, rep, TDREPORT_OFF_MAC) == 1 &&
		 EVP_MAC_final(c, mac, &n, 32) == 1 && n == 32;
	if (!ok) {
		ERR_clear_error();
		return -EIO;
	}
	return 0;
}

static EVP_MAC_CTX *mac_ctx_new(const uint8_t key[32])
{
	pthread_once(&g_fetch_once, fetch_algs);
	EVP_MAC_CTX *c = g_hmac ? EVP_MAC_CTX_new(g_hmac) : NULL;
	OSSL_PARAM params[] = { OSSL_PARAM_construct_utf8_string(OSSL_MAC_PARAM_DIGEST, (char *)"SHA256", 0),
				OSSL_PARAM_construct_end() };
	if (c && EVP_MAC_init(c, key, 32, params) == 1)
		return c;
	EVP_MAC_CTX_free(c);
	ERR_clear_error();
	return NULL;
}

/* The TDINFO block (512 bytes) for the current state. */
static void fill_tdinfo(const struct tm_tdx_state *t, uint8_t *rep)
{
	put_le64(rep + TDREPORT_OFF_ATTRIBUTES, t->td_attributes);
	put_le64(rep + TDREPORT_OFF_XFAM, t->xfam);
	memcpy(rep + TDREPORT_OFF_MRTD, t->mrtd, 48);
	memcpy(rep + TDREPORT_OFF_MRCONFIGID, t->mrconfigid, 48);
	memcpy(rep + TDREPORT_OFF_MROWNER, t->mrowner, 48);
	memcpy(rep + TDREPORT_OFF_MROWNERCONFIG, t->mrownerconfig, 48);
	for (int i = 0; i < 4; i++)
		memcpy(rep + TDREPORT_OFF_RTMR0 + 48 * i, t->rtmr[i], 48);
	/* SERVTD_HASH and the reserved tail stay zero (TDX 1.0, no service TD) */
}

static int boot_info_hash(struct tm_tdx_state *t)
{
	uint8_t rep[1024] = { 0 };
	fill_tdinfo(t, rep);
	return sha384_2(rep + TDREPORT_OFF_TDINFO, TDREPORT_LEN_TDINFO, NULL, 0, t->boot_info_hash);
}

int tm_tdx_init(struct tm_dev *d)
{
	struct tm_tdx_state *t = calloc(1, sizeof(*t));
	if (!t)
		return -ENOMEM;
	d->tdx = t;
	int rc = 0;
	rc |= derive(d, "cpusvn", t->cpusvn, 16);
	rc |= derive(d, "mrseam", t->mrseam, 48);
	rc |= derive(d, "mrtd", t->mrtd, 48);
	rc |= derive(d, "mrconfigid", t->mrconfigid, 48);
	rc |= derive(d, "mrowner", t->mrowner, 48);
	rc |= derive(d, "mrownerconfig", t->mrownerconfig, 48);
	/* RTMR0..2 boot to the replay of the boot event log (tm_tdx_boot_digest), so an event
	 * log served by the mock agent replays to the registers */
	for (unsigned i = 0; i < 3; i++)
		for (unsigned j = 0; j < TM_TDX_BOOT_EVENTS; j++) {
			uint8_t dg[48], md[48];
			char label[32];
			snprintf(label, sizeof(label), "boot-event-%u-%u", i, j);
			rc |= derive(d, label, dg, 48);
			rc |= sha384_2(t->rtmr_boot[i], 48, dg, 48, md);
			memcpy(t->rtmr_boot[i], md, 48);
		}
	rc |= derive(d, "mac-key", t->mac_key, 32);
	if (!rc && (!(t->mac_ctx = mac_ctx_new(t->mac_key)) || !(t->md_ctx = EVP_MD_CTX_new())))
		rc = -EIO;
	if (rc) {
		tm_tdx_fini(d);
		return -EIO;
	}
	/* TEE_TCB_SVN: [0] module minor SVN, [1] major SVN, [2] SEAM last-patch SVN (formats.md §1.3) */
	t->tee_tcb_svn[0] = 5;
	t->tee_tcb_svn[1] = 1;
	t->tee_tcb_svn[2] = 2;
	t->valid = TD_VALID;
	t->td_attributes = TD_ATTRIBUTES;
	t->xfam = TD_XFAM;
	/* MRSIGNERSEAM is 0 for Intel-signed modules */
	tm_tdx_reset(d);
	if (boot_info_hash(t)) {
		tm_tdx_fini(d);
		return -EIO;
	}
	return 0;
}

void tm_tdx_fini(struct tm_dev *d)
{
	if (d->tdx) {
		EVP_MAC_CTX_free(d->tdx->mac_ctx);
		EVP_MD_CTX_free(d->tdx->md_ctx);
	}
	free(d->tdx);
	d->tdx = NULL;
}

void tm_tdx_reset(struct tm_dev *d)
{
	struct tm_tdx_state *t = d->tdx;
	if (!t)
		return;
	TM_LOCK(d);
	memcpy(t->rtmr, t->rtmr_boot, sizeof(t->rtmr));
	t->extended_since_boot = false;
	t->hashes_valid = false;
	t->inj_count = 0;
	/* The driver fills its TDREPORT buffer at init; RTMR reads refresh on first use. The
	 * boot report (two SHA-384 and the MAC) is made when the buffer is first read
	 * (tm_tdx_kbuf_locked), not at every reset: most resets (a fuzz input each, SEV
	 * machines included) never read it. The fields read from it before a refresh (MRTD,
	 * the config IDs) are the same whenever it is made, and the RTMR reads refresh it
	 * anyway (mr_in_sync is false after a reset). */
	t->kbuf_boot_pending = true;
	t->mr_in_sync = false;
	TM_UNLOCK(d);
}

int tm_tdx_tdreport_locked(struct tm_dev *d, const uint8_t reportdata[64], uint8_t out[1024])
{
	struct tm_tdx_state *t = d->tdx;
	uint8_t rep[1024];
	if (!t || !reportdata || !out)
		return -EINVAL;
	memset(rep, 0, sizeof(rep));
	rep[0] = 0x81; /* TDX; SUBTYPE 0, VERSION 0 (no service TD bound: SERVTD_HASH 0) */
	/* tdx-tdreport-version-1: VERSION 1 (the "service TDs bound" form) with no service TD */
	if (TM_FAULT(d, TDX_TDREPORT_VERSION_1))
		rep[2] = 1;
	/* tdx-tdreport-reserved-not-zeroed: the 32 reserved bytes before the MAC keep stale data */
	if (TM_FAULT(d, TDX_TDREPORT_RESERVED_NOT_ZEROED))
		memset(rep + TDREPORT_OFF_MAC - 32, 0x5c, 32);
	memcpy(rep + TDREPORT_OFF_CPUSVN, t->cpusvn, 16);
	memcpy(rep + TDREPORT_OFF_REPORTDATA, reportdata, 64);
	put_le64(rep + TDREPORT_OFF_VALID, t->valid);
	memcpy(rep + TDREPORT_OFF_TEE_TCB_SVN, t->tee_tcb_svn, 16);
	memcpy(rep + TDREPORT_OFF_MRSEAM, t->mrseam, 48);
	memcpy(rep + TDREPORT_OFF_MRSIGNERSEAM, t->mrsignerseam, 48);
	/* SEAM attributes 0; TEE_TCB_SVN2 absent (VALID 0x1ff). tdx-seam-attributes-debug: a
	 * non-production module's SEAM attributes (bit 63) */
	if (TM_FAULT(d, TDX_SEAM_ATTRIBUTES_DEBUG))
		put_le64(rep + TDREPORT_OFF_SEAM_ATTRIBUTES, 1ULL << 63);
	fill_tdinfo(t, rep);
	/* tdx-td-attributes-debug: a production image launched as a debug TD (ATTRIBUTES.DEBUG);
	 * tdx-xfam-avx512-partial: XFAM with the AVX-512 opmask bit (5) but not ZMM_Hi256 (6) */
	if (TM_FAULT(d, TDX_TD_ATTRIBUTES_DEBUG))
		put_le64(rep + TDREPORT_OFF_ATTRIBUTES, t->td_attributes | 1);
	if (TM_FAULT(d, TDX_XFAM_AVX512_PARTIAL))
		put_le64(rep + TDREPORT_OFF_XFAM, t->xfam & ~(1ULL << 6));
	if (!t->hashes_valid) {
		if (sha384_2c(t->md_ctx, rep + TDREPORT_OFF_TEE_TCB_INFO, TDREPORT_LEN_TEE_TCB_INFO, NULL, 0, t->tcb_info_hash) ||
		    sha384_2c(t->md_ctx, rep + TDREPORT_OFF_TDINFO, TDREPORT_LEN_TDINFO, NULL, 0, t->info_hash))
			return -EIO;
		t->hashes_valid = true;
	}
	memcpy(rep + TDREPORT_OFF_TEE_TCB_INFO_HASH, t->tcb_info_hash, 48);
	if (TM_FAULT(d, TDX_INFO_HASH_STALE) && t->extended_since_boot)
		memcpy(rep + TDREPORT_OFF_TEE_INFO_HASH, t->boot_info_hash, 48);
	else
		memcpy(rep + TDREPORT_OFF_TEE_INFO_HASH, t->info_hash, 48);
	if (report_mac(t, rep, rep + TDREPORT_OFF_MAC))
		return -EIO;
	memcpy(out, rep, sizeof(rep));
	/* v6.16+: the ioctl, configfs and the MR cache share one kernel buffer */
	if (out != t->kbuf)
		memcpy(t->kbuf, rep, sizeof(rep));
	t->kbuf_boot_pending = false;
	return 0;
}

int tm_tdx_tdreport(struct tm_dev *d, const uint8_t reportdata[64], uint8_t out[1024])
{
	TM_LOCK(d);
	int rc = tm_tdx_tdreport_locked(d, reportdata, out);
	TM_UNLOCK(d);
	return rc;
}

int tm_tdx_extend_locked(struct tm_dev *d, unsigned idx, const uint8_t data[48])
{
	struct tm_tdx_state *t = d->tdx;
	uint8_t md[48];
	if (!t || !data || idx >= TEEABI_TDX_RTMR_COUNT)
		return -EINVAL;
	int rc = TM_FAULT(d, TDX_EXTEND_WRONG_HASH) ? sha384_2c(t->md_ctx, data, 48, NULL, 0, md)
						      : sha384_2c(t->md_ctx, t->rtmr[idx], 48, data, 48, md);
	if (rc)
		return rc;
	memcpy(t->rtmr[idx], md, 48);
	t->extended_since_boot = true;
	t->hashes_valid = false;
	return 0;
}

const uint8_t *tm_tdx_kbuf_locked(struct tm_dev *d)
{
	struct tm_tdx_state *t = d->tdx;
	if (!t)
		return NULL;
	if (t->kbuf_boot_pending) {
		uint8_t zero[64] = { 0 };
		tm_tdx_tdreport_locked(d, zero, t->kbuf);
	}
	return t->kbuf;
}
bool *tm_tdx_mr_in_sync_locked(struct tm_dev *d) { return d->tdx ? &d->tdx->mr_in_sync : NULL; }

int tm_tdx_rtmr_extend(struct tm_dev *d, unsigned idx, const uint8_t data[48])
{
	TM_LOCK(d);
	int rc = tm_tdx_extend_locked(d, idx, data);
	/* any extend makes a cached RTMR stale for the measurement files */
	if (!rc && d->tdx)
		d->tdx->mr_in_sync = false;
	TM_UNLOCK(d);
	return rc;
}

void tm_tdx_boot_digest(struct tm_dev *d, unsigned rtmr, unsigned j, uint8_t out[48])
{
	char label[32];
	snprintf(label, sizeof(label), "boot-event-%u-%u", rtmr, j);
	if (rtmr > 2 || j >= TM_TDX_BOOT_EVENTS || derive(d, label, out, 48))
		memset(out, 0, 48);
}

void tm_tdx_rtmr_get(struct tm_dev *d, unsigned idx, uint8_t out[48])
{
	TM_LOCK(d);
	if (d->tdx && idx < TEEABI_TDX_RTMR_COUNT)
		memcpy(out, d->tdx->rtmr[idx], 48);
	else
		memset(out, 0, 48);
	TM_UNLOCK(d);
}

/* ---------------------------------------------------------------- ioctl handlers */

static int uread(const struct tm_uaccess *ua, uint64_t uaddr, void *dst, size_t len)
{
	if (!ua || !ua->read)
		return -EFAULT;
	return ua->read(ua->ctx, uaddr, dst, len) ? -EFAULT : 0;
}

static int uwrite(const struct tm_uaccess *ua, uint64_t uaddr, const void *src, size_t len)
{
	if (!ua || !ua->write)
		return -EFAULT;
	return ua->write(ua->ctx, uaddr, src, len) ? -EFAULT : 0;
}

static long unknown_cmd(struct tm_dev *d)
{
	return TM_FAULT(d, TDX_UNKNOWN_CMD_EINVAL) ? -EINVAL : -ENOTTY;
}

/* The errno tdx_mcall_get_report0() makes of a failed TDG.MR.REPORT (kernel-abi.md §1.3):
 * 6.2-6.15 invalid operand -> EINVAL, anything else -> EIO; >= 6.16 invalid operand ->
 * ENXIO, OPERAND_BUSY -> EBUSY, anything else -> EIO. */
static long tdcall_errno(const struct tm_dev *d, uint64_t status)
{
	uint64_t code = status >> 32;
	if (code == TM_TDCALL_INVALID_OPERAND)
		return d->prof.tdx_report_errnos_616 ? -ENXIO : -EINVAL;
	if (code == TM_TDCALL_OPERAND_BUSY && d->prof.tdx_report_errnos_616)
		return -EBUSY;
	return -EIO;
}

void tm_tdx_inject_tdcall(struct tm_dev *d, uint64_t status, unsigned n)
{
	if (!d->tdx)
		return;
	TM_LOCK(d);
	d->tdx->inj_status = status;
	d->tdx->inj_count = n;
	TM_UNLOCK(d);
}

/* TDX_CMD_GET_REPORT0: copy reportdata in, TDG.MR.REPORT, copy tdreport out. */
static long ioc_get_report0(struct tm_dev *d, uint64_t arg, const struct tm_uaccess *ua)
{
	uint8_t rd[64], rep[1024];
	if (uread(ua, arg, rd, sizeof(rd)))
		return -EFAULT;
	if (d->tdx->inj_count) {
		/* 6.16+: the shared-buffer mutex is taken interruptibly; the model's "signal"
		 * is status 0 with the 6.16 errno set (EINTR before any TDCALL). */
		d->tdx->inj_count--;
		if (d->tdx->inj_status)
			return tdcall_errno(d, d->tdx->inj_status);
		if (d->prof.tdx_report_errnos_616)
			return -EINTR;
		/* before 6.16 there is no mutex to interrupt: the call goes on as usual */
	}
	if (TM_FAULT(d, TDX_REPORTDATA_NOT_ECHOED))
		memset(rd, 0, sizeof(rd)); /* a driver that hands the TDX module the wrong buffer */
	int rc = tm_tdx_tdreport_locked(d, rd, rep);
	if (rc)
		return -EIO;
	if (TM_FAULT(d, TDX_REPORT_TYPE_WRONG))
		rep[0] = 0x00;
	/* a driver that copies the whole 1088-byte request back, reportdata included */
	if (TM_FAULT(d, TDX_REPORT0_WRITES_REPORTDATA) && uwrite(ua, arg, rd, sizeof(rd)))
		return -EFAULT;
	/* tdx-report0-copy-one-short: an off-by-one copy_to_user length, the last byte of the
	 * caller's tdreport keeps what it held */
	size_t out_len = TM_FAULT(d, TDX_REPORT0_COPY_ONE_SHORT) ? sizeof(rep) - 1 : sizeof(rep);
	if (arg > UINT64_MAX - 64 || uwrite(ua, arg + 64, rep, out_len))
		return -EFAULT;
	return 0;
}

/* TDX_CMD_EXTEND_RTMR, dstack module flavour (mod.c @ v0.5.x). */
static long ioc_extend_dstack(struct tm_dev *d, uint64_t arg, const struct tm_uaccess *ua)
{
	struct teeabi_tdx_extend_rtmr_req req;
	if (uread(ua, arg, &req, sizeof(req)))
		return -EFAULT;
	if (req.index >= TEEABI_TDX_RTMR_COUNT) {
		/* dstack >= 0.5.9 checks the index and returns -EINVAL. Before, any u8 index went
		 * to the TDX module and the handler returned the raw TDCALL status (an operand-
		 * invalid status, bit 63 set), which no errno can represent. The model returns
		 * -EIO for that case so that callers see a failure without a changed RTMR. */
		if (d->prof.tdx_extend_index_check && !TM_FAULT(d, TDX_EXTEND_NO_INDEX_CHECK))
			return -EINVAL;
		return -EIO;
	}
	if (tm_tdx_extend_locked(d, req.index, req.data))
		return -EIO;
	d->tdx->mr_in_sync = false;
	/* tdx-extend-writes-back-rtmr: a handler that honours the _IOR direction bit with a
	 * copy_to_user of the request, data = the new RTMR value (dstack's tdx_extend_rtmr()
	 * only copy_from_user()s it: the request is input only, on either command number) */
	if (TM_FAULT(d, TDX_EXTEND_WRITES_BACK_RTMR)) {
		memcpy(req.data, d->tdx->rtmr[req.index], sizeof(req.data));
		return uwrite(ua, arg, &req, sizeof(req)) ? -EFAULT : 0;
	}
	return 0;
}

/* TDX_CMD_EXTEND_RTMR, Intel downstream flavour: RTMR0/1 are not extendable from user space. */
static long ioc_extend_intel(struct tm_dev *d, uint64_t arg, const struct tm_uaccess *ua)
{
	struct teeabi_tdx_extend_rtmr_req req;
	if (uread(ua, arg, &req, sizeof(req)))
		return -EFAULT;
	if (req.index < 2 || req.index >= TEEABI_TDX_RTMR_COUNT)
		return -EINVAL;
	if (tm_tdx_extend_locked(d, req.index, req.data))
		return -EIO;
	d->tdx->mr_in_sync = false;
	/* tdx-extend-writes-back-rtmr: a handler that honours the _IOR direction bit with a
	 * copy_to_user of the request, data = the new RTMR value (dstack's tdx_extend_rtmr()
	 * only copy_from_user()s it: the request is input only, on either command number) */
	if (TM_FAULT(d, TDX_EXTEND_WRITES_BACK_RTMR)) {
		memcpy(req.data, d->tdx->rtmr[req.index], sizeof(req.data));
		return uwrite(ua, arg, &req, sizeof(req)) ? -EFAULT : 0;
	}
	return 0;
}

/* TDX_CMD_VERIFY_REPORT (Intel downstream): TDG.MR.VERIFYREPORT on the REPORTMACSTRUCT.
 * err_code receives the TDCALL status (0 = the MAC is this machine's); the ioctl returns 0. */
static long ioc_verify_report(struct tm_dev *d, uint64_t arg, const struct tm_uaccess *ua)
{
	struct teeabi_tdx_verify_report_req req;
	uint8_t mac[32];
	if (uread(ua, arg, &req, sizeof(req)))
		return -EFAULT;
	if (report_mac(d->tdx, req.reportmac, mac))
		return -EIO;
	uint64_t err = memcmp(mac, req.reportmac + TDREPORT_OFF_MAC, 32) ? TDX_STATUS_OPERAND_INVALID : 0;
	if (arg > UINT64_MAX - 256 || uwrite(ua, arg + 256, &err, sizeof(err)))
		return -EFAULT;
	return 0;
}

static uint32_t get_be32(const uint8_t *p) { return (uint32_t)p[0] << 24 | (uint32_t)p[1] << 16 | (uint32_t)p[2] << 8 | p[3]; }

/* The host/QGS side of GetQuote on a tdx_quote_hdr buffer of len bytes. Simplified QGS:
 * input data = the TDREPORT (in_len 1024), optionally behind a 4-byte big-endian length
 * prefix (in_len 1028); output data = 4-byte BE quote length + the raw quote, status 0.
 * A malformed request, a TDREPORT whose MAC is not this machine's or whose TEE_TCB_INFO /
 * TDINFO do not match their hashes, or an answer that does not fit the buffer gives status
 * GET_QUOTE_ERROR with out_len 0. */
static void serve_getquote(struct tm_dev *d, uint8_t *buf, size_t len)
{
	struct teeabi_tdx_quote_hdr h;
	uint8_t mac[32], md[48];
	memcpy(&h, buf, sizeof(h));
	uint8_t *data = buf + sizeof(h);
	size_t cap = len - sizeof(h);
	const uint8_t *rep = NULL;
	uint8_t *quote = NULL;
	size_t qlen = 0;

	h.status = TEEABI_GETQUOTE_ERROR;
	h.out_len = 0;
	if (h.version != 1 || h.in_len > cap)
		goto out;
	if (h.in_len == TEEABI_TDX_REPORT_LEN)
		rep = data;
	else if (h.in_len == 4 + TEEABI_TDX_REPORT_LEN && get_be32(data) == TEEABI_TDX_REPORT_LEN)
		rep = data + 4;
	else
		goto out;
	if (rep[0] != 0x81 || report_mac(d->tdx, rep, mac) || memcmp(mac, rep + TDREPORT_OFF_MAC, 32))
		goto out;
	/* The MAC covers REPORTMACSTRUCT only; TEE_TCB_INFO and TDINFO are bound to it through
	 * TEE_TCB_INFO_HASH and TEE_INFO_HASH, which the Quoting Enclave recomputes, so a
	 * TDREPORT with an altered MR/RTMR behind a genuine MAC is not quoted. */
	if (sha384_2(rep + TDREPORT_OFF_TEE_TCB_INFO, TDREPORT_LEN_TEE_TCB_INFO, NULL, 0, md) ||
	    memcmp(md, rep + TDREPORT_OFF_TEE_TCB_INFO_HASH, 48) ||
	    sha384_2(rep + TDREPORT_OFF_TDINFO, TDREPORT_LEN_TDINFO, NULL, 0, md) ||
	    memcmp(md, rep + TDREPORT_OFF_TEE_INFO_HASH, 48))
		goto out;
	if (tm_tdx_quote_locked(d, rep, &quote, &qlen))
		goto out;
	if (qlen > UINT32_MAX - 4 || qlen + 4 > cap)
		goto out;
	data[0] = (uint8_t)(qlen >> 24);
	data[1] = (uint8_t)(qlen >> 16);
	data[2] = (uint8_t)(qlen >> 8);
	data[3] = (uint8_t)qlen;
	memcpy(data + 4, quote, qlen);
	h.status = TEEABI_GETQUOTE_SUCCESS;
	h.out_len = (uint32_t)(qlen + 4);
out:
	free(quote);
	memcpy(buf, &h, sizeof(h));
}

/* TDX_CMD_GET_QUOTE (Intel downstream): {u64 buf; u64 len}; the whole buffer is copied in,
 * the GetQuote hypercall runs on it, and the whole buffer is copied back. */
static long ioc_get_quote(struct tm_dev *d, uint64_t arg, const struct tm_uaccess *ua)
{
	struct teeabi_tdx_quote_req req;
	if (uread(ua, arg, &req, sizeof(req)))
		return -EFAULT;
	if (req.len < sizeof(struct teeabi_tdx_quote_hdr) || req.len > GET_QUOTE_MAX_SIZE)
		return -EINVAL;
	uint8_t *buf = malloc(req.len);
	if (!buf)
		return -ENOMEM;
	long rc = 0;
	if (uread(ua, req.buf, buf, req.len)) {
		rc = -EFAULT;
		goto out;
	}
	serve_getquote(d, buf, req.len);
	if (uwrite(ua, req.buf, buf, req.len))
		rc = -EFAULT;
out:
	free(buf);
	return rc;
}

/* GET_REPORT0 is the exact command number (type, number, size and direction); the fault
 * matches type 'T' and number 1 only, so a 'T',1 command of another size is served too. */
static bool is_report0(struct tm_dev *d, unsigned int cmd)
{
	if (cmd == TEEABI_TDX_CMD_GET_REPORT0)
		return true;
	return TM_FAULT(d, TDX_CMD_SIZE_IGNORED) && _IOC_TYPE(cmd) == _IOC_TYPE(TEEABI_TDX_CMD_GET_REPORT0) &&
	       _IOC_NR(cmd) == _IOC_NR(TEEABI_TDX_CMD_GET_REPORT0);
}

long tm_tdx_ioctl(struct tm_dev *d, unsigned int cmd, uint64_t arg, const struct tm_uaccess *ua)
{
	long rc;
	TM_LOCK(d);
	switch (d->prof.tdx_guest) {
	case TEEABI_TDX_UPSTREAM:
		if (is_report0(d, cmd))
			rc = ioc_get_report0(d, arg, ua);
		else if (cmd == TEEABI_TDX_CMD_GET_QUOTE && TM_FAULT(d, TDX_LEGACY_GETQUOTE_PRESENT))
			rc = ioc_get_quote(d, arg, ua);
		else
			rc = unknown_cmd(d);
		break;
	case TEEABI_TDX_DSTACK_MOD:
		if (is_report0(d, cmd))
			rc = ioc_get_report0(d, arg, ua);
		else if (cmd == TEEABI_TDX_CMD_EXTEND_RTMR ||
			 (cmd == TEEABI_TDX_CMD_EXTEND_RTMR_IOW && !TM_FAULT(d, TDX_EXTEND_IOW_MISSING)))
			rc = ioc_extend_dstack(d, arg, ua);
		else if (cmd == TEEABI_TDX_CMD_GET_QUOTE && TM_FAULT(d, TDX_LEGACY_GETQUOTE_PRESENT))
			rc = ioc_get_quote(d, arg, ua);
		else
			rc = unknown_cmd(d);
		break;
	case TEEABI_TDX_INTEL:
		if (is_report0(d, cmd))
			rc = ioc_get_report0(d, arg, ua);
		else if (cmd == TEEABI_TDX_CMD_EXTEND_RTMR)
			rc = ioc_extend_intel(d, arg, ua);
		else if (cmd == TEEABI_TDX_CMD_VERIFY_REPORT)
			rc = ioc_verify_report(d, arg, ua);
		else if (cmd == TEEABI_TDX_CMD_GET_QUOTE)
			rc = ioc_get_quote(d, arg, ua);
		else
			rc = unknown_cmd(d);
		break;
	case TEEABI_TDX_ABSENT:
	default:
		rc = -ENODEV;
		break;
	}
	TM_UNLOCK(d);
	return rc;
}
