/* SPDX-License-Identifier: Apache-2.0 */
/*
 * bench_process - whole programs as processes: each command is run N times (fork, exec,
 * wait4), interleaved with the others, and its median wall time and median CPU time (user +
 * system of the child, from wait4: what the run cost whatever else the machine was doing)
 * are printed. The first command is the one judged: with --target-ratio R it must take at
 * most R times the CPU time of the second (exit 1 otherwise); without, nothing is judged.
 *
 *   bench_process [-n N] [--target-ratio R] -- CMD1 ARGS... -- CMD2 ARGS... [-- CMD3 ...]
 *
 * A command's stdout goes to /dev/null; one that exits non-zero is a failure (exit 1).
 */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>
#include "bench.h"

#define MAX_CMDS 8
#define MAX_RUNS 2000

struct cmd {
	char **argv;
	double wall[MAX_RUNS], cpu[MAX_RUNS];
};

/* One run; 0, or -1 when it could not run or exited non-zero. */
static int run(struct cmd *c, int i)
{
	double t0 = bench_now_ns();
	pid_t pid = fork();
	if (pid < 0)
		return -1;
	if (pid == 0) {
		int fd = open("/dev/null", O_WRONLY);
		if (fd >= 0)
			dup2(fd, 1);
		execvp(c->argv[0], c->argv);
		_exit(127);
	}
	int st;
	struct rusage ru;
	while (wait4(pid, &st, 0, &ru) < 0)
		if (errno != EINTR)
			return -1;
	c->wall[i] = bench_now_ns() - t0;
	c->cpu[i] = (double)(ru.ru_utime.tv_sec + ru.ru_stime.tv_sec) * 1e9 +
		    (double)(ru.ru_utime.tv_usec + ru.ru_stime.tv_usec) * 1e3;
	return WIFEXITED(st) && WEXITSTATUS(st) == 0 ? 0 : -1;
}

int main(int argc, char **argv)
{
	int n = 200, nc = 0;
	double target = 0;
	struct cmd *cmds = calloc(MAX_CMDS, sizeof(*cmds));
	if (!cmds)
		return 2;
	int i = 1;
	for (; i < argc && strcmp(argv[i], "--"); i++) {
		if (!strcmp(argv[i], "-n") && i + 1 < argc)
			n = atoi(argv[++i]);
		else if (!strcmp(argv[i], "--target-ratio") && i + 1 < argc)
			target = atof(argv[++i]);
		else
			goto usage;
	}
	while (i < argc && !strcmp(argv[i], "--")) {
		argv[i++] = NULL; /* ends the previous command's argv */
		if (i >= argc || !strcmp(argv[i], "--") || nc == MAX_CMDS)
			goto usage;
		cmds[nc++].argv = &argv[i];
		while (i < argc && strcmp(argv[i], "--"))
			i++;
	}
	if (nc < 2 || n < 1 || n > MAX_RUNS)
		goto usage;
	for (int k = 0; k < n; k++)
		for (int c = 0; c < nc; c++)
			if (run(&cmds[c], k)) {
				fprintf(stderr, "bench_process: %s failed (run %d)\n", cmds[c].argv[0], k);
				return 1;
			}
	double cpu0 = 0, cpu1 = 0;
	for (int c = 0; c < nc; c++) {
		double w = bench_median(cmds[c].wall, n), u = bench_median(cmds[c].cpu, n);
		if (c == 0)
			cpu0 = u;
		if (c == 1)
			cpu1 = u;
		printf("%-60.60s wall %8.0f us  cpu %8.0f us (medians of %d)\n", cmds[c].argv[0], w / 1e3, u / 1e3, n);
	}
	double ratio = cpu1 > 0 ? cpu0 / cpu1 : 0;
	if (target > 0) {
		printf("cpu ratio %s / %s: %.2fx, target <= %.2fx: %s\n", cmds[0].argv[0], cmds[1].argv[0], ratio, target,
		       ratio <= target ? "PASS" : "FAIL");
		return ratio <= target ? 0 : 1;
	}
	printf("cpu ratio %s / %s: %.2fx (not judged)\n", cmds[0].argv[0], cmds[1].argv[0], ratio);
	return 0;
usage:
	fprintf(stderr, "usage: bench_process [-n N] [--target-ratio R] -- CMD1 ARGS... -- CMD2 ARGS... [-- ...]\n");
	return 2;
}
