/* SPDX-License-Identifier: Apache-2.0 */
/*
 * teeabi-run - the qualification run: every (profile, suite) of the mock matrix inside
 * mockenv, the fault self-test, or the suites once on this machine; then the reports
 * (summary.json, index.html, junit/, tap/, logs/, faults/). What run_all.sh execs after deps
 * and build, and what the shipped bundle's teeabi-qualify runs. See usage[] and
 * docs/summary-schema.md.
 *
 * A verdict that cannot lie: each suite's test list is known before the run (`--list`), and
 * a listed test without exactly one result in a complete TAP stream, a suite killed or unable
 * to write, a mock whose daemon died (mockenv 125), a report that could not be written, an
 * interruption: each makes the run non-zero and says what is missing. Every child is reaped
 * before the verdict. The pieces live in tools/run/.
 */
#include <errno.h>
#include <fcntl.h>
#include <libgen.h>
#include <limits.h>
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>
#include <dirent.h>
#include "run/run.h"
#include "teeabi/version.h"

#define TERM_GRACE_S 30.0  /* after a forwarded signal, before the jobs are SIGKILLed */

static const char usage[] =
	"usage: %s --target auto|real|mock [--profile NAME|all] [--fault NAME] [--no-faults]\n"
	"          [--allow-destructive] [-j N] [--fuzz-seconds N] [--root DIR] [--reports DIR]\n"
	"\n"
	"  --target       auto: real when /dev/tdx_guest, /dev/sev-guest or\n"
	"                 /sys/kernel/config/tsm/report exist, else mock (default auto)\n"
	"  --profile      one profile (default all: the whole mock matrix; real: detected)\n"
	"  --fault        mock only: run just this fault (on --profile if it applies there)\n"
	"  --no-faults    mock only: skip the fault self-test\n"
	"  --allow-destructive  real only: allow the irreversible tests (the mock always does)\n"
	"  -j N           parallel jobs (default: the number of CPUs)\n"
	"  --fuzz-seconds N  then scripts/fuzz.sh for N s per target (build tree only)\n"
	"  --root DIR     DIR/suites, DIR/bin, DIR/profiles, DIR/faults (a bundle). Default: the\n"
	"                 build tree of this binary (<B>/suites, <B>/bin, mocks/profiles,\n"
	"                 mocks/faults), or the bundle it sits in (<dir>/profiles beside bin/)\n"
	"  --reports DIR  where the reports go (default reports/)\n"
	"\n"
	"Environment: TEEABI_JOB_TIMEOUT=S stops a job (SIGTERM, SIGKILL 30 s later) that runs\n"
	"longer than S seconds (default 1800); its missing results are BROK.\n"
	"\n"
	"Exit: 0 PASS, 1 any FAIL or BROK (a lost or truncated result, a dead mock daemon, a\n"
	"report that could not be written, an interruption, an undetected fault), 2 usage,\n"
	"4 everything skipped.\n";

/* dstack_agent first: the other suites extend RTMR3 natively, which no agent log records;
 * vmpck last: its test wipes the SNP VMPCK, every later SEV request of the boot fails */
static const char *const known_suites[] = { "dstack_agent", "tdx_guest", "sev_guest", "tsm_report", "tsm_mr", "rtmr3", "matrix", "perms", "vmpck", NULL };

struct opts {
	const char *target, *profile, *fault, *root, *reports;
	bool no_faults, destructive;
	long jobs, fuzz_seconds;
};

static struct run R;
static char **suites;     /* discovered suite names, in known order */
static int nsuites;
static char ***lists;     /* per suite: --list names */
static int *nlists;
static char *list_err[64];
static char tree[PATH_MAX], self_exe[PATH_MAX];
static char d_suites[PATH_MAX], d_bin[PATH_MAX], d_profiles[PATH_MAX], d_faults[PATH_MAX], d_scripts[PATH_MAX];
static char d_reports[PATH_MAX];
static int total_runs, done_runs;

static void vdie(int code, const char *tail, const char *fmt, va_list ap) __attribute__((noreturn));
static void vdie(int code, const char *tail, const char *fmt, va_list ap)
{
	fprintf(stderr, "%s: ", run_prog);
	vfprintf(stderr, fmt, ap);
	fprintf(stderr, "%s\n", tail);
	exit(code);
}

/* A usage error: exit 2. */
static void die_usage(const char *fmt, ...) __attribute__((format(printf, 1, 2), noreturn));
static void die_usage(const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	vdie(2, " (see --help)", fmt, ap);
}

/* The run cannot start or go on: exit 1. */
static void die(const char *fmt, ...) __attribute__((format(printf, 1, 2), noreturn));
static void die(const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	vdie(1, "", fmt, ap);
}

void run_note(struct run *Rp, const char *fmt, ...)
{
	va_list ap;
	char *s;
	va_start(ap, fmt);
	if (vasprintf(&s, fmt, ap) < 0)
		abort();
	va_end(ap);
	printf("%s: %s\n", run_prog, s);
	char **n = realloc(Rp->notes, sizeof(char *) * (size_t)(Rp->nnotes + 1));
	if (!n)
		abort();
	Rp->notes = n;
	Rp->notes[Rp->nnotes++] = s;
}

static long parse_count(const char *opt, const char *v, long max)
{
	char *e;
	errno = 0;
	long x = strtol(v, &e, 10);
	if (!*v || *e || errno || x < 0 || x > max || (v[0] < '0' || v[0] > '9'))
		die_usage("%s takes a number from 0 to %ld, not '%s'", opt, max, v);
	return x;
}

