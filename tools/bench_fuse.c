/* SPDX-License-Identifier: Apache-2.0 */
/*
 * bench_fuse - cost of the mock kernel. Run inside `mockenv --bench` (bench/fuse.sh):
 *   1. median latency of GET_REPORT0 on /dev/tdx_guest through mockfs,
 *   2. median latencies of two no-op FUSE ioctls on the same node in the same run (mockfs
 *      answers them with 0 only when started with --bench): _IO('t', 0x7f), no argument, and
 *      _IOWR('t', 0x7e) with GET_REPORT0's 1088-byte argument, which the kernel copies in and
 *      out of the FUSE request like GET_REPORT0's: the FUSE floor for that shape,
 *   3. configfs-tsm quotes per second on one entry (write inblob, read outblob).
 * The three kinds are interleaved in rotating order, so that the wait for the daemon to finish
 * the previous call falls on all of them alike.
 * Target: GET_REPORT0 within 1.5x of the same-shape no-op (what the mock adds to FUSE's own
 * cost); the ratio to the argument-less no-op is printed too.
 * usage: bench_fuse [ITERATIONS] [QUOTE_SECONDS, 0 skips step 3]   Exit 0 PASS, 1 FAIL, 2 cannot run.
 */
#include <errno.h>
#include <stdbool.h>
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
#define BENCH_NOP_1088 _IOWR('t', 0x7e, struct teeabi_tdx_report_req)

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
	if (iters < 10 || iters > 1000000 || qsecs < 0) {
		fprintf(stderr, "usage: bench_fuse [ITERATIONS 10..1000000] [QUOTE_SECONDS, 0: not measured]\n");
		return 2;
	}
	int fd = open(TEEABI_DEV_TDX_GUEST, O_RDWR);
	if (fd < 0) {
		fprintf(stderr, "bench_fuse: %s: %s (run inside mockenv --bench)\n", TEEABI_DEV_TDX_GUEST, strerror(errno));
		return 2;
	}
	struct teeabi_tdx_report_req probe;
	memset(&probe, 0, sizeof(probe));
	if (ioctl(fd, BENCH_NOP) != 0 || ioctl(fd, BENCH_NOP_1088, &probe) != 0) {
		fprintf(stderr, "bench_fuse: no-op ioctl refused (%s): mockfs not started with --bench\n", strerror(errno));
		return 2;
	}
	double *t[3];
	for (int k = 0; k < 3; k++)
		if (!(t[k] = calloc((size_t)iters, sizeof(double))))
			return 2;
	struct teeabi_tdx_report_req r, big;
	memset(&r, 0x42, sizeof(r));
	static const char *const names[3] = { "GET_REPORT0", "no-op ioctl", "1088-byte no-op ioctl" };
	/* warm up, then interleave in rotating order so all see the same machine conditions */
	for (int i = 0; i < 50 + iters; i++) {
		for (int j = 0; j < 3; j++) {
			int k = (i + j) % 3;
			memset(&big, 0x42, sizeof(big));
			double t0 = now();
			int rc = k == 0 ? ioctl(fd, TEEABI_TDX_CMD_GET_REPORT0, &r) : k == 1 ? ioctl(fd, BENCH_NOP) : ioctl(fd, BENCH_NOP_1088, &big);
			double t1 = now();
			if (rc != 0) {
				fprintf(stderr, "bench_fuse: %s: %s\n", names[k], strerror(errno));
				return 2;
			}
			if (i >= 50)
				t[k][i - 50] = t1 - t0;
		}
	}
	close(fd);
	double mr = median(t[0], iters) * 1e6, mn = median(t[1], iters) * 1e6, mb = median(t[2], iters) * 1e6;
	double ratio = mb > 0 ? mr / mb : 0;
	printf("GET_REPORT0 through mockfs: median %.1f us (%d calls)\n", mr, iters);
	printf("no-op FUSE ioctl, same 1088-byte _IOWR argument (same run): median %.1f us\n", mb);
	printf("no-op FUSE ioctl, no argument (same run): median %.1f us (GET_REPORT0 %.2fx of it)\n", mn, mn > 0 ? mr / mn : 0);
	printf("ratio to the same-shape no-op %.2fx, target <= 1.50x: %s\n", ratio, ratio <= 1.5 ? "PASS" : "FAIL");

	/* configfs quotes per second on one entry */
	char e[256], p[300];
	snprintf(e, sizeof(e), "%s/bench-%d", TEEABI_TSM_REPORT_ROOT, (int)getpid());
	int quotes = -1;
	double qt = 0;
	static unsigned char out[1 << 20];
	if (qsecs == 0) {
		/* configfs not measured */
	} else if (mkdir(e, 0755) == 0) {
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
	for (int k = 0; k < 3; k++)
		free(t[k]);
	return ratio <= 1.5 ? 0 : 1;
}
