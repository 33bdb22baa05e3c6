/* SPDX-License-Identifier: Apache-2.0 */
/*
 * tools/run/proc.c - the processes of a run. Every job is a process group of its own whose
 * output the event loop copies into a checked log file; the run is the subreaper of all its
 * descendants, so nothing it started outlives the verdict: a job's group is SIGKILLed when
 * its leader exits and reap_all() kills and reaps whatever escaped before the verdict.
 * Termination signals arrive through a signalfd and are forwarded, never acted on in a
 * handler. The inner runner (inner_main) runs one job's suites in sequence.
 */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/signalfd.h>
#include <sys/wait.h>
#include <unistd.h>
#include "run.h"
#include "termsigs.h"

#define PIPE_GRACE_S 2.0   /* output a descendant keeps open after its leader exited */

static int sfd = -1;
static sigset_t orig_mask;

const char *sig_name(int sig)
{
	static char buf[16];
	const char *a = sigabbrev_np(sig);
	if (a) {
		snprintf(buf, sizeof(buf), "SIG%s", a);
		return buf;
	}
	snprintf(buf, sizeof(buf), "signal %d", sig);
	return buf;
}

static int status_code(int st)
{
	if (WIFEXITED(st))
		return WEXITSTATUS(st);
	if (WIFSIGNALED(st))
		return 128 + WTERMSIG(st);
	return 1;
}

/* The first thing main() does: a termination signal that comes before the event loop is
   set up (while old reports are removed, tests listed) stays pending for the signalfd
   instead of killing the run without a word. */
void run_signals_block_early(void)
{
	sigset_t m;
	run_termsigs(&m);
	sigprocmask(SIG_BLOCK, &m, NULL);
}

int loop_init(void)
{
	sigset_t m;
	run_termsigs(&m);
	sigaddset(&m, SIGCHLD);
	if (sigprocmask(SIG_BLOCK, &m, &orig_mask) < 0)
		return -1;
	/* run_signals_block_early() (or run_all.sh's launcher) may have blocked them already:
	   the jobs still get them unblocked */
	for (int i = 1; i < NSIG; i++)
		if (sigismember(&m, i) == 1)
			sigdelset(&orig_mask, i);
	signal(SIGPIPE, SIG_IGN);
	sfd = signalfd(-1, &m, SFD_CLOEXEC | SFD_NONBLOCK);
	if (sfd < 0)
		return -1;
	/* orphans of our jobs become our children, so we can reap them before the verdict */
	if (prctl(PR_SET_CHILD_SUBREAPER, 1) < 0)
		return -1;
	return 0;
}

static void child_exec_setup(int out_w, const char *cwd, char *const envadd[])
{
	setpgid(0, 0);
	int nul = open("/dev/null", O_RDONLY);
	if (nul >= 0 && nul != 0) {
		dup2(nul, 0);
		close(nul);
	}
	if (out_w >= 0) {
		dup2(out_w, 1);
		dup2(out_w, 2);
	}
	signal(SIGPIPE, SIG_DFL);
	sigprocmask(SIG_SETMASK, &orig_mask, NULL);
	if (cwd && chdir(cwd) < 0) {
		dprintf(2, "%s: chdir %s: %s\n", run_prog, cwd, strerror(errno));
		_exit(127);
	}
	for (int i = 0; envadd && envadd[i]; i++) {
		const char *eq = strchr(envadd[i], '=');
		if (!eq)
			continue;
		char key[128];
		size_t kl = (size_t)(eq - envadd[i]);
		if (kl >= sizeof(key))
			continue;
		memcpy(key, envadd[i], kl);
		key[kl] = 0;
		if (eq[1])
			setenv(key, eq + 1, 1);
		else
			unsetenv(key);
	}
}

