/* SPDX-License-Identifier: Apache-2.0 */
/*
 * tdx_quote.c - strict, zero-copy parser of Intel TDX DCAP quotes v4 and v5
 * (docs/formats.md §2). The checks run in the order of §2.10 and each failed check has its
 * own error code. All offset arithmetic is done in uint64_t: every length field is at most
 * a u32, so sums of a few of them plus a size_t offset below 2^63 cannot wrap.
 * No allocation; every pointer in the view points into the caller's buffer.
 */
#include <string.h>
#include "teeabi/tdx.h"

const uint8_t teeabi_intel_qe_vendor_id[16] = {
	0x93, 0x9a, 0x72, 0x33, 0xf7, 0x9c, 0x4c, 0xa9,
	0x94, 0x0a, 0x0d, 0xb3, 0x95, 0x7f, 0x06, 0x07,
};

#define HDR_LEN        48
#define V5_DESC_LEN    6
#define TD10_BODY_LEN  584
#define TD15_BODY_LEN  648
#define SIG_FIXED_LEN  134   /* r||s 64 + key 64 + cert type 2 + cert size 4 */
#define QE_FIXED_LEN   450   /* QE report 384 + sig 64 + auth size 2 */
#define INNER_HDR_LEN  6     /* inner type 2 + inner size 4 */

static void fill_td(struct teeabi_td_fields *td, const uint8_t *b, bool td15)
{
	td->tee_tcb_svn = b + 0;
	td->mrseam = b + 16;
	td->mrsignerseam = b + 64;
	td->seam_attributes = teeabi_le64(b + 112);
	td->td_attributes = teeabi_le64(b + 120);
	td->xfam = teeabi_le64(b + 128);
	td->mrtd = b + 136;
	td->mrconfigid = b + 184;
	td->mrowner = b + 232;
	td->mrownerconfig = b + 280;
	for (int i = 0; i < 4; i++)
		td->rtmr[i] = b + 328 + 48 * i;
	td->report_data = b + 520;
	td->tee_tcb_svn2 = td15 ? b + 584 : NULL;
	td->mr_servicetd = td15 ? b + 600 : NULL;
}

