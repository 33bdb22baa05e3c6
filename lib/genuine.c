/* SPDX-License-Identifier: Apache-2.0 */
/*
 * genuine.c - offline genuineness of TDX quotes and SEV-SNP reports (teeabi/genuine.h).
 *
 * Trusted roots (genuine_roots.c; only public root certificates, no ASK, no PCK CA):
 *   Intel SGX Root CA  sha256 44a0196b2b99f889b8e149e95b807a350e7424964399e885a7cbb8ccfab674d3
 *                      (the root of the PCK chains in vectors/tdx-quote/; the same DER is
 *                      embedded in @phala/dcap-qvl as its trusted root)
 *   AMD ARK-Milan      sha256 69d063b45344d26a2e94e1f4210de49ef555308287d4c174445c95639a540bcd
 *   AMD ARK-Genoa      sha256 4c6598d19c18719c5dfd4a7d335f674e5bfe1d8f800cea2cf270c10d103db2f1
 *   AMD ARK-Turin      sha256 1f084161a44bb6d93778a904877d4819cafa5d05ef4193b2ded9dd9c73dd3f6a
 *                      (microsoft/TEE-Attestation-Verification src/pinned_arks/ @ 220ffb3;
 *                      the Genoa one is also the ARK built into @tinfoilsh/verifier)
 * Known TEST roots (mocks/pki/, scripts/gen-test-pki.sh; suites/unit/test_genuine.c checks
 * these against the committed PEM files): evidence that chains to them is "test PKI".
 */
#include <limits.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <json-c/json.h>
#include <openssl/bio.h>
#include <openssl/err.h>
#include <openssl/evp.h>
#include <openssl/pem.h>
#include <openssl/x509.h>
#include <openssl/x509_vfy.h>
#include <openssl/x509v3.h>
#include "genuine_roots.h"
#include "teeabi/abi.h"
#include "teeabi/bytes.h"
#include "teeabi/detect.h"
#include "teeabi/dstack.h"
#include "teeabi/genuine.h"
#include "teeabi/snp.h"
#include "teeabi/tdx.h"

#define SNP_REPORT_LEN 0x4A0

struct root {
	const char *name, *sha256;
	const char *pem;   /* NULL for a test root (recognised by fingerprint only) */
	enum teeabi_snp_gen gen;
};

static const struct root genuine_roots[] = {
	{ "Intel SGX Root CA", "44a0196b2b99f889b8e149e95b807a350e7424964399e885a7cbb8ccfab674d3", teeabi_pem_intel_sgx_root_ca, TEEABI_SNP_GEN_UNKNOWN },
	{ "AMD ARK-Milan", "69d063b45344d26a2e94e1f4210de49ef555308287d4c174445c95639a540bcd", teeabi_pem_amd_ark_milan, TEEABI_SNP_GEN_MILAN },
	{ "AMD ARK-Genoa", "4c6598d19c18719c5dfd4a7d335f674e5bfe1d8f800cea2cf270c10d103db2f1", teeabi_pem_amd_ark_genoa, TEEABI_SNP_GEN_GENOA },
	{ "AMD ARK-Turin", "1f084161a44bb6d93778a904877d4819cafa5d05ef4193b2ded9dd9c73dd3f6a", teeabi_pem_amd_ark_turin, TEEABI_SNP_GEN_TURIN },
};

const char *const teeabi_test_root_sha256[4] = {
	"42d87215ca22ab6f232a556b5fa7fd50c023208879fc6b7dd46753af9700ef46", /* tdx-root.pem */
	"ddea61ed2f8caccae2cb6e4789a773fd0a6091d8d696ded6407f70db49436c13", /* snp-milan-ark.pem */
	"78afe299b7ccddf77cd0ad351a33ac14e8907dfded94eae8978af98e14fb3ab8", /* snp-genoa-ark.pem */
	"a9ff976821a5fc206db52d7396be1a255313a85115df067f4023bd8153a2d40b", /* snp-turin-ark.pem */
};
static const char *const test_root_names[4] = { "teeabi test Intel SGX Root CA", "teeabi test ARK-Milan",
						"teeabi test ARK-Genoa", "teeabi test ARK-Turin" };

