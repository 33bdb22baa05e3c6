/* SPDX-License-Identifier: Apache-2.0 */
/*
 * pki_tdx.c - the machine's TEST Intel-like attestation PKI and the DCAP v4 quote builder
 * (docs/formats.md §2-§3).
 *
 * At tm_new() time (tm_pki_tdx_init) four fresh P-256 keys are generated:
 *   root CA  -> intermediate ("platform") CA -> PCK leaf   (X.509 v3, ECDSA-SHA256)
 *   attestation key (AK) of the simulated TD Quoting Enclave.
 * Every subject says "teeabi TEST ... NOT FOR PRODUCTION". Nothing here chains to Intel.
 * See mocks/pki/README.md.
 *
 * tm_tdx_quote_locked() maps a TDREPORT into a v4 TD10 quote body (formats.md §1.5),
 * signs [0,632) with the AK, and appends certification data type 6: a QE report bound to
 * the AK (report_data = SHA-256(AK || auth) || 0^32), signed by the PCK leaf key, 32 bytes
 * of QE auth data 00..1f, and an inner type 5 PEM chain leaf -> intermediate -> root.
 */
#include <errno.h>
#include <limits.h>
#include <stdlib.h>
#include <string.h>
#include <openssl/bio.h>
#include <openssl/bn.h>
#include <openssl/core_names.h>
#include <openssl/ec.h>
#include <openssl/err.h>
#include <openssl/evp.h>
#include <openssl/pem.h>
#include <openssl/x509.h>
#include <openssl/x509v3.h>
#include "internal.h"
#include "teeabi/tdx.h"

struct tm_pki_tdx {
	EVP_PKEY *root_key, *inter_key, *pck_key, *ak;
	X509 *root, *inter, *pck;
	char *pem_chain;   /* leaf, intermediate, root; NUL-terminated, pem_len excludes the NUL */
	size_t pem_len;
	uint8_t ak_xy[64]; /* AK public point X||Y big-endian */
	uint8_t qe_mrenclave[32];
};

/* Intel's TD-QE identity values as seen in real quotes (formats.md §2.1, §3). */
static const uint8_t intel_qe_vendor[16] = {
	0x93, 0x9a, 0x72, 0x33, 0xf7, 0x9c, 0x4c, 0xa9, 0x94, 0x0a, 0x0d, 0xb3, 0x95, 0x7f, 0x06, 0x07 };
static const uint8_t qe_mrsigner[32] = {
	0xdc, 0x9e, 0x2a, 0x7c, 0x6f, 0x94, 0x8f, 0x17, 0x47, 0x4e, 0x34, 0xa7, 0xfc, 0x43, 0xed, 0x03,
	0x0f, 0x7c, 0x15, 0x63, 0xf1, 0xba, 0xbd, 0xdf, 0x63, 0x40, 0xc8, 0x2e, 0x0e, 0x54, 0xa8, 0xc5 };
static const uint8_t qe_attributes[16] = {
	0x15, 0, 0, 0, 0, 0, 0, 0, 0xe7, 0, 0, 0, 0, 0, 0, 0 };
#define QE_ISV_PROD_ID 2
#define QE_ISV_SVN     7
#define QE_AUTH_LEN    32

static EVP_PKEY *p256_keygen(void)
{
	return EVP_EC_gen("P-256");
}

static int add_ext(X509 *cert, X509 *issuer, int nid, const char *value)
{
	X509V3_CTX ctx;
	X509V3_set_ctx_nodb(&ctx);
	X509V3_set_ctx(&ctx, issuer, cert, NULL, NULL, 0);
	X509_EXTENSION *ex = X509V3_EXT_conf_nid(NULL, &ctx, nid, value);
	if (!ex)
		return -1;
	int ok = X509_add_ext(cert, ex, -1);
	X509_EXTENSION_free(ex);
	return ok == 1 ? 0 : -1;
}

