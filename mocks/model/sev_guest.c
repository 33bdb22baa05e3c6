/* SPDX-License-Identifier: Apache-2.0 */
/*
 * sev_guest.c - /dev/sev-guest: the driver's ioctl checks (docs/kernel-abi.md §2.3, in
 * that order), a simulated host (certificate buffer, BUSY with the driver's retry on a
 * simulated clock) and simulated SNP firmware (MSG_REPORT_REQ with a signed v3 report,
 * MSG_KEY_REQ with a deterministic derived key).
 *
 * Firmware choices: report version 3, policy 0x30000 (DEBUG added on a snp_debug = 1 profile), signature algorithm 1 (ECDSA
 * P-384/SHA-384 with the test VCEK or VLEK of pki_snp.c); CPUID and TCB are those of the
 * profile's product (snp_product, default Milan: CPUID 19 01 01, pki_snp.c). The
 * measurement, host data, chip id and report id are derived from the profile name, so
 * one profile always shows the same values. The firmware understands message version 1;
 * a higher msg_version is rejected out of band (fw_error 0x16, EIO, VMPCK wiped), which
 * is why fuzzing a real device is a bad idea. (Version 0 never reaches the firmware of a
 * correct driver; with sev-msg-version-zero-ok it is served like version 1.)
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <openssl/evp.h>
#include "internal.h"
#include "sev_internal.h"
#include "teeabi/bytes.h"
#include "teeabi/snp.h"

#define SNP_REPORT_VERSION 3
#define SNP_POLICY         0x30000ULL
#define SNP_PLATFORM_INFO  0x3ULL
#define SNP_FW_BUILD 21
#define SNP_FW_MINOR 55
#define SNP_FW_MAJOR 1
/* The guest SVN of the launch (ID block), as the report's GUEST_SVN (0x04) shows it; not zero,
 * so that MSG_KEY_REQ has more than one legal guest_svn (0..this) to mix into a key. */
#define SNP_GUEST_SVN      2
#define RETRY_DELAY_MS   2000ULL
#define RETRY_MAX_MS     60000ULL
#define NO_FW_CALL       0xFFFFFFFFFFFFFFFFULL
#define USER_ADDR_END    0x00007FFFFFFFF000ULL /* TASK_SIZE_MAX */

enum msg_type { MSG_REPORT_REQ = 5, MSG_KEY_REQ = 3 };

struct tm_sev_state {
	bool vmpck_disabled;
	uint64_t seqno;        /* message sequence number (+2 per completed request) */
	uint64_t clock_ms;     /* simulated clock, advanced by the BUSY retry */
	unsigned host_busy;    /* the next n host answers are BUSY */
	bool fw_error_armed;
	uint32_t fw_error;
	uint8_t secret[32];    /* root of the derived keys */
	uint8_t family_id[16], image_id[16];
	uint8_t measurement[48], host_data[32], report_id[32], chip_id[64];
};

static void put32(uint8_t *p, uint32_t v)
{
	p[0] = (uint8_t)v; p[1] = (uint8_t)(v >> 8); p[2] = (uint8_t)(v >> 16); p[3] = (uint8_t)(v >> 24);
}

static void put64(uint8_t *p, uint64_t v)
{
	put32(p, (uint32_t)v);
	put32(p + 4, (uint32_t)(v >> 32));
}

/* SHA-384(label || profile name), truncated/extended to n bytes (n <= 96). */
static int derive(const struct tm_dev *d, const char *label, uint8_t *out, size_t n)
{
	uint8_t h[96];
	unsigned hl = 0;
	EVP_MD_CTX *c = EVP_MD_CTX_new();
	int rc = -EIO;

	if (!c)
		return -ENOMEM;
	for (int half = 0; half < 2; half++) {
		uint8_t tag = (uint8_t)half;
		if (EVP_DigestInit_ex(c, EVP_sha384(), NULL) <= 0 || EVP_DigestUpdate(c, label, strlen(label)) <= 0 ||
		    EVP_DigestUpdate(c, &tag, 1) <= 0 ||
		    EVP_DigestUpdate(c, d->prof.name, strnlen(d->prof.name, sizeof(d->prof.name))) <= 0 ||
		    EVP_DigestFinal_ex(c, h + 48 * half, &hl) <= 0)
			goto out;
	}
	memcpy(out, h, n);
	rc = 0;
out:
	EVP_MD_CTX_free(c);
	return rc;
}

