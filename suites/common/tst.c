/* SPDX-License-Identifier: Apache-2.0 */
/*
 * suites/common/tst.c - runner of the conformance suites: options, profile, requirement
 * checks, one forked child per test with a timeout, result aggregation, parent-side
 * cleanup, TAP 13 on stdout and --tap/--junit files (see tst.h for the contract).
 *
 * Child -> parent protocol: one line per event on a pipe, "<T> <text>\n" with T one of
 * P F S B I (results and diagnostics), R <path> (rmdir on cleanup), M <octal> <path>
 * (chmod on cleanup). Lines are short (< PIPE_BUF), so each write is atomic, and a line
 * written before the child died is still read by the parent (it drains the pipe).
 *
 * The parent keeps SIGTERM, SIGHUP, SIGINT, SIGQUIT and SIGPIPE blocked for its whole life
 * and reads them from a signalfd between steps: it is never interrupted half-way through
 * its own configfs probe or a cleanup, and an interruption ends the running test (its
 * process group is killed), runs every registered cleanup, records the running and the
 * remaining tests as BROK, writes the result files and exits 128+N.
 */
#include "tst.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <fnmatch.h>
#include <getopt.h>
#include <poll.h>
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/signalfd.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "teeabi/abi.h"
#include "teeabi/file.h"
#include "teeabi/version.h"

#define MSG_MAX 900
#define DIAG_MAX 16384

const struct teeabi_profile *tst_profile;
bool tst_allow_destructive;

static struct teeabi_profile g_profile;
static int g_pipe = -1;          /* child side */
static int g_fails;              /* child side */
static const char *g_area;

/* ---------------------------------------------------------------- child side */
/* Returns false when the line was cut (too long) or could not be sent whole. */
static bool send_line(char type, const char *text)
{
	char line[MSG_MAX + 8];
	int n = snprintf(line, sizeof(line), "%c %s", type, text);
	bool whole = true;
	if (n < 0)
		return false;
	if ((size_t)n >= sizeof(line) - 1) {
		n = (int)sizeof(line) - 2;
		whole = false;
	}
	for (int i = 2; i < n; i++)
		if (line[i] == '\n' || line[i] == '\r')
			line[i] = ' ';
	line[n++] = '\n';
	if (g_pipe < 0) { /* not inside a test (should not happen): print as diagnostic */
		fprintf(stderr, "%.*s", n, line);
		return false;
	}
	return write(g_pipe, line, (size_t)n) == n && whole;
}

static void vres(enum tst_result r, const char *file, int line, const char *fmt, va_list ap)
{
	char msg[MSG_MAX];
	vsnprintf(msg, sizeof(msg), fmt, ap);
	static const char code[] = { [TST_PASS] = 'P', [TST_SKIP] = 'S', [TST_FAIL] = 'F', [TST_BROK] = 'B', [TST_INFO] = 'I' };
	if (r == TST_FAIL)
		g_fails++;
	if (r == TST_BROK) {
		char m2[MSG_MAX + 64];
		const char *b = strrchr(file, '/');
		snprintf(m2, sizeof(m2), "%s (%s:%d)", msg, b ? b + 1 : file, line);
		send_line(code[r], m2);
		return;
	}
	send_line(code[r], msg);
}

void tst_res_(enum tst_result r, const char *file, int line, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	vres(r, file, line, fmt, ap);
	va_end(ap);
}

void tst_brk_(enum tst_result r, const char *file, int line, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	vres(r, file, line, fmt, ap);
	va_end(ap);
	/* _exit: the test stops mid-way, so what it allocated is not a leak to report. */
	_exit(0);
}

int tst_fail_count(void) { return g_fails; }

/* A cleanup the parent did not get must not be followed by the mkdir / chmod it undoes. */
void tst_cleanup_rmdir(const char *path)
{
	if (!send_line('R', path))
		tst_brk(TST_BROK, "could not register the removal of %.200s (path too long or the suite is gone)", path);
}

void tst_cleanup_chmod(const char *path, mode_t mode)
{
	char buf[MSG_MAX + 8];
	snprintf(buf, sizeof(buf), "%04o %s", (unsigned)(mode & 07777), path);
	if (!send_line('M', buf))
		tst_brk(TST_BROK, "could not register restoring the mode of %.200s (path too long or the suite is gone)", path);
}

