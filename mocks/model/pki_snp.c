/* SPDX-License-Identifier: Apache-2.0 */
/*
 * pki_snp.c - the machine's SEV-SNP test PKI: ARK (self-signed) -> ASK -> VCEK, all
 * P-384 EC keys made with OpenSSL when the machine is created, plus the certificate blob
 * the host hands out on an extended report request (docs/formats.md §5.2).
 *
 * Real AMD ARK/ASK are RSA-4096 (RSA-PSS); ours are P-384 so that the one verifier path
 * (ECDSA-P384/SHA-384 with the VCEK public key) is what gets exercised. The subject
 * names say "NOT FOR PRODUCTION" so nobody mistakes these certificates for AMD's.
 *
 * Certificate blob: a GUID table {guid[16], offset u32 LE, length u32 LE} with entries
 * VCEK, ASK, ARK and an all-zero terminator, the three DER certificates right after the
 * table, then zero fill up to the host's buffer size. Like a host configured with
 * SNP_SET_EXT_CONFIG, the host buffer is a whole number of pages; it is two pages (the
 * size a host with real RSA-4096 ARK/ASK needs) so that a guest asking with one page
 * meets the INVALID_LEN path of SNP_GET_EXT_REPORT.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <openssl/bn.h>
#include <openssl/ec.h>
#include <openssl/ecdsa.h>
#include <openssl/evp.h>
#include <openssl/x509.h>
#include <openssl/x509v3.h>
#include "internal.h"
#include "sev_internal.h"

#define HOST_CERT_PAGES 2

struct tm_pki_snp {
	EVP_PKEY *ark, *ask, *vcek;
	uint8_t *ark_der, *ask_der, *vcek_der;
	size_t ark_len, ask_len, vcek_len;
	uint8_t *blob;      /* host certificate buffer, HOST_CERT_PAGES pages */
	size_t blob_len;
};

/* textual (RFC 4122) byte order, docs/kernel-abi.md §2.5 */
static const uint8_t guid_vcek[16] = { 0x63, 0xda, 0x75, 0x8d, 0xe6, 0x64, 0x45, 0x64,
				       0xad, 0xc5, 0xf4, 0xb9, 0x3b, 0xe8, 0xac, 0xcd };
static const uint8_t guid_ask[16] = { 0x4a, 0xb7, 0xb3, 0x79, 0xbb, 0xac, 0x4f, 0xe4,
				      0xa0, 0x2f, 0x05, 0xae, 0xf3, 0x27, 0xc7, 0x82 };
static const uint8_t guid_ark[16] = { 0xc0, 0xb4, 0x06, 0xa4, 0xa8, 0x03, 0x49, 0x52,
				      0x97, 0x43, 0x3f, 0xb6, 0x01, 0x4c, 0xd0, 0xae };

static EVP_PKEY *gen_p384(void)
{
	EVP_PKEY *k = NULL;
	EVP_PKEY_CTX *c = EVP_PKEY_CTX_new_id(EVP_PKEY_EC, NULL);

	if (!c)
		return NULL;
	if (EVP_PKEY_keygen_init(c) <= 0 || EVP_PKEY_CTX_set_ec_paramgen_curve_nid(c, NID_secp384r1) <= 0 ||
	    EVP_PKEY_keygen(c, &k) <= 0)
		k = NULL;
	EVP_PKEY_CTX_free(c);
	return k;
}

static int add_ext(X509 *cert, X509 *issuer, int nid, const char *value)
{
	X509V3_CTX ctx;
	X509_EXTENSION *ex;
	int ok;

	X509V3_set_ctx_nodb(&ctx);
	X509V3_set_ctx(&ctx, issuer, cert, NULL, NULL, 0);
	ex = X509V3_EXT_conf_nid(NULL, &ctx, nid, value);
	if (!ex)
		return -1;
	ok = X509_add_ext(cert, ex, -1);
	X509_EXTENSION_free(ex);
	return ok ? 0 : -1;
}

