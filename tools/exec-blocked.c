/* SPDX-License-Identifier: Apache-2.0 */
/*
 * exec-blocked - run_all.sh's last step: `exec-blocked PROGRAM ARGV0 [ARG...]` blocks
 * SIGTERM, SIGINT and SIGHUP, then execs PROGRAM with argv[0] = ARGV0. A blocked signal
 * stays pending across execve, so one that comes while teeabi-run is still loading (its
 * sanitizer runtime takes milliseconds before main) is read from its signalfd and reported
 * as an interruption, instead of killing it with no word (bash resets its traps at exec).
 * Static and without sanitizers, so its own start is as short as a process start can be.
 */
#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>
#include "run/termsigs.h"

int main(int argc, char **argv)
{
	sigset_t m;
	run_termsigs(&m);
	sigprocmask(SIG_BLOCK, &m, NULL);
	if (argc < 3) {
		fprintf(stderr, "usage: exec-blocked PROGRAM ARGV0 [ARG...]\n");
		return 2;
	}
	execv(argv[1], argv + 2);
	fprintf(stderr, "exec-blocked: cannot run %s: %s\n", argv[1], strerror(errno));
	return 127;
}
