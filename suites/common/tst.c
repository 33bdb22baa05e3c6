/* SPDX-License-Identifier: Apache-2.0 */
/*
 * suites/common/tst.c - runner of the conformance suites: options, profile, requirement
 * checks, one forked child per test with a timeout, result aggregation, parent-side
 * cleanup, TAP 13 on stdout and --tap/--junit files (see tst.h for the contract).
 *
 * Child -> parent protocol: one line per event on a pipe, "<T> <text>\n" with T one of
 * P F S B I (results and diagnostics), R <path> (rmdir on cleanup), M <octal> <path>
 * (chmod on cleanup). Lines are short (< PIPE_BUF), so each write is atomic.
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
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "teeabi/abi.h"
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
static void send_line(char type, const char *text)
{
	char line[MSG_MAX + 8];
	int n = snprintf(line, sizeof(line), "%c %s", type, text);
	if (n < 0)
		return;
	if ((size_t)n >= sizeof(line) - 1)
		n = (int)sizeof(line) - 2;
	for (int i = 2; i < n; i++)
		if (line[i] == '\n' || line[i] == '\r')
			line[i] = ' ';
	line[n++] = '\n';
	if (g_pipe < 0) { /* not inside a test (should not happen): print as diagnostic */
		fprintf(stderr, "%.*s", n, line);
		return;
	}
	ssize_t w = write(g_pipe, line, (size_t)n);
	(void)w;
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

void tst_cleanup_rmdir(const char *path)
{
	send_line('R', path);
}

void tst_cleanup_chmod(const char *path, mode_t mode)
{
	char buf[MSG_MAX];
	snprintf(buf, sizeof(buf), "%04o %s", (unsigned)(mode & 07777), path);
	send_line('M', buf);
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
	E(EBADMSG) E(EOPNOTSUPP) E(ENOSR) E(E2BIG) E(ENAMETOOLONG)
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

static double now_s(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + ts.tv_nsec / 1e9;
}

static int g_tsm_provider_state = -1; /* -1 unknown, 0 none, 1 present, 2 cannot tell */
static char g_tsm_provider_reason[256];

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
	} else if (errno == EACCES || errno == EPERM) {
		g_tsm_provider_state = 0;
		snprintf(g_tsm_provider_reason, sizeof(g_tsm_provider_reason),
			 "needs root (mkdir in %s: %s)", TEEABI_TSM_REPORT_ROOT, tst_errno_name(errno));
	} else {
		g_tsm_provider_state = 2; /* let the tests find out */
	}
}

/* A confidential guest shows at least one attestation interface, or the CPU flag the
 * kernel sets for a TDX / SEV-SNP guest even when the driver did not load. */
static bool is_cvm(void)
{
	if (tst_exists(TEEABI_DEV_TDX_GUEST) || tst_exists(TEEABI_DEV_SEV_GUEST) || tst_exists(TEEABI_TSM_REPORT_ROOT) ||
	    tst_exists(TEEABI_TDX_MEASUREMENTS_DIR))
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
	if (t->needs_dev && strstr(t->needs_dev, "tdx_guest"))
		f |= TST_IF_TDX;
	if (t->needs_dev && strstr(t->needs_dev, "sev-guest"))
		f |= TST_IF_SNP;
	if (t->needs_tsm_root || t->needs_tsm_provider)
		f |= TST_IF_TSM;
	return f;
}

/* Returns true (and fills reason) when the test must not run. *iface_missing tells whether
 * the reason is an absent interface (which --require turns into FAIL). */