static X509_NAME *test_name(const char *cn)
{
	X509_NAME *n = X509_NAME_new();
	if (!n)
		return NULL;
	if (X509_NAME_add_entry_by_txt(n, "C", MBSTRING_ASC, (const unsigned char *)"XX", -1, -1, 0) != 1 ||
	    X509_NAME_add_entry_by_txt(n, "O", MBSTRING_ASC, (const unsigned char *)"teeabi TEST PKI - NOT FOR PRODUCTION", -1, -1, 0) != 1 ||
	    X509_NAME_add_entry_by_txt(n, "CN", MBSTRING_ASC, (const unsigned char *)cn, -1, -1, 0) != 1) {
		X509_NAME_free(n);
		return NULL;
	}
	return n;
}

/* A v3 certificate for key, issued by (issuer, issuer_key); issuer NULL = self-signed. */
static X509 *make_cert(EVP_PKEY *key, const char *cn, long serial, X509 *issuer, EVP_PKEY *issuer_key, bool ca)
{
	X509 *x = X509_new();
	X509_NAME *name = test_name(cn);
	if (!x || !name)
		goto fail;
	if (X509_set_version(x, 2) != 1 || ASN1_INTEGER_set(X509_get_serialNumber(x), serial) != 1)
		goto fail;
	if (X509_set_subject_name(x, name) != 1 ||
	    X509_set_issuer_name(x, issuer ? X509_get_subject_name(issuer) : name) != 1)
		goto fail;
	if (!X509_gmtime_adj(X509_getm_notBefore(x), -86400L) ||
	    !X509_time_adj_ex(X509_getm_notAfter(x), 3650, 0, NULL))
		goto fail;
	if (X509_set_pubkey(x, key) != 1)
		goto fail;
	X509 *iss = issuer ? issuer : x;
	if (add_ext(x, iss, NID_basic_constraints, ca ? "critical,CA:TRUE" : "critical,CA:FALSE") ||
	    add_ext(x, iss, NID_key_usage, ca ? "critical,keyCertSign,cRLSign" : "critical,digitalSignature,nonRepudiation") ||
	    add_ext(x, iss, NID_subject_key_identifier, "hash"))
		goto fail;
	if (issuer && add_ext(x, iss, NID_authority_key_identifier, "keyid:always"))
		goto fail;
	if (X509_sign(x, issuer_key, EVP_sha256()) <= 0)
		goto fail;
	X509_NAME_free(name);
	return x;
fail:
	X509_NAME_free(name);
	X509_free(x);
	return NULL;
}

static int pem_chain(struct tm_pki_tdx *p)
{
	BIO *b = BIO_new(BIO_s_mem());
	if (!b)
		return -1;
	if (PEM_write_bio_X509(b, p->pck) != 1 || PEM_write_bio_X509(b, p->inter) != 1 ||
	    PEM_write_bio_X509(b, p->root) != 1) {
		BIO_free(b);
		return -1;
	}
	char *data = NULL;
	long n = BIO_get_mem_data(b, &data);
	if (n <= 0 || !data || !(p->pem_chain = malloc((size_t)n + 1))) {
		BIO_free(b);
		return -1;
	}
	memcpy(p->pem_chain, data, (size_t)n);
	p->pem_chain[n] = 0;
	p->pem_len = (size_t)n;
	BIO_free(b);
	return 0;
}

static int ak_point(struct tm_pki_tdx *p)
{
	uint8_t pt[65];
	size_t n = 0;
	if (EVP_PKEY_get_octet_string_param(p->ak, OSSL_PKEY_PARAM_ENCODED_PUBLIC_KEY, pt, sizeof(pt), &n) != 1 ||
	    n != 65 || pt[0] != 0x04)
		return -1;
	memcpy(p->ak_xy, pt + 1, 64);
	return 0;
}

int tm_pki_tdx_init(struct tm_dev *d)
{
	struct tm_pki_tdx *p = calloc(1, sizeof(*p));
	if (!p)
		return -ENOMEM;
	d->pki_tdx = p;
	p->root_key = p256_keygen();
	p->inter_key = p256_keygen();
	p->pck_key = p256_keygen();
	p->ak = p256_keygen();
	if (!p->root_key || !p->inter_key || !p->pck_key || !p->ak)
		goto fail;
	p->root = make_cert(p->root_key, "teeabi TEST Root CA - NOT FOR PRODUCTION", 1, NULL, p->root_key, true);
	if (!p->root)
		goto fail;
	p->inter = make_cert(p->inter_key, "teeabi TEST PCK Platform CA - NOT FOR PRODUCTION", 2, p->root, p->root_key, true);
	if (!p->inter)
		goto fail;
	p->pck = make_cert(p->pck_key, "teeabi TEST PCK Certificate - NOT FOR PRODUCTION", 3, p->inter, p->inter_key, false);
	if (!p->pck || pem_chain(p) || ak_point(p))
		goto fail;
	/* a fixed, obviously fake QE MRENCLAVE */
	memset(p->qe_mrenclave, 0x7e, sizeof(p->qe_mrenclave));
	ERR_clear_error();
	return 0;
fail:
	ERR_clear_error();
	tm_pki_tdx_fini(d);
	return -ENOMEM;
}