int tm_sev_init(struct tm_dev *d)
{
	struct tm_sev_state *s = calloc(1, sizeof(*s));

	if (!s)
		return -ENOMEM;
	d->sev = s;
	if (derive(d, "teeabi-snp-secret", s->secret, sizeof(s->secret)) ||
	    derive(d, "teeabi-snp-family-id", s->family_id, sizeof(s->family_id)) ||
	    derive(d, "teeabi-snp-image-id", s->image_id, sizeof(s->image_id)) ||
	    derive(d, "teeabi-snp-measurement", s->measurement, sizeof(s->measurement)) ||
	    derive(d, "teeabi-snp-host-data", s->host_data, sizeof(s->host_data)) ||
	    derive(d, "teeabi-snp-report-id", s->report_id, sizeof(s->report_id)) ||
	    derive(d, "teeabi-snp-chip-id", s->chip_id, sizeof(s->chip_id)))
		return -EIO;
	/* Turin: only the first 8 bytes of CHIP_ID are the chip's (formats.md §4.1) */
	memset(s->chip_id + tm_snp_product_of(d)->hwid_len, 0, sizeof(s->chip_id) - tm_snp_product_of(d)->hwid_len);
	return 0;
}

const uint8_t *tm_sev_chip_id(struct tm_dev *d)
{
	return d->sev->chip_id;
}

void tm_sev_fini(struct tm_dev *d)
{
	free(d->sev);
	d->sev = NULL;
}

void tm_sev_reset(struct tm_dev *d)
{
	struct tm_sev_state *s = d->sev;

	s->vmpck_disabled = false;
	s->seqno = 0;
	s->clock_ms = 0;
	s->host_busy = 0;
	s->fw_error_armed = false;
	s->fw_error = 0;
}

/* ------------------------------------------------------------------ firmware */

/* The guest's POLICY (0x08): SMT allowed, bit 17 (reserved, must be 1), DEBUG (bit 19) only
 * on a profile whose guests are debug guests (snp_debug = 1). */
static uint64_t snp_policy(const struct tm_dev *d)
{
	/* sev-policy-debug: a production guest launched with DEBUG set (a launcher slip) */
	bool debug = d->prof.snp_debug == 1 || TM_FAULT(d, SEV_POLICY_DEBUG);
	return SNP_POLICY | (debug ? 1ULL << 19 : 0);
}

/* MSG_REPORT_RSP into resp (4000 bytes) for a request sent with the VMPCK of VMPL
 * requester (the guest's own VMPL, or 0 for an SVSM). *status gets the firmware status. */