static bool check_reqs(const struct tst_test *t, char *reason, size_t len, bool *iface_missing)
{
	*iface_missing = false;
	if (t->needs_profile) {
		const char *why = t->needs_profile(tst_profile);
		if (why) {
			snprintf(reason, len, "profile %s: %s", tst_profile->name, why);
			return true;
		}
	}
	if (t->needs_cvm && !is_cvm()) {
		snprintf(reason, len, "not a confidential VM: no %s, %s, %s and no tdx_guest/sev_snp CPU flag",
			 TEEABI_DEV_TDX_GUEST, TEEABI_DEV_SEV_GUEST, TEEABI_TSM_REPORT_ROOT);
		*iface_missing = true;
		return true;
	}
	if (t->needs_dev && !tst_exists(t->needs_dev)) {
		snprintf(reason, len, "no %s", t->needs_dev);
		*iface_missing = true;
		return true;
	}
	if ((t->needs_tsm_root || t->needs_tsm_provider) && !tst_exists(TEEABI_TSM_REPORT_ROOT)) {
		snprintf(reason, len, "no %s", TEEABI_TSM_REPORT_ROOT);
		*iface_missing = true;
		return true;
	}
	if (t->needs_root && geteuid() != 0) {
		snprintf(reason, len, "needs root");
		return true;
	}
	if (t->needs_tsm_provider) {
		probe_tsm_provider();
		if (g_tsm_provider_state == 0) {
			snprintf(reason, len, "%s", g_tsm_provider_reason);
			*iface_missing = strstr(g_tsm_provider_reason, "ENXIO") != NULL;
			return true;
		}
	}
	if (t->destructive && !tst_allow_destructive) {
		snprintf(reason, len, "destructive (changes measurements or device state until reboot); needs --allow-destructive");
		return true;
	}
	return false;
}

static void do_cleanups(struct cleanup *c, int n, struct result *r)
{
	for (int i = n - 1; i >= 0; i--) {
		if (c[i].kind == 'R') {
			if (!tst_exists(c[i].path))
				continue;
			if (rmdir(c[i].path) < 0) {
				diag_add(r, "cleanup: rmdir %s: %s", c[i].path, tst_errno_name(errno));
				char why[MSG_MAX + 64];
				snprintf(why, sizeof(why), "could not remove configfs entry %s (%s)", c[i].path, tst_errno_name(errno));
				set_result(r, TST_BROK, why);
			} else {
				diag_add(r, "cleanup: removed %s left behind by the test", c[i].path);
			}
		} else if (c[i].kind == 'M') {
			struct stat st;
			if (stat(c[i].path, &st) == 0 && (st.st_mode & 07777) == c[i].mode)
				continue;
			if (chmod(c[i].path, c[i].mode) < 0) {
				diag_add(r, "cleanup: chmod %04o %s: %s", (unsigned)c[i].mode, c[i].path, tst_errno_name(errno));
				set_result(r, TST_BROK, "could not restore a device mode");
			} else {
				diag_add(r, "cleanup: restored mode %04o on %s", (unsigned)c[i].mode, c[i].path);
			}
		}
	}
}

static void handle_line(char *line, struct result *r, struct cleanup *c, int *nc, int maxc)
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
	case 'M':
		if (*nc < maxc) {
			struct cleanup *x = &c[(*nc)++];
			x->kind = type;
			x->mode = 0;
			if (type == 'M') {
				char *end;
				x->mode = (mode_t)strtoul(text, &end, 8);
				text = end;
				while (*text == ' ')
					text++;
			}
			snprintf(x->path, sizeof(x->path), "%s", text);
		}
		break;
	default: break;
	}
}