/* Options: values are taken whole (never split); a missing value is a usage error. */
static void parse_args(int argc, char **argv, struct opts *o)
{
	o->target = "auto";
	o->profile = "all";
	o->reports = "reports";
	long ncpu = sysconf(_SC_NPROCESSORS_ONLN);
	o->jobs = ncpu > 0 ? ncpu : 2;
	for (int i = 1; i < argc; i++) {
		const char *a = argv[i], *val = NULL;
		static const char *const with_value[] = { "--target", "--profile", "--fault", "--fuzz-seconds", "--root",
							  "--reports", "-j", "--jobs", NULL };
		const char *name = a;
		char nbuf[32];
		if (!strcmp(a, "-h") || !strcmp(a, "--help")) {
			printf(usage, run_prog);
			exit(0);
		}
		if (!strcmp(a, "--no-faults")) {
			o->no_faults = true;
			continue;
		}
		if (!strcmp(a, "--allow-destructive")) {
			o->destructive = true;
			continue;
		}
		const char *eq = strchr(a, '=');
		if (a[0] == '-' && a[1] == '-' && eq && (size_t)(eq - a) < sizeof(nbuf)) {
			memcpy(nbuf, a, (size_t)(eq - a));
			nbuf[eq - a] = 0;
			name = nbuf;
			val = eq + 1;
		} else if (!strncmp(a, "-j", 2) && a[2]) {
			name = "-j";
			val = a + 2;
		}
		int k;
		for (k = 0; with_value[k]; k++)
			if (!strcmp(name, with_value[k]))
				break;
		if (!with_value[k])
			die_usage("unknown argument '%s'", a);
		if (!val) {
			if (i + 1 >= argc)
				die_usage("option %s needs a value", name);
			val = argv[++i];
			if (val[0] == '-' && val[1] == '-')
				die_usage("option %s needs a value (got the option %s)", name, val);
		}
		if (!*val)
			die_usage("option %s needs a value", name);
		if (!strcmp(name, "--target")) {
			if (strcmp(val, "auto") && strcmp(val, "real") && strcmp(val, "mock"))
				die_usage("--target must be auto, real or mock, not '%s'", val);
			o->target = val;
		} else if (!strcmp(name, "--profile")) {
			o->profile = val;
		} else if (!strcmp(name, "--fault")) {
			o->fault = val;
		} else if (!strcmp(name, "--fuzz-seconds")) {
			o->fuzz_seconds = parse_count(name, val, 86400);
		} else if (!strcmp(name, "-j") || !strcmp(name, "--jobs")) {
			o->jobs = parse_count(name, val, 256);
			if (o->jobs == 0)
				die_usage("-j takes a positive number");
		} else if (!strcmp(name, "--root")) {
			o->root = val;
		} else {
			o->reports = val;
		}
	}
}

static bool is_dir(const char *p)
{
	struct stat st;
	return stat(p, &st) == 0 && S_ISDIR(st.st_mode);
}

static bool is_file(const char *p)
{
	struct stat st;
	return stat(p, &st) == 0 && S_ISREG(st.st_mode);
}

#define PJOIN(dst, ...) \
	do { \
		if (snprintf(dst, sizeof(dst), __VA_ARGS__) >= (int)sizeof(dst)) \
			die("path too long"); \
	} while (0)

/* suites/, bin/, profiles/, faults/: --root, the bundle around this binary, or the tree. */
static void find_layout(const struct opts *o)
{
	ssize_t n = readlink("/proc/self/exe", self_exe, sizeof(self_exe) - 1);
	if (n <= 0)
		die("cannot find my own executable (/proc/self/exe): %s", strerror(errno));
	self_exe[n] = 0;
	char b[PATH_MAX];
	if (o->root) {
		if (!realpath(o->root, b) || !is_dir(b))
			die_usage("--root %s is not a directory", o->root);
		snprintf(tree, sizeof(tree), "%s", b);
		PJOIN(d_suites, "%s/suites", b);
		PJOIN(d_bin, "%s/bin", b);
		PJOIN(d_profiles, "%s/profiles", b);
		PJOIN(d_faults, "%s/faults", b);
		PJOIN(d_scripts, "%s/scripts", b);
		return;
	}
	snprintf(b, sizeof(b), "%s", self_exe);
	char *bindir = dirname(b);
	snprintf(d_bin, sizeof(d_bin), "%s", bindir);
	char bb[PATH_MAX];
	snprintf(bb, sizeof(bb), "%s", d_bin);
	char *bdir = dirname(bb);
	PJOIN(d_suites, "%s/suites", bdir);
	PJOIN(d_profiles, "%s/profiles", bdir);
	if (is_dir(d_profiles)) {
		snprintf(tree, sizeof(tree), "%s", bdir);
		PJOIN(d_faults, "%s/faults", bdir);
		PJOIN(d_scripts, "%s/scripts", bdir);
		return;
	}
	char t[PATH_MAX];
	snprintf(t, sizeof(t), "%s", bdir);
	for (int up = 0; up < 4; up++) {
		char *d = dirname(t);
		char probe[PATH_MAX + 32];
		snprintf(probe, sizeof(probe), "%s/mocks/profiles", d);
		if (is_dir(probe)) {
			snprintf(tree, sizeof(tree), "%s", d);
			PJOIN(d_profiles, "%s/mocks/profiles", d);
			PJOIN(d_faults, "%s/mocks/faults", d);
			PJOIN(d_scripts, "%s/scripts", d);
			return;
		}
		memmove(t, d, strlen(d) + 1);
	}
	die("cannot find the profiles: neither %s nor a mocks/profiles above %s (use --root)", d_profiles, d_bin);
}

/* The suites of a run, in report order. A missing binary is not left out: its --list fails
 * and the suite is a BROK of every job. */
static void discover_suites(void)
{
	suites = calloc(64, sizeof(char *));
	if (!suites)
		abort();
	for (int i = 0; known_suites[i]; i++)
		suites[nsuites++] = strdup(known_suites[i]);
	lists = calloc((size_t)nsuites, sizeof(*lists));
	nlists = calloc((size_t)nsuites, sizeof(int));
	if (!lists || !nlists)
		abort();
}