static int fw_report(struct tm_dev *d, unsigned requester, const uint8_t user_data[64], uint32_t vmpl, uint8_t *resp,
		     uint32_t *status)
{
	struct tm_sev_state *s = d->sev;
	const struct tm_snp_product *prod = tm_snp_product_of(d);
	const uint64_t tcb = prod->tcb;
	uint8_t *r = resp + TEEABI_SNP_MSG_REPORT_RSP_HDR;

	memset(resp, 0, sizeof(struct teeabi_snp_report_resp));
	if (vmpl < requester || vmpl > 3) {
		put32(resp, TEEABI_SEV_RET_INVALID_PARAM);
		*status = TEEABI_SEV_RET_INVALID_PARAM;
		return 0;
	}
	put32(resp, TEEABI_SEV_RET_SUCCESS);
	put32(resp + 4, TEEABI_SNP_REPORT_LEN);
	/* sev-report-version-2-with-cpuid: the v3 layout filled, the old version constant kept */
	put32(r + SNP_OFF_VERSION, TM_FAULT(d, SEV_REPORT_VERSION_2_WITH_CPUID) ? 2 : SNP_REPORT_VERSION);
	put32(r + SNP_OFF_GUEST_SVN, SNP_GUEST_SVN);
	put64(r + SNP_OFF_POLICY, snp_policy(d));
	memcpy(r + SNP_OFF_FAMILY_ID, s->family_id, 16);
	memcpy(r + SNP_OFF_IMAGE_ID, s->image_id, 16);
	/* sev-report-vmpl-not-echoed: the VMPL field says who asked, not which VMPL was asked for */
	put32(r + SNP_OFF_VMPL, TM_FAULT(d, SEV_REPORT_VMPL_NOT_ECHOED) ? requester : vmpl);
	put32(r + SNP_OFF_SIG_ALGO, 1);
	put64(r + SNP_OFF_CURRENT_TCB, tcb);
	put64(r + SNP_OFF_PLATFORM_INFO, SNP_PLATFORM_INFO);
	/* SIGNING_KEY (bits 4:2) 0 = VCEK, 1 = VLEK; chip id not masked */
	/* sev-report-signer-info-vcek-on-vlek: the field never set, though the VLEK signs */
	/* sev-report-mask-chip-key-set-but-signed: MASK_CHIP_KEY (bit 1) set, the report signed anyway */
	put32(r + SNP_OFF_SIGNER_INFO, (d->prof.snp_vlek && !TM_FAULT(d, SEV_REPORT_SIGNER_INFO_VCEK_ON_VLEK) ? 1u << 2 : 0) |
					       (TM_FAULT(d, SEV_REPORT_MASK_CHIP_KEY_SET_BUT_SIGNED) ? 1u << 1 : 0));
	memcpy(r + SNP_OFF_REPORT_DATA, user_data, 64);
	if (TM_FAULT(d, SEV_REPORTDATA_NOT_ECHOED))
		r[SNP_OFF_REPORT_DATA + 63] ^= 0x01;
	memcpy(r + SNP_OFF_MEASUREMENT, s->measurement, 48);
	memcpy(r + SNP_OFF_HOST_DATA, s->host_data, 32);
	/* no ID block at launch: ID_KEY_DIGEST, AUTHOR_KEY_DIGEST and AUTHOR_KEY_EN stay 0;
	 * sev-report-author-key-digest-without-en: a digest (here the measurement's bytes) filled
	 * although AUTHOR_KEY_EN is 0 */
	if (TM_FAULT(d, SEV_REPORT_AUTHOR_KEY_DIGEST_WITHOUT_EN))
		memcpy(r + SNP_OFF_AUTHOR_KEY_DIGEST, s->measurement, 48);
	memcpy(r + SNP_OFF_REPORT_ID, s->report_id, 32);
	/* sev-report-id-per-request: REPORT_ID drawn anew for every report (first byte + 1) */
	if (TM_FAULT(d, SEV_REPORT_ID_PER_REQUEST))
		s->report_id[0]++;
	memset(r + SNP_OFF_REPORT_ID_MA, 0xff, 32); /* no migration agent */
	put64(r + SNP_OFF_REPORTED_TCB, tcb);
	/* sev-report-cpuid-always-milan: a hard-coded Milan CPUID row (19h 01h 01h) */
	memcpy(r + SNP_OFF_CPUID_FAM, TM_FAULT(d, SEV_REPORT_CPUID_ALWAYS_MILAN) ? (const uint8_t[]){ 0x19, 0x01, 0x01 } : prod->cpuid,
	       3);
	/* a VLEK-signed report carries no CHIP_ID (as the VLEK-signed report in vectors/) */
	if (!d->prof.snp_vlek)
		memcpy(r + SNP_OFF_CHIP_ID, s->chip_id, 64);
	put64(r + SNP_OFF_COMMITTED_TCB, tcb);
	r[SNP_OFF_CURRENT_BUILD] = SNP_FW_BUILD;
	r[SNP_OFF_CURRENT_BUILD + 1] = SNP_FW_MINOR;
	r[SNP_OFF_CURRENT_BUILD + 2] = SNP_FW_MAJOR;
	/* sev-committed-version-reversed: COMMITTED_BUILD/MINOR/MAJOR written major first */
	bool rev = TM_FAULT(d, SEV_COMMITTED_VERSION_REVERSED);
	r[SNP_OFF_COMMITTED_BUILD] = rev ? SNP_FW_MAJOR : SNP_FW_BUILD;
	r[SNP_OFF_COMMITTED_BUILD + 1] = SNP_FW_MINOR;
	r[SNP_OFF_COMMITTED_BUILD + 2] = rev ? SNP_FW_BUILD : SNP_FW_MAJOR;
	/* sev-report-launch-tcb-zero: the TCB at launch never recorded (0) */
	put64(r + SNP_OFF_LAUNCH_TCB, TM_FAULT(d, SEV_REPORT_LAUNCH_TCB_ZERO) ? 0 : tcb);
	/* sev-report-id-ma-zero: REPORT_ID_MA left unset (0) although the guest has no migration agent */
	if (TM_FAULT(d, SEV_REPORT_ID_MA_ZERO))
		memset(r + SNP_OFF_REPORT_ID_MA, 0, 32);
	if (tm_pki_snp_sign(d, r, SNP_SIGNED_LEN, r + SNP_OFF_SIGNATURE, r + SNP_OFF_SIGNATURE + 72))
		return -EIO;
	/* sev-report-signature-tail-not-zero: the unsigned tail after SIGNATURE.S (0x330..0x49F,
	 * reserved) keeps bytes of the firmware's buffer (here the first 368 signed bytes) */
	if (TM_FAULT(d, SEV_REPORT_SIGNATURE_TAIL_NOT_ZERO))
		memcpy(r + 0x330, r, TEEABI_SNP_REPORT_LEN - 0x330);
	*status = TEEABI_SEV_RET_SUCCESS;
	return 0;
}

/* The key of a MSG_KEY_REQ that passed the firmware's checks: HMAC-SHA256(secret, what
 * guest_field_select (fs) selects + root key select + vmpl) at 0x20 of resp. */
