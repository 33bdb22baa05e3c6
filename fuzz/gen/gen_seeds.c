/* SPDX-License-Identifier: Apache-2.0 */
/*
 * fuzz/gen/gen_seeds.c - writes the generated seeds of the parser fuzz targets
 * (corpus/<target>/gen-*), for the evidence shapes the real vectors lack:
 *
 *   tdreport    model TDREPORTs (TDX 1.0 and a 1.5 VALID), wrong type/subtype, non-zero
 *               version/reserved with correct hashes, wrong hashes, 1023/1025 bytes
 *   tdx_quote   a model v4 quote; quotes signed here with a fresh TEST attestation key and
 *               PCK leaf (valid ECDSA signatures and QE binding): v5 with body types 1, 2
 *               and 3, N = 0, DER and type-1 inner data, certification-size slack, a
 *               foreign QE vendor, non-zero trailing bytes, seam attributes; header and
 *               descriptor prefixes
 *   sgx_report  QE reports and an SGX body, reserved fields set, 383/385 bytes
 *   snp_report  model v3 report; v2, v4, v5 and Turin variants; one seed per MBZ range,
 *               policy/platform-info/signing-key warnings, bad version/algorithm; the
 *               report followed by the VCEK DER that verifies it
 *   snp_msg     model MSG_REPORT_RSP (4000 bytes), bad status/size, short, MSG_KEY_RSP
 *   snp_certs   model table (VCEK, ASK, ARK); VLEK and CRL/extra/unknown tables; every
 *               structural error (no terminator, duplicate, overlap, zero length, offset
 *               in the table, out of bounds, u32 wrap, 64 and 65 entries, empty table)
 *   dstack      GetQuote JSON whose event log replays (V1 and V2) to the RTMRs of a quote
 *               signed here, event_log as an array, and small hand-made edge cases
 *   detect      one input per detected format
 *   dstack_scale compact integers at the canonical-form bounds (the other dstack_scale
 *               seeds are hand-made, corpus/SOURCES.md)
 *
 * Keys are generated on every run, so signatures differ between runs; the shapes do not.
 * Build and run: fuzz/gen/make_seeds.sh (corpus/SOURCES.md). Not part of the build.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <openssl/bio.h>
#include <openssl/bn.h>
#include <openssl/core_names.h>
#include <openssl/ec.h>
#include <openssl/evp.h>
#include <openssl/pem.h>
#include <openssl/x509.h>
#include "model.h"
#include "teeabi/bytes.h"
#include "teeabi/dstack.h"
#include "teeabi/profile.h"
#include "teeabi/snp.h"
#include "teeabi/tdx.h"

static const char *root;

static void die(const char *what)
{
	fprintf(stderr, "gen_seeds: %s\n", what);
	exit(1);
}

static void put(const char *target, const char *name, const void *p, size_t n)
{
	char path[512];
	snprintf(path, sizeof(path), "%s/%s", root, target);
	if (mkdir(path, 0755) && errno != EEXIST)
		die(path);
	snprintf(path, sizeof(path), "%s/%s/gen-%s", root, target, name);
	FILE *f = fopen(path, "wb");
	if (!f || (n && fwrite(p, 1, n, f) != n) || fclose(f))
		die(path);
}

static void put_str(const char *target, const char *name, const char *s) { put(target, name, s, strlen(s)); }

static void sha384(const void *p, size_t n, uint8_t out[48])
{
	unsigned int l;
	if (EVP_Digest(p, n, out, &l, EVP_sha384(), NULL) != 1)
		die("sha384");
}

static void sha256_2(const void *a, size_t al, const void *b, size_t bl, uint8_t out[32])
{
	EVP_MD_CTX *c = EVP_MD_CTX_new();
	if (!c || EVP_DigestInit_ex(c, EVP_sha256(), NULL) != 1 || EVP_DigestUpdate(c, a, al) != 1 ||
	    EVP_DigestUpdate(c, b, bl) != 1 || EVP_DigestFinal_ex(c, out, NULL) != 1)
		die("sha256");
	EVP_MD_CTX_free(c);
}

/* ---------------------------------------------------------------- TEST quote signer */
struct signer {
	EVP_PKEY *ak, *pck;
	uint8_t ak_xy[64];
	char *pem;
	size_t pem_len;
	uint8_t *der;
	size_t der_len;
};

static void sign_rs(EVP_PKEY *key, const uint8_t *msg, size_t len, uint8_t rs[64])
{
	unsigned char der[80];
	size_t dl = sizeof(der);
	EVP_MD_CTX *md = EVP_MD_CTX_new();
	if (!md || EVP_DigestSignInit(md, NULL, EVP_sha256(), NULL, key) != 1 || EVP_DigestSign(md, der, &dl, msg, len) != 1)
		die("sign");
	const unsigned char *q = der;
	ECDSA_SIG *s = d2i_ECDSA_SIG(NULL, &q, (long)dl);
	const BIGNUM *r, *ss;
	ECDSA_SIG_get0(s, &r, &ss);
	if (BN_bn2binpad(r, rs, 32) != 32 || BN_bn2binpad(ss, rs + 32, 32) != 32)
		die("sign rs");
	ECDSA_SIG_free(s);
	EVP_MD_CTX_free(md);
}

static void signer_init(struct signer *s)
{
	s->ak = EVP_EC_gen("P-256");
	s->pck = EVP_EC_gen("P-256");
	if (!s->ak || !s->pck)
		die("keygen");
	uint8_t pt[65];
	size_t pl = 0;
	if (EVP_PKEY_get_octet_string_param(s->ak, OSSL_PKEY_PARAM_PUB_KEY, pt, sizeof(pt), &pl) != 1 || pl != 65)
		die("ak point");
	memcpy(s->ak_xy, pt + 1, 64);
	X509 *x = X509_new();
	X509_set_version(x, 2);
	ASN1_INTEGER_set(X509_get_serialNumber(x), 1);
	X509_gmtime_adj(X509_getm_notBefore(x), 0);
	X509_gmtime_adj(X509_getm_notAfter(x), 3600L * 24 * 365 * 20);
	X509_NAME *nm = X509_get_subject_name(x);
	X509_NAME_add_entry_by_txt(nm, "CN", MBSTRING_ASC, (const unsigned char *)"teeabi TEST fuzz-seed PCK - NOT FOR PRODUCTION",
				   -1, -1, 0);
	X509_set_issuer_name(x, nm);
	X509_set_pubkey(x, s->pck);
	if (!X509_sign(x, s->pck, EVP_sha256()))
		die("cert");
	BIO *b = BIO_new(BIO_s_mem());
	PEM_write_bio_X509(b, x);
	char *p;
	long n = BIO_get_mem_data(b, &p);
	s->pem = malloc((size_t)n + 1);
	memcpy(s->pem, p, (size_t)n);
	s->pem[n] = 0;
	s->pem_len = (size_t)n;
	BIO_free(b);
	int dl = i2d_X509(x, &s->der);
	if (dl <= 0)
		die("der");
	s->der_len = (size_t)dl;
	X509_free(x);
}