int child_start(struct child *c, char *const argv[], char *const envadd[], const char *log_path, const char *cwd)
{
	int op[2] = { -1, -1 };
	memset(c, 0, sizeof(*c));
	c->out_fd = -1;
	c->log.fd = -1;
	if (log_path) {
		if (wf_open(&c->log, log_path) < 0)
			return -1;
		c->log_open = true;
	}
	if (pipe2(op, O_CLOEXEC) < 0) {
		fprintf(stderr, "%s: pipe: %s\n", run_prog, strerror(errno));
		goto fail;
	}
	fflush(NULL);
	pid_t pid = fork();
	if (pid < 0) {
		fprintf(stderr, "%s: fork: %s\n", run_prog, strerror(errno));
		goto fail;
	}
	if (pid == 0) {
		child_exec_setup(op[1], cwd, envadd);
		execv(argv[0], argv);
		dprintf(2, "%s: cannot run %s: %s\n", run_prog, argv[0], strerror(errno));
		_exit(127);
	}
	setpgid(pid, pid);
	close(op[1]);
	c->pid = pid;
	c->out_fd = op[0];
	fcntl(c->out_fd, F_SETFL, O_NONBLOCK);
	c->t0 = now_s();
	return 0;
fail:
	for (int i = 0; i < 2; i++)
		if (op[i] >= 0)
			close(op[i]);
	if (c->log_open)
		wf_abort(&c->log);
	c->log_open = false;
	return -1;
}

static void out_lines(struct child *c, const char *b, size_t n, bool eof)
{
	if (!c->line_cb)
		return;
	for (size_t i = 0; i < n; i++) {
		if (b[i] == '\n' || c->llen == sizeof(c->lbuf) - 1) {
			c->lbuf[c->llen] = 0;
			c->line_cb(c->lbuf, c->line_ctx);
			c->llen = 0;
			if (b[i] == '\n')
				continue;
		}
		c->lbuf[c->llen++] = b[i];
	}
	if (eof && c->llen) {
		c->lbuf[c->llen] = 0;
		c->line_cb(c->lbuf, c->line_ctx);
		c->llen = 0;
	}
}

static void drain(struct child *c, int *fdp)
{
	char b[16384];
	for (;;) {
		ssize_t k = read(*fdp, b, sizeof(b));
		if (k < 0 && errno == EINTR)
			continue;
		if (k < 0 && errno == EAGAIN)
			return;
		if (k <= 0) {
			close(*fdp);
			*fdp = -1;
			out_lines(c, "", 0, true);
			return;
		}
		if (c->log_open)
			wf_write(&c->log, b, (size_t)k);
		out_lines(c, b, (size_t)k, false);
	}
}

static void reap_some(struct child **cs, int n)
{
	for (;;) {
		int st;
		pid_t p = waitpid(-1, &st, WNOHANG);
		if (p <= 0)
			return;
		for (int i = 0; i < n; i++) {
			if (cs[i] && cs[i]->pid == p && !cs[i]->exited) {
				cs[i]->exited = true;
				cs[i]->status = st;
				cs[i]->t_exit = now_s();
				/* whatever the job left in its group dies with it */
				kill(-p, SIGKILL);
			}
		}
	}
}

int loop_wait(struct child **cs, int n, int timeout_ms)
{
	struct pollfd *pf = calloc((size_t)(n + 1), sizeof(*pf));
	int *who = calloc((size_t)(n + 1), sizeof(int));
	if (!pf || !who)
		abort();
	int k = 0, sig = 0;
	pf[k].fd = sfd;
	pf[k++].events = POLLIN;
	double now = now_s();
	for (int i = 0; i < n; i++) {
		struct child *c = cs[i];
		if (!c || !c->pid)
			continue;
		if (c->exited && now - c->t_exit > PIPE_GRACE_S) {
			/* a descendant that left the group keeps the pipe: stop waiting for it */
			if (c->out_fd >= 0)
				drain(c, &c->out_fd);
			if (c->out_fd >= 0) {
				close(c->out_fd);
				c->out_fd = -1;
				out_lines(c, "", 0, true);
			}
			continue;
		}
		if (c->out_fd >= 0) {
			who[k] = i;
			pf[k].fd = c->out_fd;
			pf[k++].events = POLLIN;
		}
		if (c->exited && timeout_ms > 500)
			timeout_ms = 500;
	}
	int r = poll(pf, (nfds_t)k, timeout_ms);
	if (r > 0) {
		for (int j = 1; j < k; j++) {
			if (!pf[j].revents)
				continue;
			struct child *c = cs[who[j]];
			drain(c, &c->out_fd);
		}
		if (pf[0].revents) {
			struct signalfd_siginfo si;
			while (read(sfd, &si, sizeof(si)) == (ssize_t)sizeof(si)) {
				if (si.ssi_signo != SIGCHLD && !sig)
					sig = (int)si.ssi_signo;
			}
		}
	}
	reap_some(cs, n);
	free(pf);
	free(who);
	return sig;
}