const char *teeabi_genuine_name(enum teeabi_genuine v)
{
	switch (v) {
	case TEEABI_GENUINE: return "genuine";
	case TEEABI_NOT_GENUINE: return "not genuine";
	case TEEABI_NOT_CHECKABLE: return "not checkable";
	case TEEABI_TEST_PKI: return "test PKI";
	}
	return "?";
}

__attribute__((format(printf, 3, 4)))
static void verdict(struct teeabi_genuineness *g, enum teeabi_genuine v, const char *fmt, ...)
{
	va_list ap;

	g->verdict = v;
	va_start(ap, fmt);
	vsnprintf(g->reason, sizeof(g->reason), fmt, ap);
	va_end(ap);
}

static void fingerprint(X509 *x, char out[65])
{
	unsigned char md[32];
	unsigned n = 0;

	out[0] = 0;
	if (X509_digest(x, EVP_sha256(), md, &n) == 1 && n == 32)
		for (int i = 0; i < 32; i++)
			snprintf(out + 2 * i, 3, "%02x", md[i]);
}

static void describe(X509 *x, struct teeabi_chain_cert *c)
{
	EVP_PKEY *k = X509_get0_pubkey(x);
	BIO *b = BIO_new(BIO_s_mem());
	char grp[32] = "";
	size_t gl = 0;
	int n;

	memset(c, 0, sizeof(*c));
	if (b && X509_NAME_print_ex(b, X509_get_subject_name(x), 0, XN_FLAG_RFC2253 & ~ASN1_STRFLGS_ESC_MSB) >= 0 &&
	    (n = BIO_read(b, c->subject, sizeof(c->subject) - 1)) > 0)
		c->subject[n] = 0;
	BIO_free(b);
	if (!k)
		snprintf(c->key, sizeof(c->key), "unknown");
	else if (EVP_PKEY_get_base_id(k) == EVP_PKEY_EC && EVP_PKEY_get_group_name(k, grp, sizeof(grp), &gl) == 1)
		snprintf(c->key, sizeof(c->key), "EC %.20s", !strcmp(grp, "prime256v1") ? "P-256" : !strcmp(grp, "secp384r1") ? "P-384" : grp);
	else if (EVP_PKEY_get_base_id(k) == EVP_PKEY_RSA)
		snprintf(c->key, sizeof(c->key), "RSA-%d", EVP_PKEY_get_bits(k));
	else
		snprintf(c->key, sizeof(c->key), "%.24s", OBJ_nid2sn(EVP_PKEY_get_base_id(k)));
	fingerprint(x, c->sha256);
}

static void record(struct teeabi_genuineness *g, X509 *x)
{
	if (x && g->ncerts < TEEABI_CHAIN_MAX)
		describe(x, &g->certs[g->ncerts++]);
}

static X509 *pem_cert(const char *pem)
{
	BIO *b = BIO_new_mem_buf(pem, -1);
	X509 *x = b ? PEM_read_bio_X509(b, NULL, NULL, NULL) : NULL;

	BIO_free(b);
	return x;
}

static X509 *any_cert(const uint8_t *p, size_t n)
{
	const unsigned char *q = p;
	X509 *x;
	BIO *b;

	if (!p || n == 0 || n > INT_MAX)
		return NULL;
	if ((x = d2i_X509(NULL, &q, (long)n)))
		return x;
	b = BIO_new_mem_buf(p, (int)n);
	x = b ? PEM_read_bio_X509(b, NULL, NULL, NULL) : NULL;
	BIO_free(b);
	return x;
}

/* Every certificate of a PEM buffer, or the one DER certificate; NULL when none */
static STACK_OF(X509) *user_certs(const uint8_t *p, size_t n)
{
	STACK_OF(X509) *st;
	BIO *b;
	X509 *x;

	if (!p || n == 0 || n > INT_MAX || !(st = sk_X509_new_null()))
		return NULL;
	if (p[0] == 0x30) {
		if ((x = any_cert(p, n)) && !sk_X509_push(st, x))
			X509_free(x);
	} else if ((b = BIO_new_mem_buf(p, (int)n))) {
		while ((x = PEM_read_bio_X509(b, NULL, NULL, NULL)))
			if (!sk_X509_push(st, x))
				X509_free(x);
		BIO_free(b);
	}
	ERR_clear_error();
	return st;
}

