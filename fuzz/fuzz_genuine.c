/* SPDX-License-Identifier: Apache-2.0 */
/*
 * fuzz/fuzz_genuine.c - the genuineness check (lib/genuine.c) over hostile evidence and
 * certificates: PCK chains inside TDX quotes, SNP certificate tables and user PEM files.
 *
 * Input (fz_genuine.h): u16 LE n, then n bytes of evidence (TDX quote, SNP report,
 * MSG_REPORT_RSP), then the rest: given once as the certificate table, once as the user's
 * certificates and once as a CRL file. Checked at a fixed time (the reasons name it), so
 * that runs are repeatable.
 *
 * Properties (teeabi/genuine.h):
 *   - the verdict is one of the four, the reason a non-empty NUL-terminated string;
 *   - ncerts is 0..TEEABI_CHAIN_MAX, each certificate's subject, key and dates
 *     NUL-terminated inside their arrays and its sha256 64 lowercase hex digits;
 *   - revocation_checked is 0 without CRLs, at most the chain's length with them;
 *   - genuine only with a genuine vendor root named, test PKI only with a test root;
 *   - the same input gives the same verdict and reason (no hidden state).
 *
 * The four checks of an input decode the same certificates; the library's certificate cache
 * (lib/keycache.c) decodes them once, so the second check, the determinism one, is answered
 * from the cache the first filled (suites/unit/test_genuine.c test_cache_same_answers checks
 * that cached answers are the fresh ones). The cache is dropped after each input, so that
 * every input frees what it allocated (libFuzzer runs LeakSanitizer when it does not).
 */
#include <string.h>
#include "fuzz.h"
#include "fz_genuine.h"
#include "teeabi/genuine.h"
#include "../lib/keycache.h"

static void check(const struct teeabi_genuineness *g)
{
	FZ_CHECK(g->verdict >= TEEABI_GENUINE && g->verdict <= TEEABI_TEST_PKI, "verdict %d", (int)g->verdict);
	FZ_CHECK(memchr(g->reason, 0, sizeof(g->reason)) && g->reason[0], "reason");
	FZ_CHECK(g->ncerts >= 0 && g->ncerts <= TEEABI_CHAIN_MAX, "ncerts %d", g->ncerts);
	for (int i = 0; i < g->ncerts; i++) {
		const struct teeabi_chain_cert *c = &g->certs[i];
		FZ_CHECK(memchr(c->subject, 0, sizeof(c->subject)) && memchr(c->key, 0, sizeof(c->key)) &&
				 memchr(c->not_before, 0, sizeof(c->not_before)) && memchr(c->not_after, 0, sizeof(c->not_after)),
			 "cert %d strings", i);
		FZ_CHECK(strlen(c->sha256) == 64 && strspn(c->sha256, "0123456789abcdef") == 64, "cert %d sha256 %s", i, c->sha256);
	}
	if (g->verdict == TEEABI_GENUINE)
		FZ_CHECK(g->root == TEEABI_ROOT_GENUINE_VENDOR && g->ncerts >= 2, "genuine without a vendor root");
	if (g->verdict == TEEABI_TEST_PKI)
		FZ_CHECK(g->root == TEEABI_ROOT_TEST, "test PKI without a test root");
	FZ_CHECK(memchr(g->checked_at, 0, sizeof(g->checked_at)), "checked_at");
	FZ_CHECK(g->revocation_checked >= 0 && g->revocation_checked <= TEEABI_CHAIN_MAX, "revocation_checked %d",
		 g->revocation_checked);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static struct teeabi_genuineness a, b;

	if (size < 2 || size > 64 * 1024)
		return 0;
	fz_genuine_check(data, size, 0, &a);
	check(&a);
	FZ_CHECK(a.revocation_checked == 0, "revocation checked without CRLs");
	fz_genuine_check(data, size, 1, &b);
	FZ_CHECK(a.verdict == b.verdict && !strcmp(a.reason, b.reason), "not deterministic");
	fz_genuine_check(data, size, 2, &a);
	check(&a);
	fz_genuine_check(data, size, 3, &a);
	check(&a);
	teeabi_cache_drop();
	return 0;
}