static unsigned default_timeout(void)
{
	const char *e = getenv("TEEABI_TEST_TIMEOUT");
	if (e && atoi(e) > 0)
		return (unsigned)atoi(e);
	return 30;
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
	pid_t pid = fork();
	if (pid < 0) {
		close(fds[0]);
		close(fds[1]);
		set_result(r, TST_BROK, "fork failed");
		return;
	}
	if (pid == 0) {
		setpgid(0, 0);
		close(fds[0]);
		g_pipe = fds[1];
		g_fails = 0;
		signal(SIGPIPE, SIG_DFL);
		t->fn();
		exit(0);
	}
	setpgid(pid, pid);
	close(fds[1]);
	unsigned timeout = t->timeout ? t->timeout : default_timeout();
	double deadline = t0 + timeout;
	char buf[8192];
	size_t have = 0;
	struct cleanup cl[64];
	int ncl = 0;
	bool timed_out = false;
	for (;;) {
		double left = deadline - now_s();
		if (left <= 0) {
			timed_out = true;
			break;
		}
		struct pollfd pfd = { .fd = fds[0], .events = POLLIN };
		int pr = poll(&pfd, 1, (int)(left * 1000) + 1);
		if (pr < 0) {
			if (errno == EINTR)
				continue;
			break;
		}
		if (pr == 0)
			continue;
		ssize_t n = read(fds[0], buf + have, sizeof(buf) - 1 - have);
		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0)
			break;
		have += (size_t)n;
		buf[have] = 0;
		char *start = buf, *nl;
		while ((nl = memchr(start, '\n', have - (size_t)(start - buf)))) {
			*nl = 0;
			handle_line(start, r, cl, &ncl, 64);
			start = nl + 1;
		}
		have -= (size_t)(start - buf);
		memmove(buf, start, have);
		if (have == sizeof(buf) - 1) { /* an over-long line: take it as is */
			buf[have] = 0;
			handle_line(buf, r, cl, &ncl, 64);
			have = 0;
		}
	}
	close(fds[0]);
	int status = 0;
	if (timed_out) {
		kill(-pid, SIGKILL);
		kill(pid, SIGKILL);
		waitpid(pid, &status, 0);
		char why[128];
		snprintf(why, sizeof(why), "timed out after %u s (a call never returned); killed", timeout);
		diag_add(r, "BROK: %s", why);
		set_result(r, TST_BROK, why);
	} else {
		/* EOF: the child is ending; give it the rest of the deadline to exit. */
		for (;;) {
			pid_t w = waitpid(pid, &status, WNOHANG);
			if (w == pid)
				break;
			if (now_s() > deadline) {
				kill(-pid, SIGKILL);
				waitpid(pid, &status, 0);
				break;
			}
			usleep(2000);
		}
		if (WIFSIGNALED(status)) {
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
	/* Any processes the test left in its group go too. */
	kill(-pid, SIGKILL);
	do_cleanups(cl, ncl, r);
	if (r->res == TST_INFO) {
		r->res = TST_BROK;
		snprintf(r->reason, sizeof(r->reason), "test reported no result");
	}
	r->secs = now_s() - t0;
}

/* ---------------------------------------------------------------- output */
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
	fflush(f);
}