/* Which root is x (by fingerprint)? Sets g->root, g->root_name; returns the genuine root
 * entry, or NULL. */
static const struct root *classify(X509 *x, struct teeabi_genuineness *g)
{
	char fp[65];

	fingerprint(x, fp);
	for (size_t i = 0; i < sizeof(genuine_roots) / sizeof(genuine_roots[0]); i++)
		if (!strcmp(fp, genuine_roots[i].sha256)) {
			g->root = TEEABI_ROOT_GENUINE_VENDOR;
			snprintf(g->root_name, sizeof(g->root_name), "%s", genuine_roots[i].name);
			return &genuine_roots[i];
		}
	for (int i = 0; i < 4; i++)
		if (!strcmp(fp, teeabi_test_root_sha256[i])) {
			g->root = TEEABI_ROOT_TEST;
			snprintf(g->root_name, sizeof(g->root_name), "%s", test_root_names[i]);
			return NULL;
		}
	g->root = TEEABI_ROOT_UNKNOWN;
	snprintf(g->root_name, sizeof(g->root_name), "unknown");
	return NULL;
}

/* Verify leaf up to anchor with the intermediates; 0 or -1 (err: OpenSSL's reason). */
static int chain_ok(X509 *leaf, STACK_OF(X509) *inter, X509 *anchor, const char **err)
{
	X509_STORE *st = X509_STORE_new();
	X509_STORE_CTX *ctx = X509_STORE_CTX_new();
	int ok = 0;

	*err = "out of memory";
	if (st && ctx && X509_STORE_add_cert(st, anchor) == 1 && X509_STORE_CTX_init(ctx, st, leaf, inter) == 1) {
		X509_STORE_CTX_set_flags(ctx, X509_V_FLAG_NO_CHECK_TIME);
		ok = X509_verify_cert(ctx) == 1;
		*err = X509_verify_cert_error_string(X509_STORE_CTX_get_error(ctx));
	}
	X509_STORE_CTX_free(ctx);
	X509_STORE_free(st);
	ERR_clear_error();
	return ok ? 0 : -1;
}

/* The root's verdict once the chain verified to the anchor of that kind */
static void chain_verdict(struct teeabi_genuineness *g, const char *what)
{
	if (g->root == TEEABI_ROOT_GENUINE_VENDOR)
		verdict(g, TEEABI_GENUINE, "%s", what);
	else
		verdict(g, TEEABI_TEST_PKI, "%s; the chain ends in the teeabi TEST PKI (a mock), not a vendor root", what);
}

/* ------------------------------------------------------------------ TDX */