void tst_save_evidence(const char *name, const void *buf, size_t len)
{
	const char *dir = getenv("TEEABI_EVIDENCE_DIR");
	if (!dir || !*dir || !tst_profile)
		return;
	char path[4096];
	snprintf(path, sizeof(path), "%s/%s__%s", dir, tst_profile->name, name);
	int fd = open(path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
	if (fd < 0)
		return;
	const uint8_t *p = buf;
	while (len) {
		ssize_t w = write(fd, p, len);
		if (w <= 0)
			break;
		p += w;
		len -= (size_t)w;
	}
	close(fd);
	tst_info("evidence saved: %s__%s", tst_profile->name, name);
}

const char *tst_errno_name(int e)
{
	switch (e) {
#define E(x) case x: return #x;
	E(EPERM) E(ENOENT) E(EIO) E(ENXIO) E(EBADF) E(EAGAIN) E(ENOMEM) E(EACCES) E(EFAULT)
	E(EBUSY) E(EEXIST) E(ENODEV) E(ENOTDIR) E(EISDIR) E(EINVAL) E(ENOTTY) E(EFBIG)
	E(ENOSPC) E(ESPIPE) E(EROFS) E(ERANGE) E(ENOSYS) E(ENOTEMPTY) E(ETIMEDOUT) E(EINTR)
	E(EBADMSG) E(EOPNOTSUPP) E(ENOSR) E(E2BIG) E(ENAMETOOLONG) E(ENOTCONN) E(EDQUOT) E(EPIPE)
	E(EXDEV) E(ELOOP) E(EMFILE)
#undef E
	case 0: return "success";
	default: {
		static char buf[4][24];
		static int i;
		i = (i + 1) & 3;
		snprintf(buf[i], sizeof(buf[i]), "errno %d", e);
		return buf[i];
	}
	}
}

const char *tst_hex(const void *p, size_t n)
{
	static char ring[4][48];
	static int i;
	i = (i + 1) & 3;
	const uint8_t *b = p;
	size_t m = n > 16 ? 16 : n;
	char *o = ring[i];
	for (size_t k = 0; k < m; k++)
		sprintf(o + 2 * k, "%02x", b[k]);
	if (n > m)
		strcpy(o + 2 * m, "...");
	return ring[i];
}

ssize_t tst_read_file(const char *path, void *buf, size_t cap)
{
	int fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return -errno;
	size_t got = 0;
	while (got < cap) {
		ssize_t r = read(fd, (uint8_t *)buf + got, cap - got);
		if (r < 0) {
			int e = errno;
			close(fd);
			return -e;
		}
		if (r == 0)
			break;
		got += (size_t)r;
	}
	close(fd);
	return (ssize_t)got;
}

ssize_t tst_write_file(const char *path, const void *buf, size_t len)
{
	int fd = open(path, O_WRONLY | O_CLOEXEC);
	if (fd < 0)
		return -errno;
	ssize_t w = write(fd, buf, len);
	int e = errno;
	if (close(fd) < 0 && w >= 0)
		return -errno;
	return w < 0 ? -e : w;
}

bool tst_exists(const char *path)
{
	struct stat st;
	return lstat(path, &st) == 0;
}

const char *tst_unique_name(char *out, size_t len)
{
	static unsigned n;
	snprintf(out, len, "teeabi-%d-%u", (int)getpid(), n++);
	return out;
}

/* ---------------------------------------------------------------- parent side */
struct result {
	enum tst_result res;
	char reason[MSG_MAX];
	char *diag;     /* accumulated "# " lines, without the prefix */
	size_t diag_len;
	double secs;
	int npass, nfail, nskip, nbrok;
};

struct cleanup {
	char kind;      /* 'R' or 'M' */
	mode_t mode;
	char path[MSG_MAX];
};

/* What one test registered: grows as lines arrive; a test cannot register more than
 * CLEANUP_MAX undo actions (the next one makes the test BROK, it is not dropped silently:
 * the registration precedes the mkdir, so the entry may exist). */
#define CLEANUP_MAX 4096
struct cleanups {
	struct cleanup *c;
	int n, cap;
	bool overflow;
};

static void diag_add(struct result *r, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
static void diag_add(struct result *r, const char *fmt, ...)
{
	char line[MSG_MAX + 64];
	va_list ap;
	va_start(ap, fmt);
	int n = vsnprintf(line, sizeof(line), fmt, ap);
	va_end(ap);
	if (n < 0)
		return;
	if ((size_t)n >= sizeof(line))
		n = (int)sizeof(line) - 1;
	if (!r->diag) {
		r->diag = calloc(1, DIAG_MAX);
		if (!r->diag)
			return;
	}
	if (r->diag_len + (size_t)n + 2 >= DIAG_MAX)
		return;
	memcpy(r->diag + r->diag_len, line, (size_t)n);
	r->diag_len += (size_t)n;
	r->diag[r->diag_len++] = '\n';
	r->diag[r->diag_len] = 0;
}

static void set_result(struct result *r, enum tst_result res, const char *reason)
{
	/* Worst wins: BROK > FAIL > PASS > SKIP; the first reason of the winning kind stays. */
	static const int rank[] = { [TST_SKIP] = 0, [TST_PASS] = 1, [TST_FAIL] = 2, [TST_BROK] = 3 };
	if (r->res == TST_INFO || rank[res] > rank[r->res]) {
		r->res = res;
		snprintf(r->reason, sizeof(r->reason), "%.*s", (int)sizeof(r->reason) - 1, reason); /* cut long reasons */
	}
}

/* BROK whatever the test reported: the reason replaces the test's own (kept as a diagnostic). */
static void force_brok(struct result *r, const char *reason)
{
	if (r->res != TST_INFO && r->reason[0] && strcmp(r->reason, reason))
		diag_add(r, "(the test had reported %s: %s)",
			 r->res == TST_PASS ? "PASS" : r->res == TST_SKIP ? "SKIP" : r->res == TST_FAIL ? "FAIL" : "BROK", r->reason);
	r->res = TST_BROK;
	snprintf(r->reason, sizeof(r->reason), "%s", reason);
}

static double now_s(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + ts.tv_nsec / 1e9;
}

/* ---------------------------------------------------------------- signals */
static const int k_sigs[] = { SIGTERM, SIGHUP, SIGINT, SIGQUIT, SIGPIPE };
static sigset_t g_oldmask, g_sigmask;
static int g_sigfd = -1;
static int g_sig;                /* the signal that interrupted the run, 0 = none */
static char g_sig_reason[64];    /* "interrupted by SIGTERM" */

/* Block the signals (those not ignored by whoever started us: nohup, a background job)
 * and read them from a signalfd. */
static void sig_setup(void)
{
	sigset_t m;
	sigemptyset(&m);
	for (size_t i = 0; i < sizeof(k_sigs) / sizeof(k_sigs[0]); i++) {
		struct sigaction sa;
		if (sigaction(k_sigs[i], NULL, &sa) == 0 && sa.sa_handler == SIG_IGN)
			continue;
		sigaddset(&m, k_sigs[i]);
	}
	g_sigmask = m;
	sigprocmask(SIG_BLOCK, &m, &g_oldmask);
	g_sigfd = signalfd(-1, &m, SFD_CLOEXEC | SFD_NONBLOCK);
	if (g_sigfd < 0) {
		fprintf(stderr, "teeabi: signalfd: %s: signals end the suite without its cleanups\n", strerror(errno));
		sigprocmask(SIG_SETMASK, &g_oldmask, NULL);
	}
}

static void late_signal(int sig)
{
	_exit(128 + sig);
}

/* After the results are written: a signal still pending or arriving during the exit (the
 * sanitizers' leak check takes a while) ends the process with 128+N, never 0. */
static void sig_finish(void)
{
	if (g_sigfd < 0)
		return;
	struct sigaction sa;
	memset(&sa, 0, sizeof(sa));
	sa.sa_handler = late_signal;
	sigemptyset(&sa.sa_mask);
	for (size_t i = 0; i < sizeof(k_sigs) / sizeof(k_sigs[0]); i++)
		if (sigismember(&g_sigmask, k_sigs[i]))
			sigaction(k_sigs[i], &sa, NULL);
	sigprocmask(SIG_SETMASK, &g_oldmask, NULL);
}

/* True once a signal has arrived (the first one is kept). */
static bool sig_pending(void)
{
	if (!g_sig && g_sigfd >= 0) {
		struct signalfd_siginfo si;
		if (read(g_sigfd, &si, sizeof(si)) == (ssize_t)sizeof(si)) {
			g_sig = (int)si.ssi_signo;
			const char *ab = sigabbrev_np(g_sig);
			if (ab)
				snprintf(g_sig_reason, sizeof(g_sig_reason), "interrupted by SIG%s", ab);
			else
				snprintf(g_sig_reason, sizeof(g_sig_reason), "interrupted by signal %d", g_sig);
		}
	}
	return g_sig != 0;
}

/* ---------------------------------------------------------------- interfaces */
/*
 * The interfaces the suite saw at its start. A path that was there and is gone (or whose
 * stat fails otherwise: ENOTCONN, ENODEV from a dead FUSE daemon) has vanished: the test
 * running when that is noticed and every later test that needs the path are BROK, never
 * SKIP "no <path>" (a device that disappears mid-run is a broken run, not an absent feature).
 */
struct iface {
	const char *path;
	int err0;       /* stat errno at suite start, 0 = present */
	int err_gone;   /* stat errno when it was found gone, 0 = not gone */
};
#define IFACE_MAX 16
#define IFACE_FIXED 4 /* the first slots: the four attestation interfaces (tst_main) */
static struct iface g_if[IFACE_MAX];
static int g_nif;

static int path_state(const char *p)
{
	struct stat st;
	return stat(p, &st) == 0 ? 0 : errno;
}

static struct iface *iface_find(const char *path)
{
	for (int i = 0; i < g_nif; i++)
		if (!strcmp(g_if[i].path, path))
			return &g_if[i];
	return NULL;
}

static void iface_add(const char *path)
{
	if (!path || iface_find(path) || g_nif == IFACE_MAX)
		return;
	g_if[g_nif].path = path;
	g_if[g_nif].err0 = path_state(path);
	g_if[g_nif].err_gone = 0;
	g_nif++;
}

/* An errno that means "the path is not there" rather than "it is there but broken". */
static bool err_absent(int e) { return e == ENOENT || e == ENOTDIR; }
static bool err_denied(int e) { return e == EACCES || e == EPERM; }

/* Re-stat a path that was present; returns true when it is (now or earlier) gone. */
static bool iface_gone(struct iface *f)
{
	if (f->err0 != 0)
		return false;
	if (!f->err_gone) {
		int e = path_state(f->path);
		if (e)
			f->err_gone = e;
	}
	return f->err_gone != 0;
}

static void vanished_reason(const struct iface *f, char *out, size_t len)
{
	snprintf(out, len, "%s vanished during the run (stat: %s)", f->path, tst_errno_name(f->err_gone));
}

/* Does the test depend on the path? needs_cvm tests judge every interface. */
static bool test_needs(const struct tst_test *t, const char *path)
{
	if (t->needs_cvm)
		return true;
	if ((t->needs_dev && !strcmp(t->needs_dev, path)) || (t->needs_dev2 && !strcmp(t->needs_dev2, path)))
		return true;
	return (t->needs_tsm_root || t->needs_tsm_provider) && !strcmp(path, TEEABI_TSM_REPORT_ROOT);
}

/* Before a test: a needed interface that was there at the start and is not now. */
static bool iface_check_due(const struct tst_test *t, char *reason, size_t len)
{
	for (int i = 0; i < g_nif; i++) {
		struct iface *f = &g_if[i];
		if (!test_needs(t, f->path))
			continue;
		if (iface_gone(f)) {
			vanished_reason(f, reason, len);
			return true;
		}
		if (f->err0 && !err_absent(f->err0) && !err_denied(f->err0)) {
			snprintf(reason, len, "stat %s: %s at the start of the suite (a dead FUSE mount?)", f->path, tst_errno_name(f->err0));
			return true;
		}
	}
	return false;
}

/* After a test: any interface gone meanwhile makes that test BROK. */
static void iface_check_after(struct result *r)
{
	for (int i = 0; i < g_nif; i++) {
		struct iface *f = &g_if[i];
		if (f->err0 || f->err_gone)
			continue;
		if (iface_gone(f)) {
			char why[MSG_MAX];
			vanished_reason(f, why, sizeof(why));
			diag_add(r, "BROK: %s", why);
			if (r->res != TST_BROK)
				force_brok(r, why);
		}
	}
}

/* ---------------------------------------------------------------- requirements */
static int g_tsm_provider_state = -1; /* -1 unknown, 0 none, 1 present, 2 cannot tell */
static char g_tsm_provider_reason[320];

static void owner_mode(const char *path, char *out, size_t len)
{
	struct stat st;
	if (stat(path, &st) == 0)
		snprintf(out, len, "mode %04o uid %d", (unsigned)(st.st_mode & 07777), (int)st.st_uid);
	else
		snprintf(out, len, "stat: %s", tst_errno_name(errno));
}

static void probe_tsm_provider(void)
{
	if (g_tsm_provider_state >= 0)
		return;
	/* An existing entry (e.g. a pre-created com.intel.dcap) answers without creating one. */
	DIR *d = opendir(TEEABI_TSM_REPORT_ROOT);
	if (d) {
		struct dirent *de;
		while ((de = readdir(d))) {
			if (de->d_name[0] == '.')
				continue;
			char p[512], buf[64];
			snprintf(p, sizeof(p), "%s/%s/provider", TEEABI_TSM_REPORT_ROOT, de->d_name);
			ssize_t n = tst_read_file(p, buf, sizeof(buf) - 1);
			if (n > 0) {
				g_tsm_provider_state = 1;
				closedir(d);
				return;
			}
		}
		closedir(d);
	}
	/* The probe entry exists only between this mkdir and rmdir; the signals the suite
	 * handles stay blocked in the parent (sig_setup), so no interruption falls between. */
	char p[512];
	snprintf(p, sizeof(p), "%s/teeabi-probe-%d", TEEABI_TSM_REPORT_ROOT, (int)getpid());
	if (mkdir(p, 0700) == 0) {
		if (rmdir(p) < 0)
			fprintf(stderr, "teeabi: warning: could not remove probe entry %s: %s\n", p, strerror(errno));
		g_tsm_provider_state = 1;
	} else if (errno == ENXIO) {
		g_tsm_provider_state = 0;
		snprintf(g_tsm_provider_reason, sizeof(g_tsm_provider_reason),
			 "no configfs-tsm provider registered (mkdir in %s: ENXIO)", TEEABI_TSM_REPORT_ROOT);
	} else if (err_denied(errno)) {
		int e = errno;
		char om[64];
		owner_mode(TEEABI_TSM_REPORT_ROOT, om, sizeof(om));
		g_tsm_provider_state = 0;
		snprintf(g_tsm_provider_reason, sizeof(g_tsm_provider_reason), "needs root or write access to %s (%s; mkdir: %s)",
			 TEEABI_TSM_REPORT_ROOT, om, tst_errno_name(e));
	} else {
		g_tsm_provider_state = 2; /* let the tests find out */
	}
}

/* A confidential guest shows at least one attestation interface, or the CPU flag the
 * kernel sets for a TDX / SEV-SNP guest even when the driver did not load. */
static bool is_cvm(void)
{
	/* As the suite saw it at its start: an interface gone since is BROK, not "no CVM". */
	for (int i = 0; i < g_nif && i < IFACE_FIXED; i++)
		if (g_if[i].err0 == 0)
			return true;
	FILE *f = fopen("/proc/cpuinfo", "r");
	if (!f)
		return false;
	char line[4096];
	bool cvm = false;
	while (!cvm && fgets(line, sizeof(line), f))
		if (!strncmp(line, "flags", 5) && (strstr(line, " tdx_guest") || strstr(line, " sev_snp")))
			cvm = true;
	fclose(f);
	return cvm;
}

static unsigned derived_iface(const struct tst_test *t)
{
	if (t->iface)
		return t->iface;
	unsigned f = 0;
	if (t->needs_cvm)
		f |= TST_IF_TDX | TST_IF_SNP | TST_IF_TSM;
	const char *devs[] = { t->needs_dev, t->needs_dev2 };
	for (int i = 0; i < 2; i++) {
		if (devs[i] && strstr(devs[i], "tdx_guest"))
			f |= TST_IF_TDX;
		if (devs[i] && strstr(devs[i], "sev-guest"))
			f |= TST_IF_SNP;
	}
	if (t->needs_tsm_root || t->needs_tsm_provider)
		f |= TST_IF_TSM;
	return f;
}

/* A node that exists but that this user may not use (a root-owned 0600 device, as on every
 * guest): the test needs root or access, it is not a FAIL. Root passes DAC checks, so the
 * trial open (harmless for these drivers: open has no side effect) is made only as non-root. */
static bool node_denied(const char *path, char *reason, size_t len)
{
	struct stat st;
	if (stat(path, &st) < 0)
		return false;
	int e = 0;
	if (S_ISDIR(st.st_mode)) {
		if (faccessat(AT_FDCWD, path, R_OK | X_OK, AT_EACCESS) < 0)
			e = errno;
	} else if (geteuid() != 0) {
		int fd = open(path, O_RDWR | O_NONBLOCK | O_CLOEXEC | O_NOCTTY);
		if (fd < 0)
			e = errno;
		else
			close(fd);
	}
	if (!err_denied(e))
		return false;
	snprintf(reason, len, "needs root or access to %s (mode %04o uid %d; %s: %s)", path, (unsigned)(st.st_mode & 07777),
		 (int)st.st_uid, S_ISDIR(st.st_mode) ? "access" : "open O_RDWR", tst_errno_name(e));
	return true;
}

enum req_verdict { REQ_RUN, REQ_SKIP, REQ_ABSENT, REQ_BROK };

/* A needed path now. One that was there at the start is never "absent": it vanished (even
 * if an earlier look in this check still saw it). */
static enum req_verdict need_path(const char *path, char *reason, size_t len)
{
	int e = path_state(path);
	struct iface *f = iface_find(path);
	if (f && f->err0 == 0 && (e || f->err_gone)) {
		if (!f->err_gone)
			f->err_gone = e;
		vanished_reason(f, reason, len);
		return REQ_BROK;
	}
	if (err_denied(e)) { /* a parent directory this user may not search */
		snprintf(reason, len, "needs root or access to %s (stat: %s)", path, tst_errno_name(e));
		return REQ_SKIP;
	}
	if (e) {
		snprintf(reason, len, "no %s", path);
		return REQ_ABSENT;
	}
	return REQ_RUN;
}

/* Decides whether the test runs; otherwise fills reason. REQ_ABSENT is a SKIP for an
 * absent interface (which --require turns into FAIL); REQ_BROK a vanished interface. */
static enum req_verdict check_reqs(const struct tst_test *t, char *reason, size_t len)
{
	if (t->needs_profile) {
		const char *why = t->needs_profile(tst_profile);
		if (why) {
			snprintf(reason, len, "profile %s: %s", tst_profile->name, why);
			return REQ_SKIP;
		}
	}
	if (iface_check_due(t, reason, len))
		return REQ_BROK;
	if (t->needs_cvm && !is_cvm()) {
		snprintf(reason, len, "not a confidential VM: no %s, %s, %s and no tdx_guest/sev_snp CPU flag",
			 TEEABI_DEV_TDX_GUEST, TEEABI_DEV_SEV_GUEST, TEEABI_TSM_REPORT_ROOT);
		return REQ_ABSENT;
	}
	const char *devs[] = { t->needs_dev, t->needs_dev2, t->needs_tsm_root || t->needs_tsm_provider ? TEEABI_TSM_REPORT_ROOT : NULL };
	for (int i = 0; i < 3; i++) {
		enum req_verdict v = devs[i] ? need_path(devs[i], reason, len) : REQ_RUN;
		if (v != REQ_RUN)
			return v;
	}
	if (t->needs_root && geteuid() != 0) {
		snprintf(reason, len, "needs root (running as uid %d)", (int)geteuid());
		return REQ_SKIP;
	}
	for (int i = 0; i < 2; i++)
		if (devs[i] && node_denied(devs[i], reason, len))
			return REQ_SKIP;
	if (t->needs_tsm_root && node_denied(TEEABI_TSM_REPORT_ROOT, reason, len))
		return REQ_SKIP;
	if (t->needs_tsm_provider) {
		probe_tsm_provider();
		if (g_tsm_provider_state == 0) {
			snprintf(reason, len, "%s", g_tsm_provider_reason);
			return strstr(g_tsm_provider_reason, "ENXIO") ? REQ_ABSENT : REQ_SKIP;
		}
	}
	if (t->destructive && !tst_allow_destructive) {
		snprintf(reason, len, "destructive (changes measurements or device state until reboot); needs --allow-destructive");
		return REQ_SKIP;
	}
	return REQ_RUN;
}

/* ---------------------------------------------------------------- one test */
static void do_cleanups(const struct cleanups *cs, struct result *r)
{
	for (int i = cs->n - 1; i >= 0; i--) {
		const struct cleanup *c = &cs->c[i];
		if (c->kind == 'R') {
			if (!tst_exists(c->path))
				continue;
			if (rmdir(c->path) < 0) {
				diag_add(r, "cleanup: rmdir %s: %s", c->path, tst_errno_name(errno));
				char why[MSG_MAX + 64];
				snprintf(why, sizeof(why), "could not remove configfs entry %s (%s)", c->path, tst_errno_name(errno));
				set_result(r, TST_BROK, why);
			} else {
				diag_add(r, "cleanup: removed %s left behind by the test", c->path);
			}
		} else if (c->kind == 'M') {
			struct stat st;
			if (stat(c->path, &st) == 0 && (st.st_mode & 07777) == c->mode)
				continue;
			if (chmod(c->path, c->mode) < 0) {
				diag_add(r, "cleanup: chmod %04o %s: %s", (unsigned)c->mode, c->path, tst_errno_name(errno));
				set_result(r, TST_BROK, "could not restore a device mode");
			} else {
				diag_add(r, "cleanup: restored mode %04o on %s", (unsigned)c->mode, c->path);
			}
		}
	}
}

static void add_cleanup(struct cleanups *cs, char kind, char *text)
{
	if (cs->n == cs->cap) {
		int cap = cs->cap ? cs->cap * 2 : 16;
		struct cleanup *c = cap <= CLEANUP_MAX ? realloc(cs->c, (size_t)cap * sizeof(*c)) : NULL;
		if (!c) {
			cs->overflow = true;
			return;
		}
		cs->c = c;
		cs->cap = cap;
	}
	struct cleanup *x = &cs->c[cs->n++];
	x->kind = kind;
	x->mode = 0;
	if (kind == 'M') {
		char *end;
		x->mode = (mode_t)strtoul(text, &end, 8);
		text = end;
		while (*text == ' ')
			text++;
	}
	snprintf(x->path, sizeof(x->path), "%s", text);
}

static void handle_line(char *line, struct result *r, struct cleanups *cs)
{
	if (strlen(line) < 2)
		return;
	char type = line[0];
	char *text = line + 2;
	switch (type) {
	case 'P': r->npass++; set_result(r, TST_PASS, text); break;
	case 'S': r->nskip++; set_result(r, TST_SKIP, text); diag_add(r, "SKIP: %s", text); break;
	case 'F': r->nfail++; set_result(r, TST_FAIL, text); diag_add(r, "FAIL: %s", text); break;
	case 'B': r->nbrok++; set_result(r, TST_BROK, text); diag_add(r, "BROK: %s", text); break;
	case 'I': diag_add(r, "%s", text); break;
	case 'R':
	case 'M': add_cleanup(cs, type, text); break;
	default: break;
	}
}

/* The child's byte stream, split into lines. */
struct linebuf {
	char buf[8192];
	size_t have;
};

static void feed(struct linebuf *lb, struct result *r, struct cleanups *cs)
{
	lb->buf[lb->have] = 0;
	char *start = lb->buf, *nl;
	while ((nl = memchr(start, '\n', lb->have - (size_t)(start - lb->buf)))) {
		*nl = 0;
		handle_line(start, r, cs);
		start = nl + 1;
	}
	lb->have -= (size_t)(start - lb->buf);
	memmove(lb->buf, start, lb->have);
	if (lb->have == sizeof(lb->buf) - 1) { /* an over-long line: take it as is */
		lb->buf[lb->have] = 0;
		handle_line(lb->buf, r, cs);
		lb->have = 0;
	}
}

/* Read what the (dead) child left in the pipe: its last cleanup registrations matter. */
static void drain(int fd, struct linebuf *lb, struct result *r, struct cleanups *cs)
{
	fcntl(fd, F_SETFL, fcntl(fd, F_GETFL) | O_NONBLOCK);
	for (;;) {
		ssize_t n = read(fd, lb->buf + lb->have, sizeof(lb->buf) - 1 - lb->have);
		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0)
			break;
		lb->have += (size_t)n;
		feed(lb, r, cs);
	}
	if (lb->have) { /* a last line without its newline */
		lb->buf[lb->have] = 0;
		handle_line(lb->buf, r, cs);
		lb->have = 0;
	}
}

static unsigned default_timeout(void)
{
	const char *e = getenv("TEEABI_TEST_TIMEOUT");
	if (e && atoi(e) > 0)
		return (unsigned)atoi(e);
	return 30;
}

static void child_start(const struct tst_test *t, int wfd, pid_t parent)
{
	setpgid(0, 0);
	/* The test dies with the suite (a SIGKILLed suite leaves no test writing on). */
	prctl(PR_SET_PDEATHSIG, SIGKILL);
	if (getppid() != parent)
		_exit(0);
	if (g_sigfd >= 0)
		close(g_sigfd);
	sigprocmask(SIG_SETMASK, &g_oldmask, NULL);
	g_pipe = wfd;
	g_fails = 0;
	signal(SIGPIPE, SIG_DFL);
	t->fn();
	exit(0);
}

static void run_one(const struct tst_test *t, struct result *r)
{
	r->res = TST_INFO; /* "nothing yet" */
	r->reason[0] = 0;
	double t0 = now_s();
	int fds[2];
	if (pipe2(fds, O_CLOEXEC) < 0) {
		set_result(r, TST_BROK, "pipe failed");
		return;
	}
	fflush(NULL);
	pid_t parent = getpid();
	pid_t pid = fork();
	if (pid < 0) {
		close(fds[0]);
		close(fds[1]);
		set_result(r, TST_BROK, "fork failed");
		return;
	}
	if (pid == 0) {
		close(fds[0]);
		child_start(t, fds[1], parent);
	}
	setpgid(pid, pid);
	close(fds[1]);
	unsigned timeout = t->timeout ? t->timeout : default_timeout();
	double deadline = t0 + timeout;
	static struct linebuf lb;
	lb.have = 0;
	struct cleanups cs = { 0 };
	bool timed_out = false;
	for (;;) {
		if (sig_pending())
			break;
		double left = deadline - now_s();
		if (left <= 0) {
			timed_out = true;
			break;
		}
		struct pollfd pfd[2] = { { .fd = fds[0], .events = POLLIN }, { .fd = g_sigfd, .events = POLLIN } };
		int pr = poll(pfd, g_sigfd >= 0 ? 2 : 1, (int)(left * 1000) + 1);
		if (pr < 0) {
			if (errno == EINTR)
				continue;
			break;
		}
		if (pr == 0 || !(pfd[0].revents & (POLLIN | POLLHUP | POLLERR)))
			continue;
		ssize_t n = read(fds[0], lb.buf + lb.have, sizeof(lb.buf) - 1 - lb.have);
		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0)
			break;
		lb.have += (size_t)n;
		feed(&lb, r, &cs);
	}
	int status = 0;
	if (timed_out || g_sig) {
		kill(-pid, SIGKILL);
		kill(pid, SIGKILL);
		waitpid(pid, &status, 0);
		if (timed_out) {
			char why[128];
			snprintf(why, sizeof(why), "timed out after %u s (a call never returned); killed", timeout);
			diag_add(r, "BROK: %s", why);
			set_result(r, TST_BROK, why);
		}
	} else {
		/* EOF: the child is ending; give it the rest of the deadline to exit. */
		for (;;) {
			pid_t w = waitpid(pid, &status, WNOHANG);
			if (w == pid)
				break;
			if (now_s() > deadline || sig_pending()) {
				kill(-pid, SIGKILL);
				waitpid(pid, &status, 0);
				break;
			}
			usleep(2000);
		}
		if (g_sig) {
			/* reported below */
		} else if (WIFSIGNALED(status)) {
			char why[128];
			snprintf(why, sizeof(why), "test process killed by signal %d (%s)", WTERMSIG(status), strsignal(WTERMSIG(status)));
			diag_add(r, "BROK: %s", why);
			set_result(r, TST_BROK, why);
		} else if (WIFEXITED(status) && WEXITSTATUS(status) != 0) {
			char why[128];
			snprintf(why, sizeof(why), "test process exited with status %d (sanitizer report?)", WEXITSTATUS(status));
			diag_add(r, "BROK: %s", why);
			set_result(r, TST_BROK, why);
		}
	}
	/* Any processes the test left in its group go too; then what they registered last. */
	kill(-pid, SIGKILL);
	drain(fds[0], &lb, r, &cs);
	close(fds[0]);
	if (cs.overflow)
		set_result(r, TST_BROK, "the test registered more cleanups than the harness keeps; an entry may be left behind");
	do_cleanups(&cs, r);
	free(cs.c);
	if (g_sig) {
		diag_add(r, "BROK: %s while the test ran; its process group was killed and its cleanups run", g_sig_reason);
		force_brok(r, g_sig_reason);
	}
	if (r->res == TST_INFO) {
		r->res = TST_BROK;
		snprintf(r->reason, sizeof(r->reason), "test reported no result");
	}
	r->secs = now_s() - t0;
}