void tm_pki_tdx_fini(struct tm_dev *d)
{
	struct tm_pki_tdx *p = d->pki_tdx;
	if (!p)
		return;
	X509_free(p->pck);
	X509_free(p->inter);
	X509_free(p->root);
	EVP_PKEY_free(p->ak);
	EVP_PKEY_free(p->pck_key);
	EVP_PKEY_free(p->inter_key);
	EVP_PKEY_free(p->root_key);
	free(p->pem_chain);
	free(p);
	d->pki_tdx = NULL;
}

/* ECDSA-P256/SHA-256 of msg, as raw r||s (32 bytes each, big-endian). */
static int sign_rs(EVP_PKEY *key, const uint8_t *msg, size_t len, uint8_t rs[64])
{
	int rc = -1;
	unsigned char der[80];
	size_t derlen = sizeof(der);
	ECDSA_SIG *sig = NULL;
	EVP_MD_CTX *md = EVP_MD_CTX_new();
	if (!md || EVP_DigestSignInit(md, NULL, EVP_sha256(), NULL, key) != 1 ||
	    EVP_DigestSign(md, der, &derlen, msg, len) != 1)
		goto out;
	const unsigned char *q = der;
	sig = d2i_ECDSA_SIG(NULL, &q, (long)derlen);
	if (!sig)
		goto out;
	const BIGNUM *r = NULL, *s = NULL;
	ECDSA_SIG_get0(sig, &r, &s);
	if (BN_bn2binpad(r, rs, 32) != 32 || BN_bn2binpad(s, rs + 32, 32) != 32)
		goto out;
	rc = 0;
out:
	ECDSA_SIG_free(sig);
	EVP_MD_CTX_free(md);
	ERR_clear_error();
	return rc;
}

static int sha256(const void *a, size_t alen, const void *b, size_t blen, uint8_t out[32])
{
	EVP_MD_CTX *c = EVP_MD_CTX_new();
	int ok = c && EVP_DigestInit_ex(c, EVP_sha256(), NULL) == 1 && EVP_DigestUpdate(c, a, alen) == 1 &&
		 EVP_DigestUpdate(c, b, blen) == 1 && EVP_DigestFinal_ex(c, out, NULL) == 1;
	EVP_MD_CTX_free(c);
	return ok ? 0 : -1;
}

static void le16(uint8_t *p, uint16_t v) { p[0] = (uint8_t)v; p[1] = (uint8_t)(v >> 8); }
static void le32(uint8_t *p, uint32_t v) { for (int i = 0; i < 4; i++) p[i] = (uint8_t)(v >> (8 * i)); }

#define Q_HDR    48
#define Q_BODY   584
#define Q_SIGNED (Q_HDR + Q_BODY) /* 632 */

