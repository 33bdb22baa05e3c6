/* SPDX-License-Identifier: Apache-2.0 */
/*
 * fuzz/fuzz_tdx_quote.c - DCAP quote v4/v5 parser and its crypto checks (lib/tdx_quote.c,
 * lib/tdx_crypto.c).
 *
 * Input: the raw quote bytes. Each input is parsed three times: lenient (flags 0), the
 * default (STRICT_CERTSIZE) and fully strict (VENDOR | TRAILING | CERTSIZE).
 *
 * Properties:
 *   - a reference walk written here from docs/formats.md §2.10 (in 64-bit arithmetic)
 *     decides the verdict; the parser must agree: OK exactly when the reference accepts,
 *     else the reference's error (the one order the document leaves open, tee_type/body
 *     consistency against a short body, may go either way);
 *   - on success: every field equals the bytes at its documented offset, every slice
 *     lies inside the input, 456 + N + M == S, trailing_len + quote_len == size,
 *     trailing_all_zero is right, and the warnings are exactly the ones the bytes call for;
 *   - the QE binding result equals SHA-256(att_key || qe_auth) computed here;
 *   - ECDSA (quote signature, QE report signature under the PEM/DER leaf) only when the
 *     first report_data byte is 0x00 and the size is a multiple of 4 (keeps the target
 *     fast): results are one of the documented codes, never E_CRYPTO.
 */
#include <openssl/evp.h>
#include "fuzz.h"
#include "teeabi/err.h"
#include "teeabi/tdx.h"

static const uint8_t intel_vendor[16] = { 0x93, 0x9a, 0x72, 0x33, 0xf7, 0x9c, 0x4c, 0xa9,
					  0x94, 0x0a, 0x0d, 0xb3, 0x95, 0x7f, 0x06, 0x07 };

static uint16_t rd16(const uint8_t *p) { return (uint16_t)(p[0] | p[1] << 8); }
static uint32_t rd32(const uint8_t *p) { return (uint32_t)p[0] | (uint32_t)p[1] << 8 | (uint32_t)p[2] << 16 | (uint32_t)p[3] << 24; }
static uint64_t rd64(const uint8_t *p) { return (uint64_t)rd32(p) | (uint64_t)rd32(p + 4) << 32; }

static int zero(const uint8_t *p, size_t n)
{
	for (size_t i = 0; i < n; i++)
		if (p[i])
			return 0;
	return 1;
}

static int sgx_reserved_nz(const uint8_t *r)
{
	return !zero(r + 20, 12) || !zero(r + 96, 32) || !zero(r + 160, 32) || !zero(r + 262, 42);
}

/* What a strict parser finds, computed from formats.md §2 alone. */
struct ref {
	teeabi_err e, alt; /* alt: an equally valid code where the document leaves the order open */
	uint16_t version, body_type;
	uint64_t body_off, body_size, sig_off, sig_len, S, N, M, quote_len;
	uint32_t warn;
};

