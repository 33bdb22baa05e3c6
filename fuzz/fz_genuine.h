/* SPDX-License-Identifier: Apache-2.0 */
/*
 * fuzz/fz_genuine.h - how fuzz_genuine reads an input and the checks it makes of it, shared
 * with suites/unit/test_genuine.c (which runs them with the certificate cache on and off).
 *
 * Input: u16 LE n, then n bytes of evidence, then the rest. Check i of FZ_GENUINE_CHECKS:
 * 0 and 1 the rest as the certificate table (1 repeats 0: no hidden state), 2 the rest as the
 * user's certificates, 3 the rest as a CRL file. At a fixed time, so that runs repeat.
 */
#ifndef TEEABI_FZ_GENUINE_H
#define TEEABI_FZ_GENUINE_H

#include <stddef.h>
#include <stdint.h>
#include "teeabi/genuine.h"

#define FZ_GENUINE_CHECKS 4

/* 2026-12-15T00:00:00Z: the real vectors' certificates, and the mock seeds' with the CRL of
 * mock-dstack-0.6.0-tdx-quote-pckcrl (made 2026-12-01, valid 30 days), are valid then */
#define FZ_GENUINE_AT ((time_t)1797292800)

/* Check i of data[0..size) (size >= 2) into g */
static inline void fz_genuine_check(const uint8_t *data, size_t size, int i, struct teeabi_genuineness *g)
{
	size_t n = (size_t)data[0] | (size_t)data[1] << 8;
	if (n > size - 2)
		n = size - 2;
	const uint8_t *ev = data + 2, *rest = data + 2 + n;
	size_t rl = size - 2 - n;
	struct teeabi_slice crl = { rest, rl };
	const struct teeabi_genuine_opts at = { .at = FZ_GENUINE_AT },
					 with_crl = { .at = FZ_GENUINE_AT, .crls = &crl, .ncrls = 1 };

	if (i <= 1)
		teeabi_evidence_genuine_opts(ev, n, rest, rl, NULL, 0, &at, g);
	else if (i == 2)
		teeabi_evidence_genuine_opts(ev, n, NULL, 0, rest, rl, &at, g);
	else
		teeabi_evidence_genuine_opts(ev, n, NULL, 0, NULL, 0, &with_crl, g);
}

#endif
