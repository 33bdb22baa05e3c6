/* SPDX-License-Identifier: Apache-2.0 */
/*
 * fuzz/fuzz_genuine.c - the genuineness check (lib/genuine.c) over hostile evidence and
 * certificates: PCK chains inside TDX quotes, SNP certificate tables and user PEM files.
 *
 * Input: u16 LE n, then n bytes of evidence (TDX quote, SNP report, MSG_REPORT_RSP), then
 * the rest: given once as the certificate table and once as the user's certificates.
 *
 * Properties (teeabi/genuine.h):
 *   - the verdict is one of the four, the reason a non-empty NUL-terminated string;
 *   - ncerts is 0..TEEABI_CHAIN_MAX, each certificate's subject and key NUL-terminated
 *     inside their arrays and its sha256 64 lowercase hex digits;
 *   - genuine only with a genuine vendor root named, test PKI only with a test root;
 *   - the same input gives the same verdict and reason (no hidden state).
 */
#include <string.h>
#include "fuzz.h"
#include "teeabi/genuine.h"

static void check(const struct teeabi_genuineness *g)
{
	FZ_CHECK(g->verdict >= TEEABI_GENUINE && g->verdict <= TEEABI_TEST_PKI, "verdict %d", (int)g->verdict);
	FZ_CHECK(memchr(g->reason, 0, sizeof(g->reason)) && g->reason[0], "reason");
	FZ_CHECK(g->ncerts >= 0 && g->ncerts <= TEEABI_CHAIN_MAX, "ncerts %d", g->ncerts);
	for (int i = 0; i < g->ncerts; i++) {
		const struct teeabi_chain_cert *c = &g->certs[i];
		FZ_CHECK(memchr(c->subject, 0, sizeof(c->subject)) && memchr(c->key, 0, sizeof(c->key)), "cert %d strings", i);
		FZ_CHECK(strlen(c->sha256) == 64 && strspn(c->sha256, "0123456789abcdef") == 64, "cert %d sha256 %s", i, c->sha256);
	}
	if (g->verdict == TEEABI_GENUINE)
		FZ_CHECK(g->root == TEEABI_ROOT_GENUINE_VENDOR && g->ncerts >= 2, "genuine without a vendor root");
	if (g->verdict == TEEABI_TEST_PKI)
		FZ_CHECK(g->root == TEEABI_ROOT_TEST, "test PKI without a test root");
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static struct teeabi_genuineness a, b;

	if (size < 2 || size > 64 * 1024)
		return 0;
	size_t n = (size_t)data[0] | (size_t)data[1] << 8;
	if (n > size - 2)
		n = size - 2;
	const uint8_t *ev = data + 2, *rest = data + 2 + n;
	size_t rl = size - 2 - n;

	teeabi_evidence_genuine(ev, n, rest, rl, NULL, 0, &a);
	check(&a);
	teeabi_evidence_genuine(ev, n, rest, rl, NULL, 0, &b);
	FZ_CHECK(a.verdict == b.verdict && !strcmp(a.reason, b.reason), "not deterministic");
	teeabi_evidence_genuine(ev, n, NULL, 0, rest, rl, &a);
	check(&a);
	return 0;
}