/* `suite --list` once per suite: the list does not depend on the profile (contract S). */
static void list_tests(void)
{
	for (int i = 0; i < nsuites; i++) {
		char p[PATH_MAX + 64];
		snprintf(p, sizeof(p), "%s/%s", d_suites, suites[i]);
		char *argv[] = { p, "--list", NULL }, *out, *err;
		int rc = run_capture(argv, &out, 1 << 20, &err, 60);
		char why[400];
		if (rc == 0 && parse_list(out, &lists[i], &nlists[i], why, sizeof(why)) == 0) {
			free(out);
			free(err);
			continue;
		}
		if (rc != 0) {
			char *last = err ? err : out;
			size_t l = strlen(last);
			while (l && last[l - 1] == '\n')
				last[--l] = 0;
			char *nl = strrchr(last, '\n');
			char *c = clean_text(nl ? nl + 1 : last, 200);
			snprintf(why, sizeof(why), "%s --list exited %d%s%s", suites[i], rc, *c ? ": " : "", c);
			free(c);
		}
		list_err[i] = strdup(why);
		/* No list: the suite is one BROK result under its own name. */
		lists[i] = calloc(1, sizeof(char *));
		lists[i][0] = strdup(suites[i]);
		nlists[i] = 1;
		free(out);
		free(err);
	}
}

static int suite_index(const char *s)
{
	for (int i = 0; i < nsuites; i++)
		if (!strcmp(suites[i], s))
			return i;
	return -1;
}

static struct job *add_job(const char *key, const char *profile, const char *fault, const char *const *want)
{
	R.jobs = realloc(R.jobs, sizeof(struct job) * (size_t)(R.njobs + 1));
	if (!R.jobs)
		abort();
	struct job *j = &R.jobs[R.njobs++];
	memset(j, 0, sizeof(*j));
	snprintf(j->key, sizeof(j->key), "%s", key);
	snprintf(j->profile, sizeof(j->profile), "%s", profile);
	snprintf(j->fault, sizeof(j->fault), "%s", fault ? fault : "");
	j->s = calloc((size_t)nsuites, sizeof(struct srun));
	j->mockenv_rc = -1;
	for (int i = 0; i < nsuites; i++) {
		bool w = !want;
		for (int k = 0; want && want[k]; k++)
			w |= !strcmp(want[k], suites[i]);
		if (!w)
			continue;
		struct srun *s = &j->s[j->ns++];
		s->suite = suites[i];
		s->list = lists[i];
		s->nlist = nlists[i];
		s->exit_code = -1;
	}
	total_runs += j->ns;
	return j;
}

static char *conf_text(const char *dir, const char *name)
{
	char p[PATH_MAX + 80], *t;
	size_t n;
	snprintf(p, sizeof(p), "%s/%s.conf", dir, name);
	if (slurp(p, 1 << 16, &t, &n) < 0)
		return NULL;
	return t;
}

/* The profiles a fault applies to (`profiles = a, b`), the first its default. */
static int fault_profiles(const char *text, char out[][64], int max)
{
	char v[1024];
	int n = 0;
	if (!conf_value(text, "profiles", v, sizeof(v)))
		return 0;
	for (char *tok = strtok(v, ", \t"); tok && n < max; tok = strtok(NULL, ", \t"))
		if (valid_name(tok))
			snprintf(out[n++], 64, "%s", tok);
	return n;
}

static void fault_job(const char *fault, const char *profile, const char *text)
{
	char area[64];
	conf_value(text, "area", area, sizeof(area));
	static const char *tdx[] = { "tdx_guest", "rtmr3", NULL }, *mr[] = { "tsm_mr", "rtmr3", NULL };
	static const char *sev[] = { "sev_guest", "vmpck", NULL }; /* vmpck: the wipe, after everything else */
	const char *one[2] = { area, NULL };
	const char *const *want = NULL;
	if (!strcmp(area, "tdx_guest"))
		want = tdx;
	else if (!strcmp(area, "tsm_mr"))
		want = mr;
	else if (!strcmp(area, "sev_guest"))
		want = sev;
	else if (!strcmp(area, "tsm_report") || !strcmp(area, "matrix") ||
		 !strcmp(area, "dstack_agent"))
		want = one;
	char key[160];
	snprintf(key, sizeof(key), "%s+%s", profile, fault);
	struct job *j = add_job(key, profile, fault, want);
	snprintf(j->area, sizeof(j->area), "%s", area);
	char d[400];
	conf_value(text, "description", d, sizeof(d));
	char *c = clean_text(d, sizeof(j->desc) - 1);
	snprintf(j->desc, sizeof(j->desc), "%s", c);
	free(c);
}

static bool name_in(const char *n, char arr[][64], int k)
{
	for (int i = 0; i < k; i++)
		if (!strcmp(arr[i], n))
			return true;
	return false;
}

static int list_confs(const char *dir, char (*names)[64], int max);