static const uint8_t intel_vendor[16] = { 0x93, 0x9a, 0x72, 0x33, 0xf7, 0x9c, 0x4c, 0xa9,
					  0x94, 0x0a, 0x0d, 0xb3, 0x95, 0x7f, 0x06, 0x07 };

struct qspec {
	unsigned version, body_type; /* body_type 1 (SGX), 2 (TD10), 3 (TD15) */
	const uint8_t *body;         /* body bytes (size from the type) */
	unsigned n_auth;             /* QE auth data length */
	unsigned inner_type;
	const uint8_t *inner;
	size_t inner_len;
	size_t slack;                /* bytes between the end of the cert data and signature_data_len */
	const uint8_t *trail;
	size_t trail_len;
	int foreign_vendor;
	int qe_reserved;             /* non-zero QE report reserved field */
	size_t pad4;                 /* pad the whole buffer with zeros to a multiple of 4 */
};

/* A quote laid out per formats.md §2, signed with the TEST keys. malloc'd. */
static uint8_t *build_quote(const struct signer *s, const struct qspec *q, size_t *len)
{
	size_t bsize = q->body_type == 1 ? 384 : q->body_type == 2 ? 584 : 648;
	size_t boff = q->version == 4 ? 48 : 54, signed_len = boff + bsize;
	size_t S = 450 + q->n_auth + 6 + q->inner_len, sig_len = 134 + S + q->slack;
	size_t total = signed_len + 4 + sig_len + q->trail_len;
	if (q->pad4)
		total = (total + 3) & ~(size_t)3;
	uint8_t *b = calloc(1, total);
	teeabi_put_le16(b, (uint16_t)q->version);
	teeabi_put_le16(b + 2, 2);
	teeabi_put_le32(b + 4, q->body_type == 1 ? 0 : 0x81);
	memcpy(b + 12, intel_vendor, 16);
	if (q->foreign_vendor)
		b[12] ^= 0xff;
	for (int i = 0; i < 16; i++)
		b[28 + i] = (uint8_t)(0xa0 + i);
	if (q->version == 5) {
		teeabi_put_le16(b + 48, (uint16_t)q->body_type);
		teeabi_put_le32(b + 50, (uint32_t)bsize);
	}
	memcpy(b + boff, q->body, bsize);
	teeabi_put_le32(b + signed_len, (uint32_t)sig_len);
	uint8_t *sd = b + signed_len + 4;
	sign_rs(s->ak, b, signed_len, sd);
	memcpy(sd + 64, s->ak_xy, 64);
	teeabi_put_le16(sd + 128, 6);
	teeabi_put_le32(sd + 130, (uint32_t)S);
	uint8_t *cd = sd + 134, *qe = cd, *auth = cd + 450;
	static const uint8_t qe_attr[16] = { 0x15, 0, 0, 0, 0, 0, 0, 0, 0xe7 };
	memcpy(qe + 48, qe_attr, 16);
	memset(qe + 64, 0x3c, 32); /* mr_enclave */
	memset(qe + 128, 0xdc, 32); /* mr_signer */
	teeabi_put_le16(qe + 256, 2);
	teeabi_put_le16(qe + 258, 7);
	if (q->qe_reserved)
		qe[100] = 1;
	for (unsigned i = 0; i < q->n_auth; i++)
		auth[i] = (uint8_t)i;
	sha256_2(s->ak_xy, 64, auth, q->n_auth, qe + 320);
	sign_rs(s->pck, qe, 384, cd + 384);
	teeabi_put_le16(cd + 448, (uint16_t)q->n_auth);
	teeabi_put_le16(auth + q->n_auth, (uint16_t)q->inner_type);
	teeabi_put_le32(auth + q->n_auth + 2, (uint32_t)q->inner_len);
	memcpy(auth + q->n_auth + 6, q->inner, q->inner_len);
	if (q->trail_len)
		memcpy(sd + sig_len, q->trail, q->trail_len);
	*len = total;
	return b;
}

/* A TD15 body (648) with recognisable bytes; report_data[0] = rd0. */
static void td_body(uint8_t body[648], uint8_t rd0)
{
	for (int i = 0; i < 648; i++)
		body[i] = (uint8_t)(i * 7 + 1);
	memset(body + 112, 0, 8);                 /* seam_attributes */
	teeabi_put_le64(body + 120, 0x10000000);  /* td_attributes */
	teeabi_put_le64(body + 128, 0x61ae7);     /* xfam */
	body[520] = rd0;
}

/* ---------------------------------------------------------------- TDREPORT */
static void fix_hashes(uint8_t r[1024])
{
	sha384(r + 0x100, 239, r + 0x20);
	sha384(r + 0x200, 512, r + 0x50);
}

static void gen_tdreport(struct tm_dev *d, uint8_t rep[1024])
{
	uint8_t rd[64];
	for (int i = 0; i < 64; i++)
		rd[i] = (uint8_t)(0x40 + i);
	if (tm_tdx_tdreport(d, rd, rep))
		die("tdreport");
	put("tdreport", "mock", rep, 1024);
	uint8_t c[1025];
	memcpy(c, rep, 1024);
	teeabi_put_le64(c + 0x100, 0x301ff);
	memset(c + 0x180, 0x0d, 4);
	memset(c + 0x390, 0x5e, 48);
	fix_hashes(c);
	put("tdreport", "tdx15", c, 1024);
	memcpy(c, rep, 1024);
	c[2] = 1;
	c[0x0C5] = 1;
	c[0x3C1] = 2;
	fix_hashes(c);
	put("tdreport", "version1-reserved", c, 1024);
	memcpy(c, rep, 1024);
	c[0] = 0;
	put("tdreport", "type-sgx", c, 1024);
	memcpy(c, rep, 1024);
	c[1] = 1;
	put("tdreport", "subtype1", c, 1024);
	put("detect", "tdreport-subtype1", c, 1024);
	memcpy(c, rep, 1024);
	c[0x120] ^= 1;
	put("tdreport", "tcb-hash-wrong", c, 1024);
	memcpy(c, rep, 1024);
	c[0x3ff] ^= 1;
	put("tdreport", "info-hash-wrong", c, 1024);
	put("tdreport", "short-1023", rep, 1023);
	memcpy(c, rep, 1024);
	c[1024] = 0;
	put("tdreport", "long-1025", c, 1025);
	put("detect", "tdreport-long-1025", c, 1025);
	/* the last byte of the reserved range before the MAC (not hashed) */
	memcpy(c, rep, 1024);
	c[0x0DF] = 1;
	put("tdreport", "reserved-0df", c, 1024);
	/* VALID bit 16 without bit 17: not TDX 1.5 */
	memcpy(c, rep, 1024);
	teeabi_put_le64(c + 0x100, 0x101ff);
	fix_hashes(c);
	put("tdreport", "valid-bit16-only", c, 1024);
}

