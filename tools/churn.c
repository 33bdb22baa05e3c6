/* SPDX-License-Identifier: Apache-2.0 */
/*
 * churn - configfs-tsm churn against mockfs: N client processes each repeat
 *   mkdir report/churn-<client>-<k>; write 64 bytes to inblob; read outblob to EOF; rmdir
 * for S seconds (a new entry name every cycle, the worst case for any table kept per name or
 * per inode). After a warm-up, every window of W seconds prints the cycles done (also per
 * 10 s), the daemon's RSS and the daemon's CPU time per cycle. The daemon is known through
 * TEEABI_MOCKFS_PROC_FD, an fd of its /proc/<pid> directory that `mockenv --bench` passes
 * (the command's own PID namespace cannot see the daemon).
 *
 * Verdict: the last window against the first: RSS may grow by at most TOL percent and
 * throughput may fall by at most TOL percent (default 10). A daemon whose removed entries are
 * never freed grows and slows with every cycle and fails both.
 *
 * -r: the clients share four names instead, so that mkdir, lookups and rmdir race.
 *
 * usage: churn [-n CLIENTS] [-s SECONDS] [-u WARMUP] [-w WINDOW] [-t TOL] [-r]
 * Exit: 0 flat, 1 not flat or a client's cycle failed, 2 usage / cannot run.
 */
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <signal.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "teeabi/abi.h"

#define MAX_CLIENTS 64
#define MAX_WINDOWS 64

struct shared {
	int stop;
	uint64_t cycles[MAX_CLIENTS];
};

static double now(void)
{
	struct timespec t;
	clock_gettime(CLOCK_MONOTONIC, &t);
	return (double)t.tv_sec + (double)t.tv_nsec / 1e9;
}

static void sleep_until(double t)
{
	double d;
	while ((d = t - now()) > 0) {
		struct timespec ts = { (time_t)d, (long)((d - (double)(time_t)d) * 1e9) };
		nanosleep(&ts, NULL);
	}
}

/* -r: all clients share four entry names, so their mkdirs, reads and rmdirs race; the
 * errors such races give (the entry exists, is gone, has no inblob yet) end a cycle. */
static bool racing;

static bool lost_race(int e)
{
	return racing && (e == EEXIST || e == ENOENT || e == EINVAL || e == EBUSY);
}

/* One cycle; 0 or -1 with a message. */
static int cycle(int client, uint64_t k)
{
	char dir[PATH_MAX], path[PATH_MAX + 16];
	uint8_t in[64], out[16384];
	ssize_t n, total = 0;
	int fd;

	if (racing)
		snprintf(dir, sizeof(dir), "%s/churn-shared-%d", TEEABI_TSM_REPORT_ROOT, (int)(k % 4));
	else
		snprintf(dir, sizeof(dir), "%s/churn-%d-%llu", TEEABI_TSM_REPORT_ROOT, client, (unsigned long long)k);
	memset(in, 0, sizeof(in));
	memcpy(in, &k, sizeof(k));
	in[63] = (uint8_t)client;
	if (mkdir(dir, 0755) < 0 && !lost_race(errno)) {
		fprintf(stderr, "churn: client %d: mkdir %s: %s\n", client, dir, strerror(errno));
		return -1;
	}
	snprintf(path, sizeof(path), "%s/inblob", dir);
	fd = open(path, O_WRONLY);
	if (fd < 0 || write(fd, in, sizeof(in)) != (ssize_t)sizeof(in) || close(fd) < 0) {
		if (lost_race(errno))
			return 0;
		fprintf(stderr, "churn: client %d: write %s: %s\n", client, path, strerror(errno));
		return -1;
	}
	snprintf(path, sizeof(path), "%s/outblob", dir);
	fd = open(path, O_RDONLY);
	if (fd < 0) {
		if (lost_race(errno))
			return 0;
		fprintf(stderr, "churn: client %d: open %s: %s\n", client, path, strerror(errno));
		return -1;
	}
	while ((n = read(fd, out, sizeof(out))) > 0)
		total += n;
	int e = errno;
	close(fd);
	if (n < 0 && lost_race(e))
		return 0;
	if (n < 0 || total == 0) {
		fprintf(stderr, "churn: client %d: read %s: %s\n", client, path, n < 0 ? strerror(e) : "empty");
		return -1;
	}
	if (rmdir(dir) < 0 && !lost_race(errno)) {
		fprintf(stderr, "churn: client %d: rmdir %s: %s\n", client, dir, strerror(errno));
		return -1;
	}
	return 0;
}