int tm_tdx_quote_locked(struct tm_dev *d, const uint8_t tdreport[1024], uint8_t **out, size_t *len)
{
	struct tm_pki_tdx *p = d->pki_tdx;
	if (!out || !len)
		return -EINVAL;
	*out = NULL;
	*len = 0;
	if (!tdreport)
		return -EINVAL;
	if (!p)
		return -ENODEV;

	const size_t m = p->pem_len;                            /* inner PEM chain */
	const size_t s = 384 + 64 + 2 + QE_AUTH_LEN + 2 + 4 + m; /* certification data (type 6) */
	const size_t sig_len = 64 + 64 + 2 + 4 + s;
	const size_t total = Q_SIGNED + 4 + sig_len;
	if (m > UINT32_MAX / 2)
		return -EOVERFLOW;
	uint8_t *q = calloc(1, total);
	if (!q)
		return -ENOMEM;

	/* header (formats.md §2.1) */
	le16(q + 0, 4);
	le16(q + 2, 2);
	le32(q + 4, 0x81);
	/* bytes 8..11 reserved: 0, as in every real TDX quote */
	memcpy(q + 12, intel_qe_vendor, 16);
	/* user_data: 16 bytes of QE data then 4 zero bytes (as in real samples) */
	uint8_t ud[32];
	if (sha256("teeabi-mock-qe-user-data", 24, p->ak_xy, 64, ud))
		goto fail;
	memcpy(q + 28, ud, 16);

	/* TD10 body (formats.md §1.5 / §2.4) */
	uint8_t *b = q + Q_HDR;
	memcpy(b + 0, tdreport + TDREPORT_OFF_TEE_TCB_SVN, 16);
	memcpy(b + 16, tdreport + TDREPORT_OFF_MRSEAM, 48);
	memcpy(b + 64, tdreport + TDREPORT_OFF_MRSIGNERSEAM, 48);
	memcpy(b + 112, tdreport + TDREPORT_OFF_SEAM_ATTRIBUTES, 8);
	memcpy(b + 120, tdreport + TDREPORT_OFF_ATTRIBUTES, 8);
	memcpy(b + 128, tdreport + TDREPORT_OFF_XFAM, 8);
	memcpy(b + 136, tdreport + TDREPORT_OFF_MRTD, 48);
	memcpy(b + 184, tdreport + TDREPORT_OFF_MRCONFIGID, 48);
	memcpy(b + 232, tdreport + TDREPORT_OFF_MROWNER, 48);
	memcpy(b + 280, tdreport + TDREPORT_OFF_MROWNERCONFIG, 48);
	memcpy(b + 328, tdreport + TDREPORT_OFF_RTMR0, 4 * 48);
	memcpy(b + 520, tdreport + TDREPORT_OFF_REPORTDATA, 64);

	le32(q + Q_SIGNED, (uint32_t)sig_len);
	uint8_t *sd = q + Q_SIGNED + 4;
	if (d->fast_sign ? tm_fast_sign(q, Q_SIGNED, 32, sd, sd + 32) : sign_rs(p->ak, q, Q_SIGNED, sd))
		goto fail;
	memcpy(sd + 64, p->ak_xy, 64);
	le16(sd + 128, 6);
	le32(sd + 130, (uint32_t)s);

	/* certification data type 6 (formats.md §2.6) */
	uint8_t *c = sd + 134;
	uint8_t *qe = c; /* SGX report body (formats.md §3) */
	memcpy(qe + 0, tdreport + TDREPORT_OFF_CPUSVN, 16);
	memcpy(qe + 48, qe_attributes, 16);
	memcpy(qe + 64, p->qe_mrenclave, 32);
	memcpy(qe + 128, qe_mrsigner, 32);
	le16(qe + 256, QE_ISV_PROD_ID);
	le16(qe + 258, QE_ISV_SVN);
	uint8_t *auth = c + 384 + 64 + 2;
	for (int i = 0; i < QE_AUTH_LEN; i++)
		auth[i] = (uint8_t)i;
	if (sha256(p->ak_xy, 64, auth, QE_AUTH_LEN, qe + 320)) /* report_data[32..64) stays 0 */
		goto fail;
	if (d->fast_sign ? tm_fast_sign(qe, 384, 32, c + 384, c + 416) : sign_rs(p->pck_key, qe, 384, c + 384))
		goto fail;
	le16(c + 448, QE_AUTH_LEN);
	le16(auth + QE_AUTH_LEN, 5);
	le32(auth + QE_AUTH_LEN + 2, (uint32_t)m);
	memcpy(auth + QE_AUTH_LEN + 6, p->pem_chain, m);

	*out = q;
	*len = total;
	return 0;
fail:
	free(q);
	return -EIO;
}

int tm_tdx_quote(struct tm_dev *d, const uint8_t tdreport[1024], uint8_t **out, size_t *len)
{
	TM_LOCK(d);
	int rc = tm_tdx_quote_locked(d, tdreport, out, len);
	TM_UNLOCK(d);
	return rc;
}