void teeabi_tdx_quote_genuine(const uint8_t *quote, size_t len, struct teeabi_genuineness *g)
{
	struct teeabi_tdx_quote q;
	STACK_OF(X509) *chain = NULL;
	X509 *anchor = NULL;
	BIO *b = NULL;
	const char *err;
	teeabi_err e;

	memset(g, 0, sizeof(*g));
	if ((e = teeabi_tdx_quote_parse(quote, len, TEEABI_QUOTE_DEFAULT, &q)) != TEEABI_OK) {
		verdict(g, TEEABI_NOT_CHECKABLE, "the quote does not parse (%s)", teeabi_err_name(e));
		return;
	}
	if (q.inner_cert_type != 5) {
		verdict(g, TEEABI_NOT_CHECKABLE,
			       "certification data type %s, not 5: the quote carries no PCK chain (get the PCK certificate from the platform's PCCS)",
			       q.inner_cert_type == 3 ? "3 (encrypted PPID)" : q.inner_cert_type == 4 ? "4 (PCK leaf only)" : "other");
		return;
	}
	chain = sk_X509_new_null();
	b = q.inner_cert.len <= INT_MAX ? BIO_new_mem_buf(q.inner_cert.p, (int)q.inner_cert.len) : NULL;
	for (X509 *x; chain && b && (x = PEM_read_bio_X509(b, NULL, NULL, NULL));)
		if (!sk_X509_push(chain, x))
			X509_free(x);
	ERR_clear_error();
	BIO_free(b);
	int n = chain ? sk_X509_num(chain) : 0;
	if (n < 2) {
		verdict(g, TEEABI_NOT_GENUINE, "the PCK chain in the quote has %s certificate(s), a PCK chain has leaf, CA and root",
			n == 1 ? "1" : "no");
		goto out;
	}
	for (int i = 0; i < n; i++)
		record(g, sk_X509_value(chain, i));
	X509 *top = sk_X509_value(chain, n - 1), *leaf = sk_X509_value(chain, 0);
	const struct root *r = classify(top, g);
	if (g->root == TEEABI_ROOT_UNKNOWN) {
		verdict(g, TEEABI_NOT_GENUINE, "the PCK chain ends in an unknown root (sha256 %s), not the Intel SGX Root CA",
			g->certs[g->ncerts - 1].sha256);
		goto out;
	}
	/* the anchor: the embedded Intel root, or (test PKI) the chain's own top certificate */
	anchor = r ? pem_cert(r->pem) : X509_dup(top);
	if (!anchor || chain_ok(leaf, chain, anchor, &err)) {
		verdict(g, TEEABI_NOT_GENUINE, "the PCK chain does not verify: %s", anchor ? err : "no anchor");
		goto out;
	}
	if ((e = teeabi_tdx_quote_verify_qe_report_sig(&q)) != TEEABI_OK ||
	    (e = teeabi_tdx_quote_verify_qe_binding(&q)) != TEEABI_OK ||
	    (e = teeabi_tdx_quote_verify_signature(quote, &q)) != TEEABI_OK) {
		verdict(g, TEEABI_NOT_GENUINE, "the chain verifies but the quote is not signed by it (%s)", teeabi_err_name(e));
		goto out;
	}
	chain_verdict(g, "PCK chain verifies to the root; QE report signed by the PCK key, attestation key bound, quote signed");
out:
	X509_free(anchor);
	sk_X509_pop_free(chain, X509_free);
}

/* ------------------------------------------------------------------ SNP */

/* An INTEGER-valued AMD extension of x, -1 when absent */
static long amd_int(X509 *x, const char *oid)
{
	ASN1_OBJECT *o = OBJ_txt2obj(oid, 1);
	int i = o ? X509_get_ext_by_OBJ(x, o, -1) : -1;
	long v = -1;

	ASN1_OBJECT_free(o);
	if (i >= 0) {
		const ASN1_OCTET_STRING *d = X509_EXTENSION_get_data(X509_get_ext(x, i));
		const unsigned char *p = ASN1_STRING_get0_data(d);
		ASN1_INTEGER *ai = d2i_ASN1_INTEGER(NULL, &p, ASN1_STRING_length(d));
		if (ai)
			v = ASN1_INTEGER_get(ai);
		ASN1_INTEGER_free(ai);
	}
	ERR_clear_error();
	return v;
}

/* The VCEK/VLEK's TCB SPLs and hwID equal the report's; NULL or what differs */
static const char *leaf_matches(X509 *x, const struct teeabi_snp_report *r)
{
	const struct teeabi_snp_tcb *t = &r->reported_tcb;
	bool turin = r->gen == TEEABI_SNP_GEN_TURIN;

	if (amd_int(x, "1.3.6.1.4.1.3704.1.3.1") != t->bootloader || amd_int(x, "1.3.6.1.4.1.3704.1.3.2") != t->tee ||
	    amd_int(x, "1.3.6.1.4.1.3704.1.3.3") != t->snp || amd_int(x, "1.3.6.1.4.1.3704.1.3.8") != t->microcode ||
	    (turin && amd_int(x, "1.3.6.1.4.1.3704.1.3.9") != t->fmc))
		return "the certificate's TCB SPLs differ from the report's reported_tcb";
	if (r->signer.signing_key == 0) {
		ASN1_OBJECT *o = OBJ_txt2obj("1.3.6.1.4.1.3704.1.4", 1);
		int i = o ? X509_get_ext_by_OBJ(x, o, -1) : -1;
		size_t n = turin ? 8 : 64;
		ASN1_OBJECT_free(o);
		const ASN1_OCTET_STRING *d = i >= 0 ? X509_EXTENSION_get_data(X509_get_ext(x, i)) : NULL;
		if (!d || (size_t)ASN1_STRING_length(d) != n || memcmp(ASN1_STRING_get0_data(d), r->chip_id, n))
			return "the VCEK's hwID differs from the report's CHIP_ID";
	}
	return NULL;
}