static X509_NAME *make_name(const char *cn)
{
	X509_NAME *n = X509_NAME_new();

	if (!n)
		return NULL;
	if (!X509_NAME_add_entry_by_txt(n, "O", MBSTRING_ASC, (const unsigned char *)"teeabi TEST PKI NOT FOR PRODUCTION", -1, -1, 0) ||
	    !X509_NAME_add_entry_by_txt(n, "CN", MBSTRING_ASC, (const unsigned char *)cn, -1, -1, 0)) {
		X509_NAME_free(n);
		return NULL;
	}
	return n;
}

/* A certificate for key `pub` named `cn`, issued by (issuer_cert, issuer_key), or
 * self-signed when issuer_cert is NULL. DER into *der (malloc'd). */
static int make_cert(EVP_PKEY *pub, const char *cn, long serial, bool ca, X509 *issuer_cert,
		     EVP_PKEY *issuer_key, X509 **out_cert, uint8_t **der, size_t *der_len)
{
	X509 *c = X509_new();
	X509_NAME *name = make_name(cn);
	unsigned char *p = NULL;
	int n, rc = -1;

	if (!c || !name)
		goto out;
	if (!X509_set_version(c, 2) || !ASN1_INTEGER_set(X509_get_serialNumber(c), serial) ||
	    !X509_gmtime_adj(X509_getm_notBefore(c), -86400L) ||
	    !X509_gmtime_adj(X509_getm_notAfter(c), 25L * 365 * 86400) ||
	    !X509_set_subject_name(c, name) ||
	    !X509_set_issuer_name(c, issuer_cert ? X509_get_subject_name(issuer_cert) : name) ||
	    !X509_set_pubkey(c, pub))
		goto out;
	if (add_ext(c, issuer_cert ? issuer_cert : c, NID_basic_constraints, ca ? "critical,CA:TRUE" : "critical,CA:FALSE") ||
	    add_ext(c, issuer_cert ? issuer_cert : c, NID_key_usage,
		    ca ? "critical,keyCertSign,cRLSign" : "critical,digitalSignature") ||
	    add_ext(c, issuer_cert ? issuer_cert : c, NID_subject_key_identifier, "hash"))
		goto out;
	if (!X509_sign(c, issuer_key, EVP_sha384()))
		goto out;
	n = i2d_X509(c, &p);
	if (n <= 0)
		goto out;
	*der = malloc((size_t)n);
	if (!*der)
		goto out;
	memcpy(*der, p, (size_t)n);
	*der_len = (size_t)n;
	*out_cert = c;
	c = NULL;
	rc = 0;
out:
	OPENSSL_free(p);
	X509_NAME_free(name);
	X509_free(c);
	return rc;
}

static void put32(uint8_t *p, uint32_t v)
{
	p[0] = (uint8_t)v; p[1] = (uint8_t)(v >> 8); p[2] = (uint8_t)(v >> 16); p[3] = (uint8_t)(v >> 24);
}

static int build_blob(struct tm_pki_snp *k)
{
	const size_t table = 4 * 24; /* VCEK, ASK, ARK, terminator */
	size_t need = table + k->vcek_len + k->ask_len + k->ark_len;
	size_t len = (size_t)HOST_CERT_PAGES * TEEABI_SNP_PAGE_SIZE;
	uint8_t *b;
	size_t off = table;
	struct { const uint8_t *guid, *der; size_t len; } e[3] = {
		{ guid_vcek, k->vcek_der, k->vcek_len },
		{ guid_ask, k->ask_der, k->ask_len },
		{ guid_ark, k->ark_der, k->ark_len },
	};

	if (need > len)
		len = (need + TEEABI_SNP_PAGE_SIZE - 1) / TEEABI_SNP_PAGE_SIZE * TEEABI_SNP_PAGE_SIZE;
	b = calloc(1, len);
	if (!b)
		return -ENOMEM;
	for (int i = 0; i < 3; i++) {
		memcpy(b + i * 24, e[i].guid, 16);
		put32(b + i * 24 + 16, (uint32_t)off);
		put32(b + i * 24 + 20, (uint32_t)e[i].len);
		memcpy(b + off, e[i].der, e[i].len);
		off += e[i].len;
	}
	k->blob = b;
	k->blob_len = len;
	return 0;
}