/* ---------------------------------------------------------------- output */
/*
 * stdout gets the TAP stream as the tests end; the --tap and --junit files are written at
 * the end into a temporary file created at the start in the same directory (so an
 * unwritable directory is known before any test runs), every write checked, fsync'ed and
 * renamed into place. A failure names the path and errno and makes the exit status 3.
 */
static const char *g_prog;
static int g_out_err;            /* first stdout write error (errno) */
static bool g_file_err;          /* a result file could not be written */

struct outfile {
	const char *path;
	char tmp[4200];
	int fd;                  /* -1: not open */
	bool direct;             /* not a regular file (a FIFO, /dev/stderr): written in place */
};

static void file_error(const char *path, const char *what, int e)
{
	fprintf(stderr, "%s: cannot write %s: %s%s%s (%s)\n", g_prog, path, what, *what ? ": " : "", strerror(e), tst_errno_name(e));
	g_file_err = true;
}

static bool outfile_open(struct outfile *o, const char *path)
{
	o->path = path;
	o->fd = -1;
	o->tmp[0] = 0;
	o->direct = false;
	struct stat st;
	if (stat(path, &st) == 0 && !S_ISREG(st.st_mode)) {
		o->direct = true;
		o->fd = open(path, O_WRONLY | O_CLOEXEC | O_NOCTTY);
		if (o->fd < 0) {
			file_error(path, "open", errno);
			return false;
		}
		return true;
	}
	const char *slash = strrchr(path, '/');
	int dl = slash ? (int)(slash - path) : 1;
	const char *dir = slash ? (dl ? path : "/") : ".";
	if (slash && !dl)
		dl = 1;
	snprintf(o->tmp, sizeof(o->tmp), "%.*s/.%s.tmp-XXXXXX", dl, dir, slash ? slash + 1 : path);
	o->fd = mkostemp(o->tmp, O_CLOEXEC);
	if (o->fd < 0) {
		file_error(path, "creating a temporary file beside it", errno);
		o->tmp[0] = 0;
		return false;
	}
	mode_t um = umask(0);
	umask(um);
	if (fchmod(o->fd, 0666 & ~um) < 0) {
		file_error(path, "fchmod", errno);
		return false;
	}
	return true;
}