static void __attribute__((noreturn)) client_main(struct shared *sh, int client)
{
	for (uint64_t k = 0; !__atomic_load_n(&sh->stop, __ATOMIC_RELAXED); k++) {
		if (cycle(client, k))
			_exit(1);
		__atomic_store_n(&sh->cycles[client], k + 1, __ATOMIC_RELAXED);
	}
	_exit(0);
}

/* /proc/<daemon>/name into buf (NUL-terminated); -1 on failure */
static int read_proc(int procfd, const char *name, char *buf, size_t cap)
{
	int fd = openat(procfd, name, O_RDONLY | O_CLOEXEC);
	ssize_t n;
	if (fd < 0)
		return -1;
	n = read(fd, buf, cap - 1);
	close(fd);
	if (n <= 0)
		return -1;
	buf[n] = 0;
	return 0;
}

/* The daemon's RSS (kB) and CPU time (s) from its /proc directory; -1 on failure. */
static int daemon_sample(int procfd, long *rss_kb, double *cpu_s)
{
	char buf[4096];
	unsigned long long ut, st;
	char *p;

	if (read_proc(procfd, "status", buf, sizeof(buf)) || !(p = strstr(buf, "\nVmRSS:")) || sscanf(p + 7, "%ld", rss_kb) != 1)
		return -1;
	/* fields after the command name: state is field 3, utime 14, stime 15 */
	if (read_proc(procfd, "stat", buf, sizeof(buf)) || !(p = strrchr(buf, ')')) ||
	    sscanf(p + 2, "%*c %*d %*d %*d %*d %*d %*u %*u %*u %*u %*u %llu %llu", &ut, &st) != 2)
		return -1;
	*cpu_s = (double)(ut + st) / (double)sysconf(_SC_CLK_TCK);
	return 0;
}

static uint64_t total_cycles(const struct shared *sh, int n)
{
	uint64_t t = 0;
	for (int i = 0; i < n; i++)
		t += __atomic_load_n(&sh->cycles[i], __ATOMIC_RELAXED);
	return t;
}

static int num_arg(const char *opt, const char *v, double lo, double hi, double *out)
{
	char *end;
	errno = 0;
	double d = v ? strtod(v, &end) : 0;
	if (!v || !*v || *end || errno || d < lo || d > hi) {
		fprintf(stderr, "churn: %s needs a number in %g..%g, got \"%s\"\n", opt, lo, hi, v ? v : "");
		return -1;
	}
	*out = d;
	return 0;
}

