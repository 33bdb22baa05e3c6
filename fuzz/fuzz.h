/* SPDX-License-Identifier: Apache-2.0 */
/*
 * fuzz/fuzz.h - shared by the fuzz targets (fuzz/fuzz_<target>.c).
 *
 * Every target defines LLVMFuzzerTestOneInput (and may define LLVMFuzzerInitialize). The
 * same object links into three drivers: libFuzzer (build/fuzz), AFL++ persistent mode
 * (build/fuzz-afl, build/fuzz-afl-cmplog) and the standalone replay driver
 * (fuzz/replay_main.c, build/fuzz-replay) that `make check` runs over corpus/<target>/
 * and corpus/regress/<target>/.
 *
 * A harness checks properties: FZ_CHECK aborts with a message when one does not hold, so
 * every engine records the input as a crash.
 */
#ifndef TEEABI_FUZZ_H
#define TEEABI_FUZZ_H

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);
int LLVMFuzzerInitialize(int *argc, char ***argv);

#define FZ_CHECK(cond, ...)                                                              \
	do {                                                                             \
		if (!(cond)) {                                                           \
			fprintf(stderr, "%s:%d: property violated: %s: ", __FILE__,      \
				__LINE__, #cond);                                        \
			fprintf(stderr, __VA_ARGS__);                                    \
			fputc('\n', stderr);                                             \
			abort();                                                         \
		}                                                                        \
	} while (0)

/* A cursor that hands out fuzzer bytes for structured decoding; past the end it yields
 * zeros, so a short input is still a complete (if dull) program. */
struct fz {
	const uint8_t *p;
	size_t n;
};

static inline int fz_empty(const struct fz *f) { return f->n == 0; }

static inline uint8_t fz_u8(struct fz *f)
{
	if (!f->n)
		return 0;
	f->n--;
	return *f->p++;
}

static inline uint16_t fz_u16(struct fz *f)
{
	uint16_t v = fz_u8(f);
	return (uint16_t)(v | (uint16_t)fz_u8(f) << 8);
}

static inline uint32_t fz_u32(struct fz *f)
{
	uint32_t v = fz_u16(f);
	return v | (uint32_t)fz_u16(f) << 16;
}

static inline uint64_t fz_u64(struct fz *f)
{
	uint64_t v = fz_u32(f);
	return v | (uint64_t)fz_u32(f) << 32;
}

/* Copy up to len bytes into out (zero-filling the rest); returns the count taken. */
static inline size_t fz_bytes(struct fz *f, void *out, size_t len)
{
	size_t k = len < f->n ? len : f->n;
	if (k)
		memcpy(out, f->p, k);
	if (k < len)
		memset((uint8_t *)out + k, 0, len - k);
	f->p += k;
	f->n -= k;
	return k;
}

/* A view of the next len bytes (fewer at the end); no copy. */
static inline const uint8_t *fz_take(struct fz *f, size_t len, size_t *got)
{
	const uint8_t *r = f->p;
	size_t k = len < f->n ? len : f->n;
	f->p += k;
	f->n -= k;
	*got = k;
	return r;
}

#endif