static int key_derive(struct tm_dev *d, const struct teeabi_snp_derived_key_req *q, uint64_t fs, uint8_t *resp)
{
	struct tm_sev_state *s = d->sev;
	static const char label[] = "teeabi-snp-derived-key";
	uint8_t m[sizeof(label) + 4 + 4 + 8 + 8 + 16 + 16 + 48 + 4 + 8];
	size_t n = 0, klen = 0;

	if (TM_FAULT(d, SEV_KEY_IGNORES_FIELDS))
		fs = 0;
	memcpy(m, label, sizeof(label)); n += sizeof(label);
	/* sev-key-root-key-select-ignored: the VCEK root whatever ROOT_KEY_SELECT says */
	put32(m + n, TM_FAULT(d, SEV_KEY_ROOT_KEY_SELECT_IGNORED) ? 0 : q->root_key_select & 1); n += 4;
	put32(m + n, TM_FAULT(d, SEV_KEY_VMPL_IGNORED) ? d->prof.sev_vmpl : q->vmpl); n += 4;
	put64(m + n, fs); n += 8;
	if (fs & (1u << 0)) { put64(m + n, snp_policy(d)); n += 8; }
	if (fs & (1u << 1)) { memcpy(m + n, s->image_id, 16); n += 16; }
	if (fs & (1u << 2)) { memcpy(m + n, s->family_id, 16); n += 16; }
	if (fs & (1u << 3)) { memcpy(m + n, s->measurement, 48); n += 48; }
	if (fs & (1u << 4)) { put32(m + n, q->guest_svn); n += 4; }
	if (fs & (1u << 5)) { put64(m + n, q->tcb_version); n += 8; }
	/* sev-key-at-wrong-offset: the key lands in the reserved header at 0x10 */
	uint8_t *key = resp + (TM_FAULT(d, SEV_KEY_AT_WRONG_OFFSET) ? 0x10 : 0x20);
	if (!EVP_Q_mac(NULL, "HMAC", NULL, "SHA256", NULL, s->secret, sizeof(s->secret), m, n, key, 32, &klen) ||
	    klen != 32)
		return -EIO;
	put32(resp, TEEABI_SEV_RET_SUCCESS);
	return 0;
}

/* TCB_VERSION t exceeds the committed TCB c: some byte (an SVN, or a reserved byte) above
 * c's (TCB_VERSION is compared per component: formats.md §4.2). */
static bool tcb_exceeds(uint64_t t, uint64_t c)
{
	for (int i = 0; i < 64; i += 8)
		if (((t >> i) & 0xFF) > ((c >> i) & 0xFF))
			return true;
	return false;
}

/* MSG_KEY_RSP (64 bytes) for a MSG_KEY_REQ from the guest's VMPL (SNP firmware ABI 56860,
 * MSG_KEY_REQ: VMPL "must be greater than or equal to the current VMPL" and at most 3,
 * GUEST_SVN "must not exceed the guest SVN provided at launch", TCB_VERSION "must not exceed
 * CommittedTcb"). A request that breaks a rule gets status INVALID_PARAM in the response
 * (in-band) and no key. */
static int fw_key(struct tm_dev *d, const struct teeabi_snp_derived_key_req *q, uint8_t *resp)
{
	struct teeabi_snp_derived_key_req fq = *q;

	/* sev-key-lower-vmpl-accepted: the vmpl is range-checked against 3 only */
	if (TM_FAULT(d, SEV_KEY_LOWER_VMPL_ACCEPTED) && q->vmpl < d->prof.sev_vmpl) {
		memset(resp, 0, TEEABI_SNP_MSG_KEY_RSP_LEN);
		return key_derive(d, q, q->guest_field_select & 0x3f, resp);
	}
	uint64_t fs = q->guest_field_select & 0x3f;

	memset(resp, 0, TEEABI_SNP_MSG_KEY_RSP_LEN);
	if (q->vmpl < d->prof.sev_vmpl || q->vmpl > 3) {
		put32(resp, TEEABI_SEV_RET_INVALID_PARAM);
		return 0;
	}
	if (q->guest_svn > SNP_GUEST_SVN) {
		put32(resp, TEEABI_SEV_RET_INVALID_PARAM);
		return 0;
	}
	/* sev-key-tcb-above-committed-accepted: TCB_VERSION mixed in unchecked */
	if (tcb_exceeds(q->tcb_version, tm_snp_product_of(d)->tcb) && !TM_FAULT(d, SEV_KEY_TCB_ABOVE_COMMITTED_ACCEPTED)) {
		put32(resp, TEEABI_SEV_RET_INVALID_PARAM);
		return 0;
	}
	/* sev-key-ignores-guest-svn: a layout slip drops guest_svn, 0 is mixed in instead */
	if (TM_FAULT(d, SEV_KEY_IGNORES_GUEST_SVN))
		fq.guest_svn = 0;
	int rc = key_derive(d, &fq, fs, resp);
	/* sev-key-rsp-reserved-not-zero: the response buffer is not cleared before it is filled,
	 * the reserved bytes 0x04..0x1F keep key material (here: key bytes 4..31) */
	if (!rc && TM_FAULT(d, SEV_KEY_RSP_RESERVED_NOT_ZERO))
		memcpy(resp + 4, resp + 0x24, 0x1c);
	return rc;
}

