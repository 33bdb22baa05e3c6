/* SPDX-License-Identifier: Apache-2.0 */
/*
 * tdx_crypto.c - cryptographic checks of a parsed TDX quote (docs/formats.md §2.5-§2.6):
 *   - the quote signature: ECDSA-P256/SHA-256 over [0, signed_len) under the attestation key;
 *   - the QE binding: SHA-256(att_key || qe_auth) == QE report_data[0..32), [32..64) zero;
 *   - the QE report signature under the first certificate (PCK leaf) of the inner chain.
 * OpenSSL 3 EVP API only. The raw r||s (big-endian) is turned into a DER ECDSA-Sig-Value
 * for EVP_DigestVerify; the raw X||Y key into an EVP_PKEY with EVP_PKEY_fromdata.
 * Every path clears the OpenSSL error queue it may have filled.
 */
#include <limits.h>
#include <string.h>
#include <openssl/bio.h>
#include <openssl/bn.h>
#include <openssl/core_names.h>
#include <openssl/ec.h>
#include <openssl/err.h>
#include <openssl/evp.h>
#include <openssl/param_build.h>
#include <openssl/pem.h>
#include <openssl/x509.h>
#include "teeabi/tdx.h"
#include "keycache.h"

/* P-256 public key from 64 raw bytes X||Y. Returns E_KEY_INVALID when not on the curve. */
static teeabi_err p256_key(const uint8_t xy[64], EVP_PKEY **out)
{
	uint8_t pt[65];
	pt[0] = 0x04; /* uncompressed point */
	memcpy(pt + 1, xy, 64);
	OSSL_PARAM params[] = {
		OSSL_PARAM_construct_utf8_string(OSSL_PKEY_PARAM_GROUP_NAME, (char *)"prime256v1", 0),
		OSSL_PARAM_construct_octet_string(OSSL_PKEY_PARAM_PUB_KEY, pt, sizeof(pt)),
		OSSL_PARAM_construct_end(),
	};
	teeabi_err rc = TEEABI_E_CRYPTO;
	*out = NULL;
	EVP_PKEY_CTX *ctx = EVP_PKEY_CTX_new_from_name(NULL, "EC", NULL);
	if (!ctx || EVP_PKEY_fromdata_init(ctx) != 1)
		goto out;
	/* fromdata decodes the point and refuses one that is not on the curve (or has a
	 * coordinate >= p); the point at infinity has no uncompressed encoding. That is the
	 * whole public-key validation P-256 needs: its cofactor is 1, so every curve point but
	 * infinity has order n, and EVP_PKEY_public_check's extra n*Q multiplication (a third
	 * of the verify's cost) could never fail here. */
	rc = EVP_PKEY_fromdata(ctx, out, EVP_PKEY_PUBLIC_KEY, params) == 1 ? TEEABI_OK : TEEABI_E_KEY_INVALID;
out:
	if (rc != TEEABI_OK) {
		EVP_PKEY_free(*out);
		*out = NULL;
	}
	EVP_PKEY_CTX_free(ctx);
	ERR_clear_error();
	return rc;
}

/* ECDSA with SHA-256 of msg under key; sig is r||s, 32 bytes each, big-endian. */
static teeabi_err ecdsa_p256_verify(EVP_PKEY *key, const uint8_t rs[64], const uint8_t *msg, size_t msglen)
{
	teeabi_err rc = TEEABI_E_CRYPTO;
	unsigned char *der = NULL;
	EVP_MD_CTX *md = NULL;
	ECDSA_SIG *sig = ECDSA_SIG_new();
	BIGNUM *r = BN_bin2bn(rs, 32, NULL), *s = BN_bin2bn(rs + 32, 32, NULL);
	if (!sig || !r || !s)
		goto out;
	if (ECDSA_SIG_set0(sig, r, s) != 1)
		goto out;
	r = s = NULL; /* owned by sig now */
	int derlen = i2d_ECDSA_SIG(sig, &der);
	if (derlen <= 0)
		goto out;
	md = EVP_MD_CTX_new();
	if (!md || EVP_DigestVerifyInit(md, NULL, EVP_sha256(), NULL, key) != 1)
		goto out;
	/* 1 = valid; 0 = wrong signature; <0 = malformed (e.g. r or s zero): not valid either */
	rc = EVP_DigestVerify(md, der, (size_t)derlen, msg, msglen) == 1 ? TEEABI_OK : TEEABI_E_SIG_INVALID;
out:
	EVP_MD_CTX_free(md);
	OPENSSL_free(der);
	ECDSA_SIG_free(sig);
	BN_free(r);
	BN_free(s);
	ERR_clear_error();
	return rc;
}

