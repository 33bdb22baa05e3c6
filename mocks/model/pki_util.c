/* SPDX-License-Identifier: Apache-2.0 */
/*
 * pki_util.c - what the SNP and TDX test PKIs share (pki_material.h): loading the committed
 * PEM material, leaf certificates with vendor extensions, RSA-PSS and ECDSA signatures.
 * Everything is OpenSSL; nothing here encodes ASN.1 by hand.
 */
#include <stdlib.h>
#include <string.h>
#include <openssl/asn1.h>
#include <openssl/bio.h>
#include <openssl/bn.h>
#include <openssl/ec.h>
#include <openssl/pem.h>
#include <openssl/rsa.h>
#include <openssl/x509v3.h>
#include "pki_material.h"

EVP_PKEY *tm_pem_key(const char *pem)
{
	BIO *b = BIO_new_mem_buf(pem, -1);
	EVP_PKEY *k = b ? PEM_read_bio_PrivateKey(b, NULL, NULL, NULL) : NULL;

	BIO_free(b);
	return k;
}

X509 *tm_pem_cert(const char *pem)
{
	BIO *b = BIO_new_mem_buf(pem, -1);
	X509 *x = b ? PEM_read_bio_X509(b, NULL, NULL, NULL) : NULL;

	BIO_free(b);
	return x;
}

int tm_cert_der(X509 *x, uint8_t **der, size_t *len)
{
	unsigned char *p = NULL;
	int n = i2d_X509(x, &p);

	if (n <= 0)
		return -1;
	*der = malloc((size_t)n);
	if (!*der) {
		OPENSSL_free(p);
		return -1;
	}
	memcpy(*der, p, (size_t)n);
	*len = (size_t)n;
	OPENSSL_free(p);
	return 0;
}

X509 *tm_cert_new(EVP_PKEY *pub, const X509_NAME *subject, const X509_NAME *issuer, long serial,
		  long back_days, long days)
{
	X509 *x = X509_new();

	if (!x || X509_set_version(x, 2) != 1 || ASN1_INTEGER_set(X509_get_serialNumber(x), serial) != 1 ||
	    X509_set_subject_name(x, subject) != 1 || X509_set_issuer_name(x, issuer) != 1 ||
	    !X509_gmtime_adj(X509_getm_notBefore(x), -86400L * back_days) ||
	    !X509_time_adj_ex(X509_getm_notAfter(x), (int)(days - back_days), 0, NULL) ||
	    X509_set_pubkey(x, pub) != 1) {
		X509_free(x);
		return NULL;
	}
	return x;
}

int tm_cert_add_conf_ext(X509 *x, X509 *issuer, int nid, const char *value)
{
	X509V3_CTX ctx;
	X509_EXTENSION *ex;
	int ok;

	X509V3_set_ctx_nodb(&ctx);
	X509V3_set_ctx(&ctx, issuer, x, NULL, NULL, 0);
	ex = X509V3_EXT_conf_nid(NULL, &ctx, nid, value);
	if (!ex)
		return -1;
	ok = X509_add_ext(x, ex, -1);
	X509_EXTENSION_free(ex);
	return ok == 1 ? 0 : -1;
}

int tm_cert_add_raw_ext(X509 *x, const char *oid, bool critical, const uint8_t *der, size_t len)
{
	ASN1_OBJECT *o = OBJ_txt2obj(oid, 1);
	ASN1_OCTET_STRING *v = ASN1_OCTET_STRING_new();
	X509_EXTENSION *ex = NULL;
	int rc = -1;

	if (o && v && ASN1_OCTET_STRING_set(v, der, (int)len) == 1 &&
	    (ex = X509_EXTENSION_create_by_OBJ(NULL, o, critical, v)) && X509_add_ext(x, ex, -1) == 1)
		rc = 0;
	X509_EXTENSION_free(ex);
	ASN1_OCTET_STRING_free(v);
	ASN1_OBJECT_free(o);
	return rc;
}

int tm_cert_add_int_ext(X509 *x, const char *oid, long v)
{
	ASN1_INTEGER *i = ASN1_INTEGER_new();
	unsigned char *der = NULL;
	int n = -1, rc;

	if (i && ASN1_INTEGER_set(i, v) == 1)
		n = i2d_ASN1_INTEGER(i, &der);
	rc = n > 0 ? tm_cert_add_raw_ext(x, oid, false, der, (size_t)n) : -1;
	OPENSSL_free(der);
	ASN1_INTEGER_free(i);
	return rc;
}