static void plan_mock(const struct opts *o)
{
	char (*names)[64] = calloc(512, 64);
	int np = list_confs(d_profiles, names, 512);
	if (o->fault) {
		char *t = conf_text(d_faults, o->fault);
		char fp[32][64];
		int nf = t ? fault_profiles(t, fp, 32) : 0;
		if (nf == 0)
			die_usage("fault %s lists no profiles in %s/%s.conf", o->fault, d_faults, o->fault);
		if (!strcmp(o->profile, "all")) {
			for (int i = 0; i < nf; i++)
				fault_job(o->fault, fp[i], t);
		} else if (name_in(o->profile, fp, nf)) {
			fault_job(o->fault, o->profile, t);
		} else {
			run_note(&R, "fault %s does not apply to profile %s (its interface is absent or different there); "
				     "running it on its default profile %s instead",
				 o->fault, o->profile, fp[0]);
			fault_job(o->fault, fp[0], t);
		}
		free(t);
		free(names);
		return;
	}
	for (int i = 0; i < np; i++)
		if (!strcmp(o->profile, "all") || !strcmp(o->profile, names[i]))
			add_job(names[i], names[i], NULL, NULL);
	if (!o->no_faults) {
		char (*faults)[64] = calloc(512, 64);
		int nf = list_confs(d_faults, faults, 512);
		for (int i = 0; i < nf; i++) {
			char *t = conf_text(d_faults, faults[i]);
			char fp[32][64];
			int k = t ? fault_profiles(t, fp, 32) : 0;
			if (k == 0)
				run_note(&R, "fault %s lists no profiles: not run", faults[i]);
			for (int m = 0; m < k; m++)
				if (!strcmp(o->profile, "all") || !strcmp(o->profile, fp[m]))
					fault_job(faults[i], fp[m], t);
			free(t);
		}
		free(faults);
	}
	free(names);
}

/* ------------------------------------------------------------------ the lock, the directory */

static void take_lock(void)
{
	char p[PATH_MAX + 16];
	snprintf(p, sizeof(p), "%s/.lock", d_reports);
	int fd = -1;
	/* run_all.sh took the lock before it wrote anything and passes the descriptor on */
	const char *e = getenv("TEEABI_RUN_LOCK_FD");
	if (e && *e) {
		char *end;
		long v = strtol(e, &end, 10);
		struct stat a, b;
		if (!*end && v >= 3 && v < 1024 && fstat((int)v, &a) == 0 && stat(p, &b) == 0 && a.st_dev == b.st_dev &&
		    a.st_ino == b.st_ino)
			fd = (int)v;
		unsetenv("TEEABI_RUN_LOCK_FD");
	}
	if (fd < 0) {
		fd = open(p, O_RDWR | O_CREAT | O_CLOEXEC, 0644);
		if (fd < 0)
			die("%s is not writable: %s (%s)", R.display, errno_name(errno), strerror(errno));
	}
	fcntl(fd, F_SETFD, FD_CLOEXEC);
	if (flock(fd, LOCK_EX | LOCK_NB) < 0) {
		int err = errno;
		char buf[32] = "";
		ssize_t k = pread(fd, buf, sizeof(buf) - 1, 0);
		long pid = k > 0 ? strtol(buf, NULL, 10) : 0;
		if (err == EWOULDBLOCK) {
			if (pid > 0)
				die("%s is in use by another run (pid %ld holds %s/.lock); not starting", R.display, pid, R.display);
			die("%s is in use by another run (%s/.lock is locked); not starting", R.display, R.display);
		}
		die("cannot lock %s/.lock: %s (%s)", R.display, errno_name(err), strerror(err));
	}
	char pid[32];
	int n = snprintf(pid, sizeof(pid), "%d\n", (int)getpid());
	if (ftruncate(fd, 0) < 0 || pwrite(fd, pid, (size_t)n, 0) != n)
		die("%s is not writable: %s (%s)", R.display, errno_name(errno), strerror(errno));
	/* the descriptor stays open (and locked) until we exit */
}

static void prepare_reports(void)
{
	static const char *const old[] = { "summary.json", "index.html", "junit", "tap", "logs", "evidence", "runs",
					   "faults", "fuzz.log", "build.log", NULL };
	static const char *const fresh[] = { "junit", "tap", "logs", "evidence", "runs", "faults", "faults/tap",
					     "faults/junit", "faults/logs", NULL };
	char p[PATH_MAX + 64];
	/* the previous verdict goes first: it must never survive a run that fails to replace it */
	for (int i = 0; old[i]; i++) {
		PJOIN(p, "%s/%s", d_reports, old[i]);
		if (rm_tree(p) < 0)
			die("cannot remove the previous run's %s/%s (%s): not starting", R.display, old[i], run_io_first());
	}
	for (int i = 0; fresh[i]; i++) {
		PJOIN(p, "%s/%s", d_reports, fresh[i]);
		if (mkdir_checked(p) < 0)
			die("cannot create %s/%s (%s)", R.display, fresh[i], run_io_first());
	}
}

/* ------------------------------------------------------------------ jobs */

static struct child *children;
static char env_evidence[PATH_MAX + 32], env_pdir[PATH_MAX + 32], env_fdir[PATH_MAX + 32];
static const struct opts *O;

static int start_job(int ji)
{
	struct job *j = &R.jobs[ji];
	char raw[PATH_MAX + 16], logs[PATH_MAX + 32], log[PATH_MAX + 256], mockenv[PATH_MAX + 16];
	PJOIN(raw, "%s/runs", d_reports);
	PJOIN(logs, "%s/%s", d_reports, j->fault[0] ? "faults/logs" : "logs");
	PJOIN(log, "%s/%s__%s.log", logs, j->key, !strcmp(R.target, "mock") ? "mockenv" : "run");
	PJOIN(mockenv, "%s/mockenv", d_bin);
	char *argv[128];
	int k = 0;
	bool mock = !strcmp(R.target, "mock");
	if (mock) {
		argv[k++] = mockenv;
		argv[k++] = "--profile";
		argv[k++] = j->profile;
		if (j->fault[0]) {
			argv[k++] = "--fault";
			argv[k++] = j->fault;
		}
		argv[k++] = "--";
	}
	argv[k++] = self_exe;
	argv[k++] = "--_job";
	argv[k++] = j->key;
	argv[k++] = raw;
	argv[k++] = logs;
	argv[k++] = d_suites;
	for (int i = 0; i < j->ns && k < 100; i++)
		argv[k++] = (char *)j->s[i].suite;
	argv[k++] = "--";
	if (mock || O->destructive)
		argv[k++] = "--allow-destructive";
	if (!mock && strcmp(O->profile, "all")) {
		argv[k++] = "--profile";
		argv[k++] = (char *)O->profile;
	}
	argv[k] = NULL;
	char *env[] = { env_pdir, env_fdir, j->fault[0] ? "TEEABI_EVIDENCE_DIR=" : env_evidence, NULL };
	j->started = true;
	if (child_start(&children[ji], argv, env, log, NULL) < 0) {
		j->mockenv_rc = 125;
		j->mockenv_msg = strdup("the job could not be started (see above)");
		return -1;
	}
	return 0;
}

