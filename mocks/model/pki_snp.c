/* SPDX-License-Identifier: Apache-2.0 */
/*
 * pki_snp.c - the machine's SEV-SNP TEST PKI, shaped like AMD's KDS (mocks/pki/README.md):
 *
 *   ARK-<product>  RSA-4096, self-signed, RSASSA-PSS SHA-384   (committed, mocks/pki/)
 *   SEV-<product>  the ASK, issuer of VCEKs, signed by the ARK  (committed)
 *   SEV-VLEK-<product>  the ASVK, issuer of VLEKs               (committed)
 *   SEV-VCEK / SEV-VLEK  EC P-384 key made when the machine starts, certificate signed by
 *                  the ASK (ASVK) with RSASSA-PSS, with AMD's VCEK extensions: structure
 *                  version, product name, blSPL/teeSPL/snpSPL/spl_4..7/ucodeSPL (Turin:
 *                  fmcSPL, no spl_4), hwID = the report's CHIP_ID (64 bytes; Turin 8), or
 *                  for a VLEK the CSP ID and no hwID.
 *
 * The product (profile snp_product) also fixes what the firmware reports: CPUID, the TCB
 * (reported_tcb equals the certificate's SPLs) and, with snp_signer = vlek, SIGNER_INFO 1
 * and a zero CHIP_ID (as in the VLEK-signed report of vectors/).
 *
 * Certificate blob: a GUID table {guid[16], offset u32 LE, length u32 LE} with entries
 * VCEK (or VLEK), ASK (ASVK, under the ASK GUID as go-sev-guest does), ARK and an all-zero
 * terminator, the DER certificates right after the table, then zero fill up to the host's
 * buffer size: two pages at least (what a host with AMD's RSA-4096 ARK/ASK needs), so that
 * a guest asking with one page meets the INVALID_LEN path of SNP_GET_EXT_REPORT.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <openssl/bio.h>
#include <openssl/evp.h>
#include <openssl/pem.h>
#include <openssl/x509.h>
#include "internal.h"
#include "pki_material.h"
#include "sev_internal.h"
#include "teeabi/snp.h"

#define HOST_CERT_PAGES 2
#define AMD_OID "1.3.6.1.4.1.3704.1."

struct tm_pki_snp {
	EVP_PKEY *leaf;
	uint8_t *ark_der, *ask_der, *leaf_der;
	size_t ark_len, ask_len, leaf_len;
	uint8_t *blob;      /* host certificate buffer, HOST_CERT_PAGES pages or more */
	size_t blob_len;
};

/* TCB_VERSION values per product (formats.md §4.2): Milan/Genoa bl[0] tee[1] snp[6]
 * ucode[7]; Turin fmc[0] bl[1] tee[2] snp[3] ucode[7]. Values as on real parts in vectors/. */
static const struct tm_snp_product products[] = {
	[TEEABI_SNP_MILAN] = { "Milan", "Milan-B0", 0xD516000000000004ULL, { 0x19, 0x01, 0x01 }, false, 64,
			       tm_pem_snp_milan_ark, tm_pem_snp_milan_ask, tm_pem_snp_milan_ask_key,
			       tm_pem_snp_milan_asvk, tm_pem_snp_milan_asvk_key },
	[TEEABI_SNP_GENOA] = { "Genoa", "Genoa", 0x541700000000000AULL, { 0x19, 0x11, 0x01 }, false, 64,
			       tm_pem_snp_genoa_ark, tm_pem_snp_genoa_ask, tm_pem_snp_genoa_ask_key,
			       tm_pem_snp_genoa_asvk, tm_pem_snp_genoa_asvk_key },
	[TEEABI_SNP_TURIN] = { "Turin", "Turin", 0x5100000004010101ULL, { 0x1A, 0x02, 0x01 }, true, 8,
			       tm_pem_snp_turin_ark, tm_pem_snp_turin_ask, tm_pem_snp_turin_ask_key,
			       tm_pem_snp_turin_asvk, tm_pem_snp_turin_asvk_key },
};

const struct tm_snp_product *tm_snp_product_of(const struct tm_dev *d)
{
	unsigned p = d->prof.snp_product;

	return &products[p < sizeof(products) / sizeof(products[0]) ? p : TEEABI_SNP_MILAN];
}

/* textual (RFC 4122) byte order, docs/kernel-abi.md §2.5 */
static const uint8_t guid_vcek[16] = { 0x63, 0xda, 0x75, 0x8d, 0xe6, 0x64, 0x45, 0x64,
				       0xad, 0xc5, 0xf4, 0xb9, 0x3b, 0xe8, 0xac, 0xcd };
