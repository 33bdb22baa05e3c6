/* SPDX-License-Identifier: Apache-2.0 */
/*
 * bench_verify - each signature check of libteeabi against the bare OpenSSL verify of its
 * curve, timed interleaved in one run (tools/bench.h):
 *   quote_sig      teeabi_tdx_quote_verify_signature (P-256 attestation key from 64 raw bytes)
 *   qe_report_sig  teeabi_tdx_quote_verify_qe_report_sig (P-256 PCK leaf of the PEM chain)
 *   snp_report_sig teeabi_snp_report_verify (P-384 VCEK DER), on a report the SNP model signs
 *                  (no real vector ships its VCEK)
 * The bare verify is what `openssl speed ecdsap256/ecdsap384` times: EVP_PKEY_verify with a
 * key and a context prepared once, the message already hashed, the signature already DER.
 * Target: each check within 1.2x of it. Exit 0 all met, 1 one missed or a check failed,
 * 2 usage or setup errors.
 *
 *   bench_verify PROFILE_DIR QUOTE_FILE...
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <openssl/bn.h>
#include <openssl/ec.h>
#include <openssl/evp.h>
#include <openssl/pem.h>
#include <openssl/x509.h>
#include "bench.h"
#include "model.h"
#include "teeabi/profile.h"
#include "teeabi/snp.h"
#include "teeabi/tdx.h"

#define TARGET 1.2
#define BATCH_NS 2e6

/* The bare verify: prepared key and context, hashed message, DER signature. */
struct bare {
	EVP_PKEY_CTX *ctx;
	uint8_t md[48];
	size_t mdlen;
	unsigned char *der;
	int derlen;
	int last;
};

static void do_bare(void *arg)
{
	struct bare *b = arg;
	b->last = EVP_PKEY_verify(b->ctx, b->der, (size_t)b->derlen, b->md, b->mdlen);
}

/* r, s big-endian (TDX) or little-endian (SNP), n bytes each. */
static int bare_init(struct bare *b, EVP_PKEY *key, const EVP_MD *md, const uint8_t *msg, size_t msglen,
		     const uint8_t *r, const uint8_t *s, size_t n, int little)
{
	memset(b, 0, sizeof(*b));
	unsigned mdlen = 0;
	if (EVP_Digest(msg, msglen, b->md, &mdlen, md, NULL) != 1)
		return -1;
	b->mdlen = mdlen;
	ECDSA_SIG *sig = ECDSA_SIG_new();
	BIGNUM *br = little ? BN_lebin2bn(r, (int)n, NULL) : BN_bin2bn(r, (int)n, NULL);
	BIGNUM *bs = little ? BN_lebin2bn(s, (int)n, NULL) : BN_bin2bn(s, (int)n, NULL);
	if (!sig || !br || !bs || ECDSA_SIG_set0(sig, br, bs) != 1)
		return -1;
	b->derlen = i2d_ECDSA_SIG(sig, &b->der);
	ECDSA_SIG_free(sig);
	b->ctx = EVP_PKEY_CTX_new(key, NULL);
	if (b->derlen <= 0 || !b->ctx || EVP_PKEY_verify_init(b->ctx) != 1)
		return -1;
	do_bare(b);
	return b->last == 1 ? 0 : -1;
}

static void bare_free(struct bare *b)
{
	EVP_PKEY_CTX_free(b->ctx);
	OPENSSL_free(b->der);
}

struct tdx_job {
	const uint8_t *buf;
	struct teeabi_tdx_quote q;
	teeabi_err last;
};

static void do_quote_sig(void *arg)
{
	struct tdx_job *j = arg;
	j->last = teeabi_tdx_quote_verify_signature(j->buf, &j->q);
}

static void do_qe_sig(void *arg)
{
	struct tdx_job *j = arg;
	j->last = teeabi_tdx_quote_verify_qe_report_sig(&j->q);
}

struct snp_job {
	const uint8_t *rep, *cert;
	size_t cert_len;
	teeabi_err last;
};

static void do_snp_sig(void *arg)
{
	struct snp_job *j = arg;
	j->last = teeabi_snp_report_verify(j->rep, 0x4A0, j->cert, j->cert_len);
}

static int missed, broken;

static void report(const char *what, const char *name, bench_fn f, void *arg, const teeabi_err *last,
		   struct bare *b)
{
	f(arg);
	if (*last != TEEABI_OK) {
		printf("%-14s %-52s check failed: %s: FAIL\n", what, name, teeabi_err_name(*last));
		broken++;
		return;
	}
	struct bench_result r;
	bench_pair(f, arg, do_bare, b, BATCH_NS, &r);
	int ok = r.ratio < TARGET && *last == TEEABI_OK && b->last == 1;
	missed += !ok;
	printf("%-14s %-52s teeabi %7.1f us  bare verify %7.1f us  ratio %5.2fx  target < %.1fx %s\n", what, name,
	       r.a_ns / 1e3, r.b_ns / 1e3, r.ratio, TARGET, ok ? "PASS" : "FAIL");
}

/* The attestation key as an EVP_PKEY, through its SubjectPublicKeyInfo: the fixed DER
 * prefix of an uncompressed P-256 point, then 04 || X || Y (a path of its own, not the
 * library's EVP_PKEY_fromdata). */