static void print_suite(const struct job *j, const struct srun *s)
{
	done_runs++;
	char extra[32] = "";
	if (s->counts[T_BROK])
		snprintf(extra, sizeof(extra), ", %d brok", s->counts[T_BROK]);
	printf("[%d/%d] %s %s: %d pass, %d fail, %d skip%s (%.2f s)\n", done_runs, total_runs, j->key, s->suite,
	       s->counts[T_PASS], s->counts[T_FAIL], s->counts[T_SKIP], extra, s->secs);
	if (s->problem)
		printf("    BROK: %s\n", s->problem);
	fflush(stdout);
}

/* The last "mockenv: " line of the job's log: mockenv's own message. */
static char *mockenv_message(const struct job *j)
{
	char p[PATH_MAX + 256], *t;
	size_t n;
	snprintf(p, sizeof(p), "%s/%s/%s__mockenv.log", d_reports, j->fault[0] ? "faults/logs" : "logs", j->key);
	if (slurp(p, 1 << 22, &t, &n) < 0)
		return strdup("(no mockenv log)");
	char *best = NULL;
	for (char *l = t; l && *l;) {
		char *e = strchr(l, '\n');
		if (e)
			*e = 0;
		if (!strncmp(l, "mockenv: ", 9))
			best = l;
		l = e ? e + 1 : NULL;
	}
	char *c = clean_text(best ? best : "mockenv failed without a message", 400);
	free(t);
	return c;
}

/* The inner runner's status lines (runs/<key>.status): SUITE EXIT SECONDS LOGERROR. */
static void apply_status(struct job *j, const char *st)
{
	for (const char *l = st; l && *l;) {
		const char *e = strchr(l, '\n');
		if (!e)
			break;
		char line[1024];
		size_t n = (size_t)(e - l) < sizeof(line) - 1 ? (size_t)(e - l) : sizeof(line) - 1;
		memcpy(line, l, n);
		line[n] = 0;
		l = e + 1;
		char *f[4] = { line, NULL, NULL, NULL };
		for (int i = 1; i < 4; i++) {
			char *tab = f[i - 1] ? strchr(f[i - 1], '\t') : NULL;
			if (!tab)
				break;
			*tab = 0;
			f[i] = tab + 1;
		}
		if (!f[3])
			continue;
		for (int i = 0; i < j->ns; i++) {
			struct srun *s = &j->s[i];
			if (strcmp(s->suite, f[0]))
				continue;
			char *end;
			long rc = strtol(f[1], &end, 10);
			if (*end || rc < -1 || rc > 255)
				break;
			s->exit_code = (int)rc;
			s->secs = strtod(f[2], NULL);
			if (!(s->secs >= 0 && s->secs < 1e7))
				s->secs = 0;
			if (strcmp(f[3], "-")) {
				char *c = clean_text(f[3], 600);
				run_io_error_line(c);
				free(c);
			}
		}
	}
}

static void finish_job(int ji)
{
	struct job *j = &R.jobs[ji];
	struct child *c = &children[ji];
	child_finish(c);
	if (c->pid) {
		j->mockenv_rc = WIFEXITED(c->status) ? WEXITSTATUS(c->status) : 128 + WTERMSIG(c->status);
		char sp[PATH_MAX + 200], *st = NULL;
		size_t n;
		snprintf(sp, sizeof(sp), "%s/runs/%s.status", d_reports, j->key);
		if (slurp(sp, 1 << 16, &st, &n) == 0)
			apply_status(j, st);
		free(st);
	}
	bool mock = !strcmp(R.target, "mock");
	if (mock && j->mockenv_rc == 125 && !j->mockenv_msg)
		j->mockenv_msg = mockenv_message(j);
	for (int i = 0; i < j->ns; i++) {
		struct srun *s = &j->s[i];
		int si = suite_index(s->suite);
		char where[300];
		snprintf(where, sizeof(where), "%s on %s%s%s", s->suite, j->profile, j->fault[0] ? " with fault " : "", j->fault);
		if (list_err[si]) {
			srun_all(s, T_BROK, list_err[si]);
			char m[600];
			snprintf(m, sizeof(m), "%s: cannot list its tests: %s", where, list_err[si]);
			s->problem = strdup(m);
		} else if (j->mockenv_msg) {
			/* the mock could not be set up or its daemon died: no result of this job counts */
			srun_all(s, T_BROK, j->mockenv_msg);
			char m[700];
			snprintf(m, sizeof(m), "%s: every test BROK: %s", where, j->mockenv_msg);
			s->problem = strdup(m);
		} else {
			char p[PATH_MAX + 256], *t = NULL;
			size_t n = 0;
			snprintf(p, sizeof(p), "%s/runs/%s__%s.tap", d_reports, j->key, s->suite);
			if (slurp(p, 1 << 24, &t, &n) < 0)
				t = NULL;
			if (s->exit_code < 0 && j->mockenv_rc >= 0 && !R.interrupted) {
				char m[200];
				snprintf(m, sizeof(m), "no result: the job ended (exit %d) before this suite reported", j->mockenv_rc);
				srun_all(s, T_BROK, m);
				char mm[600];
				snprintf(mm, sizeof(mm), "%s: %s", where, m);
				s->problem = strdup(mm);
			} else {
				tap_judge(s, t, n, where);
			}
			free(t);
		}
	}
	/* real target: the reports are named after the profile the suites detected */
	if (!mock) {
		const char *det = NULL;
		for (int i = 0; i < j->ns && !det; i++)
			if (j->s[i].detected[0])
				det = j->s[i].detected;
		if (det) {
			for (int i = 0; i < j->ns; i++) {
				char a[PATH_MAX + 256], b[PATH_MAX + 256];
				snprintf(a, sizeof(a), "%s/logs/%s__%s.log", d_reports, j->key, j->s[i].suite);
				snprintf(b, sizeof(b), "%s/logs/%s__%s.log", d_reports, det, j->s[i].suite);
				if (rename(a, b) < 0 && errno != ENOENT)
					run_io_error(b, "rename", errno);
			}
			snprintf(j->profile, sizeof(j->profile), "%s", det);
			snprintf(j->key, sizeof(j->key), "%s", det);
		}
	}
	for (int i = 0; i < j->ns; i++) {
		write_suite_files(&R, j, &j->s[i]);
		print_suite(j, &j->s[i]);
	}
	j->done = true;
}

