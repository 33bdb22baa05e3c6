/* SPDX-License-Identifier: Apache-2.0 */
/*
 * pki_tdx.c - the machine's TEST Intel-shaped attestation PKI, its DCAP collateral and the
 * DCAP v4 quote builder (docs/formats.md §2-§3, mocks/pki/README.md).
 *
 * Committed (mocks/pki/, pki_material.c): root CA "Intel SGX Root CA", intermediate
 * "Intel SGX PCK Platform CA", "Intel SGX TCB Signing" (P-256, ECDSA-SHA256; O = teeabi TEST
 * PKI - NOT FOR PRODUCTION). Made at tm_new() (tm_pki_tdx_init): the PCK key and its
 * certificate "Intel SGX PCK Certificate" issued by the Platform CA with Intel's SGX
 * extension 1.2.840.113741.1.13.1 (PPID, TCB: 16 SGX component SVNs = the CPUSVN bytes,
 * PCESVN, CPUSVN; PCE-ID, FMSPC, SGX type Scalable, platform instance id, configuration),
 * built with OpenSSL's ASN1_generate_nconf; and the attestation key (AK) of the simulated TD
 * Quoting Enclave. Nothing here chains to Intel.
 *
 * tm_tdx_quote_locked() maps a TDREPORT into a v4 TD10 quote body (formats.md §1.5),
 * signs [0,632) with the AK, and appends certification data type 6: a QE report bound to
 * the AK (report_data = SHA-256(AK || auth) || 0^32), signed by the PCK leaf key, 32 bytes
 * of QE auth data 00..1f, and an inner type 5 PEM chain leaf -> intermediate -> root.
 * tm_tdx_collateral() makes what a DCAP verifier needs next to that quote (TCB Info v3 for
 * TDX, QE Identity v2 for TD_QE, both signed by the TCB signing key; root and PCK CRLs).
 */
#include <errno.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <json-c/json.h>
#include <openssl/asn1.h>
#include <openssl/bio.h>
#include <openssl/conf.h>
#include <openssl/core_names.h>
#include <openssl/err.h>
#include <openssl/evp.h>
#include <openssl/pem.h>
#include <openssl/x509.h>
#include <openssl/x509v3.h>
#include "internal.h"
#include "pki_material.h"
#include "teeabi/tdx.h"