static void ref_walk(const uint8_t *b, size_t len, unsigned flags, struct ref *r)
{
	const uint64_t L = len;
	memset(r, 0, sizeof(*r));
	r->alt = TEEABI_ERR_COUNT;
#define REJECT(code)               \
	do {                       \
		r->e = (code);     \
		return;            \
	} while (0)
	if (L < 48)
		REJECT(TEEABI_E_QUOTE_HEADER_SHORT);
	r->version = rd16(b);
	if (r->version != 4 && r->version != 5)
		REJECT(TEEABI_E_QUOTE_VERSION);
	if (rd16(b + 2) != 2)
		REJECT(TEEABI_E_QUOTE_ATT_KEY_TYPE);
	uint32_t tee = rd32(b + 4);
	if (tee != 0x81 && tee != 0)
		REJECT(TEEABI_E_QUOTE_TEE_TYPE);
	if (memcmp(b + 12, intel_vendor, 16)) {
		r->warn |= TEEABI_W_QUOTE_QE_VENDOR;
		if (flags & TEEABI_QUOTE_STRICT_VENDOR)
			REJECT(TEEABI_E_QUOTE_QE_VENDOR);
	}
	if (r->version == 4) {
		r->body_type = 2;
		r->body_size = 584;
		r->body_off = 48;
	} else {
		if (L < 54)
			REJECT(TEEABI_E_QUOTE_DESC_SHORT);
		r->body_type = rd16(b + 48);
		r->body_size = rd32(b + 50);
		uint64_t want = r->body_type == 1 ? 384 : r->body_type == 2 ? 584 : r->body_type == 3 ? 648 : 0;
		if (!want)
			REJECT(TEEABI_E_QUOTE_BODY_TYPE);
		if (r->body_size != want)
			REJECT(TEEABI_E_QUOTE_BODY_SIZE);
		r->body_off = 54;
	}
	const uint64_t end = r->body_off + r->body_size;
	int mismatch = (tee == 0) != (r->body_type == 1);
	if (mismatch) {
		if (L < end)
			r->alt = TEEABI_E_QUOTE_BODY_SHORT;
		REJECT(TEEABI_E_QUOTE_TEE_BODY);
	}
	if (L < end)
		REJECT(TEEABI_E_QUOTE_BODY_SHORT);
	if (r->body_type == 1) {
		if (sgx_reserved_nz(b + r->body_off))
			r->warn |= TEEABI_W_QUOTE_SGX_RESERVED;
	} else if (rd64(b + r->body_off + 112)) {
		r->warn |= TEEABI_W_QUOTE_SEAM_ATTR;
	}
	if (L - end < 4)
		REJECT(TEEABI_E_QUOTE_SIGLEN_SHORT);
	r->sig_len = rd32(b + end);
	r->sig_off = end + 4;
	if (r->sig_off + r->sig_len > L)
		REJECT(TEEABI_E_QUOTE_SIGLEN_BOUNDS);
	if (r->sig_len < 134)
		REJECT(TEEABI_E_QUOTE_SIGDATA_SHORT);
	const uint8_t *sd = b + r->sig_off;
	if (rd16(sd + 128) != 6)
		REJECT(TEEABI_E_QUOTE_CERT_TYPE);
	r->S = rd32(sd + 130);
	if (r->S + 134 > r->sig_len)
		REJECT(TEEABI_E_QUOTE_CERT_SIZE);
	if (r->S + 134 != r->sig_len) {
		if (flags & TEEABI_QUOTE_STRICT_CERTSIZE)
			REJECT(TEEABI_E_QUOTE_CERT_SIZE);
		r->warn |= TEEABI_W_QUOTE_CERTSIZE_SLACK;
	}
	if (r->S < 384 + 64 + 2)
		REJECT(TEEABI_E_QUOTE_QE_SHORT);
	const uint8_t *cd = sd + 134;
	r->N = rd16(cd + 448);
	if (450 + r->N > r->S)
		REJECT(TEEABI_E_QUOTE_QE_AUTH_LEN);
	if (456 + r->N > r->S)
		REJECT(TEEABI_E_QUOTE_INNER_SHORT);
	uint16_t it = rd16(cd + 450 + r->N);
	if (it < 1 || it > 5)
		REJECT(TEEABI_E_QUOTE_INNER_TYPE);
	r->M = rd32(cd + 452 + r->N);
	if (456 + r->N + r->M != r->S)
		REJECT(TEEABI_E_QUOTE_INNER_SIZE);
	if (it == 5 && r->M && cd[456 + r->N + r->M - 1] == 0)
		r->warn |= TEEABI_W_QUOTE_PEM_NUL;
	if (sgx_reserved_nz(cd))
		r->warn |= TEEABI_W_QE_RESERVED;
	r->quote_len = r->sig_off + r->sig_len;
	if (r->quote_len < L) {
		r->warn |= TEEABI_W_QUOTE_TRAILING;
		if (!zero(b + r->quote_len, (size_t)(L - r->quote_len))) {
			r->warn |= TEEABI_W_QUOTE_TRAILING_NZ;
			if (flags & TEEABI_QUOTE_STRICT_TRAILING)
				REJECT(TEEABI_E_QUOTE_TRAILING);
		}
	}
	r->e = TEEABI_OK;
#undef REJECT
}

#define INSIDE(p, n, d, size) ((p) >= (d) && (size_t)((p) - (d)) <= (size) && (n) <= (size) - (size_t)((p) - (d)))