static void skip_job(struct job *j)
{
	for (int i = 0; i < j->ns; i++) {
		srun_all(&j->s[i], T_SKIP, R.skip_all);
		write_suite_files(&R, j, &j->s[i]);
		print_suite(j, &j->s[i]);
	}
	j->done = true;
}

/* Run every job, -j at a time; a termination signal is forwarded, then SIGKILL after grace. */
static double job_timeout = 1800;   /* s; TEEABI_JOB_TIMEOUT */

static void run_jobs(int nj)
{
	children = calloc((size_t)R.njobs + 1, sizeof(struct child));
	struct child **cs = calloc((size_t)R.njobs + 1, sizeof(*cs));
	if (!children || !cs)
		abort();
	int next = 0, running = 0;
	double t_sig = 0;
	bool killed = false;
	for (;;) {
		while (!R.interrupted && running < nj && next < R.njobs) {
			if (start_job(next) == 0) {
				cs[next] = &children[next];
				running++;
			} else {
				finish_job(next);
			}
			next++;
		}
		if (running == 0)
			break;
		int sig = loop_wait(cs, R.njobs, 1000);
		if (sig) {
			if (!R.interrupted) {
				R.interrupted = sig;
				t_sig = now_s();
				printf("%s: interrupted by %s: stopping the jobs\n", run_prog, sig_name(sig));
				fflush(stdout);
			}
			for (int i = 0; i < R.njobs; i++)
				if (cs[i] && !cs[i]->exited)
					kill(cs[i]->pid, sig);
		}
		for (int i = 0; i < R.njobs; i++) {
			struct job *j = &R.jobs[i];
			if (!cs[i] || cs[i]->exited)
				continue;
			double now = now_s();
			if (!j->t_term && now - cs[i]->t0 > job_timeout) {
				/* a hung job: stopped like an interrupted one, its missing results BROK */
				run_note(&R, "job %s still running after %.0f s (TEEABI_JOB_TIMEOUT): SIGTERM", j->key, job_timeout);
				kill(cs[i]->pid, SIGTERM);
				j->t_term = now;
			} else if (j->t_term && now - j->t_term > TERM_GRACE_S) {
				kill(-cs[i]->pid, SIGKILL);
			}
		}
		if (R.interrupted && !killed && now_s() - t_sig > TERM_GRACE_S) {
			fprintf(stderr, "%s: jobs still running %.0f s after %s: SIGKILL\n", run_prog, TERM_GRACE_S,
				sig_name(R.interrupted));
			for (int i = 0; i < R.njobs; i++)
				if (cs[i] && !cs[i]->exited)
					kill(-cs[i]->pid, SIGKILL);
			killed = true;
		}
		for (int i = 0; i < R.njobs; i++) {
			if (cs[i] && child_done(cs[i])) {
				cs[i] = NULL;
				running--;
				finish_job(i);
			}
		}
	}
	/* jobs never started (interrupted): their tests have no result */
	for (int i = next; i < R.njobs; i++) {
		struct job *j = &R.jobs[i];
		for (int k = 0; k < j->ns; k++) {
			char m[200];
			snprintf(m, sizeof(m), "not run: interrupted by %s", sig_name(R.interrupted));
			srun_all(&j->s[k], T_BROK, m);
			write_suite_files(&R, j, &j->s[k]);
			done_runs++;
		}
		j->done = true;
	}
	free(cs);
}

/* ------------------------------------------------------------------ fuzz */

static void fuzz_line(const char *l, void *ctx)
{
	(void)ctx;
	if (!strncmp(l, "fuzz: ", 6) || !strncmp(l, "fuzz.sh: ", 9)) {
		char *c = clean_text(l, 400);
		printf("%s\n", c);
		fflush(stdout);
		free(c);
	}
}