/* ---------------------------------------------------------------- quotes */
static void gen_quotes(struct tm_dev *d, const struct signer *s, const uint8_t rep[1024])
{
	uint8_t *q;
	size_t n;
	if (tm_tdx_quote(d, rep, &q, &n))
		die("model quote");
	put("tdx_quote", "mock-v4", q, n);
	put("detect", "tdx-quote-v4", q, n);
	/* the QE report of the model quote, for sgx_report */
	put("sgx_report", "qe-report-mock", q + 632 + 4 + 134, 384);
	free(q);

	uint8_t body[648];
	td_body(body, 0);
	uint8_t sgx[384];
	memset(sgx, 0, sizeof(sgx));
	memset(sgx + 64, 0x11, 32);
	memset(sgx + 128, 0x22, 32);
	teeabi_put_le16(sgx + 256, 9);
	for (int i = 0; i < 64; i++)
		sgx[320 + i] = (uint8_t)i; /* report_data[0] = 0 */
	const uint8_t *pem = (const uint8_t *)s->pem;
	static const uint8_t ppid[36] = { 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16, 4, 1, 3 };
	static const char trail[] = "\nextra bytes after the quote\n";
	const struct { const char *name; struct qspec q; const char *also; } v[] = {
		{ "v4-pem-nul", { 4, 2, body, 32, 5, pem, s->pem_len + 1, 0, NULL, 0, 0, 0, 1 }, NULL },
		{ "v5-td10", { 5, 2, body, 32, 5, pem, s->pem_len, 0, NULL, 0, 0, 0, 1 }, NULL },
		{ "v5-td15", { 5, 3, body, 32, 5, pem, s->pem_len + 1, 0, NULL, 0, 0, 0, 1 }, "tdx-quote-v5-td15" },
		{ "v5-sgx", { 5, 1, sgx, 32, 5, pem, s->pem_len, 0, NULL, 0, 0, 0, 1 }, "tdx-quote-v5-sgx" },
		{ "v4-n0-der", { 4, 2, body, 0, 5, s->der, s->der_len, 0, NULL, 0, 0, 0, 1 }, NULL },
		{ "v4-inner-ppid", { 4, 2, body, 32, 1, ppid, sizeof(ppid), 0, NULL, 0, 0, 0, 1 }, NULL },
		{ "v4-certsize-slack", { 4, 2, body, 32, 5, pem, s->pem_len, 16, NULL, 0, 0, 0, 1 }, NULL },
		{ "v4-foreign-vendor", { 4, 2, body, 32, 5, pem, s->pem_len, 0, NULL, 0, 1, 1, 1 }, NULL },
		{ "v4-trailing-text", { 4, 2, body, 32, 5, pem, s->pem_len, 0, (const uint8_t *)trail, sizeof(trail) - 1, 0, 0, 0 }, "tdx-quote-trailing-text" },
	};
	for (size_t i = 0; i < sizeof(v) / sizeof(v[0]); i++) {
		q = build_quote(s, &v[i].q, &n);
		put("tdx_quote", v[i].name, q, n);
		if (v[i].also)
			put("detect", v[i].also, q, n);
		if (!strcmp(v[i].name, "v5-sgx"))
			put("sgx_report", "v5-body", q + 54, 384);
		free(q);
	}
	/* v5 SGX body whose reserved4 field (262..304) has its last byte set */
	{
		uint8_t sr[384];
		memcpy(sr, sgx, sizeof(sr));
		sr[303] = 1;
		struct qspec rq = { 5, 1, sr, 32, 5, pem, s->pem_len, 0, NULL, 0, 0, 0, 1 };
		q = build_quote(s, &rq, &n);
		put("tdx_quote", "v5-sgx-body-reserved", q, n);
		free(q);
	}
	/* seam attributes + a report_data that is not 0 first (no ECDSA in the target) */
	uint8_t b2[648];
	td_body(b2, 0x77);
	teeabi_put_le64(b2 + 112, 1);
	struct qspec sq = { 4, 2, b2, 32, 5, pem, s->pem_len, 0, NULL, 0, 0, 0, 0 };
	q = build_quote(s, &sq, &n);
	put("tdx_quote", "v4-seam-attr", q, n);
	free(q);
}

/* One small quote per structural check (formats.md §2.10), from a minimal v4 quote
 * (N = 0, empty type-5 inner data: 1226 bytes); plus the crypto-check failure shapes. */
