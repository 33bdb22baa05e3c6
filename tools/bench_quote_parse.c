/* SPDX-License-Identifier: Apache-2.0 */
/*
 * bench_quote_parse - time the structural TDX quote parse (teeabi_tdx_quote_parse, no
 * crypto) against a memcpy of the same bytes in the same run, so the ratio is comparable
 * across machines. Reports the median ns/op over several batches.
 *
 *   bench_quote_parse [QUOTE_FILE]   (default vectors/tdx-quote/trustee__tdx_quote_4.dat)
 *
 * Target: < 1000 ns/op and < 5x the memcpy. Always exits 0 unless the input is unusable;
 * prints PASS or FAIL against the target.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include "teeabi/tdx.h"

#define BATCHES 21
#define TARGET_NS 1000.0
#define TARGET_RATIO 5.0

static volatile uint64_t sink;

static double now_ns(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec * 1e9 + (double)ts.tv_nsec;
}

static int cmp_double(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;
	return (x > y) - (x < y);
}

static double median(double *v, int n)
{
	qsort(v, (size_t)n, sizeof(double), cmp_double);
	return v[n / 2];
}

int main(int argc, char **argv)
{
	const char *path = argc > 1 ? argv[1] : "vectors/tdx-quote/trustee__tdx_quote_4.dat";
	FILE *f = fopen(path, "rb");
	if (!f) {
		fprintf(stderr, "bench_quote_parse: cannot open %s\n", path);
		return 2;
	}
	static uint8_t buf[1 << 16], dst[1 << 16];
	size_t len = fread(buf, 1, sizeof(buf), f);
	fclose(f);

	struct teeabi_tdx_quote q;
	teeabi_err e = teeabi_tdx_quote_parse(buf, len, TEEABI_QUOTE_DEFAULT, &q);
	if (e != TEEABI_OK) {
		fprintf(stderr, "bench_quote_parse: %s: %s\n", path, teeabi_err_name(e));
		return 2;
	}

	/* size the batch to roughly 2 ms of parsing */
	long iters = 1000;
	for (;;) {
		double t0 = now_ns();
		for (long i = 0; i < iters; i++) {
			teeabi_tdx_quote_parse(buf, len, TEEABI_QUOTE_DEFAULT, &q);
			sink += q.quote_len;
		}
		if (now_ns() - t0 > 2e6 || iters > (1L << 26))
			break;
		iters *= 2;
	}

	double tp[BATCHES], tm[BATCHES];
	for (int b = 0; b < BATCHES; b++) {
		double t0 = now_ns();
		for (long i = 0; i < iters; i++) {
			teeabi_tdx_quote_parse(buf, len, TEEABI_QUOTE_DEFAULT, &q);
			sink += q.quote_len;
			__asm__ volatile("" ::: "memory");
		}
		double t1 = now_ns();
		for (long i = 0; i < iters; i++) {
			memcpy(dst, buf, len);
			__asm__ volatile("" ::: "memory"); /* keep every copy */
			sink += dst[i % len];
		}
		double t2 = now_ns();
		tp[b] = (t1 - t0) / (double)iters;
		tm[b] = (t2 - t1) / (double)iters;
	}
	double p = median(tp, BATCHES), m = median(tm, BATCHES);
	double ratio = m > 0 ? p / m : 0;
	int pass = p < TARGET_NS && ratio < TARGET_RATIO;
	printf("quote_parse_v%u: %.0f ns/op; memcpy(%zu B): %.0f ns/op; ratio %.1fx; target <%.0f ns and <%.0fx: %s\n",
	       q.version, p, len, m, ratio, TARGET_NS, TARGET_RATIO, pass ? "PASS" : "FAIL");
	return 0;
}
