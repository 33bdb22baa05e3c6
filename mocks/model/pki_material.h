/* SPDX-License-Identifier: Apache-2.0 */
/*
 * pki_material.h - the committed TEST keys and CA certificates (PEM text) of the mock's
 * vendor-shaped PKI, made by scripts/gen-test-pki.sh (mocks/pki/README.md), and the
 * helpers both PKI halves use to turn them into OpenSSL objects and to make leaf
 * certificates. NOT FOR PRODUCTION.
 */
#ifndef TEEABI_MODEL_PKI_MATERIAL_H
#define TEEABI_MODEL_PKI_MATERIAL_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <time.h>
#include <openssl/evp.h>
#include <openssl/x509.h>

/* SEV-SNP, per product: ARK (self-signed), ASK (VCEK issuer), ASVK (VLEK issuer); RSA-4096 */
extern const char tm_pem_snp_milan_ark[], tm_pem_snp_milan_ark_key[], tm_pem_snp_milan_ask[],
	tm_pem_snp_milan_ask_key[], tm_pem_snp_milan_asvk[], tm_pem_snp_milan_asvk_key[];
extern const char tm_pem_snp_genoa_ark[], tm_pem_snp_genoa_ark_key[], tm_pem_snp_genoa_ask[],
	tm_pem_snp_genoa_ask_key[], tm_pem_snp_genoa_asvk[], tm_pem_snp_genoa_asvk_key[];
extern const char tm_pem_snp_turin_ark[], tm_pem_snp_turin_ark_key[], tm_pem_snp_turin_ask[],
	tm_pem_snp_turin_ask_key[], tm_pem_snp_turin_asvk[], tm_pem_snp_turin_asvk_key[];
/* TDX: root CA, PCK Platform CA, TCB signing certificate; P-256 */
extern const char tm_pem_tdx_root[], tm_pem_tdx_root_key[], tm_pem_tdx_platform_ca[],
	tm_pem_tdx_platform_ca_key[], tm_pem_tdx_tcb_signing[], tm_pem_tdx_tcb_signing_key[];

/* PEM text -> object (NULL on error) */
EVP_PKEY *tm_pem_key(const char *pem);
X509 *tm_pem_cert(const char *pem);
/* DER of x, malloc'd; 0 or -1 */
int tm_cert_der(X509 *x, uint8_t **der, size_t *len);
/* A new v3 certificate for pub: subject/issuer copied, serial, validity from
 * now - back_days for days. NULL on error. */
X509 *tm_cert_new(EVP_PKEY *pub, const X509_NAME *subject, const X509_NAME *issuer, long serial,
		  long back_days, long days);
/* Extension by nid from its OpenSSL config text (X509V3_EXT_conf_nid), 0 or -1 */
int tm_cert_add_conf_ext(X509 *x, X509 *issuer, int nid, const char *value);
/* Extension named by dotted oid whose extnValue is exactly der[0..len) */
int tm_cert_add_raw_ext(X509 *x, const char *oid, bool critical, const uint8_t *der, size_t len);
/* The same with extnValue = DER INTEGER v / IA5String s */
int tm_cert_add_int_ext(X509 *x, const char *oid, long v);
int tm_cert_add_ia5_ext(X509 *x, const char *oid, const char *s);
/* Sign: RSASSA-PSS SHA-384 / MGF1 SHA-384 / salt 48 (AMD KDS) for an RSA key, else
 * ECDSA with md. 0 or -1. */
int tm_cert_sign(X509 *x, EVP_PKEY *key, const EVP_MD *md);
/* An empty CRL of issuer (DER, malloc'd), signed with key_pem as tm_cert_sign signs, valid from
 * an hour before now for days. 0 or -1. */
int tm_crl_make(X509 *issuer, const char *key_pem, const EVP_MD *md, time_t now, long days, uint8_t **der, size_t *len);
/* ECDSA over msg with md, the signature as raw r||s of n bytes each, big-endian
 * (le = false) or little-endian (le = true, AMD's order). 0 or -1. */
int tm_ecdsa_sign_raw(EVP_PKEY *key, const EVP_MD *md, const uint8_t *msg, size_t len, size_t n, bool le,
		      uint8_t *r, uint8_t *s);

#endif