/* ------------------------------------------------------------------ send path */

/*
 * One guest request after the driver's argument checks: VMPCK check, host, firmware.
 * ext: SVM_VMGEXIT_EXT_GUEST_REQUEST with *npages pages offered (rewritten with the
 * required count on INVALID_LEN). exitinfo2 is updated as the driver does. Errors other
 * than INVALID_LEN wipe the VMPCK.
 */
static int send_request(struct tm_dev *d, uint8_t msg_version, enum msg_type type, const void *req,
			bool ext, unsigned *npages, uint8_t *resp, uint64_t *exitinfo2)
{
	struct tm_sev_state *s = d->sev;
	/* sev-vmpck-wipe-ignored-by-key: the "VMPCK is disabled" check sits on the report paths
	 * only; a key request still reaches the firmware after the wipe */
	if (TM_FAULT(d, SEV_VMPCK_WIPE_IGNORED_BY_KEY) && s->vmpck_disabled && type == MSG_KEY_REQ) {
		int krc = fw_key(d, req, resp);
		if (!krc)
			*exitinfo2 = 0;
		return krc;
	}
	uint64_t start = s->clock_ms;
	uint32_t status;
	int rc;

	if (s->vmpck_disabled)
		return -ENOTTY; /* "VMPCK is disabled"; exitinfo2 keeps 0xff */
	for (;;) {
		if (d->prof.sev_throttle)
			*exitinfo2 = NO_FW_CALL;
		if (s->host_busy) {
			s->host_busy--;
			*exitinfo2 = (uint64_t)TEEABI_SNP_VMM_ERR_BUSY << TEEABI_SNP_VMM_ERR_SHIFT;
			if (!d->prof.sev_throttle) {
				rc = -EIO;
				goto fail;
			}
			if (s->clock_ms - start > RETRY_MAX_MS) {
				rc = -ETIMEDOUT;
				goto fail;
			}
			s->clock_ms += RETRY_DELAY_MS;
			continue;
		}
		break;
	}
	if (ext) {
		size_t blob_len;
		tm_sev_certs(d, &blob_len);
		if (blob_len > (size_t)*npages * TEEABI_SNP_PAGE_SIZE) {
			/* The driver re-issues the message as a plain request to use up the
			 * sequence number, then reports INVALID_LEN; the key stays. */
			*npages = (unsigned)((blob_len + TEEABI_SNP_PAGE_SIZE - 1) / TEEABI_SNP_PAGE_SIZE);
			s->seqno += 2;
			*exitinfo2 = (uint64_t)TEEABI_SNP_VMM_ERR_INVALID_LEN << TEEABI_SNP_VMM_ERR_SHIFT;
			return -EIO;
		}
	}
	if (s->fw_error_armed || msg_version > 1) {
		*exitinfo2 = s->fw_error_armed ? s->fw_error : TEEABI_SEV_RET_INVALID_PARAM;
		s->fw_error_armed = false;
		/* sev-key-fw-error-no-wipe: the key path's error return skips snp_disable_vmpck() */
		if (TM_FAULT(d, SEV_KEY_FW_ERROR_NO_WIPE) && type == MSG_KEY_REQ)
			return -EIO;
		rc = -EIO;
		goto fail;
	}
	if (type == MSG_REPORT_REQ) {
		const struct teeabi_snp_report_req *rq = req;
		rc = fw_report(d, d->prof.sev_vmpl, rq->user_data, rq->vmpl, resp, &status);
	} else {
		rc = fw_key(d, req, resp);
	}
	if (rc)
		return rc;
	s->seqno += 2;
	*exitinfo2 = 0;
	return 0;
fail:
	s->vmpck_disabled = true;
	return rc;
}

/* ------------------------------------------------------------------ ioctl */

/* sev-report-copy-to-user-unchecked: the user accessor of a handler that drops the result of
 * its copy_to_user() (the write is tried, its failure is not seen) */
struct lax_ua {
	const struct tm_uaccess *ua;
	struct tm_uaccess lax;
};

static int lax_write(void *ctx, uint64_t uaddr, const void *src, size_t len)
{
	const struct lax_ua *l = ctx;
	(void)l->ua->write(l->ua->ctx, uaddr, src, len);
	return 0;
}

static int lax_read(void *ctx, uint64_t uaddr, void *dst, size_t len)
{
	const struct lax_ua *l = ctx;
	return l->ua->read(l->ua->ctx, uaddr, dst, len);
}

