/* SPDX-License-Identifier: Apache-2.0 */
/*
 * bench_fuse - cost of the mock kernel. Run inside `mockenv --bench` (bench/fuse.sh):
 *   1. median latency of GET_REPORT0 on /dev/tdx_guest through mockfs,
 *   2. median latency of a no-op FUSE ioctl on the same node in the same run (mockfs
 *      answers _IO('t', 0x7f) with 0 only when started with --bench): the FUSE floor,
 *   3. configfs-tsm quotes per second on one entry (write inblob, read outblob).
 * Target: GET_REPORT0 within 1.5x of the no-op round trip (the model adds little to FUSE).
 * usage: bench_fuse [ITERATIONS] [QUOTE_SECONDS]   Exit 0 PASS, 1 FAIL, 2 cannot run.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "teeabi/abi.h"

#define BENCH_NOP _IO('t', 0x7f)

static double now(void)
{
	struct timespec t;
	clock_gettime(CLOCK_MONOTONIC, &t);
	return (double)t.tv_sec + (double)t.tv_nsec / 1e9;
}

static int cmpd(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;
	return x < y ? -1 : x > y;
}

static double median(double *v, int n)
{
	qsort(v, (size_t)n, sizeof(*v), cmpd);
	return n % 2 ? v[n / 2] : (v[n / 2 - 1] + v[n / 2]) / 2;
}

static int rw(const char *path, int wr, void *buf, size_t len)
{
	int fd = open(path, wr ? O_WRONLY : O_RDONLY);
	if (fd < 0)
		return -1;
	ssize_t n = wr ? write(fd, buf, len) : read(fd, buf, len);
	close(fd);
	return (int)n;
}

int main(int argc, char **argv)
{
	int iters = argc > 1 ? atoi(argv[1]) : 2000;
	double qsecs = argc > 2 ? atof(argv[2]) : 2.0;
	if (iters < 10 || iters > 1000000 || qsecs <= 0) {
		fprintf(stderr, "usage: bench_fuse [ITERATIONS 10..1000000] [QUOTE_SECONDS]\n");
		return 2;
	}
	int fd = open(TEEABI_DEV_TDX_GUEST, O_RDWR);
	if (fd < 0) {
		fprintf(stderr, "bench_fuse: %s: %s (run inside mockenv --bench)\n", TEEABI_DEV_TDX_GUEST, strerror(errno));
		return 2;
	}
	if (ioctl(fd, BENCH_NOP) != 0) {
		fprintf(stderr, "bench_fuse: no-op ioctl refused (%s): mockfs not started with --bench\n", strerror(errno));
		return 2;
	}
	double *rep = calloc((size_t)iters, sizeof(double)), *nop = calloc((size_t)iters, sizeof(double));
	struct teeabi_tdx_report_req r;
	memset(&r, 0x42, sizeof(r));
	if (!rep || !nop)
		return 2;
	/* warm up, then interleave so both see the same machine conditions */
	for (int i = 0; i < 50; i++) {
		ioctl(fd, BENCH_NOP);
		ioctl(fd, TEEABI_TDX_CMD_GET_REPORT0, &r);
	}
	for (int i = 0; i < iters; i++) {
		double t0 = now();
		if (ioctl(fd, BENCH_NOP) != 0)
			return 2;
		double t1 = now();
		if (ioctl(fd, TEEABI_TDX_CMD_GET_REPORT0, &r) != 0) {
			fprintf(stderr, "bench_fuse: GET_REPORT0: %s\n", strerror(errno));
			return 2;
		}
		double t2 = now();
		nop[i] = t1 - t0;
		rep[i] = t2 - t1;
	}
	close(fd);
	double mr = median(rep, iters) * 1e6, mn = median(nop, iters) * 1e6;
	double ratio = mn > 0 ? mr / mn : 0;
	printf("GET_REPORT0 through mockfs: median %.1f us (%d calls)\n", mr, iters);
	printf("no-op FUSE ioctl (same run): median %.1f us\n", mn);
	printf("ratio %.2fx, target <= 1.50x: %s\n", ratio, ratio <= 1.5 ? "PASS" : "FAIL");

	/* configfs quotes per second on one entry */
	char e[256], p[300];
	snprintf(e, sizeof(e), "%s/bench-%d", TEEABI_TSM_REPORT_ROOT, (int)getpid());
	int quotes = -1;
	double qt = 0;
	static unsigned char out[1 << 20];
	if (mkdir(e, 0755) == 0) {
		unsigned char in[64];
		double t0 = now();
		quotes = 0;
		do {
			memset(in, quotes & 0xff, sizeof(in));
			snprintf(p, sizeof(p), "%s/inblob", e);
			if (rw(p, 1, in, sizeof(in)) != (int)sizeof(in))
				break;
			snprintf(p, sizeof(p), "%s/outblob", e);
			if (rw(p, 0, out, sizeof(out)) <= 0)
				break;
			quotes++;
			qt = now() - t0;
		} while (qt < qsecs);
		rmdir(e);
		printf("configfs-tsm quotes: %d in %.2f s = %.0f quotes/s\n", quotes, qt, qt > 0 ? quotes / qt : 0);
	} else {
		printf("configfs-tsm quotes: not measured (mkdir %s: %s)\n", e, strerror(errno));
	}
	free(rep);
	free(nop);
	return ratio <= 1.5 ? 0 : 1;
}
