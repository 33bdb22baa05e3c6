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
#include <errno.h>
#include <limits.h>
#include <pthread.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <json-c/json.h>
#include <openssl/bio.h>
#include <openssl/err.h>
#include <openssl/evp.h>
#include <openssl/pem.h>
#include <openssl/x509.h>
#include <openssl/x509_vfy.h>
#include <openssl/x509v3.h>
#include "genuine_roots.h"
#include "keycache.h"
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

/* "YYYY-MM-DD HH:MM:SS" of an ASN1_TIME (or "?") */
static void asn1_time_str(const ASN1_TIME *a, char out[24])
{
	struct tm tm;

	if (!a || ASN1_TIME_to_tm(a, &tm) != 1 || !strftime(out, 24, "%Y-%m-%d %H:%M:%S", &tm))
		snprintf(out, 24, "?");
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
	asn1_time_str(X509_get0_notBefore(x), c->not_before);
	asn1_time_str(X509_get0_notAfter(x), c->not_after);
}

static void record(struct teeabi_genuineness *g, X509 *x)
{
	if (x && g->ncerts < TEEABI_CHAIN_MAX)
		describe(x, &g->certs[g->ncerts++]);
}

/* The certificates of PEM text: as many as read one after the other */
static STACK_OF(X509) *pem_certs(const uint8_t *p, size_t n)
{
	STACK_OF(X509) *st = sk_X509_new_null();
	BIO *b = st && n <= INT_MAX ? BIO_new_mem_buf(p, (int)n) : NULL;

	for (X509 *x; b && (x = PEM_read_bio_X509(b, NULL, NULL, NULL));)
		if (!sk_X509_push(st, x))
			X509_free(x);
	BIO_free(b);
	ERR_clear_error();
	return st;
}

/* One DER certificate, or else the first of PEM text; NULL when none */
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

/* any_cert as a stack of none or one (a certcache loader) */
static STACK_OF(X509) *any_cert_stack(const uint8_t *p, size_t n)
{
	STACK_OF(X509) *st = sk_X509_new_null();
	X509 *x = st ? any_cert(p, n) : NULL;

	if (x && !sk_X509_push(st, x))
		X509_free(x);
	ERR_clear_error();
	return st;
}

/* Every certificate of a PEM buffer, or the one DER certificate (a certcache loader) */
static STACK_OF(X509) *user_certs_load(const uint8_t *p, size_t n)
{
	return p[0] == 0x30 ? any_cert_stack(p, n) : pem_certs(p, n);
}

/* The first certificate of a cached decode (keycache.c) of p[0..n) by load, a reference
 * of the caller's own; NULL when none. Every decode below goes through the cache: the same
 * bytes are decoded once, the embedded roots once per process. */
static X509 *cached_cert(const uint8_t *p, size_t n, teeabi_certs_loader load)
{
	STACK_OF(X509) *st = teeabi_certcache_get(p, n, load);
	X509 *x = sk_X509_num(st) > 0 ? sk_X509_value(st, 0) : NULL;

	if (x && X509_up_ref(x) != 1)
		x = NULL;
	sk_X509_pop_free(st, X509_free);
	return x;
}

/* The embedded roots, each parsed once per process (never freed) */
#define NROOTS (sizeof(genuine_roots) / sizeof(genuine_roots[0]))
static X509 *root_x509[NROOTS];
static pthread_once_t roots_once = PTHREAD_ONCE_INIT;

static X509 *pem_first(const char *pem)
{
	BIO *b = BIO_new_mem_buf(pem, -1);
	X509 *x = b ? PEM_read_bio_X509(b, NULL, NULL, NULL) : NULL;

	BIO_free(b);
	ERR_clear_error();
	return x;
}

static void roots_init(void)
{
	for (size_t i = 0; i < NROOTS; i++)
		root_x509[i] = pem_first(genuine_roots[i].pem);
}