int loop_poll_signal(void)
{
	struct signalfd_siginfo si;
	int sig = 0;
	while (sfd >= 0 && read(sfd, &si, sizeof(si)) == (ssize_t)sizeof(si))
		if (si.ssi_signo != SIGCHLD && !sig)
			sig = (int)si.ssi_signo;
	return sig;
}

bool child_done(const struct child *c)
{
	return c->pid && c->exited && c->out_fd < 0;
}

void child_finish(struct child *c)
{
	if (c->log_open) {
		wf_commit(&c->log, false);
		c->log_open = false;
	}
}

/* Our direct children (/proc/self/task/<tid>/children), at most max. */
static int list_children(pid_t *out, int max)
{
	char path[64];
	snprintf(path, sizeof(path), "/proc/self/task/%d/children", (int)getpid());
	FILE *f = fopen(path, "re");
	if (!f)
		return -1;
	int n = 0;
	long v;
	while (n < max && fscanf(f, "%ld", &v) == 1)
		out[n++] = (pid_t)v;
	fclose(f);
	return n;
}

void reap_all(void)
{
	double t0 = now_s();
	for (;;) {
		pid_t kids[256];
		int n = list_children(kids, 256);
		for (int i = 0; i < n; i++) {
			kill(-kids[i], SIGKILL);
			kill(kids[i], SIGKILL);
		}
		int st;
		pid_t p;
		while ((p = waitpid(-1, &st, WNOHANG)) > 0)
			;
		if (p < 0 && errno == ECHILD)
			return;
		if (now_s() - t0 > 10) {
			fprintf(stderr, "%s: warning: descendants still alive after 10 s of SIGKILL\n", run_prog);
			return;
		}
		usleep(10000);
	}
}

