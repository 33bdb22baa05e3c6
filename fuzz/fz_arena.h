/* SPDX-License-Identifier: Apache-2.0 */
/*
 * fuzz/fz_arena.h - a simulated user address space for the ioctl harnesses
 * (fuzz_tdx_ioctl.c, fuzz_sev_ioctl.c): up to NREG_MAX fuzzer-sized buffers, each between
 * two guards, registered with the model's in-process user access (tm_local_ua), and the
 * harness's own view of what the kernel's copy_{from,to}_user may reach and write.
 *
 * check_writes() proves that everything that changed since snap() lies in one of the
 * output windows and that no guard byte changed. It compares whole buffers with memcmp
 * (the bytes of the windows taken from after the call, everything else from the snapshot)
 * instead of byte by byte: a compare per byte goes through the fuzzer's trace-cmp hooks,
 * and with 4000-byte answers that was most of an ioctl harness's time. Only when a byte
 * outside the windows did change does it walk the bytes, to name the first one.
 */
#ifndef TEEABI_FZ_ARENA_H
#define TEEABI_FZ_ARENA_H

#include <stdbool.h>
#include "fuzz.h"
#include "model.h"

#define NREG_MAX 6
#define GUARD 32
#define GUARD_BYTE 0xA5
#define ARENA_LEN_MAX 24576 /* the largest buffer arena_init makes */

struct region {
	uint8_t *mem; /* GUARD | len user bytes | GUARD */
	size_t len;
	uint8_t *snap;
};
struct arena {
	struct region r[NREG_MAX];
	int n;
	struct tm_local_ua ua;
};

static inline uint8_t *ubase(struct region *r) { return r->mem + GUARD; }
static inline uint64_t uaddr(struct region *r) { return (uint64_t)(uintptr_t)ubase(r); }

/* 1..NREG_MAX buffers, zero-filled between GUARD_BYTE guards; each size from sizes[] or,
 * for a selector byte >= 0xC0, any size below rand_max (<= ARENA_LEN_MAX). */
static inline void arena_init(struct arena *A, struct fz *f, const size_t *sizes, size_t nsizes, size_t rand_max)
{
	memset(A, 0, sizeof(*A));
	A->n = 1 + fz_u8(f) % NREG_MAX;
	tm_local_ua_init(&A->ua);
	for (int i = 0; i < A->n; i++) {
		uint8_t s = fz_u8(f);
		size_t len = s < 0xC0 ? sizes[s % nsizes] : (size_t)(fz_u16(f) % rand_max);
		FZ_CHECK(len <= ARENA_LEN_MAX, "buffer of %zu bytes", len);
		struct region *r = &A->r[i];
		r->len = len;
		r->mem = malloc(len + 2 * GUARD);
		r->snap = malloc(len + 2 * GUARD);
		FZ_CHECK(r->mem && r->snap, "malloc");
		memset(r->mem, GUARD_BYTE, len + 2 * GUARD);
		memset(ubase(r), 0, len);
		tm_local_ua_add(&A->ua, ubase(r), len);
	}
}

static inline void arena_free(struct arena *A)
{
	for (int i = 0; i < A->n; i++) {
		free(A->r[i].mem);
		free(A->r[i].snap);
	}
}

/* The region that holds [a, a+len) entirely, or NULL: the harness's own view of what the
 * kernel's copy_{from,to}_user would reach (NULL is never user memory). */
static inline struct region *reach(struct arena *A, uint64_t a, uint64_t len)
{
	if (!a)
		return NULL;
	for (int i = 0; i < A->n; i++) {
		uint64_t b = uaddr(&A->r[i]);
		if (a >= b && a - b <= A->r[i].len && len <= A->r[i].len - (a - b))
			return &A->r[i];
	}
	return NULL;
}

static inline uint8_t *host(struct arena *A, uint64_t a, uint64_t len)
{
	return reach(A, a, len) ? (uint8_t *)(uintptr_t)a : NULL;
}

/* Bytes at a as they were before the call (from the snapshot). */
static inline const uint8_t *before(struct arena *A, uint64_t a, uint64_t len)
{
	struct region *r = reach(A, a, len);
	return r ? r->snap + GUARD + (a - uaddr(r)) : NULL;
}

/* A pointer: NULL, wild, inside a buffer, or near/past its end. */
static inline uint64_t fz_ptr(struct fz *f, struct arena *A)
{
	uint8_t s = fz_u8(f);
	struct region *r = &A->r[(s >> 3) % A->n];
	switch (s & 7) {
	case 0:
		return 0;
	case 1:
		return fz_u64(f);
	case 2: /* near the end, possibly past it */
		return uaddr(r) + r->len - (fz_u8(f) % 80) + 16;
	case 3:
		return uaddr(r);
	default:
		return uaddr(r) + fz_u16(f) % (r->len + 1);
	}
}

static inline void snap(struct arena *A)
{
	for (int i = 0; i < A->n; i++)
		memcpy(A->r[i].snap, A->r[i].mem, A->r[i].len + 2 * GUARD);
}

/* An output window: the kernel may write [a, a + n). */
struct win {
	uint64_t a, n;
};

/* Name the first byte of r that changed outside every window (or in a guard). */
static inline void report_stray_write(struct region *r, int i, const struct win *w, int nw, const char *what)
{
	for (size_t k = 0; k < r->len + 2 * GUARD; k++) {
		if (r->mem[k] == r->snap[k])
			continue;
		FZ_CHECK(k >= GUARD && k < GUARD + r->len, "%s: guard byte %zu of buffer %d (len %zu) overwritten", what,
			 k, i, r->len);
		uint64_t a = uaddr(r) + (k - GUARD);
		bool ok = false;
		for (int j = 0; j < nw && !ok; j++)
			ok = a >= w[j].a && a - w[j].a < w[j].n;
		FZ_CHECK(ok, "%s: byte %zu of buffer %d (len %zu) written outside the output windows", what, k - GUARD, i,
			 r->len);
	}
	FZ_CHECK(0, "%s: buffer %d differs outside the windows, yet no byte does", what, i);
}

/* Everything that changed since snap() lies in one of the windows; guards are intact. */
static inline void check_writes(struct arena *A, const struct win *w, int nw, const char *what)
{
	static uint8_t want[ARENA_LEN_MAX + 2 * GUARD];
	for (int i = 0; i < A->n; i++) {
		struct region *r = &A->r[i];
		size_t total = r->len + 2 * GUARD;
		if (memcmp(r->mem, r->snap, total) == 0)
			continue;
		/* what the buffer may hold now: the snapshot, with each window's user bytes as
		 * the call left them */
		memcpy(want, r->snap, total);
		uint64_t lo = uaddr(r), hi = lo + r->len;
		for (int j = 0; j < nw; j++) {
			uint64_t a = w[j].a > lo ? w[j].a : lo;
			uint64_t e = w[j].n > UINT64_MAX - w[j].a ? UINT64_MAX : w[j].a + w[j].n;
			if (e > hi)
				e = hi;
			if (a < e)
				memcpy(want + GUARD + (a - lo), r->mem + GUARD + (a - lo), (size_t)(e - a));
		}
		if (memcmp(r->mem, want, total) != 0)
			report_stray_write(r, i, w, nw, what);
	}
}

#endif