int main(int argc, char **argv)
{
	double clients = 8, secs = 30, warm = 6, win = 12, tol = 10;
	int c;

	while ((c = getopt(argc, argv, ":n:s:u:w:t:rh")) != -1) {
		int r = 0;
		switch (c) {
		case 'n': r = num_arg("-n", optarg, 1, MAX_CLIENTS, &clients); break;
		case 's': r = num_arg("-s", optarg, 1, 3600, &secs); break;
		case 'u': r = num_arg("-u", optarg, 0, 3600, &warm); break;
		case 'w': r = num_arg("-w", optarg, 1, 3600, &win); break;
		case 't': r = num_arg("-t", optarg, 0, 1000, &tol); break;
		case 'r': racing = true; break;
		case 'h':
			printf("usage: churn [-n CLIENTS] [-s SECONDS] [-u WARMUP] [-w WINDOW] [-t TOL%%] [-r]  (inside mockenv --bench)\n");
			return 0;
		case ':': fprintf(stderr, "churn: -%c needs a value\n", optopt); return 2;
		default: fprintf(stderr, "churn: unknown option -%c\n", optopt); return 2;
		}
		if (r)
			return 2;
	}
	int nwin = (int)((secs - warm) / win);
	if (optind != argc || nwin < 2 || nwin > MAX_WINDOWS) {
		fprintf(stderr, "churn: need at least 2 windows of -w seconds after the -u warm-up within -s (got %d)\n", nwin);
		return 2;
	}
	const char *e = getenv("TEEABI_MOCKFS_PROC_FD");
	char *end;
	long pfd = e ? strtol(e, &end, 10) : -1;
	long rss0;
	double cpu0;
	if (!e || *end || pfd < 0 || pfd > INT_MAX || daemon_sample((int)pfd, &rss0, &cpu0)) {
		fprintf(stderr, "churn: no daemon to watch (TEEABI_MOCKFS_PROC_FD unset or stale: run inside mockenv --bench)\n");
		return 2;
	}
	struct stat st;
	if (stat(TEEABI_TSM_REPORT_ROOT, &st) < 0) {
		fprintf(stderr, "churn: %s: %s (a profile with configfs-tsm is needed)\n", TEEABI_TSM_REPORT_ROOT, strerror(errno));
		return 2;
	}
	struct shared *sh = mmap(NULL, sizeof(*sh), PROT_READ | PROT_WRITE, MAP_SHARED | MAP_ANONYMOUS, -1, 0);
	if (sh == MAP_FAILED) {
		perror("churn: mmap");
		return 2;
	}
	int n = (int)clients;
	pid_t pids[MAX_CLIENTS];
	fflush(NULL);
	for (int i = 0; i < n; i++) {
		pids[i] = fork();
		if (pids[i] < 0) {
			perror("churn: fork");
			sh->stop = 1;
			n = i;
			break;
		}
		if (pids[i] == 0)
			client_main(sh, i);
	}
	double t0 = now();
	uint64_t cyc[MAX_WINDOWS + 1];
	long rss[MAX_WINDOWS + 1];
	double cpu[MAX_WINDOWS + 1], tw[MAX_WINDOWS + 1];
	bool sampled = true;
	printf("churn: %d clients, %.0f s warm-up, %d windows of %.0f s\n", n, warm, nwin, win);
	for (int w = 0; w <= nwin && sampled; w++) {
		sleep_until(t0 + warm + win * w);
		tw[w] = now();
		cyc[w] = total_cycles(sh, n);
		sampled = daemon_sample((int)pfd, &rss[w], &cpu[w]) == 0;
		if (!sampled)
			fprintf(stderr, "churn: the daemon's /proc entry went away (daemon died?)\n");
		else if (w > 0) {
			uint64_t dc = cyc[w] - cyc[w - 1];
			printf("window %d: %llu cycles (%.0f per 10 s), daemon RSS %ld kB, daemon CPU %.3f ms/cycle\n", w,
			       (unsigned long long)dc, (double)dc * 10.0 / (tw[w] - tw[w - 1]), rss[w],
			       dc ? (cpu[w] - cpu[w - 1]) * 1000.0 / (double)dc : 0.0);
		}
		fflush(stdout);
	}
	__atomic_store_n(&sh->stop, 1, __ATOMIC_RELAXED);
	int bad = 0;
	for (int i = 0; i < n; i++) {
		int s;
		if (waitpid(pids[i], &s, 0) != pids[i] || !WIFEXITED(s) || WEXITSTATUS(s))
			bad++;
	}
	if (bad || !sampled) {
		printf("churn: FAIL: %d client(s) failed a cycle%s\n", bad, sampled ? "" : ", daemon not sampled");
		return 1;
	}
	double r1 = (double)(cyc[1] - cyc[0]) / (tw[1] - tw[0]), rl = (double)(cyc[nwin] - cyc[nwin - 1]) / (tw[nwin] - tw[nwin - 1]);
	double drss = 100.0 * (double)(rss[nwin] - rss[1]) / (double)rss[1];
	double dthr = r1 > 0 ? 100.0 * (rl - r1) / r1 : -100.0;
	bool ok = drss <= tol && dthr >= -tol && cyc[1] > cyc[0];
	printf("churn: %s: first window %.0f cycles/10 s, RSS %ld kB; last window %.0f cycles/10 s (%+.1f%%), RSS %ld kB (%+.1f%%); "
	       "%llu cycles in all, tolerance %.0f%%\n",
	       ok ? "PASS" : "FAIL", r1 * 10, rss[1], rl * 10, dthr, rss[nwin], drss, (unsigned long long)total_cycles(sh, n), tol);
	return ok ? 0 : 1;
}