static void outfile_abandon(struct outfile *o)
{
	if (o->fd >= 0)
		close(o->fd);
	o->fd = -1;
	if (o->tmp[0])
		unlink(o->tmp);
	o->tmp[0] = 0;
}

static int write_all(int fd, const char *p, size_t len)
{
	while (len) {
		ssize_t w = write(fd, p, len);
		if (w < 0 && errno == EINTR)
			continue;
		if (w < 0)
			return errno;
		if (w == 0)
			return EIO;
		p += w;
		len -= (size_t)w;
	}
	return 0;
}

/* stdout goes out in chunks formatted in memory and written with checked write(2)s
 * (stdio's line buffering loses the errno of a failed flush). */
struct chunk {
	char *buf;
	size_t len;
	FILE *f;
};

static FILE *chunk_open(struct chunk *c)
{
	c->buf = NULL;
	c->len = 0;
	c->f = open_memstream(&c->buf, &c->len);
	if (!c->f && !g_out_err)
		g_out_err = errno ? errno : ENOMEM;
	return c->f;
}

static void chunk_to_stdout(struct chunk *c)
{
	if (!c->f)
		return;
	if (fclose(c->f) != 0) {
		if (!g_out_err)
			g_out_err = errno ? errno : ENOMEM;
	} else {
		int e = write_all(STDOUT_FILENO, c->buf, c->len);
		if (e && !g_out_err)
			g_out_err = e;
	}
	free(c->buf);
	c->f = NULL;
}