int tm_pki_snp_init(struct tm_dev *d)
{
	struct tm_pki_snp *k = calloc(1, sizeof(*k));
	X509 *ark = NULL, *ask = NULL, *vcek = NULL;
	int rc = -ENOMEM;

	if (!k)
		return -ENOMEM;
	d->pki_snp = k;
	k->ark = gen_p384();
	k->ask = gen_p384();
	k->vcek = gen_p384();
	if (!k->ark || !k->ask || !k->vcek)
		goto out;
	if (make_cert(k->ark, "teeabi TEST ARK-Milan NOT FOR PRODUCTION", 1, true, NULL, k->ark, &ark, &k->ark_der, &k->ark_len) ||
	    make_cert(k->ask, "teeabi TEST SEV-Milan ASK NOT FOR PRODUCTION", 2, true, ark, k->ark, &ask, &k->ask_der, &k->ask_len) ||
	    make_cert(k->vcek, "teeabi TEST SEV-VCEK NOT FOR PRODUCTION", 3, false, ask, k->ask, &vcek, &k->vcek_der, &k->vcek_len))
		goto out;
	rc = build_blob(k);
out:
	X509_free(ark);
	X509_free(ask);
	X509_free(vcek);
	return rc;
}

void tm_pki_snp_fini(struct tm_dev *d)
{
	struct tm_pki_snp *k = d->pki_snp;

	if (!k)
		return;
	EVP_PKEY_free(k->ark);
	EVP_PKEY_free(k->ask);
	EVP_PKEY_free(k->vcek);
	free(k->ark_der);
	free(k->ask_der);
	free(k->vcek_der);
	free(k->blob);
	free(k);
	d->pki_snp = NULL;
}

const uint8_t *tm_sev_vcek_der(struct tm_dev *d, size_t *len)
{
	*len = d->pki_snp->vcek_len;
	return d->pki_snp->vcek_der;
}

const uint8_t *tm_sev_certs(struct tm_dev *d, size_t *len)
{
	*len = d->pki_snp->blob_len;
	return d->pki_snp->blob;
}

const uint8_t *tm_pki_snp_ark_der(struct tm_dev *d, size_t *len)
{
	*len = d->pki_snp->ark_len;
	return d->pki_snp->ark_der;
}

const uint8_t *tm_pki_snp_ask_der(struct tm_dev *d, size_t *len)
{
	*len = d->pki_snp->ask_len;
	return d->pki_snp->ask_der;
}

/* ECDSA-P384 over SHA-384(msg) with the VCEK; r and s as 72-byte little-endian. */
int tm_pki_snp_sign(struct tm_dev *d, const uint8_t *msg, size_t len, uint8_t r_le[72], uint8_t s_le[72])
{
	EVP_MD_CTX *md = EVP_MD_CTX_new();
	unsigned char sig[128];
	size_t siglen = sizeof(sig);
	const unsigned char *p = sig;
	ECDSA_SIG *es = NULL;
	const BIGNUM *r, *s;
	int rc = -EIO;

	if (d->fast_sign) { /* fuzz harnesses: tm_set_fast_sign */
		EVP_MD_CTX_free(md);
		memset(r_le, 0, 72);
		memset(s_le, 0, 72);
		return tm_fast_sign(msg, len, 48, r_le, s_le);
	}
	if (!md)
		return -ENOMEM;
	if (EVP_DigestSignInit(md, NULL, EVP_sha384(), NULL, d->pki_snp->vcek) <= 0 ||
	    EVP_DigestSign(md, sig, &siglen, msg, len) <= 0)
		goto out;
	es = d2i_ECDSA_SIG(NULL, &p, (long)siglen);
	if (!es)
		goto out;
	ECDSA_SIG_get0(es, &r, &s);
	memset(r_le, 0, 72);
	memset(s_le, 0, 72);
	if (BN_bn2lebinpad(r, r_le, 48) != 48 || BN_bn2lebinpad(s, s_le, 48) != 48)
		goto out;
	rc = 0;
out:
	ECDSA_SIG_free(es);
	EVP_MD_CTX_free(md);
	return rc;
}
