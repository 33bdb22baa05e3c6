// SPDX-License-Identifier: GPL-2.0
/*
 * sev7_shim.c - the SNP message layer that 7.x sev-guest.c calls, with the same semantics
 * as arch/x86/coco/sev/core.c (snp_msg_alloc(), snp_msg_init(), snp_send_guest_request(),
 * __handle_guest_request(), enc_payload(), verify_and_dec_payload()), written for the lane:
 * the secrets page comes from the firmware model, the encrypted message goes to it through
 * teeabi_fw (sev_common.c) instead of the GHCB. The behaviour the driver and the user see is
 * the kernel's: VMPCK chosen by vmpck_id or the VMPL and refused when empty; sequence number
 * from the secrets page, +2 per request; BUSY retried for 60 s (then ETIMEDOUT); a too small
 * certificate buffer re-sent as a plain request and reported as EIO with VMM INVALID_LEN;
 * any other host or firmware error, or a response that does not verify, wipes the VMPCK
 * (later requests ENOTTY).
 */
#include <linux/jiffies.h>
#include <linux/module.h>
#include <linux/mutex.h>
#include <linux/sched.h>
#include <linux/slab.h>
#include <linux/string.h>
#include <uapi/linux/psp-sev.h>
#include <asm/sev.h>
#include <asm/svm.h>
#include "sev_common.h"

/*
 * The AES-256-GCM of the message layer, as core.c of the same version does it: 7.3 moved to
 * lib/crypto's aes_gcm_* (<crypto/aes-gcm.h>, snp_msg_desc.gcm_key); up to 7.2 it is
 * aesgcm_* (<crypto/gcm.h>, snp_msg_desc.ctx, set up by core.c snp_init_crypto()).
 */
#if __has_include(<crypto/aes-gcm.h>)
#include <crypto/aes-gcm.h>

static int msg_key_init(struct snp_msg_desc *m)
{
	m->gcm_key = kzalloc(sizeof(*m->gcm_key), GFP_KERNEL);
	if (!m->gcm_key)
		return -ENOMEM;
	if (aes_gcm_preparekey(m->gcm_key, m->vmpck, VMPCK_KEY_LEN, AUTHTAG_LEN))
		return -ENOMEM;
	return 0;
}

static void msg_key_free(struct snp_msg_desc *m)
{
	kfree_sensitive(m->gcm_key);
}

static void msg_encrypt(struct snp_msg_desc *m, struct snp_guest_msg *rq, const void *src, size_t len, const u8 *iv)
{
	aes_gcm_encrypt(rq->payload, src, len, rq->hdr.authtag, &rq->hdr.algo, AAD_LEN, iv, m->gcm_key);
}

static int msg_decrypt(struct snp_msg_desc *m, void *dst, struct snp_guest_msg *rs, const u8 *iv)
{
	return aes_gcm_decrypt(dst, rs->payload, rs->hdr.msg_sz, rs->hdr.authtag, &rs->hdr.algo, AAD_LEN, iv,
			       m->gcm_key);
}
#else
#include <crypto/gcm.h>

static int msg_key_init(struct snp_msg_desc *m)
{
	m->ctx = kzalloc(sizeof(*m->ctx), GFP_KERNEL);
	if (!m->ctx)
		return -ENOMEM;
	if (aesgcm_expandkey(m->ctx, m->vmpck, VMPCK_KEY_LEN, AUTHTAG_LEN)) {
		pr_err("Crypto context initialization failed\n");
		kfree(m->ctx);
		m->ctx = NULL;
		return -ENOMEM;
	}
	return 0;
}

static void msg_key_free(struct snp_msg_desc *m)
{
	kfree_sensitive(m->ctx);
}

static void msg_encrypt(struct snp_msg_desc *m, struct snp_guest_msg *rq, const void *src, size_t len, const u8 *iv)
{
	aesgcm_encrypt(m->ctx, rq->payload, src, len, &rq->hdr.algo, AAD_LEN, iv, rq->hdr.authtag);
}

static int msg_decrypt(struct snp_msg_desc *m, void *dst, struct snp_guest_msg *rs, const u8 *iv)
{
	if (!aesgcm_decrypt(m->ctx, dst, rs->payload, rs->hdr.msg_sz, &rs->hdr.algo, AAD_LEN, iv, rs->hdr.authtag))
		return -EBADMSG;
	return 0;
}
#endif

struct snp_msg_desc *teeabi_shim_snp_msg_alloc(void);
int teeabi_shim_snp_msg_init(struct snp_msg_desc *mdesc, int vmpck_id);
void teeabi_shim_snp_msg_free(struct snp_msg_desc *mdesc);
int teeabi_shim_snp_send_guest_request(struct snp_msg_desc *mdesc, struct snp_guest_req *req);

static DEFINE_MUTEX(cmd_mutex);

struct snp_msg_desc *teeabi_shim_snp_msg_alloc(void)
{
	struct snp_msg_desc *m = kzalloc(sizeof(*m), GFP_KERNEL);

	if (!m)
		return ERR_PTR(-ENOMEM);
	m->secrets = shim_snp_secrets();
	m->request = (void *)__get_free_page(GFP_KERNEL | __GFP_ZERO);
	m->response = (void *)__get_free_page(GFP_KERNEL | __GFP_ZERO);
	if (!m->secrets || !m->request || !m->response) {
		teeabi_shim_snp_msg_free(m);
		return ERR_PTR(-ENOMEM);
	}
	return m;
}