static const struct root *snp_root_for(enum teeabi_snp_gen gen)
{
	for (size_t i = 1; i < sizeof(genuine_roots) / sizeof(genuine_roots[0]); i++)
		if (genuine_roots[i].gen == gen)
			return &genuine_roots[i];
	return NULL;
}

void teeabi_snp_report_genuine(const uint8_t *report, size_t len, const uint8_t *certs, size_t certs_len,
			       const uint8_t *vcek, size_t vcek_len, struct teeabi_genuineness *g)
{
	struct teeabi_snp_report r;
	struct teeabi_cert_table t;
	X509 *leaf = NULL, *ask = NULL, *ark = NULL, *anchor = NULL;
	STACK_OF(X509) *inter = NULL, *user = NULL;
	const struct teeabi_slice *lp = NULL, *ap = NULL, *rp = NULL;
	const char *err, *what;
	teeabi_err e;

	memset(g, 0, sizeof(*g));
	if ((e = teeabi_snp_report_parse(report, len, 0, &r)) != TEEABI_OK) {
		verdict(g, TEEABI_NOT_CHECKABLE, "the report does not parse (%s)", teeabi_err_name(e));
		return;
	}
	if (r.signer.signing_key > 1) {
		verdict(g, TEEABI_NOT_GENUINE, "the report says it is not signed by a VCEK or VLEK%s", "");
		return;
	}
	if (certs && certs_len) {
		if ((e = teeabi_snp_cert_table_parse(certs, certs_len, 0, &t)) != TEEABI_OK)
			{
		verdict(g, TEEABI_NOT_GENUINE, "the certificate table does not parse (%s)", teeabi_err_name(e));
		return;
	}
		for (size_t i = 0; i < t.count; i++) {
			enum teeabi_cert_kind k = t.e[i].kind;
			if (k == (r.signer.signing_key ? TEEABI_CERT_VLEK : TEEABI_CERT_VCEK))
				lp = &t.e[i].data;
			else if (k == TEEABI_CERT_ASK)
				ap = &t.e[i].data;
			else if (k == TEEABI_CERT_ARK)
				rp = &t.e[i].data;
		}
	}
	/* the user's certificates (PEM, any order, or one DER): the leaf is the one that is no
	 * CA, the ASK/ASVK the CA that is not self-issued, the ARK the self-issued one */
	user = user_certs(vcek, vcek_len);
	X509 *u_leaf = NULL, *u_ask = NULL, *u_ark = NULL;
	for (int i = 0; user && i < sk_X509_num(user); i++) {
		X509 *x = sk_X509_value(user, i);
		X509 **slot = X509_check_ca(x) == 0 ? &u_leaf : X509_check_issued(x, x) == X509_V_OK ? &u_ark : &u_ask;
		if (!*slot)
			*slot = x;
	}
	ERR_clear_error();
	if (lp)
		leaf = any_cert(lp->p, lp->len);
	else if (u_leaf)
		leaf = X509_dup(u_leaf);
	if (!leaf) {
		verdict(g, TEEABI_NOT_CHECKABLE, "no %s certificate: give the extended report's certificate table, the auxblob or the VCEK",
			r.signer.signing_key ? "VLEK" : "VCEK");
		goto out;
	}
	if (ap)
		ask = any_cert(ap->p, ap->len);
	else if (u_ask)
		ask = X509_dup(u_ask);
	if (!ask) {
		verdict(g, TEEABI_NOT_CHECKABLE, "no %s: the chain to AMD's ARK needs the extended report's certificate table, the auxblob, or the %s in the user's PEM file",
			r.signer.signing_key ? "ASVK" : "ASK", r.signer.signing_key ? "ASVK" : "ASK");
		goto out;
	}
	record(g, leaf);
	record(g, ask);
	/* the anchor: the embedded ARK of the report's product; a test ARK in the table is
	 * recognised by its fingerprint and then anchors the chain as "test PKI" */
	if (rp)
		ark = any_cert(rp->p, rp->len);
	else if (u_ark)
		ark = X509_dup(u_ark);
	const struct root *gr = snp_root_for(r.gen);
	if (ark) {
		record(g, ark);
		classify(ark, g);
	}
	if (ark && g->root == TEEABI_ROOT_TEST) {
		anchor = X509_dup(ark);
	} else if (gr) {
		anchor = pem_cert(gr->pem);
		g->root = TEEABI_ROOT_GENUINE_VENDOR;
		snprintf(g->root_name, sizeof(g->root_name), "%s", gr->name);
		if (!ark)
			record(g, anchor);
	} else {
		verdict(g, TEEABI_NOT_CHECKABLE, "no AMD root is known for the report's product (CPUID)%s", "");
		goto out;
	}
	inter = sk_X509_new_null();
	if (!anchor || !inter || !sk_X509_push(inter, ask)) {
		verdict(g, TEEABI_NOT_CHECKABLE, "out of memory%s", "");
		goto out;
	}
	ask = NULL; /* owned by inter */
	if (chain_ok(leaf, inter, anchor, &err)) {
		verdict(g, TEEABI_NOT_GENUINE, "the chain does not verify to the ARK of the report's product: %s", err);
		goto out;
	}
	unsigned char *der = NULL;
	int dl = i2d_X509(leaf, &der);
	e = dl > 0 ? teeabi_snp_report_verify(report, len, der, (size_t)dl) : TEEABI_E_CERT_PARSE;
	OPENSSL_free(der);
	if (e != TEEABI_OK) {
		verdict(g, TEEABI_NOT_GENUINE, "the chain verifies but the report is not signed by its key (%s)", teeabi_err_name(e));
		goto out;
	}
	if ((what = leaf_matches(leaf, &r))) {
		verdict(g, TEEABI_NOT_GENUINE, "%s", what);
		goto out;
	}
	chain_verdict(g, r.signer.signing_key ? "VLEK chain verifies to the ARK; report signed by the VLEK, TCB matches"
					       : "VCEK chain verifies to the ARK; report signed by the VCEK, TCB and hwID match");
out:
	sk_X509_pop_free(inter, X509_free);
	sk_X509_pop_free(user, X509_free);
	X509_free(leaf);
	X509_free(ask);
	X509_free(ark);
	X509_free(anchor);
}

