/* SPDX-License-Identifier: Apache-2.0 */
/*
 * snp_crypto.c - SEV-SNP report signature: ECDSA-P384/SHA-384 over bytes [0, 0x2A0) with
 * the public key of a VCEK/VLEK certificate (DER or PEM). R and S are stored as 72-byte
 * little-endian integers (formats.md §4.1); bytes 48..71 of each must be zero.
 * Every path leaves the caller's OpenSSL error queue as it found it: the errors a failed
 * certificate decode or verify queues are dropped (ERR_set_mark / ERR_pop_to_mark), so a
 * later ERR_get_error() in the caller never returns teeabi's failures.
 */
#include <string.h>
#include <openssl/bio.h>
#include <openssl/bn.h>
#include <openssl/ec.h>
#include <openssl/err.h>
#include <openssl/evp.h>
#include <openssl/pem.h>
#include <openssl/x509.h>
#include "teeabi/snp.h"
#include "keycache.h"

#define SNP_REPORT_LEN 0x4A0

static X509 *load_cert(const uint8_t *cert, size_t cert_len)
{
	if (cert_len > 1024 * 1024 || cert_len == 0)
		return NULL;
	const unsigned char *p = cert;
	X509 *x = d2i_X509(NULL, &p, (long)cert_len);
	if (x)
		return x;
	BIO *bio = BIO_new_mem_buf(cert, (int)cert_len);
	if (!bio)
		return NULL;
	x = PEM_read_bio_X509(bio, NULL, NULL, NULL);
	BIO_free(bio);
	return x;
}

/* Public key of a DER or PEM certificate (keycache loader). The caller's mark on the
 * error queue (teeabi_snp_report_verify) drops what a failed decode queues. */
static EVP_PKEY *cert_key(const uint8_t *cert, size_t cert_len)
{
	X509 *x = load_cert(cert, cert_len);
	EVP_PKEY *k = x ? X509_get_pubkey(x) : NULL;
	X509_free(x);
	return k;
}

/* Is pkey an EC key on P-384? */
static bool is_p384(EVP_PKEY *pkey)
{
	if (EVP_PKEY_get_base_id(pkey) != EVP_PKEY_EC)
		return false;
	char name[64];
	size_t nlen = 0;
	if (!EVP_PKEY_get_group_name(pkey, name, sizeof(name), &nlen))
		return false;
	return strcmp(name, "secp384r1") == 0 || strcmp(name, "P-384") == 0;
}

static teeabi_err report_verify(const uint8_t *buf, size_t len, const uint8_t *cert, size_t cert_len)
{
	if (!buf || !cert)
		return TEEABI_E_NULL;
	if (len < SNP_REPORT_LEN)
		return TEEABI_E_SNP_REPORT_SIZE;
	const uint8_t *r = buf + SNP_OFF_SIGNATURE, *s = r + 72;
	if (!teeabi_all_zero(r + 48, 24) || !teeabi_all_zero(s + 48, 24))
		return TEEABI_E_SIG_INVALID;

	teeabi_err ret = TEEABI_E_CRYPTO;
	/* a VCEK signs every report of its chip: decoded once (keycache.c) */
	EVP_PKEY *pkey = teeabi_keycache_get(cert, cert_len, cert_key);
	if (!pkey)
		return TEEABI_E_CERT_PARSE;
	ECDSA_SIG *sig = NULL;
	BIGNUM *br = NULL, *bs = NULL;
	unsigned char *der = NULL;
	EVP_MD_CTX *ctx = NULL;
	if (!is_p384(pkey)) {
		ret = TEEABI_E_KEY_INVALID;
		goto out;
	}
	br = BN_lebin2bn(r, 48, NULL);
	bs = BN_lebin2bn(s, 48, NULL);
	sig = ECDSA_SIG_new();
	if (!br || !bs || !sig)
		goto out;
	if (!ECDSA_SIG_set0(sig, br, bs))
		goto out;
	br = bs = NULL; /* owned by sig */
	int derlen = i2d_ECDSA_SIG(sig, &der);
	if (derlen <= 0)
		goto out;
	ctx = EVP_MD_CTX_new();
	if (!ctx || EVP_DigestVerifyInit(ctx, NULL, EVP_sha384(), NULL, pkey) != 1)
		goto out;
	int v = EVP_DigestVerify(ctx, der, (size_t)derlen, buf, SNP_SIGNED_LEN);
	ret = v == 1 ? TEEABI_OK : TEEABI_E_SIG_INVALID;
out:
	EVP_MD_CTX_free(ctx);
	OPENSSL_free(der);
	ECDSA_SIG_free(sig);
	BN_free(br);
	BN_free(bs);
	EVP_PKEY_free(pkey);
	return ret;
}

teeabi_err teeabi_snp_report_verify(const uint8_t *buf, size_t len, const uint8_t *cert, size_t cert_len)
{
	ERR_set_mark();
	teeabi_err ret = report_verify(buf, len, cert, cert_len);
	ERR_pop_to_mark();
	return ret;
}