int run_capture(char *const argv[], char **out, size_t cap, char **err_out, int timeout_s)
{
	int op[2], ep[2];
	*out = NULL;
	if (err_out)
		*err_out = NULL;
	if (pipe2(op, O_CLOEXEC) < 0)
		return -1;
	if (pipe2(ep, O_CLOEXEC) < 0) {
		close(op[0]);
		close(op[1]);
		return -1;
	}
	fflush(NULL);
	pid_t pid = fork();
	if (pid < 0) {
		close(op[0]), close(op[1]), close(ep[0]), close(ep[1]);
		return -1;
	}
	if (pid == 0) {
		child_exec_setup(-1, NULL, NULL);
		dup2(op[1], 1);
		dup2(ep[1], 2);
		execv(argv[0], argv);
		dprintf(2, "cannot run %s: %s\n", argv[0], strerror(errno));
		_exit(127);
	}
	close(op[1]);
	close(ep[1]);
	char *buf[2] = { NULL, NULL };
	size_t len[2] = { 0, 0 };
	int fds[2] = { op[0], ep[0] };
	double t0 = now_s();
	bool killed = false;
	while (fds[0] >= 0 || fds[1] >= 0) {
		struct pollfd pf[2];
		int k = 0;
		for (int i = 0; i < 2; i++)
			if (fds[i] >= 0)
				pf[k].fd = fds[i], pf[k++].events = POLLIN;
		int r = poll(pf, (nfds_t)k, 200);
		if (now_s() - t0 > timeout_s && !killed) {
			kill(-pid, SIGKILL);
			kill(pid, SIGKILL);
			killed = true;
		}
		if (r <= 0) {
			if (killed && now_s() - t0 > timeout_s + 2)
				break;
			continue;
		}
		for (int j = 0; j < k; j++) {
			if (!pf[j].revents)
				continue;
			int i = pf[j].fd == fds[0] ? 0 : 1;
			char b[8192];
			ssize_t n = read(fds[i], b, sizeof(b));
			if (n < 0 && errno == EINTR)
				continue;
			if (n <= 0) {
				close(fds[i]);
				fds[i] = -1;
				continue;
			}
			if (len[i] + (size_t)n > cap)
				continue;
			char *nb = realloc(buf[i], len[i] + (size_t)n + 1);
			if (!nb)
				abort();
			buf[i] = nb;
			memcpy(buf[i] + len[i], b, (size_t)n);
			len[i] += (size_t)n;
			buf[i][len[i]] = 0;
		}
	}
	for (int i = 0; i < 2; i++)
		if (fds[i] >= 0)
			close(fds[i]);
	int st = 0;
	while (waitpid(pid, &st, 0) < 0 && errno == EINTR)
		;
	kill(-pid, SIGKILL);
	for (int i = 0; i < 2; i++)
		if (!buf[i] && (buf[i] = strdup("")) == NULL)
			abort();
	*out = buf[0];
	if (err_out)
		*err_out = buf[1];
	else
		free(buf[1]);
	return killed ? 128 + SIGKILL : status_code(st);
}

/* ------------------------------------------------------------------ inner runner */

static volatile sig_atomic_t inner_sig;
static volatile pid_t inner_child;

static void inner_on_signal(int sig)
{
	if (!inner_sig)
		inner_sig = sig;
	if (inner_child > 0)
		kill(inner_child, sig);
}

/* One suite: output into its log (checked), exit status. Returns the status code. */
static int inner_one(char *const argv[], const char *log_path, char *logerr, size_t errlen, double *secs)
{
	int op[2];
	struct wfile log;
	logerr[0] = 0;
	if (wf_open(&log, log_path) < 0) {
		snprintf(logerr, errlen, "%s", run_io_last());
		return -1;
	}
	if (pipe2(op, O_CLOEXEC) < 0) {
		wf_abort(&log);
		snprintf(logerr, errlen, "pipe: %s", strerror(errno));
		return -1;
	}
	double t0 = now_s();
	fflush(NULL);
	pid_t pid = fork();
	if (pid < 0) {
		close(op[0]);
		close(op[1]);
		wf_abort(&log);
		snprintf(logerr, errlen, "fork: %s", strerror(errno));
		return -1;
	}
	if (pid == 0) {
		child_exec_setup(op[1], NULL, NULL);
		signal(SIGTERM, SIG_DFL);
		signal(SIGINT, SIG_DFL);
		signal(SIGHUP, SIG_DFL);
		execv(argv[0], argv);
		dprintf(2, "%s: cannot run %s: %s\n", run_prog, argv[0], strerror(errno));
		_exit(127);
	}
	setpgid(pid, pid);
	inner_child = pid;
	if (inner_sig)
		kill(pid, inner_sig);
	close(op[1]);
	int st = 0;
	bool exited = false;
	double t_exit = 0;
	for (;;) {
		struct pollfd pf = { .fd = op[0], .events = POLLIN };
		int r = poll(&pf, 1, 200);
		if (r > 0) {
			char b[16384];
			ssize_t k = read(op[0], b, sizeof(b));
			if (k < 0 && errno == EINTR)
				continue;
			if (k <= 0)
				break;
			wf_write(&log, b, (size_t)k);
		}
		if (!exited) {
			pid_t p = waitpid(pid, &st, WNOHANG);
			if (p == pid) {
				exited = true;
				t_exit = now_s();
				inner_child = 0;
				kill(-pid, SIGKILL); /* the suite's leftovers */
			}
		} else if (now_s() - t_exit > PIPE_GRACE_S) {
			break;
		}
	}
	close(op[0]);
	if (!exited) {
		while (waitpid(pid, &st, 0) < 0 && errno == EINTR)
			;
		inner_child = 0;
		kill(-pid, SIGKILL);
	}
	*secs = now_s() - t0;
	if (wf_commit(&log, false) < 0)
		snprintf(logerr, errlen, "%s", run_io_last());
	return status_code(st);
}