static int stdout_error(void)
{
	if (g_out_err)
		fprintf(stderr, "%s: cannot write stdout: %s (%s)\n", g_prog, strerror(g_out_err), tst_errno_name(g_out_err));
	return g_out_err;
}

/* Write the content, fsync, close, rename into place. */
static void outfile_commit(struct outfile *o, const char *buf, size_t len)
{
	if (o->fd < 0)
		return;
	int e = write_all(o->fd, buf, len);
	if (e) {
		file_error(o->path, "write", e);
		goto fail;
	}
	if (!o->direct && fsync(o->fd) < 0 && errno != EINVAL) {
		file_error(o->path, "fsync", errno);
		goto fail;
	}
	int fd = o->fd;
	o->fd = -1;
	if (close(fd) < 0) {
		file_error(o->path, "close", errno);
		goto fail;
	}
	if (o->direct)
		return;
	if (rename(o->tmp, o->path) < 0) {
		file_error(o->path, "rename", errno);
		goto fail;
	}
	o->tmp[0] = 0;
	return;
fail:
	outfile_abandon(o);
	/* A previous run's file must not stand in for this run's result. */
	if (!o->direct)
		unlink(o->path);
}


static void xml_escape(FILE *f, const char *s)
{
	for (; s && *s; s++) {
		unsigned char ch = (unsigned char)*s;
		switch (ch) {
		case '<': fputs("&lt;", f); break;
		case '>': fputs("&gt;", f); break;
		case '&': fputs("&amp;", f); break;
		case '"': fputs("&quot;", f); break;
		case '\'': fputs("&apos;", f); break;
		default:
			if (ch < 0x20 && ch != '\n' && ch != '\t')
				fputc('?', f);
			else
				fputc(ch, f);
		}
	}
}