static void check_td(const struct teeabi_td_fields *t, const uint8_t *body, int td15)
{
	FZ_CHECK(t->tee_tcb_svn == body, "tee_tcb_svn");
	FZ_CHECK(t->mrseam == body + 16, "mrseam");
	FZ_CHECK(t->mrsignerseam == body + 64, "mrsignerseam");
	FZ_CHECK(t->seam_attributes == rd64(body + 112), "seam_attributes");
	FZ_CHECK(t->td_attributes == rd64(body + 120), "td_attributes");
	FZ_CHECK(t->xfam == rd64(body + 128), "xfam");
	FZ_CHECK(t->mrtd == body + 136, "mrtd");
	FZ_CHECK(t->mrconfigid == body + 184, "mrconfigid");
	FZ_CHECK(t->mrowner == body + 232, "mrowner");
	FZ_CHECK(t->mrownerconfig == body + 280, "mrownerconfig");
	for (int i = 0; i < 4; i++)
		FZ_CHECK(t->rtmr[i] == body + 328 + 48 * i, "rtmr%d", i);
	FZ_CHECK(t->report_data == body + 520, "report_data");
	FZ_CHECK(t->tee_tcb_svn2 == (td15 ? body + 584 : NULL), "tee_tcb_svn2");
	FZ_CHECK(t->mr_servicetd == (td15 ? body + 600 : NULL), "mr_servicetd");
}

static void check_sgx(const struct teeabi_sgx_report *s, const uint8_t *r)
{
	FZ_CHECK(s->cpu_svn == r && s->attributes == r + 48 && s->mr_enclave == r + 64 && s->mr_signer == r + 128 &&
			 s->report_data == r + 320,
		 "SGX report view does not point at its offsets");
	FZ_CHECK(s->isv_prod_id == rd16(r + 256) && s->isv_svn == rd16(r + 258), "isv_prod_id/isv_svn");
}

static void check_ok(const uint8_t *d, size_t size, const struct teeabi_tdx_quote *q, const struct ref *r)
{
	FZ_CHECK(q->version == r->version && q->att_key_type == 2 && q->tee_type == rd32(d + 4), "header");
	FZ_CHECK(q->hdr_svn_a == rd16(d + 8) && q->hdr_svn_b == rd16(d + 10), "header svn");
	FZ_CHECK(q->qe_vendor_id == d + 12 && q->user_data == d + 28, "qe_vendor_id/user_data");
	FZ_CHECK(q->body_type == r->body_type && q->body_size == r->body_size && q->body_offset == r->body_off,
		 "body type %u size %u offset %zu", q->body_type, q->body_size, q->body_offset);
	FZ_CHECK(q->signed_len == r->body_off + r->body_size, "signed_len %zu", q->signed_len);
	const uint8_t *body = d + r->body_off;
	if (r->body_type == 1)
		check_sgx(&q->sgx, body);
	else
		check_td(&q->td, body, r->body_type == 3);
	FZ_CHECK(q->sig_data_len == r->sig_len, "sig_data_len");
	const uint8_t *sd = d + r->sig_off;
	FZ_CHECK(q->signature == sd && q->att_key == sd + 64, "signature/att_key");
	FZ_CHECK(q->cert_type == 6 && q->cert_size == r->S, "cert_type %u cert_size %u", q->cert_type, q->cert_size);
	const uint8_t *cd = sd + 134;
	FZ_CHECK(q->qe_report == cd && q->qe_report_sig == cd + 384, "qe_report");
	check_sgx(&q->qe, cd);
	FZ_CHECK(q->qe_auth.p == cd + 450 && q->qe_auth.len == r->N, "qe_auth");
	FZ_CHECK(q->inner_cert_type == rd16(cd + 450 + r->N), "inner_cert_type");
	FZ_CHECK(q->inner_cert.p == cd + 456 + r->N && q->inner_cert.len == r->M, "inner_cert");
	FZ_CHECK(456 + q->qe_auth.len + q->inner_cert.len == q->cert_size, "456 + N + M != S");
	FZ_CHECK(q->quote_len == r->quote_len && q->trailing_len + q->quote_len == size,
		 "quote_len %zu trailing %zu size %zu", q->quote_len, q->trailing_len, size);
	FZ_CHECK(q->trailing_all_zero == zero(d + q->quote_len, q->trailing_len), "trailing_all_zero");
	FZ_CHECK(q->warnings == r->warn, "warnings 0x%x, expected 0x%x", q->warnings, r->warn);
	/* every slice inside the input */
	FZ_CHECK(INSIDE(q->qe_vendor_id, 16, d, size) && INSIDE(q->user_data, 20, d, size), "header slices");
	FZ_CHECK(INSIDE(q->signature, 64, d, size) && INSIDE(q->att_key, 64, d, size), "signature slices");
	FZ_CHECK(INSIDE(q->qe_report, 384, d, size) && INSIDE(q->qe_report_sig, 64, d, size), "QE report slices");
	FZ_CHECK(INSIDE(q->qe_auth.p, q->qe_auth.len, d, size), "qe_auth slice");
	FZ_CHECK(INSIDE(q->inner_cert.p, q->inner_cert.len, d, size), "inner_cert slice");
	FZ_CHECK(q->inner_cert.p + q->inner_cert.len <= d + q->quote_len, "inner cert past the signature data");
	if (r->body_type != 1)
		FZ_CHECK(INSIDE(q->td.report_data, 64, d, size) &&
				 (!q->td.mr_servicetd || INSIDE(q->td.mr_servicetd, 48, d, size)),
			 "body slices");
}