static EVP_PKEY *p256_from_xy(const uint8_t xy[64])
{
	static const uint8_t spki_prefix[] = { 0x30, 0x59, 0x30, 0x13, 0x06, 0x07, 0x2a, 0x86, 0x48,
					       0xce, 0x3d, 0x02, 0x01, 0x06, 0x08, 0x2a, 0x86, 0x48,
					       0xce, 0x3d, 0x03, 0x01, 0x07, 0x03, 0x42, 0x00, 0x04 };
	uint8_t der[sizeof(spki_prefix) + 64];
	memcpy(der, spki_prefix, sizeof(spki_prefix));
	memcpy(der + sizeof(spki_prefix), xy, 64);
	const unsigned char *p = der;
	return d2i_PUBKEY(NULL, &p, (long)sizeof(der));
}

static EVP_PKEY *pck_key(const struct teeabi_tdx_quote *q)
{
	BIO *bio = BIO_new_mem_buf(q->inner_cert.p, (int)q->inner_cert.len);
	X509 *x = bio ? PEM_read_bio_X509(bio, NULL, NULL, NULL) : NULL;
	BIO_free(bio);
	EVP_PKEY *k = x ? X509_get_pubkey(x) : NULL;
	X509_free(x);
	return k;
}

/* One P-256 check of a quote (r || s big-endian over msg under key) against the bare verify. */
static void bench_one(const char *what, const char *name, EVP_PKEY *key, const uint8_t *msg, size_t msglen,
		      const uint8_t *rs, bench_fn f, struct tdx_job *j)
{
	struct bare b;
	if (!key || bare_init(&b, key, EVP_sha256(), msg, msglen, rs, rs + 32, 32, 0)) {
		printf("%-14s %-52s bare verify does not verify: FAIL\n", what, name);
		broken++;
		return;
	}
	report(what, name, f, j, &j->last, &b);
	bare_free(&b);
}

static void bench_quote(const char *path)
{
	static uint8_t buf[1 << 16];
	FILE *f = fopen(path, "rb");
	size_t len = f ? fread(buf, 1, sizeof(buf), f) : 0;
	if (f)
		fclose(f);
	struct tdx_job j = { .buf = buf };
	if (!len || teeabi_tdx_quote_parse(buf, len, TEEABI_QUOTE_DEFAULT, &j.q) != TEEABI_OK) {
		printf("%-14s %-52s does not read or parse: FAIL\n", "quote", path);
		broken++;
		return;
	}
	const char *name = strrchr(path, '/') ? strrchr(path, '/') + 1 : path;
	EVP_PKEY *ak = p256_from_xy(j.q.att_key);
	bench_one("quote_sig", name, ak, buf, j.q.signed_len, j.q.signature, do_quote_sig, &j);
	EVP_PKEY_free(ak);
	EVP_PKEY *pck = pck_key(&j.q);
	bench_one("qe_report_sig", name, pck, j.q.qe_report, TEEABI_SGX_REPORT_LEN, j.q.qe_report_sig, do_qe_sig, &j);
	EVP_PKEY_free(pck);
}

static void bench_snp(const char *profile_dir)
{
	struct teeabi_profile p;
	char err[256];
	if (teeabi_profile_load(profile_dir, "dstack-0.6.0-snp", &p, err, sizeof(err)) != 0) {
		printf("snp_report_sig: profile dstack-0.6.0-snp: %s: FAIL\n", err);
		broken++;
		return;
	}
	struct tm_dev *d = tm_new(&p, TM_NO_FAULTS);
	static uint8_t resp[4000];
	uint8_t ud[64] = { 1, 2, 3 };
	size_t vlen = 0;
	const uint8_t *vcek = d ? tm_sev_vcek_der(d, &vlen) : NULL;
	if (!vcek || tm_sev_report(d, ud, 0, resp) != 0) {
		printf("snp_report_sig: the SNP model gave no report: FAIL\n");
		broken++;
		tm_free(d);
		return;
	}
	const uint8_t *rep = resp + 0x20;
	const unsigned char *pp = vcek;
	X509 *x = d2i_X509(NULL, &pp, (long)vlen);
	EVP_PKEY *k = x ? X509_get_pubkey(x) : NULL;
	struct bare b;
	struct snp_job j = { rep, vcek, vlen, TEEABI_E_CRYPTO };
	if (!k || bare_init(&b, k, EVP_sha384(), rep, SNP_SIGNED_LEN, rep + SNP_OFF_SIGNATURE,
			    rep + SNP_OFF_SIGNATURE + 72, 48, 1)) {
		printf("snp_report_sig: bare verify does not verify: FAIL\n");
		broken++;
	} else {
		report("snp_report_sig", "model report, VCEK DER", do_snp_sig, &j, &j.last, &b);
		bare_free(&b);
	}
	EVP_PKEY_free(k);
	X509_free(x);
	tm_free(d);
}

int main(int argc, char **argv)
{
	if (argc < 3) {
		fprintf(stderr, "usage: bench_verify PROFILE_DIR QUOTE_FILE...\n");
		return 2;
	}
	for (int i = 2; i < argc; i++)
		bench_quote(argv[i]);
	bench_snp(argv[1]);
	printf("bench_verify: %d missed the target, %d checks failed\n", missed, broken);
	return missed || broken ? 1 : 0;
}
