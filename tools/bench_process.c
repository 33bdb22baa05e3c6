/* SPDX-License-Identifier: Apache-2.0 */
/*
 * bench_process - whole programs as processes: each command is run N times (fork, exec,
 * wait4), interleaved with the others, and its median wall time and median CPU time (user +
 * system of the child, from wait4: what the run cost whatever else the machine was doing)
 * are printed. The first command is the one judged: with --target-ratio R its median wall
 * time and its median CPU time must each be at most R times the second's (exit 1
 * otherwise); without, nothing is judged.
 *
 *   bench_process [-n N] [--target-ratio R] -- CMD1 ARGS... -- CMD2 ARGS... [-- CMD3 ...]
 *
 * A command's stdout goes to /dev/null; one that exits non-zero is a failure (exit 1).
 */
#include <errno.h>
#include <fcntl.h>
#include <stdbool.h>
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
	char label[61]; /* the command line, cut to fit */
	double wall[MAX_RUNS], cpu[MAX_RUNS];
};

/* c->label: the words of the command (up to the next "--"), as many as fit. */
static void set_label(struct cmd *c, char **words, int n)
{
	size_t used = 0;
	for (int k = 0; k < n && strcmp(words[k], "--") && used + 1 < sizeof(c->label); k++) {
		int w = snprintf(c->label + used, sizeof(c->label) - used, "%s%s", used ? " " : "", words[k]);
		used = w < 0 ? used : used + (size_t)w < sizeof(c->label) ? used + (size_t)w : sizeof(c->label) - 1;
	}
}

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
		cmds[nc].argv = &argv[i];
		set_label(&cmds[nc++], argv + i, argc - i);
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
	double wall[2] = { 0, 0 }, cpu[2] = { 0, 0 };
	for (int c = 0; c < nc; c++) {
		double w = bench_median(cmds[c].wall, n), u = bench_median(cmds[c].cpu, n);
		if (c < 2) {
			wall[c] = w;
			cpu[c] = u;
		}
		printf("%-60.60s wall %8.0f us  cpu %8.0f us (medians of %d)\n", cmds[c].label, w / 1e3, u / 1e3, n);
	}
	double rw = wall[1] > 0 ? wall[0] / wall[1] : 0, rc = cpu[1] > 0 ? cpu[0] / cpu[1] : 0;
	if (target > 0) {
		bool ok = rw > 0 && rc > 0 && rw <= target && rc <= target;
		printf("ratio first / second: wall %.3fx, cpu %.3fx, target <= %.2fx each: %s\n",
		       rw, rc, target, ok ? "PASS" : "FAIL");
		return ok ? 0 : 1;
	}
	printf("ratio first / second: wall %.3fx, cpu %.3fx (not judged)\n", rw, rc);
	return 0;
usage:
	fprintf(stderr, "usage: bench_process [-n N] [--target-ratio R] -- CMD1 ARGS... -- CMD2 ARGS... [-- ...]\n");
	return 2;
}