static const uint8_t guid_vlek[16] = { 0xa8, 0x07, 0x4b, 0xc2, 0xa2, 0x5a, 0x48, 0x3e,
				       0xaa, 0xe6, 0x39, 0xc0, 0x45, 0xa0, 0xb8, 0xa1 };
static const uint8_t guid_ask[16] = { 0x4a, 0xb7, 0xb3, 0x79, 0xbb, 0xac, 0x4f, 0xe4,
				      0xa0, 0x2f, 0x05, 0xae, 0xf3, 0x27, 0xc7, 0x82 };
static const uint8_t guid_ark[16] = { 0xc0, 0xb4, 0x06, 0xa4, 0xa8, 0x03, 0x49, 0x52,
				      0x97, 0x43, 0x3f, 0xb6, 0x01, 0x4c, 0xd0, 0xae };

static void put32(uint8_t *p, uint32_t v)
{
	p[0] = (uint8_t)v; p[1] = (uint8_t)(v >> 8); p[2] = (uint8_t)(v >> 16); p[3] = (uint8_t)(v >> 24);
}

/* sev-certs-ark-pem: the ARK as the PEM text of AMD KDS's cert_chain answer, not DER */
static int ark_as_pem(const struct tm_pki_snp *k, BIO **bio, const uint8_t **pem, size_t *len)
{
	const unsigned char *p = k->ark_der;
	X509 *x = d2i_X509(NULL, &p, (long)k->ark_len);
	char *text = NULL;
	long n;

	*bio = BIO_new(BIO_s_mem());
	if (!x || !*bio || !PEM_write_bio_X509(*bio, x) || (n = BIO_get_mem_data(*bio, &text)) <= 0) {
		X509_free(x);
		return -ENOMEM;
	}
	X509_free(x);
	*pem = (const uint8_t *)text;
	*len = (size_t)n;
	return 0;
}

static int build_blob(struct tm_pki_snp *k, bool vlek, bool vlek_as_vcek, bool ark_pem)
{
	const size_t table = 4 * 24; /* leaf, ASK, ARK, terminator */
	size_t len = (size_t)HOST_CERT_PAGES * TEEABI_SNP_PAGE_SIZE;
	uint8_t *b;
	size_t off = table;
	BIO *bio = NULL;
	struct { const uint8_t *guid, *der; size_t len; } e[3] = {
		{ vlek && !vlek_as_vcek ? guid_vlek : guid_vcek, k->leaf_der, k->leaf_len },
		{ guid_ask, k->ask_der, k->ask_len },
		{ guid_ark, k->ark_der, k->ark_len },
	};

	if (ark_pem && ark_as_pem(k, &bio, &e[2].der, &e[2].len)) {
		BIO_free(bio);
		return -ENOMEM;
	}
	size_t need = table + e[0].len + e[1].len + e[2].len;
	if (need > len)
		len = (need + TEEABI_SNP_PAGE_SIZE - 1) / TEEABI_SNP_PAGE_SIZE * TEEABI_SNP_PAGE_SIZE;
	b = calloc(1, len);
	if (!b) {
		BIO_free(bio);
		return -ENOMEM;
	}
	for (int i = 0; i < 3; i++) {
		memcpy(b + i * 24, e[i].guid, 16);
		put32(b + i * 24 + 16, (uint32_t)off);
		put32(b + i * 24 + 20, (uint32_t)e[i].len);
		memcpy(b + off, e[i].der, e[i].len);
		off += e[i].len;
	}
	BIO_free(bio);
	k->blob = b;
	k->blob_len = len;
	return 0;
}

/* AMD's VCEK/VLEK extensions, in the order of KDS certificates (vectors of real parts). */
static int add_amd_exts(X509 *x, const struct tm_snp_product *p, bool vlek, const uint8_t *chip_id)
{
	uint64_t t = p->tcb;
	unsigned bl, tee, snp, ucode = (unsigned)(t >> 56), fmc = 0;
	int rc;

	if (p->turin_tcb) {
		fmc = t & 0xff; bl = (t >> 8) & 0xff; tee = (t >> 16) & 0xff; snp = (t >> 24) & 0xff;
	} else {
		bl = t & 0xff; tee = (t >> 8) & 0xff; snp = (t >> 48) & 0xff;
	}
	rc = tm_cert_add_int_ext(x, AMD_OID "1", p->turin_tcb ? 1 : 0) ||
	     tm_cert_add_ia5_ext(x, AMD_OID "2", p->kds_name);
	if (p->turin_tcb)
		rc = rc || tm_cert_add_int_ext(x, AMD_OID "3.9", fmc);
	rc = rc || tm_cert_add_int_ext(x, AMD_OID "3.1", bl) || tm_cert_add_int_ext(x, AMD_OID "3.2", tee);
	if (p->turin_tcb)
		rc = rc || tm_cert_add_int_ext(x, AMD_OID "3.3", snp);
	else
		rc = rc || tm_cert_add_int_ext(x, AMD_OID "3.4", 0);
	rc = rc || tm_cert_add_int_ext(x, AMD_OID "3.5", 0) || tm_cert_add_int_ext(x, AMD_OID "3.6", 0) ||
	     tm_cert_add_int_ext(x, AMD_OID "3.7", 0);
	if (!p->turin_tcb)
		rc = rc || tm_cert_add_int_ext(x, AMD_OID "3.3", snp);
	rc = rc || tm_cert_add_int_ext(x, AMD_OID "3.8", ucode);
	if (vlek)
		return rc || tm_cert_add_ia5_ext(x, AMD_OID "5", TM_SNP_TEST_CSP_ID);
	return rc || tm_cert_add_raw_ext(x, AMD_OID "4", false, chip_id, p->hwid_len);
}