static int write_junit(const char *path, const struct tst_test *tests, const struct result *res,
		       const int *sel, int nsel, double total, const char *profile_src)
{
	FILE *f = fopen(path, "w");
	if (!f) {
		fprintf(stderr, "teeabi: cannot write %s: %s\n", path, strerror(errno));
		return -1;
	}
	int nf = 0, nb = 0, ns = 0;
	for (int i = 0; i < nsel; i++) {
		nf += res[i].res == TST_FAIL;
		nb += res[i].res == TST_BROK;
		ns += res[i].res == TST_SKIP;
	}
	fprintf(f, "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<testsuites>\n");
	fprintf(f, "<testsuite name=\"");
	xml_escape(f, g_area);
	fprintf(f, "\" tests=\"%d\" failures=\"%d\" errors=\"%d\" skipped=\"%d\" time=\"%.3f\">\n", nsel, nf, nb, ns, total);
	fprintf(f, "  <properties>\n    <property name=\"profile\" value=\"");
	xml_escape(f, tst_profile ? tst_profile->name : "");
	fprintf(f, "\"/>\n    <property name=\"profile_source\" value=\"");
	xml_escape(f, profile_src);
	fprintf(f, "\"/>\n    <property name=\"kernel\" value=\"");
	xml_escape(f, tst_profile ? tst_profile->kernel : "");
	fprintf(f, "\"/>\n    <property name=\"allow_destructive\" value=\"%d\"/>\n", tst_allow_destructive);
	if (tst_profile) {
		/* The effective interface matrix the tests judged against (file keys + derived flags). */
		const struct teeabi_profile *p = tst_profile;
		static const char *ext[] = { "none", "ioctl", "sysfs" };
		fprintf(f, "    <property name=\"m.tdx_guest\" value=\"%s\"/>\n", teeabi_tdx_flavour_name(p->tdx_guest));
		fprintf(f, "    <property name=\"m.sev_guest\" value=\"%d\"/>\n", p->sev_guest);
		fprintf(f, "    <property name=\"m.configfs_tsm\" value=\"%d\"/>\n", p->configfs_tsm);
		fprintf(f, "    <property name=\"m.tsm_provider\" value=\"%s\"/>\n", teeabi_tsm_provider_name(p->tsm_provider));
		fprintf(f, "    <property name=\"m.tsm_precreate\" value=\"");
		xml_escape(f, p->tsm_precreate);
		fprintf(f, "\"/>\n    <property name=\"m.tsm_mr\" value=\"%d\"/>\n", p->tsm_mr);
		fprintf(f, "    <property name=\"m.rtmr_extend\" value=\"%s\"/>\n", p->rtmr_extend <= 2 ? ext[p->rtmr_extend] : "?");
		fprintf(f, "    <property name=\"m.sev_vmpl\" value=\"%u\"/>\n", p->sev_vmpl);
		fprintf(f, "    <property name=\"m.tsm_svsm\" value=\"%d\"/>\n", p->tsm_svsm);
		fprintf(f, "    <property name=\"m.kernel\" value=\"");
		xml_escape(f, p->kernel);
		fprintf(f, "\"/>\n    <property name=\"m.image\" value=\"");
		xml_escape(f, p->os_id);
		fputc(' ', f);
		xml_escape(f, p->os_version);
		fprintf(f, "\"/>\n");
	}
	fprintf(f, "  </properties>\n");
	for (int k = 0; k < nsel; k++) {
		const struct tst_test *t = &tests[sel[k]];
		const struct result *r = &res[k];
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
	if (fclose(f) != 0)
		return -1;
	return 0;
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
		"Exit: 0 all pass (skips allowed), 1 any FAIL or BROK, 4 everything skipped, 2 usage.\n", prog);
}