static void run_fuzz(void)
{
	char script[PATH_MAX + 16], rep[PATH_MAX + 16], log[PATH_MAX + 16], env_s[64], env_r[PATH_MAX + 32];
	PJOIN(script, "%s/fuzz.sh", d_scripts);
	if (!is_file(script)) {
		run_note(&R, "--fuzz-seconds given but %s does not exist here: no fuzz campaign", "scripts/fuzz.sh");
		R.fuzz_rc = -2;
		return;
	}
	PJOIN(rep, "%s/fuzz", d_reports);
	PJOIN(log, "%s/fuzz.log", d_reports);
	char old[PATH_MAX + 32];
	PJOIN(old, "%s/summary.json", rep);
	/* never report an earlier campaign's figures as this one's */
	if (rm_tree(old) < 0) {
		R.fuzz_rc = 1;
		R.fuzz_ran = true;
		return;
	}
	snprintf(env_s, sizeof(env_s), "FUZZ_SECONDS=%d", R.fuzz_seconds);
	PJOIN(env_r, "FUZZ_REPORT_DIR=%s", rep);
	printf("%s: fuzz campaign, %d s per target (scripts/fuzz.sh)\n", run_prog, R.fuzz_seconds);
	fflush(stdout);
	char bash[] = "/bin/bash";
	char *argv[] = { bash, script, NULL }, *env[] = { env_s, env_r, NULL };
	struct child c;
	if (child_start(&c, argv, env, log, tree) < 0) {
		R.fuzz_rc = 1;
		R.fuzz_ran = true;
		return;
	}
	c.line_cb = fuzz_line;
	struct child *cs[1] = { &c };
	double t_sig = 0;
	while (!child_done(&c)) {
		int sig = loop_wait(cs, 1, 1000);
		if (sig && !R.interrupted) {
			R.interrupted = sig;
			t_sig = now_s();
			kill(c.pid, sig);
		}
		if (R.interrupted && t_sig && now_s() - t_sig > TERM_GRACE_S)
			kill(-c.pid, SIGKILL);
	}
	child_finish(&c);
	R.fuzz_ran = true;
	R.fuzz_rc = WIFEXITED(c.status) ? WEXITSTATUS(c.status) : 128 + WTERMSIG(c.status);
}

/* ------------------------------------------------------------------ verdict */

/* A termination signal that came after the jobs ended, up to the summary: still an interruption. */
static void take_late_signal(void)
{
	int late = loop_poll_signal();
	if (late && !R.interrupted) {
		R.interrupted = late;
		printf("%s: interrupted by %s\n", run_prog, sig_name(late));
	}
}

static void verdict(bool print)
{
	int clean[4] = { 0, 0, 0, 0 }, fbrok = 0;
	memset(R.totals, 0, sizeof(R.totals));
	R.faults_total = R.faults_detected = 0;
	char und[64][200];
	int nund = 0;
	for (int i = 0; i < R.njobs; i++) {
		const struct job *j = &R.jobs[i];
		int c[4] = { 0, 0, 0, 0 };
		for (int k = 0; k < j->ns; k++)
			for (int m = 0; m < 4; m++)
				c[m] += j->s[k].counts[m];
		if (j->fault[0]) {
			R.faults_total++;
			if (c[T_FAIL]) {
				R.faults_detected++;
			} else if (nund < 64) {
				snprintf(und[nund++], 200, "%s on %s", j->fault, j->profile);
			}
			fbrok += c[T_BROK];
			if (R.fault_mode)
				for (int m = 0; m < 4; m++)
					R.totals[m] += c[m];
		} else {
			for (int m = 0; m < 4; m++)
				clean[m] += c[m];
		}
	}
	if (!R.fault_mode)
		memcpy(R.totals, clean, sizeof(clean));
	if (print && !R.fault_mode && R.faults_total && !R.skip_all) {
		printf("faults detected: %d/%d\n", R.faults_detected, R.faults_total);
		for (int i = 0; i < nund; i++)
			printf("  UNDETECTED: %s\n", und[i]);
	}
	int rc;
	if (R.interrupted || run_io_failed())
		rc = 1;
	else if (R.skip_all)
		rc = 4;
	else if (R.totals[T_FAIL] || R.totals[T_BROK] || fbrok || (!R.fault_mode && nund))
		rc = 1;
	else if (R.totals[T_PASS] == 0)
		rc = 4;
	else
		rc = 0;
	if (R.fuzz_ran && R.fuzz_rc != 0)
		rc = 1;
	R.broken_fault_runs = fbrok;
	R.exit_code = rc;
}

static int list_confs(const char *dir, char (*names)[64], int max)
{
	struct dirent **ents;
	int n = scandir(dir, &ents, NULL, alphasort), k = 0;
	for (int i = 0; i < n; i++) {
		const char *nm = ents[i]->d_name;
		size_t l = strlen(nm);
		if (l > 5 && !strcmp(nm + l - 5, ".conf") && l - 5 < 64 && k < max) {
			char b[64];
			memcpy(b, nm, l - 5);
			b[l - 5] = 0;
			if (valid_name(b))
				snprintf(names[k++], 64, "%s", b);
		}
		free(ents[i]);
	}
	free(ents);
	return k;
}

static void check_name(const char *what, const char *name, const char *dir)
{
	char p[PATH_MAX + 80];
	snprintf(p, sizeof(p), "%s/%s.conf", dir, name);
	if (!valid_name(name) || !is_file(p)) {
		char *c = clean_text(name, 100);
		fprintf(stderr, "%s: unknown %s '%s' (names are [A-Za-z0-9._+-]+; see %s)\n", run_prog, what, c, dir);
		free(c);
		exit(2);
	}
}