/* keycache loader of an attestation key (64 bytes X||Y) */
static EVP_PKEY *att_key(const uint8_t *p, size_t n)
{
	EVP_PKEY *key = NULL;
	return n == 64 && p256_key(p, &key) == TEEABI_OK ? key : NULL;
}

teeabi_err teeabi_tdx_quote_verify_signature(const uint8_t *buf, const struct teeabi_tdx_quote *q)
{
	if (!buf || !q || !q->signature || !q->att_key || !q->signed_len)
		return TEEABI_E_NULL;
	/* A QE keeps its attestation key: every quote of a platform carries the same one, and
	 * its import (EVP_PKEY_fromdata builds the group each time) costs a third of a verify. */
	EVP_PKEY *key = teeabi_keycache_get(q->att_key, 64, att_key);
	teeabi_err rc = TEEABI_OK;
	if (!key && (rc = p256_key(q->att_key, &key)) != TEEABI_OK)
		return rc; /* not a key: decoded again for the precise error */
	rc = ecdsa_p256_verify(key, q->signature, buf, q->signed_len);
	EVP_PKEY_free(key);
	return rc;
}

teeabi_err teeabi_tdx_quote_verify_qe_binding(const struct teeabi_tdx_quote *q)
{
	if (!q || !q->att_key || !q->qe.report_data || (q->qe_auth.len && !q->qe_auth.p))
		return TEEABI_E_NULL;
	uint8_t md[32];
	EVP_MD_CTX *ctx = EVP_MD_CTX_new();
	int ok = ctx && EVP_DigestInit_ex(ctx, EVP_sha256(), NULL) == 1 &&
		 EVP_DigestUpdate(ctx, q->att_key, 64) == 1 &&
		 EVP_DigestUpdate(ctx, q->qe_auth.p, q->qe_auth.len) == 1 &&
		 EVP_DigestFinal_ex(ctx, md, NULL) == 1;
	EVP_MD_CTX_free(ctx);
	if (!ok) {
		ERR_clear_error();
		return TEEABI_E_CRYPTO;
	}
	if (memcmp(md, q->qe.report_data, 32) != 0 || !teeabi_all_zero(q->qe.report_data + 32, 32))
		return TEEABI_E_QE_BINDING;
	return TEEABI_OK;
}

/* First certificate of an opaque type-5 payload: DER (starts with a SEQUENCE tag) or PEM. */
static X509 *first_cert(const uint8_t *p, size_t n)
{
	if (!p || n == 0 || n > INT_MAX)
		return NULL;
	if (p[0] == 0x30) {
		const unsigned char *q = p;
		return d2i_X509(NULL, &q, (long)n);
	}
	BIO *bio = BIO_new_mem_buf(p, (int)n);
	if (!bio)
		return NULL;
	/* the PEM reader skips text before the first BEGIN line and ignores a trailing NUL */
	X509 *x = PEM_read_bio_X509(bio, NULL, NULL, NULL);
	BIO_free(bio);
	return x;
}

/* Public key of the PCK leaf (keycache loader); NULL when the chain has no certificate. */
static EVP_PKEY *pck_leaf_key(const uint8_t *p, size_t n)
{
	X509 *x = first_cert(p, n);
	EVP_PKEY *key = x ? X509_get_pubkey(x) : NULL; /* a reference of our own */
	X509_free(x);
	ERR_clear_error();
	return key;
}

teeabi_err teeabi_tdx_quote_verify_qe_report_sig(const struct teeabi_tdx_quote *q)
{
	if (!q || !q->qe_report || !q->qe_report_sig)
		return TEEABI_E_NULL;
	if (q->inner_cert_type != 5)
		return TEEABI_E_CERT_PARSE;
	/* the chain of a platform is the same in every quote: its leaf is decoded once */
	EVP_PKEY *key = teeabi_keycache_get(q->inner_cert.p, q->inner_cert.len, pck_leaf_key);
	if (!key) {
		ERR_clear_error();
		return TEEABI_E_CERT_PARSE;
	}
	teeabi_err rc;
	if (EVP_PKEY_get_base_id(key) != EVP_PKEY_EC)
		rc = TEEABI_E_KEY_INVALID;
	else
		rc = ecdsa_p256_verify(key, q->qe_report_sig, q->qe_report, TEEABI_SGX_REPORT_LEN);
	EVP_PKEY_free(key);
	ERR_clear_error();
	return rc;
}