int tm_cert_add_ia5_ext(X509 *x, const char *oid, const char *s)
{
	ASN1_IA5STRING *a = ASN1_IA5STRING_new();
	unsigned char *der = NULL;
	int n = -1, rc;

	if (a && ASN1_STRING_set(a, s, -1) == 1)
		n = i2d_ASN1_IA5STRING(a, &der);
	rc = n > 0 ? tm_cert_add_raw_ext(x, oid, false, der, (size_t)n) : -1;
	OPENSSL_free(der);
	ASN1_IA5STRING_free(a);
	return rc;
}

/* A signing context for key: RSA keys sign RSASSA-PSS SHA-384/MGF1 SHA-384/salt 48 (AMD's
 * profile), others with md. 0 or -1. */
static int sign_init(EVP_MD_CTX *m, EVP_PKEY *key, const EVP_MD *md)
{
	EVP_PKEY_CTX *pc = NULL;
	bool rsa = EVP_PKEY_get_base_id(key) == EVP_PKEY_RSA;

	if (EVP_DigestSignInit(m, &pc, rsa ? EVP_sha384() : md, NULL, key) != 1)
		return -1;
	if (rsa && (EVP_PKEY_CTX_set_rsa_padding(pc, RSA_PKCS1_PSS_PADDING) <= 0 ||
		    EVP_PKEY_CTX_set_rsa_mgf1_md(pc, EVP_sha384()) <= 0 ||
		    EVP_PKEY_CTX_set_rsa_pss_saltlen(pc, 48) <= 0))
		return -1;
	return 0;
}

int tm_cert_sign(X509 *x, EVP_PKEY *key, const EVP_MD *md)
{
	EVP_MD_CTX *m = EVP_MD_CTX_new();
	int rc = m && !sign_init(m, key, md) && X509_sign_ctx(x, m) > 0 ? 0 : -1;

	EVP_MD_CTX_free(m);
	return rc;
}

int tm_crl_make(X509 *issuer, const char *key_pem, const EVP_MD *md, time_t now, long days, uint8_t **der, size_t *len)
{
	X509_CRL *c = X509_CRL_new();
	EVP_PKEY *k = tm_pem_key(key_pem);
	EVP_MD_CTX *m = EVP_MD_CTX_new();
	ASN1_TIME *t0 = ASN1_TIME_set(NULL, now - 3600), *t1 = ASN1_TIME_set(NULL, now + days * 86400);
	unsigned char *p = NULL;
	int n = -1;

	if (c && k && m && t0 && t1 && X509_CRL_set_version(c, 1) == 1 &&
	    X509_CRL_set_issuer_name(c, X509_get_subject_name(issuer)) == 1 && X509_CRL_set1_lastUpdate(c, t0) == 1 &&
	    X509_CRL_set1_nextUpdate(c, t1) == 1 && !sign_init(m, k, md) && X509_CRL_sign_ctx(c, m) > 0)
		n = i2d_X509_CRL(c, &p);
	if (n > 0 && (*der = malloc((size_t)n))) {
		memcpy(*der, p, (size_t)n);
		*len = (size_t)n;
	} else {
		n = -1;
	}
	OPENSSL_free(p);
	ASN1_TIME_free(t0);
	ASN1_TIME_free(t1);
	EVP_MD_CTX_free(m);
	EVP_PKEY_free(k);
	X509_CRL_free(c);
	return n > 0 ? 0 : -1;
}

int tm_ecdsa_sign_raw(EVP_PKEY *key, const EVP_MD *md, const uint8_t *msg, size_t len, size_t n, bool le,
		      uint8_t *r, uint8_t *s)
{
	EVP_MD_CTX *m = EVP_MD_CTX_new();
	unsigned char sig[160];
	size_t siglen = sizeof(sig);
	const unsigned char *p = sig;
	ECDSA_SIG *es = NULL;
	const BIGNUM *br, *bs;
	int rc = -1;

	if (!m)
		return -1;
	if (EVP_DigestSignInit(m, NULL, md, NULL, key) != 1 || EVP_DigestSign(m, sig, &siglen, msg, len) != 1)
		goto out;
	es = d2i_ECDSA_SIG(NULL, &p, (long)siglen);
	if (!es)
		goto out;
	ECDSA_SIG_get0(es, &br, &bs);
	if (le ? (BN_bn2lebinpad(br, r, (int)n) == (int)n && BN_bn2lebinpad(bs, s, (int)n) == (int)n)
	       : (BN_bn2binpad(br, r, (int)n) == (int)n && BN_bn2binpad(bs, s, (int)n) == (int)n))
		rc = 0;
out:
	ECDSA_SIG_free(es);
	EVP_MD_CTX_free(m);
	return rc;
}