int main(int argc, char **argv)
{
	teeabi_version_option(argc, argv);
	double t0 = now_s();
	struct timespec rt0;
	clock_gettime(CLOCK_REALTIME, &rt0);
	const char *slash = strrchr(argv[0], '/');
	run_prog = slash ? slash + 1 : argv[0];
	if (!*run_prog || strlen(run_prog) > 40)
		run_prog = "teeabi-run";
	if (argc > 1 && !strcmp(argv[1], "--_job"))
		return inner_main(argc, argv);
	run_signals_block_early();
	setvbuf(stdout, NULL, _IOLBF, 0);
	struct opts o;
	memset(&o, 0, sizeof(o));
	parse_args(argc, argv, &o);
	O = &o;
	find_layout(&o);
	if (!strcmp(o.target, "auto"))
		o.target = (!access("/dev/tdx_guest", F_OK) || !access("/dev/sev-guest", F_OK) ||
			    !access("/sys/kernel/config/tsm/report", F_OK))
				   ? "real"
				   : "mock";
	bool mock = !strcmp(o.target, "mock");
	if (strcmp(o.profile, "all"))
		check_name("profile", o.profile, d_profiles);
	if (o.fault && mock)
		check_name("fault", o.fault, d_faults);
	else if (o.fault && !valid_name(o.fault))
		check_name("fault", o.fault, d_faults);

	R.target = o.target;
	R.fault_mode = mock ? o.fault : NULL;
	R.fuzz_seconds = (int)o.fuzz_seconds;
	R.fuzz_rc = -1;
	R.profiles = d_profiles;
	R.faults = d_faults;
	R.bin = d_bin;
	R.suites = d_suites;
	static char display[PATH_MAX + 2];
	snprintf(display, sizeof(display), "%s%s", o.reports, o.reports[strlen(o.reports) - 1] == '/' ? "" : "/");
	R.display = display;
	if (mkdir(o.reports, 0755) < 0 && errno != EEXIST)
		die("%s is not writable: %s (%s)", R.display, errno_name(errno), strerror(errno));
	if (!realpath(o.reports, d_reports) || !is_dir(d_reports))
		die("%s is not a directory", R.display);
	R.reports = d_reports;
	if (access(d_reports, W_OK) < 0)
		die("%s is not writable: %s (%s)", R.display, errno_name(errno), strerror(errno));
	take_lock();
	prepare_reports();
	if (loop_init() < 0)
		die("cannot set up signal handling: %s", strerror(errno));
	double t_run0 = t0;
	const char *e = getenv("TEEABI_RUN_T0");
	if (e && *e) {
		char *end;
		double v = strtod(e, &end);
		double ago = (double)rt0.tv_sec + rt0.tv_nsec / 1e9 - v; /* before our start */
		if (!*end && ago >= 0 && ago < 86400)
			t_run0 = t0 - ago; /* run_all.sh's start (epoch seconds): deps and build included */
	}
	PJOIN(env_evidence, "TEEABI_EVIDENCE_DIR=%s/evidence", d_reports);
	PJOIN(env_pdir, "TEEABI_PROFILE_DIR=%s", d_profiles);
	PJOIN(env_fdir, "TEEABI_FAULT_DIR=%s", d_faults);

	discover_suites();
	list_tests();
	if (mock) {
		char me[PATH_MAX + 16];
		struct stat fst;
		PJOIN(me, "%s/mockenv", d_bin);
		if (geteuid() != 0)
			R.skip_all = "the mock matrix needs root (mount namespaces and FUSE)";
		else if (stat("/dev/fuse", &fst) < 0 || !S_ISCHR(fst.st_mode))
			R.skip_all = "the mock matrix needs FUSE (no /dev/fuse)";
		else if (access(me, X_OK) < 0)
			R.skip_all = "bin/mockenv is not built (mocks/mockenv missing)";
		plan_mock(&o);
	} else {
		if (o.fault)
			run_note(&R, "--fault is a mock-only option: ignored on the real target");
		add_job("real", strcmp(o.profile, "all") ? o.profile : "detected", NULL, NULL);
	}
	printf("%s: target %s, %d suite runs in %d jobs, -j %ld\n", run_prog, o.target, total_runs, R.njobs, o.jobs);
	double tm = now_s();
	const char *jt = getenv("TEEABI_JOB_TIMEOUT");
	if (jt && *jt)
		job_timeout = (double)parse_count("TEEABI_JOB_TIMEOUT", jt, 86400);
	if (job_timeout < 1)
		die_usage("TEEABI_JOB_TIMEOUT takes a number of seconds from 1 to 86400");
	R.interrupted = loop_poll_signal(); /* one that came while the tests were listed */
	if (R.skip_all) {
		for (int i = 0; i < R.njobs; i++)
			skip_job(&R.jobs[i]);
	} else {
		run_jobs((int)o.jobs);
	}
	R.matrix_wall = now_s() - tm;
	if (o.fuzz_seconds > 0 && !R.interrupted)
		run_fuzz();
	/* nothing we started may write after the verdict */
	reap_all();
	take_late_signal();
	verdict(false);
	write_fault_detection(&R);
	int dfd = open(d_reports, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	if (dfd < 0 || syncfs(dfd) < 0)
		run_io_error(d_reports, "syncfs", errno);
	/* syncfs can take a while: a signal during it still makes the run interrupted */
	take_late_signal();
	/* The last moment a signal counts: what follows only writes the verdict down. The
	 * summary's wall time ends here, so a signal after it is known to have come too late
	 * (scripts/attack.py tells a complete run from a lost signal by it). */
	R.wall = now_s() - t_run0;
	verdict(true); /* a failed write above changes it */
	write_summary(&R);
	if (run_io_failed() && R.exit_code != 1)
		R.exit_code = 1;
	if (dfd >= 0) {
		if (fsync(dfd) < 0)
			run_io_error(d_reports, "fsync", errno);
		close(dfd);
	}
	const char *v = R.exit_code == 0 ? "PASS" : R.exit_code == 4 ? "SKIP" : "FAIL";
	if (R.skip_all)
		printf("%s: everything skipped: %s\n", run_prog, R.skip_all);
	if (R.interrupted)
		printf("%s: interrupted by %s: the run did not finish\n", run_prog, sig_name(R.interrupted));
	if (run_io_failed())
		printf("%s: a report could not be written: %s\n", run_prog, run_io_first());
	printf("%s: %s: %d pass, %d fail, %d skip, %d brok; matrix wall time %.1f s, total %.1f s\n", run_prog, v,
	       R.totals[T_PASS], R.totals[T_FAIL], R.totals[T_SKIP], R.totals[T_BROK], R.matrix_wall, now_s() - t_run0);
	printf("%s: reports in %s (summary.json, index.html, junit/, tap/, faults/)\n", run_prog, R.display);
	return R.exit_code;
}