static long do_get_report(struct tm_dev *d, struct teeabi_snp_guest_request_ioctl *io, const struct tm_uaccess *ua)
{
	struct teeabi_snp_report_req req;
	struct teeabi_snp_report_resp resp;
	int rc;

	if (!io->req_data || !io->resp_data)
		return -EINVAL;
	if (ua->read(ua->ctx, io->req_data, &req, sizeof(req)))
		return -EFAULT;
	if (TM_FAULT(d, SEV_BAD_VMPL_ERRNO) && req.vmpl > 3)
		return -EINVAL;
	/* sev-report-rsvd-rejected: a driver that enforces the header's "must be zero" */
	if (TM_FAULT(d, SEV_REPORT_RSVD_REJECTED) && !teeabi_all_zero(req.rsvd, sizeof(req.rsvd)))
		return -EINVAL;
	rc = send_request(d, io->msg_version, MSG_REPORT_REQ, &req, false, NULL, resp.data, &io->exitinfo2);
	if (rc)
		return rc;
	if (ua->write(ua->ctx, io->resp_data, &resp, sizeof(resp)))
		return -EFAULT;
	return 0;
}

static long do_get_derived_key(struct tm_dev *d, struct teeabi_snp_guest_request_ioctl *io, const struct tm_uaccess *ua)
{
	struct teeabi_snp_derived_key_req req;
	struct teeabi_snp_derived_key_resp resp;
	int rc;

	if (!io->req_data || !io->resp_data)
		return -EINVAL;
	if (ua->read(ua->ctx, io->req_data, &req, sizeof(req)))
		return -EFAULT;
	rc = send_request(d, io->msg_version, MSG_KEY_REQ, &req, false, NULL, resp.data, &io->exitinfo2);
	if (rc)
		return rc;
	if (ua->write(ua->ctx, io->resp_data, &resp, sizeof(resp)))
		return -EFAULT;
	return 0;
}

static long do_get_ext_report(struct tm_dev *d, struct teeabi_snp_guest_request_ioctl *io, const struct tm_uaccess *ua)
{
	struct teeabi_snp_ext_report_req req;
	struct teeabi_snp_report_resp resp;
	unsigned npages = 0;
	int rc;

	if (!io->req_data || !io->resp_data)
		return -EINVAL;
	if (ua->read(ua->ctx, io->req_data, &req, sizeof(req)))
		return -EFAULT;
	/* sev-certs-address-zero-not-no-certs: only certs_len decides whether certificates are wanted */
	if (req.certs_len && (req.certs_address || TM_FAULT(d, SEV_CERTS_ADDRESS_ZERO_NOT_NO_CERTS))) {
		if (req.certs_len > TEEABI_SNP_CERTS_MAX)
			return -EINVAL;
		if (req.certs_len % TEEABI_SNP_PAGE_SIZE && !TM_FAULT(d, SEV_CERTS_LEN_NOT_PAGE_CHECKED))
			return -EINVAL;
		/* access_ok(): the range must lie below TASK_SIZE_MAX (x86-64, 4-level) */
		if (req.certs_address > USER_ADDR_END || req.certs_len > USER_ADDR_END - req.certs_address)
			return -EFAULT;
		npages = req.certs_len / TEEABI_SNP_PAGE_SIZE;
	}
	if (TM_FAULT(d, SEV_BAD_VMPL_ERRNO) && req.data.vmpl > 3)
		return -EINVAL;
	if (TM_FAULT(d, SEV_REPORT_RSVD_REJECTED) && !teeabi_all_zero(req.data.rsvd, sizeof(req.data.rsvd)))
		return -EINVAL;
	unsigned offered = npages;
	rc = send_request(d, io->msg_version, MSG_REPORT_REQ, &req.data, true, &npages, resp.data, &io->exitinfo2);
	/* sev-ext-invalid-len-fills-certs: the offered pages get the first bytes of the host's
	 * blob (a cut table) on the INVALID_LEN error path, where the kernel copies nothing */
	if (io->vmm_error == TEEABI_SNP_VMM_ERR_INVALID_LEN && offered && TM_FAULT(d, SEV_EXT_INVALID_LEN_FILLS_CERTS)) {
		size_t bl, cut = (size_t)offered * TEEABI_SNP_PAGE_SIZE;
		const uint8_t *bb = tm_sev_certs(d, &bl);
		(void)ua->write(ua->ctx, req.certs_address, bb, cut < bl ? cut : bl);
	}
	if (io->vmm_error == TEEABI_SNP_VMM_ERR_INVALID_LEN && !TM_FAULT(d, SEV_CERTS_LEN_NOT_REWRITTEN)) {
		req.certs_len = npages * TEEABI_SNP_PAGE_SIZE;
		if (ua->write(ua->ctx, io->req_data, &req, sizeof(req)))
			rc = -EFAULT;
	}
	if (rc)
		return rc;
	if (npages) {
		size_t blob_len, len = (size_t)npages * TEEABI_SNP_PAGE_SIZE;
		const uint8_t *blob = tm_sev_certs(d, &blob_len);
		uint8_t *buf = calloc(1, len);
		if (!buf)
			return -ENOMEM;
		memcpy(buf, blob, blob_len < len ? blob_len : len);
		rc = ua->write(ua->ctx, req.certs_address, buf, len) ? -EFAULT : 0;
		free(buf);
		if (rc)
			return rc;
	}
	/* sev-ext-req-copied-on-success: the request is written back with certs_len set to the
	 * blob's page-rounded size, as if every answer were an INVALID_LEN one */
	if (TM_FAULT(d, SEV_EXT_REQ_COPIED_ON_SUCCESS)) {
		size_t blob_len;
		tm_sev_certs(d, &blob_len);
		req.certs_len = (uint32_t)((blob_len + TEEABI_SNP_PAGE_SIZE - 1) / TEEABI_SNP_PAGE_SIZE * TEEABI_SNP_PAGE_SIZE);
		if (ua->write(ua->ctx, io->req_data, &req, sizeof(req)))
			return -EFAULT;
	}
	if (ua->write(ua->ctx, io->resp_data, &resp, sizeof(resp)))
		return -EFAULT;
	return 0;
}