int teeabi_shim_snp_msg_init(struct snp_msg_desc *m, int vmpck_id)
{
	struct snp_secrets_page *s = m->secrets;

	if (vmpck_id == -1)
		vmpck_id = snp_vmpl;
	switch (vmpck_id) {
	case 0: m->vmpck = s->vmpck0; m->os_area_msg_seqno = &s->os_area.msg_seqno_0; break;
	case 1: m->vmpck = s->vmpck1; m->os_area_msg_seqno = &s->os_area.msg_seqno_1; break;
	case 2: m->vmpck = s->vmpck2; m->os_area_msg_seqno = &s->os_area.msg_seqno_2; break;
	case 3: m->vmpck = s->vmpck3; m->os_area_msg_seqno = &s->os_area.msg_seqno_3; break;
	default:
		pr_err("Invalid VMPCK%d communication key\n", vmpck_id);
		return -EINVAL;
	}
	if (!memchr_inv(m->vmpck, 0, VMPCK_KEY_LEN)) {
		pr_err("Empty VMPCK%d communication key\n", vmpck_id);
		return -EINVAL;
	}
	m->vmpck_id = vmpck_id;
	return msg_key_init(m);
}

void teeabi_shim_snp_msg_free(struct snp_msg_desc *m)
{
	if (IS_ERR_OR_NULL(m))
		return;
	msg_key_free(m);
	free_page((unsigned long)m->response);
	free_page((unsigned long)m->request);
	kfree_sensitive(m->secrets);
	kfree_sensitive(m);
}

static void disable_vmpck(struct snp_msg_desc *m)
{
	pr_alert("Disabling VMPCK%d communication key to prevent IV reuse.\n", m->vmpck_id);
	memzero_explicit(m->vmpck, VMPCK_KEY_LEN);
	m->vmpck = NULL;
}

static int issue(struct snp_msg_desc *m, struct snp_guest_req *req)
{
	unsigned long start = jiffies;
	unsigned int override_npages = 0;
	u64 override_err = 0;
	int rc;

	for (;;) {
		rc = shim_snp_issue(req->exit_code == SVM_VMGEXIT_EXT_GUEST_REQUEST, m->request,
				    m->response, req->certs_data, &req->input.data_npages,
				    &req->exitinfo2);
		if (rc == -ENOSPC) {
			override_npages = req->input.data_npages;
			req->exit_code = SVM_VMGEXIT_GUEST_REQUEST;
			override_err = SNP_GUEST_VMM_ERR(SNP_GUEST_VMM_ERR_INVALID_LEN);
			continue;
		}
		if (rc == -EAGAIN) {
			if (jiffies - start > SNP_REQ_MAX_RETRY_DURATION) {
				rc = -ETIMEDOUT;
				break;
			}
			schedule_timeout_killable(SNP_REQ_RETRY_DELAY);
			continue;
		}
		break;
	}
	*m->os_area_msg_seqno += 2;
	if (override_err) {
		req->exitinfo2 = override_err;
		if (!rc)
			rc = -EIO;
	}
	if (override_npages)
		req->input.data_npages = override_npages;
	return rc;
}

int teeabi_shim_snp_send_guest_request(struct snp_msg_desc *m, struct snp_guest_req *req)
{
	struct snp_guest_msg *rq = &m->secret_request, *rs = &m->secret_response;
	u8 iv[GCM_AES_IV_SIZE] = {};
	u64 seqno;
	int rc;

	guard(mutex)(&cmd_mutex);
	if (!m->vmpck || !memchr_inv(m->vmpck, 0, VMPCK_KEY_LEN)) {
		pr_err_ratelimited("VMPCK is disabled\n");
		return -ENOTTY;
	}
	seqno = (u64)*m->os_area_msg_seqno + 1;
	if (seqno >= UINT_MAX)
		return -EIO;
	memset(m->response, 0, PAGE_SIZE);
	memset(rq, 0, sizeof(*rq));
	rq->hdr.algo = SNP_AEAD_AES_256_GCM;
	rq->hdr.hdr_version = MSG_HDR_VER;
	rq->hdr.hdr_sz = sizeof(rq->hdr);
	rq->hdr.msg_type = req->msg_type;
	rq->hdr.msg_version = req->msg_version;
	rq->hdr.msg_seqno = seqno;
	rq->hdr.msg_vmpck = req->vmpck_id;
	rq->hdr.msg_sz = req->req_sz;
	if (WARN_ON(req->req_sz + AUTHTAG_LEN > sizeof(rq->payload)))
		return -EBADMSG;
	memcpy(iv, &rq->hdr.msg_seqno, sizeof(rq->hdr.msg_seqno));
	msg_encrypt(m, rq, req->req_buf, req->req_sz, iv);
	memcpy(m->request, rq, sizeof(*rq));

	rc = issue(m, req);
	if (rc) {
		if (rc == -EIO && req->exitinfo2 == SNP_GUEST_VMM_ERR(SNP_GUEST_VMM_ERR_INVALID_LEN))
			return rc;
		pr_alert("Detected error from ASP request. rc: %d, exitinfo2: 0x%llx\n", rc, req->exitinfo2);
		disable_vmpck(m);
		return rc;
	}

	memcpy(rs, m->response, sizeof(*rs));
	if (rs->hdr.msg_seqno != rq->hdr.msg_seqno + 1 || rs->hdr.msg_type != rq->hdr.msg_type + 1 ||
	    rs->hdr.msg_version != rq->hdr.msg_version || rs->hdr.msg_sz + AUTHTAG_LEN > req->resp_sz) {
		rc = -EBADMSG;
	} else {
		memset(iv, 0, sizeof(iv));
		memcpy(iv, &rs->hdr.msg_seqno, sizeof(rs->hdr.msg_seqno));
		rc = msg_decrypt(m, req->resp_buf, rs, iv);
	}
	if (rc) {
		pr_alert("Detected unexpected decode failure from ASP. rc: %d\n", rc);
		disable_vmpck(m);
	}
	return rc;
}