static void tap_result(FILE *f, int idx, const struct tst_test *t, const struct result *r)
{
	if (r->diag) {
		const char *p = r->diag;
		while (*p) {
			const char *nl = strchr(p, '\n');
			size_t l = nl ? (size_t)(nl - p) : strlen(p);
			fprintf(f, "# %.*s\n", (int)l, p);
			p += l + (nl ? 1 : 0);
		}
	}
	switch (r->res) {
	case TST_PASS: fprintf(f, "ok %d %s\n", idx, t->name); break;
	case TST_SKIP: fprintf(f, "ok %d %s # SKIP %s\n", idx, t->name, r->reason); break;
	case TST_FAIL: fprintf(f, "not ok %d %s # FAIL %s\n", idx, t->name, r->reason); break;
	default: fprintf(f, "not ok %d %s # error %s\n", idx, t->name, r->reason); break;
	}
}

/* The run as a whole: what the TAP header, footer and JUnit properties say. */
struct run {
	const struct tst_test *tests;
	const int *sel;
	int nsel;
	struct result *res;
	const char *profile_src;
	char profile_err[256];   /* non-empty: no profile, every test BROK */
	const char *profile_name;
	double total;
	int npass, nfail, nskip, nbrok;
};

static void tap_header(FILE *f, const struct run *u)
{
	fprintf(f, "TAP version 13\n# teeabi suite %s\n", g_area);
	if (u->profile_err[0]) {
		fprintf(f, "# cannot load profile %s: %s\n", u->profile_name ? u->profile_name : "(detect)", u->profile_err);
	} else {
		fprintf(f, "# profile %s (%s): platform %s, kernel %s, os %s %s\n", g_profile.name, u->profile_src,
			g_profile.platform == TEEABI_PLAT_SNP ? "snp" : "tdx", g_profile.kernel,
			g_profile.os_id[0] ? g_profile.os_id : "-", g_profile.os_version);
		fprintf(f, "# destructive tests %s; uid %d\n", tst_allow_destructive ? "enabled" : "disabled (no --allow-destructive)",
			(int)geteuid());
	}
	fprintf(f, "1..%d\n", u->nsel);
}

static void tap_footer(FILE *f, const struct run *u)
{
	if (g_sig)
		fprintf(f, "Bail out! %s\n", g_sig_reason);
	else
		fprintf(f, "# Totals: pass:%d fail:%d xfail:0 xpass:0 skip:%d error:%d (%.2f s)\n", u->npass, u->nfail, u->nskip,
			u->nbrok, u->total);
}

static void tap_body(FILE *f, const struct run *u)
{
	tap_header(f, u);
	for (int k = 0; k < u->nsel; k++)
		tap_result(f, k + 1, &u->tests[u->sel[k]], &u->res[k]);
	tap_footer(f, u);
}