long tm_sev_ioctl(struct tm_dev *d, unsigned int cmd, uint64_t arg, const struct tm_uaccess *ua)
{
	struct teeabi_snp_guest_request_ioctl io;
	bool known = cmd == TEEABI_SNP_GET_REPORT || cmd == TEEABI_SNP_GET_DERIVED_KEY || cmd == TEEABI_SNP_GET_EXT_REPORT;
	long rc;

	if (ua->read(ua->ctx, arg, &io, sizeof(io)))
		return -EFAULT;
	/* sev-cmd-matched-by-number: a switch on _IOC_NR alone, so 'S' 0..2 of any size or
	 * direction is served as the command of that number */
	if (TM_FAULT(d, SEV_CMD_MATCHED_BY_NUMBER) && _IOC_TYPE(cmd) == 'S' && _IOC_NR(cmd) <= 2) {
		cmd = TEEABI_SNP_GET_REPORT + _IOC_NR(cmd);
		known = true;
	}
	io.exitinfo2 = TEEABI_SNP_EXITINFO2_EARLY;
	if (TM_FAULT(d, SEV_ERRNO_ORDER) && !known) {
		rc = -ENOTTY;
		goto copy_back;
	}
	if (!io.msg_version && !TM_FAULT(d, SEV_MSG_VERSION_ZERO_OK))
		return -EINVAL;
	TM_LOCK(d);
	/* sev-vmpck-check-late-on-6.1: the later kernels' order (check in the send path) on 6.1 */
	if (d->prof.sev_vmpck_check_early && d->sev->vmpck_disabled && !TM_FAULT(d, SEV_VMPCK_CHECK_LATE_ON_6_1)) {
		TM_UNLOCK(d);
		return -ENOTTY;
	}
	switch (cmd) {
	case TEEABI_SNP_GET_REPORT: {
		struct lax_ua l = { .ua = ua, .lax = { .read = lax_read, .write = lax_write } };
		l.lax.ctx = &l;
		rc = do_get_report(d, &io, TM_FAULT(d, SEV_REPORT_COPY_TO_USER_UNCHECKED) ? &l.lax : ua);
		break;
	}
	case TEEABI_SNP_GET_DERIVED_KEY:
		rc = do_get_derived_key(d, &io, ua);
		break;
	case TEEABI_SNP_GET_EXT_REPORT:
		rc = do_get_ext_report(d, &io, ua);
		break;
	default:
		rc = -ENOTTY;
		break;
	}
	TM_UNLOCK(d);
copy_back:
	/* sev-header-rebuilt-on-copy-back: the header written back is a fresh struct holding only
	 * exitinfo2 (msg_version, req_data and resp_data zero), where snp_guest_ioctl() copies back
	 * the very struct it copied in: a caller retrying with the same header (the INVALID_LEN
	 * certificate protocol) then sends null pointers */
	if (io.exitinfo2 && TM_FAULT(d, SEV_HEADER_REBUILT_ON_COPY_BACK)) {
		uint64_t e2 = io.exitinfo2;
		memset(&io, 0, sizeof(io));
		io.exitinfo2 = e2;
	}
	if (io.exitinfo2 || TM_FAULT(d, SEV_HEADER_COPIED_ON_SUCCESS))
		if (ua->write(ua->ctx, arg, &io, sizeof(io)))
			return -EFAULT;
	return rc;
}

/* ------------------------------------------------------------------ other entry points */

uint32_t tm_sev_report(struct tm_dev *d, const uint8_t user_data[64], uint32_t vmpl, uint8_t resp[4000])
{
	uint32_t status = 0;

	TM_LOCK(d);
	if (fw_report(d, d->prof.sev_vmpl, user_data, vmpl, resp, &status))
		status = 0xFFFFFFFFu;
	TM_UNLOCK(d);
	return status;
}