/* A reference to the embedded root r (parsed anew when the caches are off: tests) */
static X509 *root_cert(const struct root *r)
{
	size_t i = (size_t)(r - genuine_roots);

	if (!teeabi_cache_enabled())
		return pem_first(r->pem);
	pthread_once(&roots_once, roots_init);
	return root_x509[i] && X509_up_ref(root_x509[i]) == 1 ? root_x509[i] : NULL;
}

static X509 *cert_of(const uint8_t *p, size_t n)
{
	return p && n ? cached_cert(p, n, any_cert_stack) : NULL;
}

/* Every certificate of a PEM buffer, or the one DER certificate; NULL when none */
static STACK_OF(X509) *user_certs(const uint8_t *p, size_t n)
{
	return p && n && n <= INT_MAX ? teeabi_certcache_get(p, n, user_certs_load) : NULL;
}

/* A new reference to x (the certificates are never changed, so they are shared) */
static X509 *cert_ref(X509 *x)
{
	return x && X509_up_ref(x) == 1 ? x : NULL;
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

/* The product a teeabi test ARK is for (teeabi_test_root_sha256[1..3]: Milan, Genoa, Turin,
 * in enum teeabi_snp_gen order), or TEEABI_SNP_GEN_UNKNOWN */
static enum teeabi_snp_gen test_ark_gen(X509 *x)
{
	char fp[65];

	fingerprint(x, fp);
	for (int i = TEEABI_SNP_GEN_MILAN; i <= TEEABI_SNP_GEN_TURIN; i++)
		if (!strcmp(fp, teeabi_test_root_sha256[i]))
			return (enum teeabi_snp_gen)i;
	return TEEABI_SNP_GEN_UNKNOWN;
}

static void time_str(time_t t, char out[24])
{
	struct tm tm;

	if (!gmtime_r(&t, &tm) || !strftime(out, 24, "%Y-%m-%d %H:%M:%S", &tm))
		snprintf(out, 24, "?");
}

int teeabi_genuine_parse_time(const char *s, time_t *t)
{
	char g[16], *end;
	ASN1_TIME *a;
	struct tm tm;
	size_t n = 0, l;
	int ok;

	if (!s || !t)
		return -1;
	if (s[0] == '@') {
		errno = 0;
		long long v = strtoll(s + 1, &end, 10);
		if (!s[1] || *end || errno || v <= 0 || (long long)(time_t)v != v)
			return -1;
		*t = (time_t)v;
		return 0;
	}
	/* YYYY-MM-DD[THH:MM:SSZ] -> GeneralizedTime YYYYMMDDHHMMSSZ, checked by OpenSSL */
	l = strlen(s);
	if (l != 10 && l != 20)
		return -1;
	for (size_t i = 0; i < l; i++) {
		char c = s[i];
		char sep = i == 4 || i == 7 ? '-' : i == 10 ? 'T' : i == 13 || i == 16 ? ':' : i == 19 ? 'Z' : 0;
		if (sep) {
			if (c != sep)
				return -1;
			continue;
		}
		if (c < '0' || c > '9')
			return -1;
		g[n++] = c;
	}
	while (n < 14)
		g[n++] = '0';
	g[n++] = 'Z';
	g[n] = 0;
	if (!(a = ASN1_TIME_new()))
		return -1;
	ok = ASN1_TIME_set_string_X509(a, g) == 1 && ASN1_TIME_to_tm(a, &tm) == 1;
	ASN1_TIME_free(a);
	ERR_clear_error();
	if (!ok)
		return -1;
	*t = timegm(&tm);
	return *t == (time_t)-1 ? -1 : 0;
}

/* The caller's CRLs: each slice one DER CRL or PEM text with any number; NULL when none.
 * *bad: how many slices hold no CRL. */
static STACK_OF(X509_CRL) *load_crls(const struct teeabi_genuine_opts *o, int *bad)
{
	STACK_OF(X509_CRL) *st;

	*bad = 0;
	if (!o || !o->ncrls || !o->crls || !(st = sk_X509_CRL_new_null()))
		return NULL;
	for (size_t i = 0; i < o->ncrls; i++) {
		const uint8_t *p = o->crls[i].p;
		size_t n = o->crls[i].len;
		int before = sk_X509_CRL_num(st);
		X509_CRL *c;
		if (p && n && n <= INT_MAX && p[0] == 0x30) {
			const unsigned char *q = p;
			if ((c = d2i_X509_CRL(NULL, &q, (long)n)) && !sk_X509_CRL_push(st, c))
				X509_CRL_free(c);
		} else if (p && n && n <= INT_MAX) {
			BIO *b = BIO_new_mem_buf(p, (int)n);
			while (b && (c = PEM_read_bio_X509_CRL(b, NULL, NULL, NULL)))
				if (!sk_X509_CRL_push(st, c))
					X509_CRL_free(c);
			BIO_free(b);
		}
		if (sk_X509_CRL_num(st) == before)
			(*bad)++;
	}
	ERR_clear_error();
	return st;
}

/* What the verification met besides a broken chain (the callback lets these pass, so that a
 * chain that is sound but out of date or revoked is told apart from a forged one) */
struct vfy {
	int time_err, revoked, crl_err, crl_bad; /* the first of each kind: X509_V_ERR_ code, 0 none */
	char time_cert[128], rev_cert[128], crl_cert[128], bad_cert[128];
	unsigned no_crl;                  /* depths whose issuer has no CRL among those given */
};

static void vfy_note(X509_STORE_CTX *ctx, int *slot, char cert[128], int e)
{
	X509 *x = X509_STORE_CTX_get_current_cert(ctx);

	if (*slot)
		return;
	*slot = e;
	cert[0] = 0;
	/* "CN=<name>" (the vendors' CNs say which certificate it is), else the whole subject */
	if (x && X509_NAME_get_text_by_NID(X509_get_subject_name(x), NID_commonName, cert + 3, 125) > 0)
		memcpy(cert, "CN=", 3);
	else if (x)
		X509_NAME_oneline(X509_get_subject_name(x), cert, 128);
	ERR_clear_error();
}

static int vfy_cb(int ok, X509_STORE_CTX *ctx)
{
	struct vfy *v = X509_STORE_CTX_get_app_data(ctx);
	int e = X509_STORE_CTX_get_error(ctx), depth = X509_STORE_CTX_get_error_depth(ctx);

	if (ok || !v)
		return ok;
	switch (e) {
	case X509_V_ERR_UNABLE_TO_GET_CRL: /* no CRL of this certificate's issuer was given */
		if (depth >= 0 && depth < 32)
			v->no_crl |= 1u << depth;
		return 1;
	case X509_V_ERR_CERT_HAS_EXPIRED:
	case X509_V_ERR_CERT_NOT_YET_VALID:
		vfy_note(ctx, &v->time_err, v->time_cert, e);
		return 1;
	case X509_V_ERR_CERT_REVOKED:
		vfy_note(ctx, &v->revoked, v->rev_cert, e);
		return 1;
	case X509_V_ERR_CRL_HAS_EXPIRED: /* stale: its entries still prove a revocation */
	case X509_V_ERR_CRL_NOT_YET_VALID:
		vfy_note(ctx, &v->crl_err, v->crl_cert, e);
		return 1;
	case X509_V_ERR_CRL_SIGNATURE_FAILURE: /* not its issuer's: nothing it says counts */
	case X509_V_ERR_UNABLE_TO_DECRYPT_CRL_SIGNATURE:
	case X509_V_ERR_ERROR_IN_CRL_LAST_UPDATE_FIELD:
	case X509_V_ERR_ERROR_IN_CRL_NEXT_UPDATE_FIELD:
	case X509_V_ERR_KEYUSAGE_NO_CRL_SIGN:
	case X509_V_ERR_UNABLE_TO_GET_CRL_ISSUER:
	case X509_V_ERR_DIFFERENT_CRL_SCOPE:
		vfy_note(ctx, &v->crl_bad, v->bad_cert, e);
		return 1;
	default:
		return 0;
	}
}

/* Verify leaf up to anchor with the intermediates, at the options' time (default now),
 * against their CRLs. 0: the chain verifies, every certificate is in date and none revoked;
 * -1: the chain does not verify (err: OpenSSL's reason); 1: it verifies but a certificate is
 * expired, not yet valid or revoked (why says which); 2: a given CRL cannot be used (why):
 * one not signed by its issuer (then no revocation it lists counts), or one out of date that
 * revokes nothing of the chain.
 * Fills g's validity dates, checked_at and revocation_checked. */
static int chain_ok(X509 *leaf, STACK_OF(X509) *inter, X509 *anchor, const struct teeabi_genuine_opts *o,
		    struct teeabi_genuineness *g, char *why, size_t whylen, const char **err)
{
	X509_STORE *st = X509_STORE_new();
	X509_STORE_CTX *ctx = X509_STORE_CTX_new();
	struct vfy v;
	time_t at = o && o->at ? o->at : time(NULL);
	int bad_crls = 0, rc = -1;
	STACK_OF(X509_CRL) *crls = load_crls(o, &bad_crls);

	memset(&v, 0, sizeof(v));
	*err = "out of memory";
	why[0] = 0;
	time_str(at, g->checked_at);
	if (bad_crls) {
		snprintf(why, whylen, "%d of the given CRL files hold no CRL", bad_crls);
		rc = 2;
	} else if (st && ctx && X509_STORE_add_cert(st, anchor) == 1 && X509_STORE_CTX_init(ctx, st, leaf, inter) == 1 &&
		   X509_STORE_CTX_set_app_data(ctx, &v) == 1) {
		X509_STORE_CTX_set_verify_cb(ctx, vfy_cb);
		X509_VERIFY_PARAM_set_time(X509_STORE_CTX_get0_param(ctx), at);
		if (crls) {
			X509_STORE_CTX_set0_crls(ctx, crls);
			X509_STORE_CTX_set_flags(ctx, X509_V_FLAG_CRL_CHECK | X509_V_FLAG_CRL_CHECK_ALL);
		}
		if (X509_verify_cert(ctx) == 1) {
			STACK_OF(X509) *ch = X509_STORE_CTX_get0_chain(ctx);
			for (int i = 0; crls && ch && i < sk_X509_num(ch) && i < 32; i++)
				g->revocation_checked += !(v.no_crl & (1u << i));
			rc = 0;
			if (v.crl_bad) {
				snprintf(why, whylen, "the CRL for %.100s: %s", v.bad_cert, X509_verify_cert_error_string(v.crl_bad));
				rc = 2;
			} else if (v.revoked) {
				snprintf(why, whylen, "certificate %.100s is revoked by a given CRL", v.rev_cert);
				rc = 1;
			} else if (v.time_err) {
				snprintf(why, whylen, "certificate %.100s %s at %s UTC", v.time_cert,
					 v.time_err == X509_V_ERR_CERT_HAS_EXPIRED ? "has expired" : "is not yet valid", g->checked_at);
				rc = 1;
			} else if (v.crl_err) {
				snprintf(why, whylen, "the CRL for %.100s: %s", v.crl_cert, X509_verify_cert_error_string(v.crl_err));
				rc = 2;
			}
		}
		*err = X509_verify_cert_error_string(X509_STORE_CTX_get_error(ctx));
	}
	X509_STORE_CTX_free(ctx);
	X509_STORE_free(st);
	sk_X509_CRL_pop_free(crls, X509_CRL_free);
	ERR_clear_error();
	return rc;
}

/* The verdict when chain_ok said 1 or 2; true when it said 0 (the checks go on) */
static bool chain_dated(struct teeabi_genuineness *g, int rc, const char *why)
{
	if (rc == 1)
		verdict(g, TEEABI_NOT_GENUINE, "the chain verifies but %s%s", why, g->root == TEEABI_ROOT_TEST ? " (teeabi TEST PKI)" : "");
	else if (rc == 2)
		verdict(g, TEEABI_NOT_CHECKABLE, "revocation cannot be checked: %s", why);
	return rc == 0;
}

/* The root's verdict once the chain verified to the anchor of that kind */
static void chain_verdict(struct teeabi_genuineness *g, const char *what)
{
	char rev[96] = "";

	if (g->revocation_checked)
		snprintf(rev, sizeof(rev), "; %d certificate(s) checked against the given CRLs, none revoked", g->revocation_checked);
	if (g->root == TEEABI_ROOT_GENUINE_VENDOR)
		verdict(g, TEEABI_GENUINE, "%s%s", what, rev);
	else
		verdict(g, TEEABI_TEST_PKI, "%s%s; the chain ends in the teeabi TEST PKI (a mock), not a vendor root", what, rev);
}

/* ------------------------------------------------------------------ TDX */

void teeabi_tdx_quote_genuine(const uint8_t *quote, size_t len, struct teeabi_genuineness *g)
{
	teeabi_tdx_quote_genuine_opts(quote, len, NULL, g);
}

void teeabi_tdx_quote_genuine_opts(const uint8_t *quote, size_t len, const struct teeabi_genuine_opts *o,
				   struct teeabi_genuineness *g)
{
	struct teeabi_tdx_quote q;
	STACK_OF(X509) *chain = NULL;
	X509 *anchor = NULL;
	const char *err;
	char why[224];
	int dated = -1;
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
	chain = q.inner_cert.len ? teeabi_certcache_get(q.inner_cert.p, q.inner_cert.len, pem_certs) : NULL;
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
	anchor = r ? root_cert(r) : cert_ref(top);
	if (!anchor || (dated = chain_ok(leaf, chain, anchor, o, g, why, sizeof(why), &err)) < 0) {
		verdict(g, TEEABI_NOT_GENUINE, "the PCK chain does not verify: %s", anchor ? err : "no anchor");
		goto out;
	}
	if ((e = teeabi_tdx_quote_verify_qe_report_sig(&q)) != TEEABI_OK ||
	    (e = teeabi_tdx_quote_verify_qe_binding(&q)) != TEEABI_OK ||
	    (e = teeabi_tdx_quote_verify_signature(quote, &q)) != TEEABI_OK) {
		verdict(g, TEEABI_NOT_GENUINE, "the chain verifies but the quote is not signed by it (%s)", teeabi_err_name(e));
		goto out;
	}
	if (chain_dated(g, dated, why))
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
	/* the layout the report is decoded in (CPUID family 0x1A and later; without a CPUID, a
	 * CHIP_ID of 8 significant bytes): fmcSPL and an 8-byte hwID go with it */
	bool turin = t->turin;

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
	teeabi_snp_report_genuine_opts(report, len, certs, certs_len, vcek, vcek_len, NULL, g);
}

void teeabi_snp_report_genuine_opts(const uint8_t *report, size_t len, const uint8_t *certs, size_t certs_len,
				    const uint8_t *vcek, size_t vcek_len, const struct teeabi_genuine_opts *o,
				    struct teeabi_genuineness *g)
{
	char why[224];
	int dated;
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
		leaf = cert_of(lp->p, lp->len);
	else if (u_leaf)
		leaf = cert_ref(u_leaf);
	if (!leaf) {
		verdict(g, TEEABI_NOT_CHECKABLE, "no %s certificate: give the extended report's certificate table, the auxblob or the VCEK",
			r.signer.signing_key ? "VLEK" : "VCEK");
		goto out;
	}
	if (ap)
		ask = cert_of(ap->p, ap->len);
	else if (u_ask)
		ask = cert_ref(u_ask);
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
		ark = cert_of(rp->p, rp->len);
	else if (u_ark)
		ark = cert_ref(u_ark);
	const struct root *gr = snp_root_for(r.gen);
	if (ark) {
		record(g, ark);
		classify(ark, g);
	}
	if (ark && g->root == TEEABI_ROOT_TEST) {
		/* A v3+ report names its product in CPUID_FAM_ID/MOD_ID (formats.md §4.2): the
		 * test ARK must be that product's, as the embedded ARK below is chosen by it. */
		if (r.version >= 3 && r.cpuid_fam != 0 && test_ark_gen(ark) != r.gen) {
			verdict(g, TEEABI_NOT_GENUINE, "the report's CPUID (%02x %02x %02x) names another product than the chain's ARK (%s)",
				r.cpuid_fam, r.cpuid_mod, r.cpuid_step, g->root_name);
			goto out;
		}
		anchor = cert_ref(ark);
	} else if (gr) {
		anchor = root_cert(gr);
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
	if ((dated = chain_ok(leaf, inter, anchor, o, g, why, sizeof(why), &err)) < 0) {
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
	if (chain_dated(g, dated, why))
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
static void dstack_genuine(const uint8_t *buf, size_t len, const struct teeabi_genuine_opts *o, struct teeabi_genuineness *g)
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
		teeabi_tdx_quote_genuine_opts(a.payload.p, a.payload.len, o, g);
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
		teeabi_snp_report_genuine_opts(a.payload.p, a.payload.len, NULL, 0, pem, pl, o, g);
	} else {
		verdict(g, TEEABI_NOT_CHECKABLE, "dstack attestation variant %u carries no TDX quote or SNP report", a.variant);
	}
	free(pem);
	free(owned);
}

void teeabi_evidence_genuine(const uint8_t *buf, size_t len, const uint8_t *certs, size_t certs_len,
			     const uint8_t *user, size_t user_len, struct teeabi_genuineness *g)
{
	teeabi_evidence_genuine_opts(buf, len, certs, certs_len, user, user_len, NULL, g);
}

void teeabi_evidence_genuine_opts(const uint8_t *buf, size_t len, const uint8_t *certs, size_t certs_len,
				  const uint8_t *user, size_t user_len, const struct teeabi_genuine_opts *o,
				  struct teeabi_genuineness *g)
{
	switch (teeabi_detect(buf, len)) {
	case TEEABI_FMT_DSTACK_ATTESTATION:
		dstack_genuine(buf, len, o, g);
		return;
	case TEEABI_FMT_DSTACK_QUOTE_JSON: {
		uint8_t *q;
		size_t n;
		dstack_bytes(buf, len, "quote", &q, &n);
		if (q) {
			teeabi_tdx_quote_genuine_opts(q, n, o, g);
			free(q);
			return;
		}
		break;
	}
	case TEEABI_FMT_TDX_QUOTE:
		teeabi_tdx_quote_genuine_opts(buf, len, o, g);
		return;
	case TEEABI_FMT_SNP_REPORT:
		teeabi_snp_report_genuine_opts(buf, len, certs, certs_len, user, user_len, o, g);
		return;
	case TEEABI_FMT_SNP_MSG_REPORT_RSP:
		if (len >= TEEABI_SNP_MSG_REPORT_RSP_HDR + SNP_REPORT_LEN) {
			teeabi_snp_report_genuine_opts(buf + TEEABI_SNP_MSG_REPORT_RSP_HDR, SNP_REPORT_LEN, certs, certs_len, user,
						       user_len, o, g);
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
		fprintf(out, "  [%d] %s (%s) sha256 %s valid %s to %s UTC\n", i, g->certs[i].subject, g->certs[i].key,
			g->certs[i].sha256, g->certs[i].not_before, g->certs[i].not_after);
	if (g->ncerts)
		fprintf(out, "%s: ends in: %s%s%s\n", name, kind[g->root], g->root == TEEABI_ROOT_UNKNOWN ? "" : " ",
			g->root == TEEABI_ROOT_UNKNOWN ? "" : g->root_name);
	if (g->checked_at[0])
		fprintf(out, "%s: checked at %s UTC, %d certificate(s) against CRLs\n", name, g->checked_at, g->revocation_checked);
	fprintf(out, "%s: genuineness: %s (%s)\n", name, teeabi_genuine_name(g->verdict), g->reason);
}