int tst_main(int argc, char **argv, const char *area, const struct tst_test *tests)
{
	teeabi_version_option(argc, argv);
	g_area = area;
	setvbuf(stdout, NULL, _IOLBF, 0);
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
		case 'p': profile_name = optarg; break;
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
			if (npats < 64)
				pats[npats++] = optarg;
			break;
		case 'h': usage(stdout, argv[0]); return 0;
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
	if (list) {
		for (int i = 0; i < ntests; i++)
			printf("%s\n", tests[i].name);
		return 0;
	}
	int *sel = calloc((size_t)ntests + 1, sizeof(int));
	struct result *res = calloc((size_t)ntests + 1, sizeof(*res));
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
		free(sel);
		free(res);
		return 2;
	}

	/* Profile: --profile, $TEEABI_PROFILE, detection. */
	char err[256] = "";
	char src[160];
	int prc;
	if (!profile_name) {
		const char *e = getenv("TEEABI_PROFILE");
		if (e && *e) {
			profile_name = e;
			snprintf(src, sizeof(src), "$TEEABI_PROFILE");
		}
	} else {
		snprintf(src, sizeof(src), "--profile");
	}
	if (profile_name) {
		prc = teeabi_profile_load(teeabi_profile_dir(), profile_name, &g_profile, err, sizeof(err));
	} else {
		bool matched = false;
		prc = teeabi_profile_detect(NULL, &g_profile, &matched, err, sizeof(err));
		snprintf(src, sizeof(src), "%s", matched ? "detected" : "detected (no exact profile; generic profile derived from the kernel)");
	}
	FILE *tap = NULL;
	if (tap_path) {
		tap = fopen(tap_path, "w");
		if (!tap)
			fprintf(stderr, "%s: cannot write %s: %s\n", argv[0], tap_path, strerror(errno));
	}
	FILE *outs[2] = { stdout, tap };
	for (int o = 0; o < 2; o++) {
		if (!outs[o])
			continue;
		fprintf(outs[o], "TAP version 13\n");
		fprintf(outs[o], "# teeabi suite %s\n", area);
	}
	if (prc != 0) {
		/* Without a profile there are no expectations: every test is BROK. */
		for (int o = 0; o < 2; o++) {
			if (!outs[o])
				continue;
			fprintf(outs[o], "# cannot load profile %s: %s\n1..%d\n", profile_name ? profile_name : "(detect)", err, nsel);
			for (int k = 0; k < nsel; k++)
				fprintf(outs[o], "not ok %d %s # error no profile: %s\n", k + 1, tests[sel[k]].name, err);
		}
		if (junit_path) {
			for (int k = 0; k < nsel; k++) {
				res[k].res = TST_BROK;
				snprintf(res[k].reason, sizeof(res[k].reason), "no profile: %s", err);
			}
			write_junit(junit_path, tests, res, sel, nsel, 0, "none");
		}
		if (tap)
			fclose(tap);
		free(sel);
		free(res);
		return 1;
	}
	tst_profile = &g_profile;
	for (int o = 0; o < 2; o++) {
		if (!outs[o])
			continue;
		fprintf(outs[o], "# profile %s (%s): platform %s, kernel %s, os %s %s\n", g_profile.name, src,
			g_profile.platform == TEEABI_PLAT_SNP ? "snp" : "tdx", g_profile.kernel,
			g_profile.os_id[0] ? g_profile.os_id : "-", g_profile.os_version);
		fprintf(outs[o], "# destructive tests %s; uid %d\n", tst_allow_destructive ? "enabled" : "disabled (no --allow-destructive)", (int)geteuid());
		fprintf(outs[o], "1..%d\n", nsel);
	}
	int npass = 0, nfail = 0, nskip = 0, nbrok = 0;
	double t_all = now_s();
	for (int k = 0; k < nsel; k++) {
		const struct tst_test *t = &tests[sel[k]];
		struct result *r = &res[k];
		char reason[MSG_MAX - 40];
		bool iface_missing;
		if (check_reqs(t, reason, sizeof(reason), &iface_missing)) {
			unsigned f = derived_iface(t);
			if (iface_missing && (f & require)) {
				r->res = TST_FAIL;
				snprintf(r->reason, sizeof(r->reason), "required interface absent: %s", reason);
			} else {
				r->res = TST_SKIP;
				snprintf(r->reason, sizeof(r->reason), "%s", reason);
			}
		} else {
			run_one(t, r);
		}
		switch (r->res) {
		case TST_PASS: npass++; break;
		case TST_SKIP: nskip++; break;
		case TST_FAIL: nfail++; break;
		default: nbrok++; break;
		}
		tap_result(stdout, k + 1, t, r);
		if (tap)
			tap_result(tap, k + 1, t, r);
	}
	double total = now_s() - t_all;
	for (int o = 0; o < 2; o++) {
		if (!outs[o])
			continue;
		fprintf(outs[o], "# Totals: pass:%d fail:%d xfail:0 xpass:0 skip:%d error:%d (%.2f s)\n", npass, nfail, nskip, nbrok, total);
	}
	if (tap && fclose(tap) != 0)
		fprintf(stderr, "%s: error writing %s\n", argv[0], tap_path);
	if (junit_path)
		write_junit(junit_path, tests, res, sel, nsel, total, src);
	for (int k = 0; k < nsel; k++)
		free(res[k].diag);
	free(sel);
	free(res);
	if (nfail || nbrok)
		return 1;
	if (npass == 0)
		return 4;
	return 0;
}
