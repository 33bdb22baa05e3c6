/* SPDX-License-Identifier: Apache-2.0 */
/*
 * bench.h - timing helpers shared by the benchmark programs (tools/bench_*.c).
 *
 * bench_pair() times two operations interleaved, batch after batch, so both see the same
 * machine state (frequency, cache), and reports each one's best batch (the lowest ns/op of
 * BENCH_BATCHES): on a shared machine a batch that was preempted or shared its core only
 * ever takes longer, so the best batch is the operation's own cost, and the ratio of the two
 * best batches means the same on any machine. The medians are kept for the record.
 */
#ifndef TEEABI_BENCH_H
#define TEEABI_BENCH_H

#include <stdint.h>
#include <stdlib.h>
#include <time.h>

#define BENCH_BATCHES 51

typedef void (*bench_fn)(void *arg);

struct bench_result {
	double a_ns, b_ns;           /* best batch: lowest ns/op of a and of b */
	double ratio;                /* a_ns / b_ns */
	double a_median, b_median;   /* median ns/op */
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
	double ta[BENCH_BATCHES], tb[BENCH_BATCHES];
	for (int i = 0; i < BENCH_BATCHES; i++) {
		ta[i] = bench_run(a, aa, iters);
		tb[i] = bench_run(b, ba, iters);
	}
	r->a_median = bench_median(ta, BENCH_BATCHES); /* sorts: [0] is the best */
	r->b_median = bench_median(tb, BENCH_BATCHES);
	r->a_ns = ta[0];
	r->b_ns = tb[0];
	r->ratio = r->b_ns > 0 ? r->a_ns / r->b_ns : 0;
}

#endif