static void gen_quote_edges(const struct signer *s)
{
	uint8_t body[648], v5b[648];
	td_body(body, 0);
	td_body(v5b, 0);
	struct qspec mq = { 4, 2, body, 0, 5, (const uint8_t *)"", 0, 0, NULL, 0, 0, 0, 0 };
	size_t n;
	uint8_t *m = build_quote(s, &mq, &n); /* 1226 bytes */
	uint8_t c[1300];
	/* offsets in the minimal v4 quote */
	enum { SIGLEN = 632, SD = 636, CTYPE = SD + 128, CSIZE = SD + 130, CD = SD + 134, NOFF = CD + 448,
	       ITYPE = CD + 450, MOFF = CD + 452 };
#define EDGE(name, len, stmts)                      \
	do {                                        \
		memcpy(c, m, n);                    \
		stmts;                              \
		put("tdx_quote", name, c, (len));   \
	} while (0)
	EDGE("err-header-short", 47, {});
	EDGE("err-version", n, teeabi_put_le16(c, 3));
	EDGE("err-att-key-type", n, teeabi_put_le16(c + 2, 3));
	EDGE("err-tee-type", n, teeabi_put_le32(c + 4, 0x80));
	EDGE("err-tee-body", n, teeabi_put_le32(c + 4, 0));
	EDGE("err-body-short", SIGLEN - 1, {});
	EDGE("err-siglen-short", SIGLEN + 3, {});
	EDGE("err-siglen-bounds", n, teeabi_put_le32(c + SIGLEN, 0xFFFFFFFFu));
	EDGE("err-sigdata-short", SD + 133, teeabi_put_le32(c + SIGLEN, 133));
	EDGE("err-cert-type", n, teeabi_put_le16(c + CTYPE, 5));
	put("detect", "tdx-quote-err-cert-type", c, n);
	EDGE("err-cert-size", n, teeabi_put_le32(c + CSIZE, 457));
	EDGE("err-qe-short", SD + 134 + 449, { teeabi_put_le32(c + SIGLEN, 134 + 449); teeabi_put_le32(c + CSIZE, 449); });
	EDGE("err-qe-auth-len", n, teeabi_put_le16(c + NOFF, 7));
	EDGE("err-inner-short", n, teeabi_put_le16(c + NOFF, 1));
	EDGE("err-inner-type", n, teeabi_put_le16(c + ITYPE, 6));
	EDGE("err-inner-size", n, teeabi_put_le32(c + MOFF, 1));
	EDGE("qe-binding-wrong", n, c[CD + 320] ^= 1);
	/* both the cert type and the cert size are wrong: the type is checked first */
	EDGE("err-cert-type-and-size", n, { teeabi_put_le16(c + CTYPE, 5); teeabi_put_le32(c + CSIZE, 457); });
	/* distinct header SVNs at 8 and 10 (the quote signature no longer matches) */
	EDGE("hdr-svn-distinct", n, { teeabi_put_le16(c + 8, 0x0102); teeabi_put_le16(c + 10, 0x0304); });
	/* trailing bytes whose only non-zero byte is the first */
	EDGE("trailing-first-nz", n + 3, { c[n] = 1; c[n + 1] = c[n + 2] = 0; });
	/* report_data[0] = 0 and size % 4 == 0: the target runs the ECDSA checks */
	EDGE("ak-not-on-curve", n + 2, { memset(c + SD + 64, 0x01, 64); c[n] = c[n + 1] = 0; });
#undef EDGE
	free(m);
	m = NULL;
	/* v5 descriptor checks */
	struct qspec v5 = { 5, 3, v5b, 0, 5, (const uint8_t *)"", 0, 0, NULL, 0, 0, 0, 0 };
	m = build_quote(s, &v5, &n);
	put("tdx_quote", "err-desc-short", m, 53);
	memcpy(c, m, n);
	teeabi_put_le16(c + 48, 4);
	put("tdx_quote", "err-body-type", c, n);
	memcpy(c, m, n);
	teeabi_put_le16(c + 48, 2);
	put("tdx_quote", "err-body-size", c, n);
	memcpy(c, m, n);
	teeabi_put_le32(c + 50, 647); /* TD15 body one byte short of 648 */
	put("tdx_quote", "err-body-size-small", c, n);
	free(m);
	/* an SGX body (type 1) under TDX tee_type 0x81 */
	struct qspec v5s = { 5, 1, v5b, 0, 5, (const uint8_t *)"", 0, 0, NULL, 0, 0, 0, 0 };
	m = build_quote(s, &v5s, &n);
	memcpy(c, m, n);
	teeabi_put_le32(c + 4, 0x81);
	put("tdx_quote", "err-tee-body-sgx", c, n);
	free(m);
	/* inner certification data size M one byte shorter than what is left (4 bytes) */
	struct qspec iq = { 4, 2, body, 0, 5, (const uint8_t *)"PEM!", 4, 0, NULL, 0, 0, 0, 0 };
	m = build_quote(s, &iq, &n);
	memcpy(c, m, n);
	teeabi_put_le32(c + MOFF, 3);
	put("tdx_quote", "err-inner-size-short", c, n);
	free(m);
	/* QE report signature: a PEM block that is no certificate, and an RSA leaf */
	static const char bad_pem[] = "-----BEGIN CERTIFICATE-----\nMIIBAAAA\n-----END CERTIFICATE-----\n";
	struct qspec gq = { 4, 2, body, 32, 5, (const uint8_t *)bad_pem, sizeof(bad_pem), 0, NULL, 0, 0, 0, 1 };
	m = build_quote(s, &gq, &n);
	put("tdx_quote", "qe-pem-garbage", m, n);
	free(m);
	EVP_PKEY *rsa = EVP_RSA_gen(2048);
	X509 *x = X509_new();
	if (!rsa || !x)
		die("rsa");
	X509_set_version(x, 2);
	X509_gmtime_adj(X509_getm_notBefore(x), 0);
	X509_gmtime_adj(X509_getm_notAfter(x), 3600);
	X509_NAME_add_entry_by_txt(X509_get_subject_name(x), "CN", MBSTRING_ASC,
				   (const unsigned char *)"teeabi TEST RSA leaf - NOT FOR PRODUCTION", -1, -1, 0);
	X509_set_issuer_name(x, X509_get_subject_name(x));
	X509_set_pubkey(x, rsa);
	if (!X509_sign(x, rsa, EVP_sha256()))
		die("rsa cert");
	unsigned char *der = NULL;
	int dl = i2d_X509(x, &der);
	struct qspec rq = { 4, 2, body, 32, 5, der, (size_t)dl, 0, NULL, 0, 0, 0, 1 };
	m = build_quote(s, &rq, &n);
	put("tdx_quote", "qe-cert-rsa", m, n);
	free(m);
	OPENSSL_free(der);
	X509_free(x);
	EVP_PKEY_free(rsa);
}

static void gen_sgx_edges(const uint8_t *qe)
{
	uint8_t c[385];
	memcpy(c, qe, 384);
	c[20] = 1;
	c[300] = 1;
	put("sgx_report", "reserved-set", c, 384);
	put("sgx_report", "short-383", qe, 383);
	c[384] = 0;
	put("sgx_report", "long-385", c, 385);
	memcpy(c, qe, 384);
	c[303] = 1;
	put("sgx_report", "reserved4-303", c, 384);
	put("detect", "sgx-report", qe, 384);
}

/* ---------------------------------------------------------------- SNP */
#define RL 0x4A0