teeabi_err teeabi_tdx_quote_parse(const uint8_t *buf, size_t len, unsigned flags, struct teeabi_tdx_quote *out)
{
	if (!out)
		return TEEABI_E_NULL;
	teeabi_zero(out, sizeof(*out));
	if (!buf && len)
		return TEEABI_E_NULL;
	const uint64_t L = (uint64_t)len;

	/* 1. header */
	if (L < HDR_LEN)
		return TEEABI_E_QUOTE_HEADER_SHORT;
	out->version = teeabi_le16(buf + 0);
	if (out->version != 4 && out->version != 5)
		return TEEABI_E_QUOTE_VERSION;
	out->att_key_type = teeabi_le16(buf + 2);
	if (out->att_key_type != 2)
		return TEEABI_E_QUOTE_ATT_KEY_TYPE;
	out->tee_type = teeabi_le32(buf + 4);
	if (out->tee_type != 0x81 && out->tee_type != 0)
		return TEEABI_E_QUOTE_TEE_TYPE;
	out->hdr_svn_a = teeabi_le16(buf + 8);
	out->hdr_svn_b = teeabi_le16(buf + 10);
	out->qe_vendor_id = buf + 12;
	out->user_data = buf + 28;
	if (memcmp(out->qe_vendor_id, teeabi_intel_qe_vendor_id, 16) != 0) {
		out->warnings |= TEEABI_W_QUOTE_QE_VENDOR;
		if (flags & TEEABI_QUOTE_STRICT_VENDOR)
			return TEEABI_E_QUOTE_QE_VENDOR;
	}

	/* 2. body: v4 is always a TD10 body at 48; v5 has a type/size descriptor at 48. */
	uint64_t body_off;
	if (out->version == 4) {
		out->body_type = TEEABI_QUOTE_BODY_TD10;
		out->body_size = TD10_BODY_LEN;
		body_off = HDR_LEN;
	} else {
		if (L < HDR_LEN + V5_DESC_LEN)
			return TEEABI_E_QUOTE_DESC_SHORT;
		out->body_type = teeabi_le16(buf + 48);
		out->body_size = teeabi_le32(buf + 50);
		uint32_t want;
		switch (out->body_type) {
		case TEEABI_QUOTE_BODY_SGX:  want = TEEABI_SGX_REPORT_LEN; break;
		case TEEABI_QUOTE_BODY_TD10: want = TD10_BODY_LEN; break;
		case TEEABI_QUOTE_BODY_TD15: want = TD15_BODY_LEN; break;
		default: return TEEABI_E_QUOTE_BODY_TYPE;
		}
		if (out->body_size != want)
			return TEEABI_E_QUOTE_BODY_SIZE;
		body_off = HDR_LEN + V5_DESC_LEN;
	}
	/* SGX tee_type 0 goes only with an SGX body, TDX 0x81 only with a TD body. */
	if ((out->tee_type == 0) != (out->body_type == TEEABI_QUOTE_BODY_SGX))
		return TEEABI_E_QUOTE_TEE_BODY;
	const uint64_t body_end = body_off + out->body_size;
	if (L < body_end)
		return TEEABI_E_QUOTE_BODY_SHORT;
	out->body_offset = (size_t)body_off;
	out->signed_len = (size_t)body_end;
	if (out->body_type == TEEABI_QUOTE_BODY_SGX) {
		(void)teeabi_sgx_report_parse(buf + body_off, TEEABI_SGX_REPORT_LEN, &out->sgx);
		if (out->sgx.warnings & TEEABI_W_QE_RESERVED)
			out->warnings |= TEEABI_W_QUOTE_SGX_RESERVED;
	} else {
		fill_td(&out->td, buf + body_off, out->body_type == TEEABI_QUOTE_BODY_TD15);
		if (out->td.seam_attributes)
			out->warnings |= TEEABI_W_QUOTE_SEAM_ATTR;
	}

	/* 3. signature_data_len */
	if (L - body_end < 4)
		return TEEABI_E_QUOTE_SIGLEN_SHORT;
	out->sig_data_len = teeabi_le32(buf + body_end);
	const uint64_t sig_off = body_end + 4;
	if ((uint64_t)out->sig_data_len > L - sig_off)
		return TEEABI_E_QUOTE_SIGLEN_BOUNDS;
	const uint64_t sig_len = out->sig_data_len;

	/* 4. signature data header and outer certification data */
	if (sig_len < SIG_FIXED_LEN)
		return TEEABI_E_QUOTE_SIGDATA_SHORT;
	const uint8_t *sd = buf + sig_off;
	out->signature = sd;
	out->att_key = sd + 64;
	out->cert_type = teeabi_le16(sd + 128);
	if (out->cert_type != 6)
		return TEEABI_E_QUOTE_CERT_TYPE;
	out->cert_size = teeabi_le32(sd + 130);
	const uint64_t S = out->cert_size;
	if (S > sig_len - SIG_FIXED_LEN)
		return TEEABI_E_QUOTE_CERT_SIZE;
	if (S != sig_len - SIG_FIXED_LEN) {
		if (flags & TEEABI_QUOTE_STRICT_CERTSIZE)
			return TEEABI_E_QUOTE_CERT_SIZE;
		out->warnings |= TEEABI_W_QUOTE_CERTSIZE_SLACK;
	}

	/* 5. QE report certification data (type 6) */
	const uint8_t *cd = sd + SIG_FIXED_LEN;
	if (S < QE_FIXED_LEN)
		return TEEABI_E_QUOTE_QE_SHORT;
	out->qe_report = cd;
	out->qe_report_sig = cd + 384;
	const uint64_t N = teeabi_le16(cd + 448);
	if (N > S - QE_FIXED_LEN)
		return TEEABI_E_QUOTE_QE_AUTH_LEN;
	out->qe_auth.p = cd + QE_FIXED_LEN;
	out->qe_auth.len = (size_t)N;
	if (S - QE_FIXED_LEN - N < INNER_HDR_LEN)
		return TEEABI_E_QUOTE_INNER_SHORT;
	const uint8_t *inner = cd + QE_FIXED_LEN + N;
	out->inner_cert_type = teeabi_le16(inner);
	if (out->inner_cert_type < 1 || out->inner_cert_type > 5)
		return TEEABI_E_QUOTE_INNER_TYPE;
	const uint64_t M = teeabi_le32(inner + 2);
	if (M != S - QE_FIXED_LEN - N - INNER_HDR_LEN)
		return TEEABI_E_QUOTE_INNER_SIZE;
	out->inner_cert.p = inner + INNER_HDR_LEN;
	out->inner_cert.len = (size_t)M;
	if (out->inner_cert_type == 5 && M > 0 && out->inner_cert.p[M - 1] == 0)
		out->warnings |= TEEABI_W_QUOTE_PEM_NUL;

	/* 6./7. QE report view (reserved fields are a warning only) */
	(void)teeabi_sgx_report_parse(cd, TEEABI_SGX_REPORT_LEN, &out->qe);
	if (out->qe.warnings & TEEABI_W_QE_RESERVED)
		out->warnings |= TEEABI_W_QE_RESERVED;

	/* trailing bytes after the signature data (§2.8) */
	out->quote_len = (size_t)(sig_off + sig_len);
	out->trailing_len = len - out->quote_len;
	out->trailing_all_zero = teeabi_all_zero(buf + out->quote_len, out->trailing_len);
	if (out->trailing_len) {
		out->warnings |= TEEABI_W_QUOTE_TRAILING;
		if (!out->trailing_all_zero) {
			out->warnings |= TEEABI_W_QUOTE_TRAILING_NZ;
			if (flags & TEEABI_QUOTE_STRICT_TRAILING)
				return TEEABI_E_QUOTE_TRAILING;
		}
	}
	return TEEABI_OK;
}