struct tm_pki_tdx {
	EVP_PKEY *pck_key, *ak;
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
/* The platform's identity in its PCK certificate and the TCB Info (a Sapphire Rapids
 * FMSPC, PCE-ID 0 and the PCE SVN of real quotes in vectors/). */
static const uint8_t pck_fmspc[6] = { 0x90, 0xc0, 0x6f, 0x00, 0x00, 0x00 };
#define PCE_SVN 11
#define SGX_OID "1.2.840.113741.1.13.1"

static void hexs(char *out, const uint8_t *b, size_t n)
{
	for (size_t i = 0; i < n; i++)
		snprintf(out + 2 * i, 3, "%02x", b[i]);
}

/* The SGX extension as OpenSSL config text for ASN1_generate_nconf (Intel's PCK
 * certificate profile; field order as in Intel-issued PCK certificates). */
static char *sgx_ext_conf(const uint8_t ppid[16], const uint8_t cpusvn[16], const uint8_t instance[16])
{
	size_t cap = 8192, n = 0;
	char *c = malloc(cap), h[40];

	if (!c)
		return NULL;
#define ADD(...) (n += (size_t)snprintf(c + n, cap - n, __VA_ARGS__))
	ADD("[sgx]\nppid = SEQUENCE:ppid\ntcb = SEQUENCE:tcb\npceid = SEQUENCE:pceid\nfmspc = SEQUENCE:fmspc\n"
	    "sgxtype = SEQUENCE:sgxtype\ninstance = SEQUENCE:instance\nconfig = SEQUENCE:config\n");
	hexs(h, ppid, 16);
	ADD("[ppid]\noid = OID:" SGX_OID ".1\nv = FORMAT:HEX,OCTETSTRING:%s\n", h);
	ADD("[tcb]\noid = OID:" SGX_OID ".2\nv = SEQUENCE:tcbc\n[tcbc]\n");
	for (int i = 1; i <= 18; i++)
		ADD("c%02d = SEQUENCE:c%02d\n", i, i);
	for (int i = 1; i <= 16; i++)
		ADD("[c%02d]\noid = OID:" SGX_OID ".2.%d\nv = INTEGER:%u\n", i, i, cpusvn[i - 1]);
	hexs(h, cpusvn, 16);
	ADD("[c17]\noid = OID:" SGX_OID ".2.17\nv = INTEGER:%u\n", PCE_SVN);
	ADD("[c18]\noid = OID:" SGX_OID ".2.18\nv = FORMAT:HEX,OCTETSTRING:%s\n", h);
	ADD("[pceid]\noid = OID:" SGX_OID ".3\nv = FORMAT:HEX,OCTETSTRING:0000\n");
	hexs(h, pck_fmspc, 6);
	ADD("[fmspc]\noid = OID:" SGX_OID ".4\nv = FORMAT:HEX,OCTETSTRING:%s\n", h);
	ADD("[sgxtype]\noid = OID:" SGX_OID ".5\nv = ENUMERATED:1\n");
	hexs(h, instance, 16);
	ADD("[instance]\noid = OID:" SGX_OID ".6\nv = FORMAT:HEX,OCTETSTRING:%s\n", h);
	ADD("[config]\noid = OID:" SGX_OID ".7\nv = SEQUENCE:cfg\n[cfg]\na = SEQUENCE:cfg1\nb = SEQUENCE:cfg2\nc = SEQUENCE:cfg3\n"
	    "[cfg1]\noid = OID:" SGX_OID ".7.1\nv = BOOLEAN:FALSE\n[cfg2]\noid = OID:" SGX_OID ".7.2\nv = BOOLEAN:TRUE\n"
	    "[cfg3]\noid = OID:" SGX_OID ".7.3\nv = BOOLEAN:TRUE\n");
#undef ADD
	if (n >= cap) {
		free(c);
		return NULL;
	}
	return c;
}

static int add_sgx_ext(X509 *x, const uint8_t ppid[16], const uint8_t cpusvn[16], const uint8_t instance[16])
{
	char *text = sgx_ext_conf(ppid, cpusvn, instance);
	CONF *conf = NCONF_new(NULL);
	BIO *b = text ? BIO_new_mem_buf(text, -1) : NULL;
	ASN1_TYPE *t = NULL;
	unsigned char *der = NULL;
	long line = 0;
	int n, rc = -1;

	if (conf && b && NCONF_load_bio(conf, b, &line) > 0 && (t = ASN1_generate_nconf("SEQUENCE:sgx", conf)) &&
	    (n = i2d_ASN1_TYPE(t, &der)) > 0)
		rc = tm_cert_add_raw_ext(x, SGX_OID, false, der, (size_t)n);
	OPENSSL_free(der);
	ASN1_TYPE_free(t);
	BIO_free(b);
	NCONF_free(conf);
	free(text);
	return rc;
}

static X509_NAME *pck_name(const X509 *issuer)
{
	X509_NAME *n = X509_NAME_dup(X509_get_subject_name(issuer));

	/* Intel's order: CN, O, L, ST, C; the CN is the first entry */
	if (!n)
		return NULL;
	X509_NAME_ENTRY_free(X509_NAME_delete_entry(n, 0));
	if (X509_NAME_add_entry_by_txt(n, "CN", MBSTRING_UTF8, (const unsigned char *)"Intel SGX PCK Certificate", -1, 0, 0) != 1) {
		X509_NAME_free(n);
		return NULL;
	}
	return n;
}

static int make_pck(struct tm_pki_tdx *p, struct tm_dev *d)
{
	EVP_PKEY *ik = tm_pem_key(tm_pem_tdx_platform_ca_key);
	X509_NAME *name = pck_name(p->inter);
	uint8_t ppid[16], inst[16];
	int rc = -1;

	tm_tdx_derive(d, "ppid", ppid, 16);
	tm_tdx_derive(d, "platform-instance-id", inst, 16);
	/* Intel PCK certificates: 7 years, a 20-byte random serial (ours: fixed per run) */
	if (ik && name && (p->pck = tm_cert_new(p->pck_key, name, X509_get_subject_name(p->inter), 0x7e57, 1, 7 * 365)) &&
	    !tm_cert_add_conf_ext(p->pck, p->inter, NID_authority_key_identifier, "keyid:always") &&
	    !tm_cert_add_conf_ext(p->pck, p->inter, NID_crl_distribution_points,
				  "URI:https://teeabi-test-pki.invalid/sgx/certification/v4/pckcrl?ca=platform&encoding=der") &&
	    !tm_cert_add_conf_ext(p->pck, p->inter, NID_subject_key_identifier, "hash") &&
	    !tm_cert_add_conf_ext(p->pck, p->inter, NID_key_usage, "critical,digitalSignature,nonRepudiation") &&
	    !tm_cert_add_conf_ext(p->pck, p->inter, NID_basic_constraints, "critical,CA:FALSE") &&
	    !add_sgx_ext(p->pck, ppid, tm_tdx_cpusvn(d), inst) && !tm_cert_sign(p->pck, ik, EVP_sha256()))
		rc = 0;
	X509_NAME_free(name);
	EVP_PKEY_free(ik);
	return rc;
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
	p->pck_key = EVP_EC_gen("P-256");
	p->ak = EVP_EC_gen("P-256");
	p->root = tm_pem_cert(tm_pem_tdx_root);
	p->inter = tm_pem_cert(tm_pem_tdx_platform_ca);
	if (!p->pck_key || !p->ak || !p->root || !p->inter || make_pck(p, d) || pem_chain(p) || ak_point(p))
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
	free(p->pem_chain);
	free(p);
	d->pki_tdx = NULL;
}

/* ECDSA-P256/SHA-256 of msg, as raw r||s (32 bytes each, big-endian). */
static int sign_rs(EVP_PKEY *key, const uint8_t *msg, size_t len, uint8_t rs[64])
{
	int rc = tm_ecdsa_sign_raw(key, EVP_sha256(), msg, len, 32, false, rs, rs + 32);
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
	/* tdx-quote-qe-vendor-id-guid-byte-order: the vendor GUID string parsed into a guid_t
	 * (first three groups little-endian) before the copy */
	static const uint8_t vendor_as_guid_t[16] = {
		0x33, 0x72, 0x9a, 0x93, 0x9c, 0xf7, 0xa9, 0x4c, 0x94, 0x0a, 0x0d, 0xb3, 0x95, 0x7f, 0x06, 0x07 };
	memcpy(q + 12, TM_FAULT(d, TDX_QUOTE_QE_VENDOR_ID_GUID_BYTE_ORDER) ? vendor_as_guid_t : intel_qe_vendor, 16);
	/* user_data: 16 bytes of QE data then 4 zero bytes (as in real samples) */
	uint8_t ud[32];
	if (sha256("teeabi-mock-qe-user-data", 24, p->ak_xy, 64, ud))
		goto fail;
	memcpy(q + 28, ud, 16);

	/* TD10 body (formats.md §1.5 / §2.4) */
	uint8_t *b = q + Q_HDR;
	/* tdx-quote-tee-tcb-svn-from-cpusvn / tdx-quote-mrsignerseam-from-mrseam: a quote
	 * generator whose TDREPORT -> body map takes a same-sized neighbour */
	memcpy(b + 0, tdreport + (TM_FAULT(d, TDX_QUOTE_TEE_TCB_SVN_FROM_CPUSVN) ? TDREPORT_OFF_CPUSVN : TDREPORT_OFF_TEE_TCB_SVN), 16);
	memcpy(b + 16, tdreport + TDREPORT_OFF_MRSEAM, 48);
	memcpy(b + 64, tdreport + (TM_FAULT(d, TDX_QUOTE_MRSIGNERSEAM_FROM_MRSEAM) ? TDREPORT_OFF_MRSEAM : TDREPORT_OFF_MRSIGNERSEAM), 48);
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
	/* tdx-qe-report-cpusvn-wrong: the QE report body filled from the TD's TEE_TCB_SVN
	 * instead of the platform CPUSVN */
	memcpy(qe + 0, tdreport + (TM_FAULT(d, TDX_QE_REPORT_CPUSVN_WRONG) ? TDREPORT_OFF_TEE_TCB_SVN : TDREPORT_OFF_CPUSVN), 16);
	memcpy(qe + 48, qe_attributes, 16);
	if (TM_FAULT(d, TDX_QE_REPORT_DEBUG_ATTRIBUTE)) /* a debug build of the TD-QE: ATTRIBUTES.DEBUG (bit 1) */
		qe[48] |= 0x02;
	memcpy(qe + 64, p->qe_mrenclave, 32);
	memcpy(qe + 128, qe_mrsigner, 32);
	le16(qe + 256, QE_ISV_PROD_ID);
	if (TM_FAULT(d, TDX_QE_REPORT_ISVPRODID_BIG_ENDIAN)) { /* one u16 of the report body in network order */
		qe[256] = 0;
		qe[257] = QE_ISV_PROD_ID;
	}
	le16(qe + 258, QE_ISV_SVN);
	uint8_t *auth = c + 384 + 64 + 2;
	for (int i = 0; i < QE_AUTH_LEN; i++)
		auth[i] = (uint8_t)i;
	/* tdx-qe-report-signed-before-binding: the QE signs its report before it writes the
	 * attestation-key binding into report_data (the binding is right, the signature covers
	 * a report with report_data zero) */
	bool sign_early = TM_FAULT(d, TDX_QE_REPORT_SIGNED_BEFORE_BINDING);
	if (sign_early && (d->fast_sign ? tm_fast_sign(qe, 384, 32, c + 384, c + 416) : sign_rs(p->pck_key, qe, 384, c + 384)))
		goto fail;
	if (sha256(p->ak_xy, 64, auth, QE_AUTH_LEN, qe + 320)) /* report_data[32..64) stays 0 */
		goto fail;
	if (!sign_early && (d->fast_sign ? tm_fast_sign(qe, 384, 32, c + 384, c + 416) : sign_rs(p->pck_key, qe, 384, c + 384)))
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

/* ------------------------------------------------------------------ collateral */

static char *iso_time(time_t t, char out[32])
{
	struct tm tmv;

	gmtime_r(&t, &tmv);
	strftime(out, 32, "%Y-%m-%dT%H:%M:%SZ", &tmv);
	return out;
}

static json_object *jhex(const uint8_t *b, size_t n)
{
	char h[2 * 32 + 1];

	hexs(h, b, n < 32 ? n : 32);
	return json_object_new_string(h);
}

/* The text of body (consumed) into *text and its signature by the TCB signing key over
 * exactly that text, r||s hex, into *sig (Intel PCS's signed JSON documents). 0 or -1. */
static int signed_json(json_object *body, EVP_PKEY *key, char **text, char **sig)
{
	const char *t = json_object_to_json_string_ext(body, JSON_C_TO_STRING_PLAIN);
	uint8_t rs[64];
	int rc = -1;

	if (t && !sign_rs(key, (const uint8_t *)t, strlen(t), rs) && (*text = strdup(t)) && (*sig = malloc(129))) {
		hexs(*sig, rs, 64);
		rc = 0;
	}
	json_object_put(body);
	return rc;
}

static json_object *tcb_level(json_object *tcb, const char *date)
{
	json_object *l = json_object_new_object();

	json_object_object_add(l, "tcb", tcb);
	json_object_object_add(l, "tcbDate", json_object_new_string(date));
	json_object_object_add(l, "tcbStatus", json_object_new_string("UpToDate"));
	return l;
}

static json_object *svn_components(const uint8_t *svn)
{
	json_object *a = json_object_new_array();

	for (int i = 0; i < 16; i++) {
		json_object *c = json_object_new_object();
		json_object_object_add(c, "svn", json_object_new_int(svn[i]));
		json_object_array_add(a, c);
	}
	return a;
}

/* TCB Info v3 (id TDX) with one level: the platform as it is, UpToDate */
static int tcb_info(struct tm_dev *d, time_t now, EVP_PKEY *key, struct tm_tdx_collateral *c)
{
	char t0[32], t1[32];
	json_object *o = json_object_new_object(), *tcb = json_object_new_object(), *levels = json_object_new_array();
	json_object *tdxmod = json_object_new_object();
	uint8_t mrsigner[48] = { 0 };
	char h[97];

	json_object_object_add(o, "id", json_object_new_string("TDX"));
	json_object_object_add(o, "version", json_object_new_int(3));
	json_object_object_add(o, "issueDate", json_object_new_string(iso_time(now - 3600, t0)));
	json_object_object_add(o, "nextUpdate", json_object_new_string(iso_time(now + 30L * 86400, t1)));
	json_object_object_add(o, "fmspc", jhex(pck_fmspc, 6));
	json_object_object_add(o, "pceId", json_object_new_string("0000"));
	json_object_object_add(o, "tcbType", json_object_new_int(0));
	json_object_object_add(o, "tcbEvaluationDataNumber", json_object_new_int(17));
	hexs(h, mrsigner, 48);
	json_object_object_add(tdxmod, "mrsigner", json_object_new_string(h));
	json_object_object_add(tdxmod, "attributes", json_object_new_string("0000000000000000"));
	json_object_object_add(tdxmod, "attributesMask", json_object_new_string("FFFFFFFFFFFFFFFF"));
	json_object_object_add(o, "tdxModule", tdxmod);
	json_object_object_add(tcb, "sgxtcbcomponents", svn_components(tm_tdx_cpusvn(d)));
	json_object_object_add(tcb, "pcesvn", json_object_new_int(PCE_SVN));
	json_object_object_add(tcb, "tdxtcbcomponents", svn_components(tm_tdx_tee_tcb_svn(d)));
	json_object_array_add(levels, tcb_level(tcb, t0));
	json_object_object_add(o, "tcbLevels", levels);
	return signed_json(o, key, &c->tcb_info, &c->tcb_info_sig);
}

/* QE Identity v2 (id TD_QE): the simulated QE's MRSIGNER, ISVPRODID, attributes */
static int qe_identity(time_t now, EVP_PKEY *key, struct tm_tdx_collateral *c)
{
	char t0[32], t1[32], h[65];
	json_object *o = json_object_new_object(), *tcb = json_object_new_object(), *levels = json_object_new_array();

	json_object_object_add(o, "id", json_object_new_string("TD_QE"));
	json_object_object_add(o, "version", json_object_new_int(2));
	json_object_object_add(o, "issueDate", json_object_new_string(iso_time(now - 3600, t0)));
	json_object_object_add(o, "nextUpdate", json_object_new_string(iso_time(now + 30L * 86400, t1)));
	json_object_object_add(o, "tcbEvaluationDataNumber", json_object_new_int(17));
	json_object_object_add(o, "miscselect", json_object_new_string("00000000"));
	json_object_object_add(o, "miscselectMask", json_object_new_string("FFFFFFFF"));
	hexs(h, qe_attributes, 16);
	json_object_object_add(o, "attributes", json_object_new_string(h));
	json_object_object_add(o, "attributesMask", json_object_new_string("FBFFFFFFFFFFFFFF0000000000000000"));
	hexs(h, qe_mrsigner, 32);
	json_object_object_add(o, "mrsigner", json_object_new_string(h));
	json_object_object_add(o, "isvprodid", json_object_new_int(QE_ISV_PROD_ID));
	json_object_object_add(tcb, "isvsvn", json_object_new_int(QE_ISV_SVN));
	json_object_array_add(levels, tcb_level(tcb, t0));
	json_object_object_add(o, "tcbLevels", levels);
	return signed_json(o, key, &c->qe_identity, &c->qe_identity_sig);
}

static char *pem_of(const char *a, const char *b)
{
	char *s = NULL;

	return asprintf(&s, "%s%s", a, b) < 0 ? NULL : s;
}

void tm_tdx_collateral_free(struct tm_tdx_collateral *c)
{
	free(c->tcb_info);
	free(c->tcb_info_sig);
	free(c->qe_identity);
	free(c->qe_identity_sig);
	free(c->tcb_issuer_chain);
	free(c->pck_crl_issuer_chain);
	free(c->root_ca_crl);
	free(c->pck_crl);
	memset(c, 0, sizeof(*c));
}

int tm_tdx_collateral(struct tm_dev *d, time_t now, struct tm_tdx_collateral *c)
{
	EVP_PKEY *key = tm_pem_key(tm_pem_tdx_tcb_signing_key);
	int rc = -EIO;

	memset(c, 0, sizeof(*c));
	TM_LOCK(d);
	if (key && d->pki_tdx && !tcb_info(d, now, key, c) && !qe_identity(now, key, c) &&
	    (c->tcb_issuer_chain = pem_of(tm_pem_tdx_tcb_signing, tm_pem_tdx_root)) &&
	    (c->pck_crl_issuer_chain = pem_of(tm_pem_tdx_platform_ca, tm_pem_tdx_root)) &&
	    !tm_crl_make(d->pki_tdx->root, tm_pem_tdx_root_key, EVP_sha256(), now, 30, &c->root_ca_crl, &c->root_ca_crl_len) &&
	    !tm_crl_make(d->pki_tdx->inter, tm_pem_tdx_platform_ca_key, EVP_sha256(), now, 30, &c->pck_crl, &c->pck_crl_len))
		rc = 0;
	TM_UNLOCK(d);
	EVP_PKEY_free(key);
	ERR_clear_error();
	if (rc)
		tm_tdx_collateral_free(c);
	return rc;
}