static void gen_snp(struct tm_dev *d, const struct signer *sg)
{
	uint8_t ud[64], resp[4000], r[RL + 2048];
	for (int i = 0; i < 64; i++)
		ud[i] = (uint8_t)(0x80 + i);
	if (tm_sev_report(d, ud, 0, resp))
		die("sev report");
	put("snp_msg", "mock-report-rsp", resp, sizeof(resp));
	put("detect", "snp-msg-report-rsp", resp, sizeof(resp));
	put("snp_msg", "exact-0x4c0", resp, 0x20 + RL);
	put("snp_msg", "short-0x4bf", resp, 0x20 + RL - 1);
	uint8_t m[4000];
	memcpy(m, resp, sizeof(m));
	teeabi_put_le32(m, 0x16);
	put("snp_msg", "status-invalid-param", m, 0x20 + RL);
	memcpy(m, resp, sizeof(m));
	teeabi_put_le32(m + 4, 0x4A1);
	put("snp_msg", "report-size-4a1", m, 0x20 + RL);
	uint8_t key[64] = { 0 };
	for (int i = 0; i < 32; i++)
		key[0x20 + i] = (uint8_t)(0xc0 + i);
	put("snp_msg", "key-rsp", key, 64);
	put("detect", "snp-msg-key-rsp", key, 64);
	put("snp_msg", "key-rsp-short-0x3f", key, 0x3f);
	teeabi_put_le32(key, 0x27);
	put("snp_msg", "key-rsp-invalid-key", key, 64);
	put("snp_msg", "header-only", resp, 0x20);
	put("snp_msg", "short-0x1f", resp, 0x1f);

	const uint8_t *rep = resp + 0x20;
	put("snp_report", "mock-v3-milan", rep, RL);
	put("detect", "snp-report-v3", rep, RL);
	size_t vl;
	const uint8_t *vcek = tm_sev_vcek_der(d, &vl);
	memcpy(r, rep, RL);
	memcpy(r + RL, vcek, vl);
	put("snp_report", "mock-v3-with-vcek-der", r, RL + vl);

#define VARIANT(name, stmts)                \
	do {                                \
		memcpy(r, rep, RL);         \
		stmts;                      \
		put("snp_report", name, r, RL); \
	} while (0)
	VARIANT("v2", { teeabi_put_le32(r, 2); memset(r + 0x188, 0, 3); });
	VARIANT("v2-turin-chipid", { teeabi_put_le32(r, 2); memset(r + 0x188, 0, 3); memset(r + 0x1A8, 0, 56); });
	VARIANT("v4", teeabi_put_le32(r, 4));
	VARIANT("v5-mit", { teeabi_put_le32(r, 5); teeabi_put_le64(r + 0x1F8, 0xb); teeabi_put_le64(r + 0x200, 0x3f); });
	VARIANT("v5-turin-cpuid", { teeabi_put_le32(r, 5); r[0x188] = 0x1a; r[0x189] = 0x02; r[0x18A] = 1;
				     teeabi_put_le64(r + 0x38, 0x5100000004010101ull); });
	VARIANT("v3-genoa", { r[0x189] = 0x11; });
	VARIANT("v3-venice", { r[0x188] = 0x1a; r[0x189] = 0x50; });
	VARIANT("v3-cpuid-zero", memset(r + 0x188, 0, 3));
	VARIANT("mbz-signer", r[0x4C] = 1);
	VARIANT("mbz-cpuid", r[0x19F] = 1);
	VARIANT("mbz-fw", r[0x1EB] = 1);
	VARIANT("mbz-mit-v3", r[0x1F8] = 1);
	VARIANT("mbz-tail", r[0x29F] = 1);
	VARIANT("mbz-sig-rs-high", r[0x2A0 + 60] = 1);
	VARIANT("mbz-sig-tail", r[0x49F] = 1);
	VARIANT("policy-warnings", teeabi_put_le64(r + 8, (1ull << 40) | 0x1f));
	VARIANT("platinfo-bit6", teeabi_put_le64(r + 0x40, 0x65));
	VARIANT("vlek-signer", teeabi_put_le32(r + 0x48, 1u << 2));
	VARIANT("signer-none-masked", { teeabi_put_le32(r + 0x48, 7u << 2 | 3); memset(r + 0x1A0, 0, 64); });
	VARIANT("signing-key-reserved", teeabi_put_le32(r + 0x48, 3u << 2));
	VARIANT("version6", teeabi_put_le32(r, 6));
	VARIANT("sig-algo2", teeabi_put_le32(r + 0x34, 2));
	VARIANT("policy-bit16-only", teeabi_put_le64(r + 8, (1ull << 16) | 0x1f));
	VARIANT("policy-bit26", teeabi_put_le64(r + 8, (1ull << 26) | (1ull << 17) | 0x1f));
	VARIANT("signing-key-6", teeabi_put_le32(r + 0x48, 6u << 2));
	VARIANT("v2-cpuid-family", { teeabi_put_le32(r, 2); r[0x188] = 0x19; r[0x189] = 0; r[0x18A] = 0; });
	VARIANT("v2-chipid-tail", { teeabi_put_le32(r, 2); memset(r + 0x188, 0, 3); memset(r + 0x1A0, 0x5a, 64);
				     memset(r + 0x1A8, 0, 48); });
	VARIANT("v3-family-1b", { r[0x188] = 0x1b; r[0x189] = 0x01; });
	VARIANT("v3-genoa-1f", { r[0x188] = 0x19; r[0x189] = 0x1f; });
	VARIANT("mbz-fw-1ef", r[0x1EF] = 1);
	VARIANT("mbz-current-mit-v3", r[0x200] = 1);
	VARIANT("mbz-sig-s-high", r[0x2E8 + 48] = 1);
#undef VARIANT
	put("snp_report", "short-1183", rep, RL - 1);
	memcpy(r, rep, RL);
	r[RL] = 0;
	put("snp_report", "trailing-1", r, RL + 1);
	memcpy(r, rep, RL);
	memset(r + RL, 0, 16);
	put("snp_report", "trailing-zero16", r, RL + 16);
	/* signature check with the trailing bytes as the certificate: PEM VCEK (verifies), a
	 * P-256 certificate, a DER-looking blob, and R with a non-zero high byte */
	{
		const unsigned char *q = vcek;
		X509 *x = d2i_X509(NULL, &q, (long)vl);
		BIO *b = BIO_new(BIO_s_mem());
		if (!x || !b || !PEM_write_bio_X509(b, x))
			die("vcek pem");
		char *pm;
		long pl = BIO_get_mem_data(b, &pm);
		memcpy(r, rep, RL);
		memcpy(r + RL, pm, (size_t)pl);
		put("snp_report", "mock-v3-with-vcek-pem", r, RL + (size_t)pl);
		BIO_free(b);
		X509_free(x);
	}
	memcpy(r, rep, RL);
	memcpy(r + RL, sg->der, sg->der_len);
	put("snp_report", "mock-v3-with-p256-cert", r, RL + sg->der_len);
	memcpy(r, rep, RL);
	memcpy(r + RL, "\x30\x82\x01\x00\x30\x81\xff\x02\x01", 9);
	put("snp_report", "mock-v3-with-garbage-der", r, RL + 9);
	memcpy(r, rep, RL);
	r[0x2A0 + 71] = 1;
	memcpy(r + RL, vcek, vl);
	put("snp_report", "rs-high-with-vcek-der", r, RL + vl);
	/* detect: SNP shapes that fail one way or the other */
	memcpy(r, rep, RL);
	r[0x29F] = 1;
	put("detect", "snp-report-mbz", r, RL);          /* lenient OK, strict E_SNP_MBZ */
	put("detect", "snp-report-short", rep, 0x100);    /* E_SNP_REPORT_SIZE */
	memcpy(m, resp, sizeof(m));
	m[0x20 + 0x29F] = 1;
	put("detect", "snp-msg-report-rsp-mbz", m, 0x20 + RL + 3); /* nested report strict error */
	memcpy(m, resp, sizeof(m));
	teeabi_put_le32(m, 0x16);
	put("detect", "snp-msg-report-rsp-status", m, 0x20 + RL);
	memcpy(m, resp, sizeof(m));
	teeabi_put_le32(m + 0x20, 6);
	put("detect", "snp-msg-report-rsp-v6", m, 0x20 + RL);
	memcpy(m, key, 64); /* status 0x27 */
	put("detect", "snp-msg-key-rsp-status", m, 64);
	memcpy(r, rep, RL);
	r[0x189] = 0x11;
	teeabi_put_le32(r + 0x48, 7u << 2);
	put("detect", "snp-report-genoa-nokey", r, RL);
	memcpy(r, rep, RL);
	r[0x188] = 0x1a;
	r[0x189] = 0x90;
	teeabi_put_le64(r + 0x40, 1u << 8);
	put("detect", "snp-report-venice", r, RL);

	/* certificate tables */
	size_t bl;
	const uint8_t *blob = tm_sev_certs(d, &bl);
	put("snp_certs", "mock-vcek-ask-ark", blob, bl);
	put("detect", "snp-cert-table", blob, bl);
	uint8_t *c = malloc(bl);
	memcpy(c, blob, bl);
	for (size_t i = 0; 24 * (i + 1) <= bl && !teeabi_all_zero(c + 24 * i, 24); i++)
		if (!memcmp(c + 24 * i, teeabi_guid_vcek, 16))
			memcpy(c + 24 * i, teeabi_guid_vlek, 16);
	put("snp_certs", "mock-vlek-ask-ark", c, bl);
	free(c);

	/* small hand-made tables: entries {guid, off, len}, data bytes after the table */
	uint8_t t[2048];
	const uint8_t unknown[16] = { 0x01, 0x02, 0x03, 0x04, 0x05, 0x06, 0x47, 0x08,
				      0x89, 0x0a, 0x0b, 0x0c, 0x0d, 0x0e, 0x0f, 0x10 };
#define ENT(i, g, off, len)                                 \
	do {                                                \
		memcpy(t + 24 * (i), (g), 16);              \
		teeabi_put_le32(t + 24 * (i) + 16, (off));  \
		teeabi_put_le32(t + 24 * (i) + 20, (len));  \
	} while (0)
/* data bytes (non-zero) from dstart on */
#define TABLE(name, n, dstart, body)                        \
	do {                                                \
		memset(t, 0, sizeof(t));                    \
		for (size_t k = (dstart); k < sizeof(t); k++) \
			t[k] = (uint8_t)(k | 1);            \
		body;                                       \
		put("snp_certs", name, t, (n));             \
	} while (0)
	TABLE("crl-extra-unknown", 400, 200, {
		ENT(0, teeabi_guid_crl, 200, 50); ENT(1, teeabi_guid_extra_platform_info, 250, 30);
		ENT(2, unknown, 280, 120); });
	TABLE("empty-table", 24, 200, {});
	TABLE("no-terminator", 48, 200, { ENT(0, teeabi_guid_vcek, 48, 0); ENT(1, teeabi_guid_ask, 40, 8); });
	TABLE("duplicate", 300, 200, { ENT(0, teeabi_guid_vcek, 200, 10); ENT(1, teeabi_guid_vcek, 220, 10); });
	TABLE("overlap", 300, 200, { ENT(0, teeabi_guid_vcek, 200, 50); ENT(1, teeabi_guid_ask, 240, 20); });
	put("detect", "snp-cert-table-overlap", t, 300);
	TABLE("zero-length", 300, 200, { ENT(0, teeabi_guid_vcek, 200, 0); });
	TABLE("zero-length-in-table", 300, 200, { ENT(0, teeabi_guid_vcek, 24, 0); });
	TABLE("overlap-1byte", 300, 200, { ENT(0, teeabi_guid_vcek, 200, 50); ENT(1, teeabi_guid_ask, 249, 20); });
	TABLE("terminator-partial", 24 + 20, 200, { ENT(0, teeabi_guid_vcek, 40, 4); });
	TABLE("offset-in-table", 300, 200, { ENT(0, teeabi_guid_vcek, 24, 10); });
	TABLE("out-of-bounds", 300, 200, { ENT(0, teeabi_guid_vcek, 200, 101); });
	TABLE("u32-wrap", 300, 200, { ENT(0, teeabi_guid_vcek, 0xFFFFFFF0u, 0x20); });
	TABLE("entries-64", 64 * 24 + 24 + 64, 65 * 24, { for (int i = 0; i < 64; i++) ENT(i, unknown, 65 * 24 + i, 1);
		for (int i = 0; i < 64; i++) t[24 * i + 15] = (uint8_t)i; });
	TABLE("entries-65", 65 * 24 + 24 + 65, 66 * 24, { for (int i = 0; i < 65; i++) ENT(i, unknown, 66 * 24 + i, 1);
		for (int i = 0; i < 65; i++) t[24 * i + 15] = (uint8_t)i; });
#undef TABLE
#undef ENT
}

