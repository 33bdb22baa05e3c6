/* SPDX-License-Identifier: Apache-2.0 */
/*
 * tools/run/run.h - the pieces of teeabi-run (tools/teeabi-run.c), the qualification
 * orchestrator: checked report files (fsio.c), the TAP judge (tap.c), child processes and
 * the per-job inner runner (proc.c), the report writers (report.c).
 */
#ifndef TEEABI_RUN_H
#define TEEABI_RUN_H

#include <stdbool.h>
#include <stddef.h>
#include <sys/types.h>

/* ------------------------------------------------------------------ fsio.c */

/* A report file: written to "<path>.tmp.<pid>", every write checked, renamed into place by
 * wf_commit. The first error is kept (operation and errno) and reported once by wf_commit. */
struct wfile {
	char path[4096];
	char tmp[4200];
	int fd;
	int err;            /* errno of the first failure, 0 = none */
	const char *op;     /* the operation that failed */
};

int wf_open(struct wfile *w, const char *path);
void wf_write(struct wfile *w, const void *buf, size_t n);
void wf_puts(struct wfile *w, const char *s);
void wf_printf(struct wfile *w, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
/* fsync (when sync), close, rename. 0, or -1 after run_io_error() named the file (its final
 * name) and errno; the temporary file is removed. */
int wf_commit(struct wfile *w, bool sync);
void wf_abort(struct wfile *w);

/* Report-writing failures end the run non-zero: the first one is kept for the summary. */
void run_io_error(const char *path, const char *op, int err);
int run_io_failed(void);               /* number of report-write failures so far */
const char *run_io_first(void);        /* "PATH: OP: strerror (ENAME)" of the first, or "" */
const char *run_io_last(void);         /* the same of the latest */
void run_io_error_line(const char *line); /* one reported by the inner runner */
const char *errno_name(int err);       /* "ENOSPC"; "errno N" when glibc has no name */
extern const char *run_prog;           /* message prefix (basename of argv[0]) */

/* Remove a path recursively (files and directories; ENOENT is fine). 0 or -1 (reported). */
int rm_tree(const char *path);
/* mkdir -p of one directory below an existing one. 0 or -1 (reported). */
int mkdir_checked(const char *path);
/* Read at most cap bytes of a regular file; NUL-terminated copy in *out. -1 with errno. */
int slurp(const char *path, size_t cap, char **out, size_t *len);
/* Value of `key = value` in a conf file's text (first occurrence), trimmed, into out. */
bool conf_value(const char *text, const char *key, char *out, size_t outlen);
/* [A-Za-z0-9._+-]+, 1..63 characters. */
bool valid_name(const char *s);
/* Printable ASCII copy of hostile text (control bytes become '?'), at most max bytes. */
char *clean_text(const char *s, size_t max);
double now_s(void);

/* ------------------------------------------------------------------ tap.c */

enum tres { T_PASS = 0, T_FAIL, T_SKIP, T_BROK };
extern const char *const tres_name[4];    /* "PASS", "FAIL", "SKIP", "BROK" */

struct tresult {
	char *name;
	enum tres st;
	char *reason;   /* "" for PASS */
	char *diag;     /* "# " lines before the result, joined with '\n'; NULL = none */
};

/* One suite run of a job: the listed tests and their final results. */
struct srun {
	const char *suite;
	char **list;           /* from `suite --list` (shared, not owned) */
	int nlist;
	struct tresult *t;     /* nt results: the listed tests in list order, then at most one
				* "<suite>.run" BROK when the run itself broke */
	int nt;
	int counts[4];
	int exit_code;         /* the suite's exit status (128+N for signal N), -1 = never ran */
	double secs;
	char *problem;         /* one line: why the run is BROK ("9 of 46 tests have no result: ...") */
	char *header;          /* the suite's "# " lines before its plan, or NULL */
	char detected[64];     /* profile named by the TAP's "# profile NAME (" line */
};

/* Parse `suite --list` output: one name a line, [A-Za-z0-9._-], no duplicates. */
int parse_list(const char *text, char ***names, int *n, char *err, size_t errlen);
/* Judge a TAP stream against the suite's list and exit status (contract S). Fills r->t,
 * r->counts, r->problem, r->detected. tap may be NULL (no file). where names the run in
 * messages ("tsm_report on dstack-0.6.0-tdx"). */
void tap_judge(struct srun *r, const char *tap, size_t len, const char *where);
/* Every listed test gets status st with reason (mockenv failed, skip-all, never ran). */
void srun_all(struct srun *r, enum tres st, const char *reason);
void srun_free(struct srun *r);

/* ------------------------------------------------------------------ the run */

/* One job: a (profile, fault) under one mockenv (or the real machine), its suites in order. */
struct job {
	char key[160];          /* profile, profile+fault, or the detected profile (real) */
	char profile[64];
	char fault[64];         /* "" = a verdict run */
	char area[64], desc[400];
	int ns;
	struct srun *s;
	int mockenv_rc;         /* the job leader's exit status, -1 = never ran */
	char *mockenv_msg;      /* its last "mockenv: " line when it failed */
	bool started, done;
	double t_term;          /* when the job was stopped for running too long, 0 = never */
};

struct run {
	const char *target;     /* "mock" or "real" */
	const char *fault_mode; /* --fault F, or NULL */
	const char *reports;    /* absolute reports directory */
	const char *profiles, *faults, *bin, *suites;
	const char *display;    /* how messages name the reports directory ("reports/") */
	struct job *jobs;
	int njobs;
	char **notes;
	int nnotes;
	int exit_code;
	int interrupted;        /* the termination signal, 0 = none */
	const char *skip_all;   /* every test SKIP with this reason, or NULL */
	int totals[4];
	int faults_total, faults_detected, broken_fault_runs;
	double wall, matrix_wall;
	int fuzz_seconds;
	int fuzz_rc;            /* -1 = not run, -2 = missing */
	bool fuzz_ran;
};

void run_note(struct run *R, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
/* reports/{tap,junit}/<key>__<suite>.* or reports/faults/{tap,junit}/... from the verdict. */
int write_suite_files(const struct run *R, const struct job *j, const struct srun *s);
int write_fault_detection(const struct run *R);
/* summary.json (json-c) and index.html from the same object. */
int write_summary(const struct run *R);

/* ------------------------------------------------------------------ proc.c */

/* A child process in its own process group, stdout+stderr into a pipe the loop copies to a
 * log file. */
struct child {
	pid_t pid;              /* 0 = not started / reaped */
	int status;             /* wait status */
	bool exited;
	int out_fd;             /* read end, -1 when closed */
	struct wfile log;
	bool log_open;
	double t0, t_exit;
	void (*line_cb)(const char *line, void *ctx); /* each output line (fuzz progress) */
	void *line_ctx;
	char lbuf[1024];
	size_t llen;
};

/* Start argv (argv[0] a path) with env additions ("K=V", NULL-terminated; a "K=" entry
 * unsets K). log_path: where its output goes; cwd: NULL = ours. */
int child_start(struct child *c, char *const argv[], char *const envadd[], const char *log_path, const char *cwd);
/* The event loop: block the termination signals and SIGCHLD (call once, first). */
void run_signals_block_early(void);
int loop_init(void);
/* Wait for events for at most timeout_ms, copying output, reaping children. Returns the
 * termination signal that arrived (0 = none). */
int loop_wait(struct child **cs, int n, int timeout_ms);
/* A termination signal that arrived outside loop_wait (0 = none). */
int loop_poll_signal(void);
bool child_done(const struct child *c);
/* After a child's leader exited: SIGKILL its process group, then close its pipes. */
void child_finish(struct child *c);
/* Kill and reap every remaining descendant (we are their subreaper). */
void reap_all(void);
/* Run argv, capture at most cap bytes of stdout (stderr to *err_out, may be NULL).
 * Returns the exit status (128+N for a signal), -1 when it cannot start. */
int run_capture(char *const argv[], char **out, size_t cap, char **err_out, int timeout_s);
/* The inner runner: `teeabi-run --_job ...`, inside mockenv or on the real machine. */
int inner_main(int argc, char **argv);
const char *sig_name(int sig);   /* "SIGTERM" */

#endif