/* Format a result file in memory, then commit it (one checked write, fsync, rename). */
static void write_formatted(struct outfile *o, const struct run *u, void (*body)(FILE *, const struct run *))
{
	char *buf = NULL;
	size_t len = 0;
	FILE *f = open_memstream(&buf, &len);
	if (!f) {
		file_error(o->path, "open_memstream", errno);
		outfile_abandon(o);
		return;
	}
	body(f, u);
	if (fclose(f) != 0) {
		file_error(o->path, "formatting", errno ? errno : ENOMEM);
		outfile_abandon(o);
	} else {
		outfile_commit(o, buf, len);
	}
	free(buf);
}

static void junit_prop(FILE *f, const char *name, const char *value)
{
	fprintf(f, "    <property name=\"%s\" value=\"", name);
	xml_escape(f, value);
	fprintf(f, "\"/>\n");
}

static void junit_body(FILE *f, const struct run *u)
{
	fprintf(f, "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<testsuites>\n");
	fprintf(f, "<testsuite name=\"");
	xml_escape(f, g_area);
	fprintf(f, "\" tests=\"%d\" failures=\"%d\" errors=\"%d\" skipped=\"%d\" time=\"%.3f\">\n", u->nsel, u->nfail, u->nbrok,
		u->nskip, u->total);
	fprintf(f, "  <properties>\n");
	junit_prop(f, "profile", tst_profile ? tst_profile->name : "");
	junit_prop(f, "profile_source", u->profile_src);
	junit_prop(f, "kernel", tst_profile ? tst_profile->kernel : "");
	fprintf(f, "    <property name=\"allow_destructive\" value=\"%d\"/>\n", tst_allow_destructive);
	if (g_sig)
		junit_prop(f, "interrupted", g_sig_reason);
	if (tst_profile) {
		/* The effective interface matrix the tests judged against (file keys + derived flags). */
		const struct teeabi_profile *p = tst_profile;
		static const char *ext[] = { "none", "ioctl", "sysfs" };
		char num[32];
		junit_prop(f, "m.tdx_guest", teeabi_tdx_flavour_name(p->tdx_guest));
		snprintf(num, sizeof(num), "%d", p->sev_guest);
		junit_prop(f, "m.sev_guest", num);
		snprintf(num, sizeof(num), "%d", p->configfs_tsm);
		junit_prop(f, "m.configfs_tsm", num);
		junit_prop(f, "m.tsm_provider", teeabi_tsm_provider_name(p->tsm_provider));
		junit_prop(f, "m.tsm_precreate", p->tsm_precreate);
		snprintf(num, sizeof(num), "%d", p->tsm_mr);
		junit_prop(f, "m.tsm_mr", num);
		junit_prop(f, "m.rtmr_extend", p->rtmr_extend <= 2 ? ext[p->rtmr_extend] : "?");
		snprintf(num, sizeof(num), "%u", p->sev_vmpl);
		junit_prop(f, "m.sev_vmpl", num);
		snprintf(num, sizeof(num), "%d", p->tsm_svsm);
		junit_prop(f, "m.tsm_svsm", num);
		junit_prop(f, "m.kernel", p->kernel);
		char img[sizeof(p->os_id) + sizeof(p->os_version) + 2];
		snprintf(img, sizeof(img), "%s %s", p->os_id, p->os_version);
		junit_prop(f, "m.image", img);
	}
	fprintf(f, "  </properties>\n");
	for (int k = 0; k < u->nsel; k++) {
		const struct tst_test *t = &u->tests[u->sel[k]];
		const struct result *r = &u->res[k];
		fprintf(f, "  <testcase classname=\"");
		xml_escape(f, g_area);
		fprintf(f, "\" name=\"");
		xml_escape(f, t->name);
		fprintf(f, "\" time=\"%.3f\">\n", r->secs);
		const char *tag = r->res == TST_FAIL ? "failure" : r->res == TST_BROK ? "error" : r->res == TST_SKIP ? "skipped" : NULL;
		if (tag) {
			fprintf(f, "    <%s message=\"", tag);
			xml_escape(f, r->reason);
			fprintf(f, "\"%s/>\n", r->res == TST_SKIP ? "" : " type=\"teeabi\"");
		}
		if (r->diag) {
			fprintf(f, "    <system-out>");
			xml_escape(f, r->diag);
			fprintf(f, "</system-out>\n");
		}
		fprintf(f, "  </testcase>\n");
	}
	fprintf(f, "</testsuite>\n</testsuites>\n");
}

static bool name_selected(const char *name, char **pats, int npats)
{
	if (npats == 0)
		return true;
	for (int i = 0; i < npats; i++) {
		if (fnmatch(pats[i], name, 0) == 0)
			return true;
		size_t l = strlen(pats[i]);
		if (strncmp(name, pats[i], l) == 0 && (name[l] == '.' || name[l] == 0))
			return true;
	}
	return false;
}

static void usage(FILE *f, const char *prog)
{
	fprintf(f,
		"usage: %s [--profile NAME] [--allow-destructive] [--require tdx|snp|tsm]...\n"
		"          [--tap FILE] [--junit FILE] [--list] [-t NAME]...\n"
		"Profile: --profile, else $TEEABI_PROFILE, else detected from /etc/os-release and the kernel.\n"
		"--list prints the tests a run with the same -t selection would run.\n"
		"Exit: 0 all pass (skips allowed), 1 any FAIL or BROK, 2 usage, 3 a result file (--tap,\n"
		"--junit) or stdout could not be written, 4 everything skipped, 128+N interrupted by\n"
		"signal N (SIGTERM, SIGHUP, SIGINT, SIGQUIT, SIGPIPE; after the cleanups ran).\n", prog);
}

static void count(struct run *u, enum tst_result res)
{
	switch (res) {
	case TST_PASS: u->npass++; break;
	case TST_SKIP: u->nskip++; break;
	case TST_FAIL: u->nfail++; break;
	default: u->nbrok++; break;
	}
}

/* Run (or judge without running) every selected test, printing TAP to stdout. */
static void run_tests(struct run *u, unsigned require)
{
	double t_all = now_s();
	for (int k = 0; k < u->nsel; k++) {
		const struct tst_test *t = &u->tests[u->sel[k]];
		struct result *r = &u->res[k];
		char reason[MSG_MAX - 40];
		if (u->profile_err[0]) {
			r->res = TST_BROK;
			snprintf(r->reason, sizeof(r->reason), "no profile: %s", u->profile_err);
		} else if (sig_pending()) {
			r->res = TST_BROK;
			snprintf(r->reason, sizeof(r->reason), "%s", g_sig_reason);
		} else {
			enum req_verdict v = check_reqs(t, reason, sizeof(reason));
			if (v == REQ_BROK) {
				r->res = TST_BROK;
				snprintf(r->reason, sizeof(r->reason), "%s", reason);
			} else if (v == REQ_ABSENT && (derived_iface(t) & require)) {
				r->res = TST_FAIL;
				snprintf(r->reason, sizeof(r->reason), "required interface absent: %s", reason);
			} else if (v != REQ_RUN) {
				r->res = TST_SKIP;
				snprintf(r->reason, sizeof(r->reason), "%s", reason);
			} else {
				run_one(t, r);
				if (!g_sig)
					iface_check_after(r);
			}
		}
		count(u, r->res);
		struct chunk ch;
		if (chunk_open(&ch))
			tap_result(ch.f, k + 1, t, r);
		chunk_to_stdout(&ch);
	}
	u->total = now_s() - t_all;
}