/* ---------------------------------------------------------------- dstack */
static char *hexs(const uint8_t *p, size_t n)
{
	char *h = malloc(2 * n + 1);
	teeabi_hex(h, p, n);
	return h;
}

struct ev { unsigned imr; uint32_t type; const char *name; const char *payload; int keep_digest; };

/* JSON response for events evs; digests for runtime events are left empty unless
 * keep_digest; the quote's RTMRs and report_data match the replay. */
static char *dstack_json(const struct signer *s, const struct ev *evs, size_t n, int rule, int as_array, int mark_v2,
			 int trailing)
{
	uint8_t rtmr[4][48];
	memset(rtmr, 0, sizeof(rtmr));
	size_t cap = 1 << 16, len = 0;
	char *el = malloc(cap);
	len += (size_t)snprintf(el + len, cap - len, "[");
	for (size_t i = 0; i < n; i++) {
		const struct ev *e = &evs[i];
		uint8_t dig[48];
		size_t pl = strlen(e->payload);
		if (e->type == TEEABI_DSTACK_EVENT_TYPE_RUNTIME) {
			if (rule == 2)
				teeabi_dstack_event_digest_v2(dig, e->name, (const uint8_t *)e->payload, pl);
			else
				teeabi_dstack_event_digest_v1(dig, e->name, (const uint8_t *)e->payload, pl);
		} else {
			sha384(e->payload, pl, dig);
		}
		teeabi_rtmr_extend(rtmr[e->imr], dig);
		char *dh = hexs(dig, 48), *ph = hexs((const uint8_t *)e->payload, pl);
		int empty = e->type == TEEABI_DSTACK_EVENT_TYPE_RUNTIME && !e->keep_digest;
		/* event_log is embedded as a JSON string: escape its quotes unless as_array */
		const char *qt = as_array ? "\"" : "\\\"";
		len += (size_t)snprintf(el + len, cap - len,
					"%s{%simr%s:%u,%sevent_type%s:%u,%sdigest%s:%s%s%s,%sevent%s:%s%s%s,%sevent_payload%s:%s%s%s}",
					i ? "," : "", qt, qt, e->imr, qt, qt, e->type, qt, qt, qt, empty ? "" : dh, qt, qt, qt,
					qt, e->name, qt, qt, qt, qt, ph, qt);
		free(dh);
		free(ph);
	}
	len += (size_t)snprintf(el + len, cap - len, "]");
	uint8_t body[648];
	td_body(body, 0);
	memcpy(body + 328, rtmr, sizeof(rtmr));
	uint8_t rd[64] = { 0 };
	memcpy(rd, "teeabi-fuzz-seed", 16);
	memcpy(body + 520, rd, 64);
	static const uint8_t tb[] = "trailing";
	struct qspec q = { 4, 2, body, 32, 5, (const uint8_t *)s->pem, s->pem_len + 1, 0, trailing ? tb : NULL,
			   trailing ? sizeof(tb) - 1 : 0, 0, 0, 0 };
	size_t qn;
	uint8_t *qb = build_quote(s, &q, &qn);
	char *qh = hexs(qb, qn), *rh = hexs(rd, 16);
	size_t jcap = 2 * qn + len + 512;
	char *j = malloc(jcap);
	snprintf(j, jcap, "{\"quote\":\"%s\",\"event_log\":%s%s%s,\"report_data\":\"0x%s\",\"vm_config\":\"{}\"%s}\n", qh,
		 as_array ? "" : "\"", el, as_array ? "" : "\"", rh, mark_v2 ? ",\"event_log_version\":2" : "");
	free(qh);
	free(rh);
	free(qb);
	free(el);
	return j;
}

