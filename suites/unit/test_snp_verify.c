/* SPDX-License-Identifier: Apache-2.0 */
/*
 * test_snp_verify.c - SNP report signature check. A P-384 key and a self-signed
 * certificate are generated here with OpenSSL; a real report body is signed the way the
 * firmware does (ECDSA-P384/SHA-384 over [0, 0x2A0), R and S stored as 72-byte
 * little-endian at 0x2A0 / 0x2E8, docs/formats.md §4.1) and then verified, tampered with,
 * and checked against wrong keys / unusable certificates.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>
#include <openssl/bio.h>
#include <openssl/bn.h>
#include <openssl/ec.h>
#include <openssl/err.h>
#include <openssl/evp.h>
#include <openssl/pem.h>
#include <openssl/x509.h>
#include "teeabi/snp.h"
#include "testutil.h"

#define RLEN 1184

struct kc {
	EVP_PKEY *key;
	uint8_t *der;
	int der_len;
	char *pem;
	size_t pem_len;
};

static void make_cert(struct kc *k, const char *curve)
{
	k->key = EVP_PKEY_Q_keygen(NULL, NULL, "EC", curve);
	assert_non_null(k->key);
	X509 *x = X509_new();
	assert_non_null(x);
	X509_set_version(x, 2);
	ASN1_INTEGER_set(X509_get_serialNumber(x), 1);
	X509_gmtime_adj(X509_getm_notBefore(x), 0);
	X509_gmtime_adj(X509_getm_notAfter(x), 3600);
	X509_NAME *n = X509_get_subject_name(x);
	X509_NAME_add_entry_by_txt(n, "CN", MBSTRING_ASC, (const unsigned char *)"SEV-VCEK test", -1, -1, 0);
	X509_set_issuer_name(x, n);
	assert_int_equal(X509_set_pubkey(x, k->key), 1);
	assert_true(X509_sign(x, k->key, EVP_sha384()) > 0);
	k->der = NULL;
	k->der_len = i2d_X509(x, &k->der);
	assert_true(k->der_len > 0);
	BIO *b = BIO_new(BIO_s_mem());
	assert_int_equal(PEM_write_bio_X509(b, x), 1);
	char *p;
	long pl = BIO_get_mem_data(b, &p);
	k->pem = malloc((size_t)pl);
	memcpy(k->pem, p, (size_t)pl);
	k->pem_len = (size_t)pl;
	BIO_free(b);
	X509_free(x);
}

static void free_cert(struct kc *k)
{
	EVP_PKEY_free(k->key);
	OPENSSL_free(k->der);
	free(k->pem);
}

/* Sign [0,0x2A0) and store R,S little-endian, zero-extended to 72 bytes. */
static void sign_report(uint8_t *rep, EVP_PKEY *key)
{
	EVP_MD_CTX *ctx = EVP_MD_CTX_new();
	assert_non_null(ctx);
	assert_int_equal(EVP_DigestSignInit(ctx, NULL, EVP_sha384(), NULL, key), 1);
	unsigned char der[256];
	size_t dl = sizeof(der);
	assert_int_equal(EVP_DigestSign(ctx, der, &dl, rep, 0x2A0), 1);
	EVP_MD_CTX_free(ctx);
	const unsigned char *p = der;
	ECDSA_SIG *s = d2i_ECDSA_SIG(NULL, &p, (long)dl);
	assert_non_null(s);
	memset(rep + 0x2A0, 0, 144);
	assert_int_equal(BN_bn2lebinpad(ECDSA_SIG_get0_r(s), rep + 0x2A0, 72), 72);
	assert_int_equal(BN_bn2lebinpad(ECDSA_SIG_get0_s(s), rep + 0x2E8, 72), 72);
	ECDSA_SIG_free(s);
}

static uint8_t *signed_report(struct kc *k)
{
	size_t n;
	uint8_t *r = tu_read("vectors/snp-report/teekit__sev-gcp.bin", &n);
	assert_int_equal(n, RLEN);
	sign_report(r, k->key);
	return r;
}