int tm_pki_snp_init(struct tm_dev *d)
{
	const struct tm_snp_product *p = tm_snp_product_of(d);
	bool vlek = d->prof.snp_vlek;
	struct tm_pki_snp *k = calloc(1, sizeof(*k));
	X509 *ark = NULL, *ask = NULL, *leaf = NULL;
	EVP_PKEY *ask_key = NULL;
	X509_NAME *subj = NULL;
	int rc = -ENOMEM;

	if (!k)
		return -ENOMEM;
	d->pki_snp = k;
	ark = tm_pem_cert(p->ark_pem);
	ask = tm_pem_cert(vlek ? p->asvk_pem : p->ask_pem);
	ask_key = tm_pem_key(vlek ? p->asvk_key_pem : p->ask_key_pem);
	k->leaf = EVP_EC_gen("P-384");
	subj = X509_NAME_dup(X509_get_subject_name(ask));
	if (!ark || !ask || !ask_key || !k->leaf || !subj)
		goto out;
	/* the leaf's subject: the issuer's with CN SEV-VCEK / SEV-VLEK */
	X509_NAME_ENTRY_free(X509_NAME_delete_entry(subj, X509_NAME_entry_count(subj) - 1));
	if (X509_NAME_add_entry_by_txt(subj, "CN", MBSTRING_UTF8, (const unsigned char *)(vlek ? "SEV-VLEK" : "SEV-VCEK"),
				       -1, -1, 0) != 1)
		goto out;
	/* KDS VCEKs: serial 0, valid 7 years */
	leaf = tm_cert_new(k->leaf, subj, X509_get_subject_name(ask), 0, 1, 7 * 365);
	if (!leaf || add_amd_exts(leaf, p, vlek, tm_sev_chip_id(d)) || tm_cert_sign(leaf, ask_key, NULL) ||
	    tm_cert_der(leaf, &k->leaf_der, &k->leaf_len) || tm_cert_der(ask, &k->ask_der, &k->ask_len) ||
	    tm_cert_der(ark, &k->ark_der, &k->ark_len))
		goto out;
	/* sev-vlek-under-vcek-guid: the host labels its leaf "VCEK" whatever it is */
	rc = build_blob(k, vlek, TM_FAULT(d, SEV_VLEK_UNDER_VCEK_GUID), TM_FAULT(d, SEV_CERTS_ARK_PEM));
out:
	X509_NAME_free(subj);
	EVP_PKEY_free(ask_key);
	X509_free(ark);
	X509_free(ask);
	X509_free(leaf);
	return rc;
}

void tm_pki_snp_fini(struct tm_dev *d)
{
	struct tm_pki_snp *k = d->pki_snp;

	if (!k)
		return;
	EVP_PKEY_free(k->leaf);
	free(k->ark_der);
	free(k->ask_der);
	free(k->leaf_der);
	free(k->blob);
	free(k);
	d->pki_snp = NULL;
}

const uint8_t *tm_sev_vcek_der(struct tm_dev *d, size_t *len)
{
	*len = d->pki_snp->leaf_len;
	return d->pki_snp->leaf_der;
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

/* ECDSA-P384 over SHA-384(msg) with the VCEK/VLEK; r and s as 72-byte little-endian. */
int tm_pki_snp_sign(struct tm_dev *d, const uint8_t *msg, size_t len, uint8_t r_le[72], uint8_t s_le[72])
{
	memset(r_le, 0, 72);
	memset(s_le, 0, 72);
	if (d->fast_sign) /* fuzz harnesses: tm_set_fast_sign */
		return tm_fast_sign(msg, len, 48, r_le, s_le);
	return tm_ecdsa_sign_raw(d->pki_snp->leaf, EVP_sha384(), msg, len, 48, true, r_le, s_le) ? -EIO : 0;
}