/* ------------------------------------------------------------------ any evidence */

/* The bytes of a dstack JSON document's hex string member key ({"attestation": hex} of an
 * attestation, {"quote": hex} of a GetQuote response) decoded into a malloc'd *owned; for
 * anything but JSON, buf itself */
static const uint8_t *dstack_bytes(const uint8_t *buf, size_t len, const char *key, uint8_t **owned, size_t *n)
{
	json_tokener *t;
	json_object *o = NULL, *a;
	long m;

	size_t i = 0;

	*owned = NULL;
	*n = len;
	while (i < len && (buf[i] == ' ' || buf[i] == '\t' || buf[i] == '\n' || buf[i] == '\r'))
		i++;
	if (i == len || buf[i] != '{')
		return buf;
	if (len > INT_MAX || !(t = json_tokener_new()))
		return NULL;
	o = json_tokener_parse_ex(t, (const char *)buf, (int)len);
	json_tokener_free(t);
	if (o && json_object_object_get_ex(o, key, &a) && json_object_is_type(a, json_type_string) &&
	    (*owned = malloc((size_t)json_object_get_string_len(a) / 2 + 1)) &&
	    (m = teeabi_unhex(*owned, (size_t)json_object_get_string_len(a) / 2 + 1, json_object_get_string(a),
			      (size_t)json_object_get_string_len(a))) >= 0) {
		*n = (size_t)m;
	} else {
		free(*owned);
		*owned = NULL;
	}
	json_object_put(o);
	return *owned;
}

/* A dstack VersionedAttestation: its TDX quote, or its SNP report with the cert_chain
 * (PEM or DER elements) as the user's certificates */