static void test_verify_ok_der_pem(void **state)
{
	(void)state;
	struct kc k;
	make_cert(&k, "P-384");
	uint8_t *r = signed_report(&k);
	assert_int_equal(teeabi_snp_report_verify(r, RLEN, k.der, (size_t)k.der_len), TEEABI_OK);
	assert_int_equal(teeabi_snp_report_verify(r, RLEN, (const uint8_t *)k.pem, k.pem_len), TEEABI_OK);
	/* the signed report still parses with no warnings (R/S high bytes zero) */
	struct teeabi_snp_report rep;
	assert_int_equal(teeabi_snp_report_parse(r, RLEN, TEEABI_SNP_STRICT_MBZ, &rep), TEEABI_OK);
	free(r);
	free_cert(&k);
}

static void test_tamper(void **state)
{
	(void)state;
	struct kc k;
	make_cert(&k, "P-384");
	uint8_t *r = signed_report(&k);
	/* every field range of the signed part: flip one byte, expect failure, restore */
	static const size_t offs[] = { 0x000, 0x008, 0x050, 0x090, 0x0C0, 0x180, 0x1A0, 0x1F8, 0x29F };
	for (size_t i = 0; i < sizeof(offs) / sizeof(offs[0]); i++) {
		r[offs[i]] ^= 0x01;
		assert_int_equal(teeabi_snp_report_verify(r, RLEN, k.der, (size_t)k.der_len), TEEABI_E_SIG_INVALID);
		r[offs[i]] ^= 0x01;
	}
	/* R and S themselves */
	r[0x2A0] ^= 1;
	assert_int_equal(teeabi_snp_report_verify(r, RLEN, k.der, (size_t)k.der_len), TEEABI_E_SIG_INVALID);
	r[0x2A0] ^= 1;
	r[0x2E8 + 47] ^= 0x80;
	assert_int_equal(teeabi_snp_report_verify(r, RLEN, k.der, (size_t)k.der_len), TEEABI_E_SIG_INVALID);
	r[0x2E8 + 47] ^= 0x80;
	assert_int_equal(teeabi_snp_report_verify(r, RLEN, k.der, (size_t)k.der_len), TEEABI_OK);
	/* high (zero-extension) bytes of R or S non-zero: rejected */
	r[0x2A0 + 48] = 1;
	assert_int_equal(teeabi_snp_report_verify(r, RLEN, k.der, (size_t)k.der_len), TEEABI_E_SIG_INVALID);
	r[0x2A0 + 48] = 0;
	r[0x2E8 + 71] = 0xff;
	assert_int_equal(teeabi_snp_report_verify(r, RLEN, k.der, (size_t)k.der_len), TEEABI_E_SIG_INVALID);
	r[0x2E8 + 71] = 0;
	/* R = 0 */
	uint8_t save[48];
	memcpy(save, r + 0x2A0, 48);
	memset(r + 0x2A0, 0, 48);
	assert_int_equal(teeabi_snp_report_verify(r, RLEN, k.der, (size_t)k.der_len), TEEABI_E_SIG_INVALID);
	memcpy(r + 0x2A0, save, 48);
	/* bytes after the signature are not signed (the parser flags them as MBZ instead) */
	r[0x330] = 1;
	assert_int_equal(teeabi_snp_report_verify(r, RLEN, k.der, (size_t)k.der_len), TEEABI_OK);
	free(r);
	free_cert(&k);
}