int tm_sev_fw_report_locked(struct tm_dev *d, unsigned requester_vmpl, const uint8_t user_data[64], uint32_t vmpl,
			    uint8_t resp[4000], uint32_t *status)
{
	return fw_report(d, requester_vmpl, user_data, vmpl, resp, status);
}

int tm_sev_ext_report_locked(struct tm_dev *d, const uint8_t user_data[64], uint32_t vmpl,
			     uint8_t resp[4000], uint8_t *certs, size_t *certs_len)
{
	struct teeabi_snp_report_req req;
	uint64_t exitinfo2 = TEEABI_SNP_EXITINFO2_EARLY;
	unsigned npages;
	size_t cap = *certs_len, blob_len;
	const uint8_t *blob;
	int rc;

	if (cap > TEEABI_SNP_CERTS_MAX || cap % TEEABI_SNP_PAGE_SIZE)
		return -EINVAL;
	npages = (unsigned)(cap / TEEABI_SNP_PAGE_SIZE);
	memset(&req, 0, sizeof(req));
	memcpy(req.user_data, user_data, 64);
	req.vmpl = vmpl;
	rc = send_request(d, 1, MSG_REPORT_REQ, &req, true, &npages, resp, &exitinfo2);
	if (rc)
		return rc;
	blob = tm_sev_certs(d, &blob_len);
	memset(certs, 0, cap);
	memcpy(certs, blob, blob_len < cap ? blob_len : cap);
	*certs_len = cap;
	return 0;
}

void tm_sev_set_host_busy(struct tm_dev *d, unsigned n)
{
	TM_LOCK(d);
	d->sev->host_busy = n;
	TM_UNLOCK(d);
}

void tm_sev_set_fw_error(struct tm_dev *d, uint32_t fw_error)
{
	TM_LOCK(d);
	d->sev->fw_error_armed = true;
	d->sev->fw_error = fw_error;
	TM_UNLOCK(d);
}

bool tm_sev_vmpck_disabled(struct tm_dev *d)
{
	bool v;

	TM_LOCK(d);
	v = d->sev->vmpck_disabled;
	TM_UNLOCK(d);
	return v;
}

bool tm_sev_sysfs_present(struct tm_dev *d)
{
	return d->prof.sev_sysfs_vmpl && !TM_FAULT(d, MATRIX_NO_SEV_SYSFS);
}

ssize_t tm_sev_sysfs_vmpl_read(struct tm_dev *d, void *buf, size_t len, off_t off)
{
	char text[16];
	if (!tm_sev_sysfs_present(d))
		return -ENOENT;
	/* the fault: the VMPL the kernel was built for (0), not the one it runs at */
	unsigned v = TM_FAULT(d, SEV_SYSFS_VMPL_ZERO) ? 0 : d->prof.sev_vmpl;
	int n = snprintf(text, sizeof(text), "%u\n", v);
	if (off < 0)
		return -EINVAL;
	if (off >= n)
		return 0;
	size_t c = (size_t)(n - off) < len ? (size_t)(n - off) : len;
	memcpy(buf, text + off, c);
	return (ssize_t)c;
}

/* ------------------------------------------------------------------ the PSP's side of a message */

int tm_sev_fw_message(struct tm_dev *d, uint8_t type, uint8_t version, const uint8_t *req, size_t req_len,
		      uint8_t *resp, size_t cap, size_t *resp_len, uint32_t *fw_status)
{
	struct teeabi_snp_report_req rq;
	struct teeabi_snp_derived_key_req kq;
	uint32_t st = TEEABI_SEV_RET_SUCCESS;
	int rc = 0;

	*resp_len = 0;
	if (version != 1) {
		*fw_status = TEEABI_SEV_RET_INVALID_PARAM;   /* as send_request: out of band */
		return 0;
	}
	TM_LOCK(d);
	if (type == MSG_REPORT_REQ && req_len >= sizeof(rq) && cap >= sizeof(struct teeabi_snp_report_resp)) {
		memcpy(&rq, req, sizeof(rq));
		rc = fw_report(d, d->prof.sev_vmpl, rq.user_data, rq.vmpl, resp, &st);
		*resp_len = TEEABI_SNP_MSG_REPORT_RSP_HDR + TEEABI_SNP_REPORT_LEN;
		st = TEEABI_SEV_RET_SUCCESS;   /* a bad vmpl is the status inside MSG_REPORT_RSP */
	} else if (type == MSG_KEY_REQ && req_len >= sizeof(kq) && cap >= TEEABI_SNP_MSG_KEY_RSP_LEN) {
		memcpy(&kq, req, sizeof(kq));
		rc = fw_key(d, &kq, resp);
		*resp_len = TEEABI_SNP_MSG_KEY_RSP_LEN;
	} else {
		st = TEEABI_SEV_RET_INVALID_PARAM;
	}
	TM_UNLOCK(d);
	*fw_status = st;
	return rc;
}
