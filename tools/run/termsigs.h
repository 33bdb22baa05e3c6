/* SPDX-License-Identifier: Apache-2.0 */
/* tools/run/termsigs.h - the termination signals a run turns into an interruption (SIGTERM,
 * SIGINT, SIGHUP): one set for teeabi-run (tools/run/proc.c) and for run_all.sh's launcher
 * (tools/exec-blocked.c, which links nothing else of the project). */
#ifndef TEEABI_RUN_TERMSIGS_H
#define TEEABI_RUN_TERMSIGS_H
#include <signal.h>

static inline void run_termsigs(sigset_t *m)
{
	sigemptyset(m);
	sigaddset(m, SIGTERM);
	sigaddset(m, SIGINT);
	sigaddset(m, SIGHUP);
}
#endif