static int load_profile(struct run *u, char *src, size_t srclen)
{
	int prc;
	if (!u->profile_name) {
		const char *e = getenv("TEEABI_PROFILE");
		if (e && *e) {
			u->profile_name = e;
			snprintf(src, srclen, "$TEEABI_PROFILE");
		}
	} else {
		snprintf(src, srclen, "--profile");
	}
	if (u->profile_name) {
		prc = teeabi_profile_load(teeabi_profile_dir(), u->profile_name, &g_profile, u->profile_err, sizeof(u->profile_err));
	} else {
		bool matched = false;
		prc = teeabi_profile_detect(NULL, &g_profile, &matched, u->profile_err, sizeof(u->profile_err));
		snprintf(src, srclen, "%s", matched ? "detected" : "detected (no exact profile; generic profile derived from the kernel)");
	}
	if (prc != 0 && !u->profile_err[0])
		snprintf(u->profile_err, sizeof(u->profile_err), "unknown error");
	if (prc == 0)
		u->profile_err[0] = 0;
	return prc;
}

int tst_main(int argc, char **argv, const char *area, const struct tst_test *tests)
{
	teeabi_version_option(argc, argv);
	g_area = area;
	g_prog = argv[0];
	sig_setup();
	const char *profile_name = NULL, *tap_path = NULL, *junit_path = NULL;
	bool list = false;
	unsigned require = 0;
	char *pats[64];
	int npats = 0;
	static const struct option opts[] = {
		{ "profile", required_argument, 0, 'p' },
		{ "allow-destructive", no_argument, 0, 'D' },
		{ "require", required_argument, 0, 'r' },
		{ "tap", required_argument, 0, 'T' },
		{ "junit", required_argument, 0, 'J' },
		{ "list", no_argument, 0, 'l' },
		{ "test", required_argument, 0, 't' },
		{ "help", no_argument, 0, 'h' },
		{ 0, 0, 0, 0 },
	};
	int c;
	while ((c = getopt_long(argc, argv, "p:t:lh", opts, NULL)) != -1) {
		switch (c) {
		case 'p':
			/* A value is one name, never words to re-split (--profile "X --allow-destructive"). */
			if (!teeabi_name_ok(optarg)) {
				fprintf(stderr, "%s: --profile \"%.80s\": not a profile name ([A-Za-z0-9._+-], at most 63 bytes)\n",
					argv[0], optarg);
				return 2;
			}
			profile_name = optarg;
			break;
		case 'D': tst_allow_destructive = true; break;
		case 'r':
			if (!strcmp(optarg, "tdx")) require |= TST_IF_TDX;
			else if (!strcmp(optarg, "snp")) require |= TST_IF_SNP;
			else if (!strcmp(optarg, "tsm")) require |= TST_IF_TSM;
			else { fprintf(stderr, "%s: --require takes tdx, snp or tsm\n", argv[0]); return 2; }
			break;
		case 'T': tap_path = optarg; break;
		case 'J': junit_path = optarg; break;
		case 'l': list = true; break;
		case 't':
			if (npats == 64) {
				fprintf(stderr, "%s: at most 64 -t options\n", argv[0]);
				return 2;
			}
			pats[npats++] = optarg;
			break;
		case 'h': {
			struct chunk ch;
			if (chunk_open(&ch))
				usage(ch.f, argv[0]);
			chunk_to_stdout(&ch);
			return stdout_error() ? 3 : 0;
		}
		default: usage(stderr, argv[0]); return 2;
		}
	}
	if (optind < argc) {
		usage(stderr, argv[0]);
		return 2;
	}
	int ntests = 0;
	while (tests[ntests].name)
		ntests++;
	static int *sel;
	static struct result *res;
	sel = calloc((size_t)ntests + 1, sizeof(int));
	res = calloc((size_t)ntests + 1, sizeof(*res));
	if (!sel || !res) {
		fprintf(stderr, "%s: out of memory\n", argv[0]);
		return 1;
	}
	int nsel = 0;
	for (int i = 0; i < ntests; i++)
		if (name_selected(tests[i].name, pats, npats))
			sel[nsel++] = i;
	if (npats && nsel == 0) {
		fprintf(stderr, "%s: no test matches -t\n", argv[0]);
		return 2;
	}
	if (list) {
		struct chunk ch;
		if (chunk_open(&ch))
			for (int k = 0; k < nsel; k++)
				fprintf(ch.f, "%s\n", tests[sel[k]].name);
		chunk_to_stdout(&ch);
		return stdout_error() ? 3 : 0;
	}
	/* Result files: a temporary beside each, created now, so an unwritable place stops the
	 * suite before any test runs. */
	static struct outfile tapf = { .fd = -1 }, junitf = { .fd = -1 };
	if ((tap_path && !outfile_open(&tapf, tap_path)) || (junit_path && !outfile_open(&junitf, junit_path))) {
		outfile_abandon(&tapf);
		outfile_abandon(&junitf);
		return 3;
	}

	static struct run u;
	char src[160] = "none";
	u.tests = tests;
	u.sel = sel;
	u.nsel = nsel;
	u.res = res;
	u.profile_src = src;
	u.profile_name = profile_name;
	if (load_profile(&u, src, sizeof(src)) == 0)
		tst_profile = &g_profile;
	/* Without a profile there are no expectations: every test is BROK (run_tests). */

	/* Snapshot of the interfaces at the start (see struct iface). */
	iface_add(TEEABI_DEV_TDX_GUEST);
	iface_add(TEEABI_DEV_SEV_GUEST);
	iface_add(TEEABI_TSM_REPORT_ROOT);
	iface_add(TEEABI_TDX_MEASUREMENTS_DIR);
	for (int k = 0; k < nsel; k++) {
		iface_add(tests[sel[k]].needs_dev);
		iface_add(tests[sel[k]].needs_dev2);
	}

	struct chunk ch;
	if (chunk_open(&ch))
		tap_header(ch.f, &u);
	chunk_to_stdout(&ch);
	run_tests(&u, require);
	sig_pending(); /* one that came during the last test's exit: the output is not complete yet */
	if (chunk_open(&ch))
		tap_footer(ch.f, &u);
	chunk_to_stdout(&ch);
	if (tap_path)
		write_formatted(&tapf, &u, tap_body);
	if (junit_path)
		write_formatted(&junitf, &u, junit_body);
	for (int k = 0; k < nsel; k++)
		free(res[k].diag);
	stdout_error();
	if (g_sig) {
		fprintf(stderr, "%s: %s: the running test was stopped and its cleanups run; the tests after it did not run\n",
			argv[0], g_sig_reason);
		return 128 + g_sig;
	}
	sig_finish();
	if (g_file_err || g_out_err)
		return 3;
	if (u.profile_err[0] || u.nfail || u.nbrok)
		return 1;
	if (u.npass == 0)
		return 4;
	return 0;
}
