/* SPDX-License-Identifier: Apache-2.0 */
/*
 * bench.h - timing helpers shared by the benchmark programs (tools/bench_*.c).
 *
 * bench_pair() times two operations interleaved, batch after batch, so both see the same
 * machine state (frequency, cache, the neighbours' load), and reports each one's median
 * ns/op and the median of the per-batch ratios: a ratio that means the same on any machine.
 */
#ifndef TEEABI_BENCH_H
#define TEEABI_BENCH_H

#include <stdint.h>
#include <stdlib.h>
#include <time.h>

#define BENCH_BATCHES 21

typedef void (*bench_fn)(void *arg);

struct bench_result {
	double a_ns, b_ns; /* median ns/op of a and of b */
	double ratio;      /* median over batches of a/b */
};

static inline double bench_now_ns(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec * 1e9 + (double)ts.tv_nsec;
}

static int bench_cmp_double(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;
	return (x > y) - (x < y);
}

static inline double bench_median(double *v, int n)
{
	qsort(v, (size_t)n, sizeof(double), bench_cmp_double);
	return v[n / 2];
}

static inline double bench_run(bench_fn f, void *arg, long iters)
{
	double t0 = bench_now_ns();
	for (long i = 0; i < iters; i++) {
		f(arg);
		__asm__ volatile("" ::: "memory");
	}
	return (bench_now_ns() - t0) / (double)iters;
}

/* a and b interleaved in BENCH_BATCHES batches, each about batch_ns of a. */
static inline void bench_pair(bench_fn a, void *aa, bench_fn b, void *ba, double batch_ns, struct bench_result *r)
{
	long iters = 1;
	while (bench_run(a, aa, iters) * (double)iters < batch_ns && iters < (1L << 26))
		iters *= 2;
	double ta[BENCH_BATCHES], tb[BENCH_BATCHES], q[BENCH_BATCHES];
	for (int i = 0; i < BENCH_BATCHES; i++) {
		ta[i] = bench_run(a, aa, iters);
		tb[i] = bench_run(b, ba, iters);
		q[i] = tb[i] > 0 ? ta[i] / tb[i] : 0;
	}
	r->a_ns = bench_median(ta, BENCH_BATCHES);
	r->b_ns = bench_median(tb, BENCH_BATCHES);
	r->ratio = bench_median(q, BENCH_BATCHES);
}

#endif