static void dstack_genuine(const uint8_t *buf, size_t len, struct teeabi_genuineness *g)
{
	uint8_t *owned, *pem = NULL;
	size_t n, pl = 0, off = 0;
	const uint8_t *b = dstack_bytes(buf, len, "attestation", &owned, &n);
	struct teeabi_dstack_att a;
	struct teeabi_slice c;

	memset(g, 0, sizeof(*g));
	if (!b || teeabi_dstack_scale_parse(b, n, 0, &a) != TEEABI_OK) {
		verdict(g, TEEABI_NOT_CHECKABLE, "the dstack attestation does not parse");
	} else if (a.variant == 0) {
		teeabi_tdx_quote_genuine(a.payload.p, a.payload.len, g);
	} else if (a.variant == 3) {
		/* the elements one after the other: PEM text concatenates; a DER one stands alone */
		for (size_t i = 0; i < a.cert_count && teeabi_dstack_scale_next_bytes(a.cert_chain, &off, &c) == TEEABI_OK; i++) {
			uint8_t *np = realloc(pem, pl + c.len + 1);
			if (!np)
				break;
			pem = np;
			memcpy(pem + pl, c.p, c.len);
			pl += c.len;
			pem[pl++] = '\n';
		}
		teeabi_snp_report_genuine(a.payload.p, a.payload.len, NULL, 0, pem, pl, g);
	} else {
		verdict(g, TEEABI_NOT_CHECKABLE, "dstack attestation variant %u carries no TDX quote or SNP report", a.variant);
	}
	free(pem);
	free(owned);
}

void teeabi_evidence_genuine(const uint8_t *buf, size_t len, const uint8_t *certs, size_t certs_len,
			     const uint8_t *user, size_t user_len, struct teeabi_genuineness *g)
{
	switch (teeabi_detect(buf, len)) {
	case TEEABI_FMT_DSTACK_ATTESTATION:
		dstack_genuine(buf, len, g);
		return;
	case TEEABI_FMT_DSTACK_QUOTE_JSON: {
		uint8_t *q;
		size_t n;
		dstack_bytes(buf, len, "quote", &q, &n);
		if (q) {
			teeabi_tdx_quote_genuine(q, n, g);
			free(q);
			return;
		}
		break;
	}
	case TEEABI_FMT_TDX_QUOTE:
		teeabi_tdx_quote_genuine(buf, len, g);
		return;
	case TEEABI_FMT_SNP_REPORT:
		teeabi_snp_report_genuine(buf, len, certs, certs_len, user, user_len, g);
		return;
	case TEEABI_FMT_SNP_MSG_REPORT_RSP:
		if (len >= TEEABI_SNP_MSG_REPORT_RSP_HDR + SNP_REPORT_LEN) {
			teeabi_snp_report_genuine(buf + TEEABI_SNP_MSG_REPORT_RSP_HDR, SNP_REPORT_LEN, certs, certs_len, user,
						  user_len, g);
			return;
		}
		break;
	default:
		break;
	}
	memset(g, 0, sizeof(*g));
	verdict(g, TEEABI_NOT_CHECKABLE, "%s is not evidence with a certificate chain (TDX quote, SNP report)",
		teeabi_format_name(teeabi_detect(buf, len)));
}

void teeabi_genuine_print(FILE *out, const char *name, const struct teeabi_genuineness *g)
{
	static const char *const kind[] = { "unknown root", "genuine root", "test root" };

	if (g->ncerts)
		fprintf(out, "%s: chain (leaf first):\n", name);
	for (int i = 0; i < g->ncerts; i++)
		fprintf(out, "  [%d] %s (%s) sha256 %s\n", i, g->certs[i].subject, g->certs[i].key, g->certs[i].sha256);
	if (g->ncerts)
		fprintf(out, "%s: ends in: %s%s%s\n", name, kind[g->root], g->root == TEEABI_ROOT_UNKNOWN ? "" : " ",
			g->root == TEEABI_ROOT_UNKNOWN ? "" : g->root_name);
	fprintf(out, "%s: genuineness: %s (%s)\n", name, teeabi_genuine_name(g->verdict), g->reason);
}