static void check_binding(const struct teeabi_tdx_quote *q)
{
	uint8_t md[32];
	unsigned int ml = 0;
	EVP_MD_CTX *c = EVP_MD_CTX_new();
	FZ_CHECK(c && EVP_DigestInit_ex(c, EVP_sha256(), NULL) == 1 && EVP_DigestUpdate(c, q->att_key, 64) == 1 &&
			 EVP_DigestUpdate(c, q->qe_auth.p, q->qe_auth.len) == 1 &&
			 EVP_DigestFinal_ex(c, md, &ml) == 1 && ml == 32,
		 "SHA-256 failed");
	EVP_MD_CTX_free(c);
	const uint8_t *rd = q->qe_report + 320;
	teeabi_err want = memcmp(md, rd, 32) == 0 && zero(rd + 32, 32) ? TEEABI_OK : TEEABI_E_QE_BINDING;
	teeabi_err got = teeabi_tdx_quote_verify_qe_binding(q);
	FZ_CHECK(got == want, "QE binding %s, expected %s", teeabi_err_name(got), teeabi_err_name(want));
}

int LLVMFuzzerTestOneInput(const uint8_t *d, size_t size)
{
	static const unsigned modes[] = {
		0,
		TEEABI_QUOTE_DEFAULT,
		TEEABI_QUOTE_STRICT_VENDOR | TEEABI_QUOTE_STRICT_TRAILING | TEEABI_QUOTE_STRICT_CERTSIZE,
	};
	struct teeabi_tdx_quote q;
	struct ref r;
	int ok_any = 0;
	struct teeabi_tdx_quote keep;
	for (size_t m = 0; m < sizeof(modes) / sizeof(modes[0]); m++) {
		ref_walk(d, size, modes[m], &r);
		teeabi_err e = teeabi_tdx_quote_parse(d, size, modes[m], &q);
		FZ_CHECK(e == r.e || e == r.alt, "flags 0x%x: parse returned %s, reference says %s", modes[m],
			 teeabi_err_name(e), teeabi_err_name(r.e));
		if (e != TEEABI_OK)
			continue;
		check_ok(d, size, &q, &r);
		if (!ok_any)
			keep = q;
		ok_any = 1;
	}
	if (!ok_any)
		return 0;

	check_binding(&keep);
	const uint8_t *rd = keep.body_type == 1 ? keep.sgx.report_data : keep.td.report_data;
	if (rd[0] == 0 && size % 4 == 0) {
		teeabi_err s = teeabi_tdx_quote_verify_signature(d, &keep);
		FZ_CHECK(s == TEEABI_OK || s == TEEABI_E_SIG_INVALID || s == TEEABI_E_KEY_INVALID,
			 "verify_signature returned %s", teeabi_err_name(s));
		s = teeabi_tdx_quote_verify_qe_report_sig(&keep);
		FZ_CHECK(s == TEEABI_OK || s == TEEABI_E_SIG_INVALID || s == TEEABI_E_KEY_INVALID ||
				 s == TEEABI_E_CERT_PARSE,
			 "verify_qe_report_sig returned %s", teeabi_err_name(s));
		if (keep.inner_cert_type != 5)
			FZ_CHECK(s == TEEABI_E_CERT_PARSE, "inner type %u: verify_qe_report_sig returned %s",
				 keep.inner_cert_type, teeabi_err_name(s));
	}
	return 0;
}