static void gen_dstack(const struct signer *s)
{
	const struct ev evs[] = {
		{ 0, 0x80000001, "", "td-hob", 0 },
		{ 1, 0x80000003, "", "kernel", 0 },
		{ 2, 0x0000000d, "", "cmdline", 0 },
		{ 3, TEEABI_DSTACK_EVENT_TYPE_RUNTIME, "system-preparing", "", 0 },
		{ 3, TEEABI_DSTACK_EVENT_TYPE_RUNTIME, "app-id", "\x01\x02\x03\x04", 0 },
		{ 3, TEEABI_DSTACK_EVENT_TYPE_RUNTIME, "compose-hash", "abcdef", 1 },
	};
	char *j = dstack_json(s, evs, 6, 1, 0, 0, 0);
	put_str("dstack", "v1-replay-match.json", j);
	put_str("detect", "dstack-v1.json", j);
	free(j);
	j = dstack_json(s, evs, 6, 2, 0, 1, 0);
	put_str("dstack", "v2-marked-replay-match.json", j);
	free(j);
	j = dstack_json(s, evs, 6, 1, 1, 0, 0);
	put_str("dstack", "v1-event-log-array.json", j);
	free(j);
	/* a quote with non-zero trailing bytes: fine for the parser, refused by strict describe */
	j = dstack_json(s, evs, 3, 1, 1, 0, 1);
	put_str("detect", "dstack-quote-trailing.json", j);
	free(j);

	static const struct { const char *name, *text; } small[] = {
		{ "minimal.json", "{\"quote\":\"\",\"event_log\":\"\"}" },
		{ "empty-array.json", " {\"quote\":\"0x\",\"event_log\":[],\"report_data\":\"0x1234\"}\r\n" },
		{ "v2-flag.json", "{\"quote\":\"\",\"event_log\":\"[]\",\"event_log_version\":2}" },
		{ "bad-version.json", "{\"quote\":\"\",\"event_log\":\"[]\",\"event_log_version\":3}" },
		{ "runtime-empty-digest.json",
		  "{\"quote\":\"\",\"event_log\":[{\"imr\":3,\"event_type\":134217729,\"digest\":\"\",\"event\":\"a\\nb\\u0001\\\"/\",\"event_payload\":\"00ff\"}]}" },
		{ "runtime-non-utf8.json",
		  "{\"quote\":\"\",\"event_log\":[{\"imr\":3,\"event_type\":134217729,\"digest\":\"\",\"event\":\"\xc3\x28\",\"event_payload\":\"\"}]}" },
		{ "runtime-nul.json",
		  "{\"quote\":\"\",\"event_log\":[{\"imr\":3,\"event_type\":134217729,\"digest\":\"\",\"event\":\"a\\u0000b\",\"event_payload\":\"\"}]}" },
		{ "imr4.json",
		  "{\"quote\":\"\",\"event_log\":[{\"imr\":4,\"event_type\":1,\"digest\":\"\",\"event\":\"\",\"event_payload\":\"\"}]}" },
		{ "imr4-digest.json",
		  "{\"quote\":\"\",\"event_log\":[{\"imr\":4,\"event_type\":1,\"digest\":\"000102030405060708090a0b0c0d0e0f101112131415161718191a1b1c1d1e1f202122232425262728292a2b2c2d2e2f\",\"event\":\"\",\"event_payload\":\"\"}]}" },
		{ "digest-47.json",
		  "{\"quote\":\"\",\"event_log\":[{\"imr\":0,\"event_type\":1,\"digest\":\"000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000\",\"event\":\"\",\"event_payload\":\"0X\"}]}" },
		{ "event-type-big.json",
		  "{\"quote\":\"\",\"event_log\":[{\"imr\":0,\"event_type\":4294967296,\"digest\":\"\",\"event\":\"\",\"event_payload\":\"\"}]}" },
		{ "report-data-65.json",
		  "{\"quote\":\"\",\"event_log\":\"\",\"report_data\":\"0000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000\"}" },
		{ "trailing-garbage.json", "{\"quote\":\"\",\"event_log\":\"\"} x" },
		{ "not-object.json", "[{\"quote\":\"\"}]" },
		{ "quote-odd-hex.json", "{\"quote\":\"040\",\"event_log\":\"\"}" },
		{ "quote-not-a-quote.json", "{\"quote\":\"0400020081000000\",\"event_log\":\"\"}" },
		{ "quote-missing.json", "{\"event_log\":\"\"}" },
		{ "event-log-missing.json", "{\"quote\":\"\"}" },
		{ "event-log-string-bad.json", "{\"quote\":\"\",\"event_log\":\"[1,\"}" },
		{ "event-log-object.json", "{\"quote\":\"\",\"event_log\":\"{}\"}" },
		{ "event-not-object.json", "{\"quote\":\"\",\"event_log\":[1]}" },
		{ "imr-missing.json", "{\"quote\":\"\",\"event_log\":[{\"event_type\":1}]}" },
		{ "event-type-string.json", "{\"quote\":\"\",\"event_log\":[{\"imr\":0,\"event_type\":\"1\"}]}" },
		{ "digest-49.json",
		  "{\"quote\":\"\",\"event_log\":[{\"imr\":0,\"event_type\":1,\"digest\":\"000102030405060708090a0b0c0d0e0f101112131415161718191a1b1c1d1e1f202122232425262728292a2b2c2d2e2f30\",\"event\":\"\",\"event_payload\":\"\"}]}" },
		{ "digest-bad-hex.json",
		  "{\"quote\":\"\",\"event_log\":[{\"imr\":0,\"event_type\":1,\"digest\":\"0g\",\"event\":\"\",\"event_payload\":\"\"}]}" },
		{ "payload-bad-hex.json",
		  "{\"quote\":\"\",\"event_log\":[{\"imr\":3,\"event_type\":134217729,\"digest\":\"\",\"event\":\"a\",\"event_payload\":\"0x0\"}]}" },
		{ "event-fields-missing.json", "{\"quote\":\"\",\"event_log\":[{\"imr\":0,\"event_type\":1}]}" },
		{ "boot-empty-digest.json",
		  "{\"quote\":\"\",\"event_log\":[{\"imr\":1,\"event_type\":1,\"digest\":\"\",\"event\":\"\",\"event_payload\":\"\"}]}" },
		{ "runtime-digest-mismatch.json",
		  "{\"quote\":\"\",\"event_log\":[{\"imr\":3,\"event_type\":134217729,\"digest\":\"000102030405060708090a0b0c0d0e0f101112131415161718191a1b1c1d1e1f202122232425262728292a2b2c2d2e2f\",\"event\":\"app-id\",\"event_payload\":\"0x00\"}]}" },
		{ "v2-utf8.json",
		  "{\"quote\":\"\",\"event_log_version\":2,\"event_log\":[{\"imr\":3,\"event_type\":134217729,\"digest\":\"\",\"event\":\"\xc3\xa9\xe2\x82\xac\xf0\x9f\x98\x80\\u00e9\\ud83d\\ude00\\t\",\"event_payload\":\"ff\"}]}  " },
	};
	for (size_t i = 0; i < sizeof(small) / sizeof(small[0]); i++)
		put_str("dstack", small[i].name, small[i].text);
	put_str("detect", "dstack-minimal.json", small[0].text);
	put_str("detect", "dstack-imr4.json", "{\"quote\":\"\",\"event_log\":[{\"imr\":4,\"event_type\":1,\"digest\":\"\",\"event\":\"\",\"event_payload\":\"\"}]}");
}