static void test_wrong_keys_and_certs(void **state)
{
	(void)state;
	struct kc k, other, p256;
	make_cert(&k, "P-384");
	make_cert(&other, "P-384");
	make_cert(&p256, "P-256");
	uint8_t *r = signed_report(&k);
	assert_int_equal(teeabi_snp_report_verify(r, RLEN, other.der, (size_t)other.der_len), TEEABI_E_SIG_INVALID);
	assert_int_equal(teeabi_snp_report_verify(r, RLEN, p256.der, (size_t)p256.der_len), TEEABI_E_KEY_INVALID);
	static const uint8_t junk[] = "not a certificate";
	assert_int_equal(teeabi_snp_report_verify(r, RLEN, junk, sizeof(junk)), TEEABI_E_CERT_PARSE);
	assert_int_equal(teeabi_snp_report_verify(r, RLEN, k.der, (size_t)k.der_len / 2), TEEABI_E_CERT_PARSE);
	assert_int_equal(teeabi_snp_report_verify(r, RLEN, k.der, 0), TEEABI_E_CERT_PARSE);
	assert_int_equal(teeabi_snp_report_verify(r, RLEN - 1, k.der, (size_t)k.der_len), TEEABI_E_SNP_REPORT_SIZE);
	assert_int_equal(teeabi_snp_report_verify(NULL, RLEN, k.der, (size_t)k.der_len), TEEABI_E_NULL);
	free(r);
	free_cert(&k);
	free_cert(&other);
	free_cert(&p256);
}

/* Every outcome leaves the OpenSSL error queue as it was: empty stays empty (a failed
 * certificate decode once left its error records behind, which a caller's next
 * ERR_get_error() returned and LeakSanitizer had to scan), and an error the caller queued
 * before the call is still there, alone, afterwards. */
static void test_error_queue(void **state)
{
	(void)state;
	struct kc k, p256;
	make_cert(&k, "P-384");
	make_cert(&p256, "P-256");
	uint8_t *r = signed_report(&k);
	static const uint8_t junk[] = "not a certificate";
	static const char pem_junk[] = "-----BEGIN CERTIFICATE-----\nAAAA\n-----END CERTIFICATE-----\n";
	uint8_t bad_sig[RLEN];
	memcpy(bad_sig, r, RLEN);
	memset(bad_sig + 0x2A0, 0, 48); /* R = 0: the verify itself fails */
	struct {
		const uint8_t *rep, *cert;
		size_t cert_len;
		teeabi_err want;
	} cases[] = {
		{ r, k.der, (size_t)k.der_len, TEEABI_OK },
		{ r, (const uint8_t *)k.pem, k.pem_len, TEEABI_OK },
		{ r, junk, sizeof(junk), TEEABI_E_CERT_PARSE },
		{ r, (const uint8_t *)pem_junk, sizeof(pem_junk) - 1, TEEABI_E_CERT_PARSE },
		{ r, k.der, (size_t)k.der_len / 2, TEEABI_E_CERT_PARSE },
		{ r, (const uint8_t *)k.pem, k.pem_len / 2, TEEABI_E_CERT_PARSE },
		{ r, p256.der, (size_t)p256.der_len, TEEABI_E_KEY_INVALID },
		{ bad_sig, k.der, (size_t)k.der_len, TEEABI_E_SIG_INVALID },
	};
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		ERR_clear_error();
		assert_int_equal(teeabi_snp_report_verify(cases[i].rep, RLEN, cases[i].cert, cases[i].cert_len),
				 cases[i].want);
		if (ERR_peek_error() != 0)
			fail_msg("case %zu: error queue not empty after verify: %s", i,
				 ERR_error_string(ERR_peek_error(), NULL));
		/* the caller's own queued error survives the call, and nothing is added to it */
		ERR_raise(ERR_LIB_USER, 42);
		teeabi_snp_report_verify(cases[i].rep, RLEN, cases[i].cert, cases[i].cert_len);
		unsigned long e = ERR_get_error();
		assert_int_equal(ERR_GET_LIB(e), ERR_LIB_USER);
		assert_int_equal(ERR_GET_REASON(e), 42);
		assert_int_equal(ERR_peek_error(), 0);
	}
	free(r);
	free_cert(&k);
	free_cert(&p256);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_verify_ok_der_pem),
		cmocka_unit_test(test_tamper),
		cmocka_unit_test(test_wrong_keys_and_certs),
		cmocka_unit_test(test_error_queue),
	};
	return cmocka_run_group_tests_name("snp_verify", tests, NULL, NULL);
}