/* teeabi-run --_job KEY RAWDIR LOGDIR SUITESDIR SUITE... -- [SUITE ARGS...]
 * Status lines in RAWDIR/KEY.status: "SUITE<TAB>EXIT<TAB>SECONDS<TAB>LOGERROR-or--" (a file, not a
 * pipe: nothing depends on mockenv passing descriptors through). */
int inner_main(int argc, char **argv)
{
	if (argc < 7) {
		fprintf(stderr, "%s: --_job is internal\n", run_prog);
		return 2;
	}
	const char *key = argv[2], *raw = argv[3], *logs = argv[4], *sdir = argv[5];
	char stpath[4096];
	snprintf(stpath, sizeof(stpath), "%s/%s.status", raw, key);
	int stfd = open(stpath, O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC, 0644);
	if (stfd < 0) {
		run_io_error(stpath, "open", errno);
		return 1;
	}
	int first = 6, sep = -1;
	for (int i = first; i < argc; i++)
		if (!strcmp(argv[i], "--")) {
			sep = i;
			break;
		}
	if (sep < 0) {
		fprintf(stderr, "%s: --_job: no --\n", run_prog);
		return 2;
	}
	static const int fwd[] = { SIGTERM, SIGINT, SIGHUP };
	struct sigaction sa = { .sa_handler = inner_on_signal };
	for (size_t i = 0; i < sizeof(fwd) / sizeof(fwd[0]); i++)
		sigaction(fwd[i], &sa, NULL);
	signal(SIGPIPE, SIG_IGN);
	int nextra = argc - sep - 1;
	for (int i = first; i < sep; i++) {
		const char *s = argv[i];
		char path[4096], tap[4096], xml[4096], log[4096], logerr[600];
		snprintf(path, sizeof(path), "%s/%s", sdir, s);
		snprintf(tap, sizeof(tap), "%s/%s__%s.tap", raw, key, s);
		snprintf(xml, sizeof(xml), "%s/%s__%s.xml", raw, key, s);
		snprintf(log, sizeof(log), "%s/%s__%s.log", logs, key, s);
		int rc = -1;
		double secs = 0;
		logerr[0] = 0;
		if (!inner_sig) {
			char **av = calloc((size_t)nextra + 6, sizeof(char *));
			if (!av)
				abort();
			int k = 0;
			av[k++] = path;
			av[k++] = "--tap";
			av[k++] = tap;
			av[k++] = "--junit";
			av[k++] = xml;
			for (int j = 0; j < nextra; j++)
				av[k++] = argv[sep + 1 + j];
			rc = inner_one(av, log, logerr, sizeof(logerr), &secs);
			free(av);
		}
		for (char *q = logerr; *q; q++)
			if (*q == '\t' || *q == '\n')
				*q = ' ';
		char line[1024];
		int n = snprintf(line, sizeof(line), "%s\t%d\t%.3f\t%s\n", s, rc, secs, logerr[0] ? logerr : "-");
		if (n >= (int)sizeof(line))
			n = sizeof(line) - 1, line[n - 1] = '\n';
		if (write(stfd, line, (size_t)n) != n) {
			run_io_error(stpath, "write", errno ? errno : EIO);
			close(stfd);
			return 1;
		}
	}
	if (close(stfd) < 0) {
		run_io_error(stpath, "close", errno);
		return 1;
	}
	return inner_sig ? 128 + inner_sig : 0;
}