/* ---------------------------------------------------------------- SCALE compacts */
/* Compact integers at the canonical-form bounds, for the codec check on the first bytes
 * of a dstack_scale input (each fails the attestation parse at the version byte). */
static void gen_scale_compact(void)
{
	static const struct { const char *name; uint8_t b[6]; size_t n; } v[] = {
		{ "compact4-16383", { 0xfe, 0xff, 0x00, 0x00 }, 4 },             /* 4-byte mode, 2^14 - 1: not canonical */
		{ "compact4-16384", { 0x02, 0x00, 0x01, 0x00 }, 4 },             /* 4-byte mode, 2^14: canonical */
		{ "compact-big-2p30m1", { 0x03, 0xff, 0xff, 0xff, 0x3f }, 5 },   /* big-integer mode, 2^30 - 1: not canonical */
		{ "compact-big-2p30", { 0x03, 0x00, 0x00, 0x00, 0x40 }, 5 },     /* big-integer mode, 2^30: canonical */
		{ "compact-big-top-zero", { 0x07, 0x00, 0x00, 0x00, 0x40, 0x00 }, 6 }, /* 5 value bytes, top one 0 */
	};
	for (size_t i = 0; i < sizeof(v) / sizeof(v[0]); i++)
		put("dstack_scale", v[i].name, v[i].b, v[i].n);
}

/* ---------------------------------------------------------------- profiles */
static void gen_profile(void)
{
	static const struct { const char *name, *text; } v[] = {
		{ "everything.conf",
		  "# every key\r\nname = all-keys\r\ndescription = a = b # not a comment\r\nplatform = tdx\r\n"
		  "os_id = dstack\nos_version = 0.5.9\nkernel = 6.9.0-dstack\ntdx_guest = dstack-mod\n"
		  "tdx_extend_index_check = 1\ntdx_report_errnos_616 = 0\nconfigfs_tsm = 1\ntsm_provider = none\n"
		  "tsm_precreate =\ntsm_visibility_611 = 1\ntsm_no_provider_enxio = 0\nprivlevel_floor = 0\n"
		  "tsm_outblob_max = 32K\ntdx_quote_buf = 8192\ntdx_quote_status_check = 0\nsev_guest = 0\n"
		  "sev_vmpl = 0\nsev_throttle = 1\nsev_vmpck_check_early = 0\ntsm_mr = 0\nrtmr_extend = ioctl\n" },
		{ "snp-vmpl.conf", "name=snp-vmpl\nplatform=snp\nkernel=6.11.0\nsev_vmpl=2\ntsm_outblob_max=16M\n" },
		{ "intel-precreate.conf",
		  "name = intel\nkernel = 6.8.0+intel\ntdx_guest = intel\ntsm_provider = tdx_guest\ntsm_precreate = com.intel.dcap\n" },
		{ "repeated-key.conf", "name = a\nkernel = 6.2\nname = b\n" },
		{ "unknown-key.conf", "name = a\nkernel = 6.2\ncolour = blue\n" },
		{ "missing-name.conf", "kernel = 6.2.0\n" },
		{ "missing-kernel.conf", "name = a\n" },
		{ "no-equals.conf", "name = a\nkernel 6.2\n" },
		{ "bad-kernel.conf", "name = a\nkernel = 6.x\n" },
		{ "size-overflow.conf", "name = a\nkernel = 6.16\ntdx_quote_buf = 99999999999999999999G\n" },
		{ "inconsistent.conf", "name = a\nkernel = 6.1\nplatform = tdx\nrtmr_extend = sysfs\n" },
		{ "no-interface.conf", "name = a\nkernel = 5.15\nplatform = tdx\n" },
		{ "configfs-out-of-tree.conf", "name = oot\nkernel = 6.9.0-dstack\ntdx_guest = dstack-mod\nconfigfs_tsm = 1\n" },
		{ "bad-values.conf",
		  "name = a\nkernel = 6.16\nplatform = sev\n" },
		{ "bad-enum.conf", "name = a\nkernel = 6.16\ntdx_guest = maybe\n" },
		{ "bad-bool.conf", "name = a\nkernel = 6.16\ntsm_mr = yes\n" },
		{ "bad-vmpl.conf", "name = a\nkernel = 6.16\nsev_vmpl = 4\n" },
		{ "bad-name.conf", "name = a/b\nkernel = 6.16\n" },
		{ "bad-size-suffix.conf", "name = a\nkernel = 6.16\ntsm_outblob_max = 0K\ntdx_quote_buf = 8T\n" },
		{ "kernel-too-long.conf",
		  "name = a\nkernel = 6.16.0-aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa\n" },
	};
	for (size_t i = 0; i < sizeof(v) / sizeof(v[0]); i++)
		put_str("profile", v[i].name, v[i].text);
}

int main(int argc, char **argv)
{
	if (argc != 2) {
		fprintf(stderr, "usage: %s CORPUS_DIR\n", argv[0]);
		return 2;
	}
	root = argv[1];
	struct teeabi_profile p;
	char err[200];
	if (teeabi_profile_parse("name = gen\nplatform = tdx\nkernel = 6.16.0\nsev_guest = 1\n", &p, err, sizeof(err)))
		die(err);
	struct tm_dev *d = tm_new(&p, TM_NO_FAULTS);
	if (!d)
		die("tm_new");
	struct signer s;
	signer_init(&s);

	uint8_t rep[1024];
	gen_tdreport(d, rep);
	put("detect", "tdreport", rep, 1024);
	gen_quotes(d, &s, rep);
	gen_quote_edges(&s);
	{
		uint8_t *q;
		size_t n;
		if (tm_tdx_quote(d, rep, &q, &n))
			die("quote");
		gen_sgx_edges(q + 632 + 4 + 134);
		free(q);
	}
	gen_snp(d, &s);
	gen_dstack(&s);
	gen_scale_compact();
	gen_profile();
	static const uint8_t junk[] = "\x00\x01\x02 not evidence";
	put("detect", "unknown", junk, sizeof(junk) - 1);

	tm_free(d);
	EVP_PKEY_free(s.ak);
	EVP_PKEY_free(s.pck);
	free(s.pem);
	OPENSSL_free(s.der);
	return 0;
}
