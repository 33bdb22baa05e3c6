/* SPDX-License-Identifier: Apache-2.0 */
/*
 * tools/run/report.c - the reports of a run, all from the runner's own verdict so they agree
 * on every count: per suite run a TAP and a JUnit file (reports/tap, reports/junit for the
 * verdict's runs, reports/faults/{tap,junit} for the fault self-test), the fault-detection
 * JUnit (one test case per fault run), summary.json (json-c, docs/summary-schema.md) and
 * index.html rendered from the very JSON object that summary.json holds.
 */
#include <dirent.h>
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>
#include <json-c/json.h>
#include "teeabi/profile.h"
#include "run.h"

#define SCHEMA_VERSION 2

static const char *const suite_order[] = { "dstack_agent", "tdx_guest", "sev_guest", "tsm_report", "tsm_mr", "rtmr3", "matrix", "perms", "vmpck", NULL };

static char *xasprintf(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
static char *xasprintf(const char *fmt, ...)
{
	va_list ap;
	char *s;
	va_start(ap, fmt);
	int n = vasprintf(&s, fmt, ap);
	va_end(ap);
	if (n < 0)
		abort();
	return s;
}

/* XML/HTML text and attribute escaping (the text is already printable ASCII, clean_text). */
static void put_esc(struct wfile *w, const char *s)
{
	for (; s && *s; s++) {
		switch (*s) {
		case '&': wf_puts(w, "&amp;"); break;
		case '<': wf_puts(w, "&lt;"); break;
		case '>': wf_puts(w, "&gt;"); break;
		case '"': wf_puts(w, "&quot;"); break;
		case '\'': wf_puts(w, "&#39;"); break;
		default:
			if ((unsigned char)*s < 0x20 && *s != '\n' && *s != '\t')
				wf_puts(w, "?");
			else
				wf_write(w, s, 1);
		}
	}
}

static const char *tap_dir(const struct job *j)
{
	return j->fault[0] ? "faults/tap" : "tap";
}

static const char *junit_dir(const struct job *j)
{
	return j->fault[0] ? "faults/junit" : "junit";
}

/* Each line of text as a TAP comment. */
static void tap_comments(struct wfile *w, const char *text)
{
	for (const char *d = text; d && *d;) {
		size_t l = strcspn(d, "\n");
		wf_printf(w, "# %.*s\n", (int)l, d);
		d += l + (d[l] ? 1 : 0);
	}
}

int write_suite_files(const struct run *R, const struct job *j, const struct srun *s)
{
	char path[4096];
	struct wfile w;
	int rc = 0;
	snprintf(path, sizeof(path), "%s/%s/%s__%s.tap", R->reports, tap_dir(j), j->key, s->suite);
	if (wf_open(&w, path) == 0) {
		wf_printf(&w, "TAP version 13\n# teeabi suite %s on %s%s%s\n", s->suite, j->profile,
			  j->fault[0] ? " with fault " : "", j->fault);
		if (s->exit_code >= 0)
			wf_printf(&w, "# suite exit %d, %.2f s\n", s->exit_code, s->secs);
		tap_comments(&w, s->header);
		if (s->problem)
			wf_printf(&w, "# BROK: %s\n", s->problem);
		wf_printf(&w, "1..%d\n", s->nt);
		for (int i = 0; i < s->nt; i++) {
			const struct tresult *t = &s->t[i];
			tap_comments(&w, t->diag);
			switch (t->st) {
			case T_PASS: wf_printf(&w, "ok %d %s\n", i + 1, t->name); break;
			case T_SKIP: wf_printf(&w, "ok %d %s # SKIP %s\n", i + 1, t->name, t->reason); break;
			case T_FAIL: wf_printf(&w, "not ok %d %s # FAIL %s\n", i + 1, t->name, t->reason); break;
			default: wf_printf(&w, "not ok %d %s # error %s\n", i + 1, t->name, t->reason); break;
			}
		}
		wf_printf(&w, "# Totals: pass:%d fail:%d xfail:0 xpass:0 skip:%d error:%d (%.2f s)\n", s->counts[T_PASS],
			  s->counts[T_FAIL], s->counts[T_SKIP], s->counts[T_BROK], s->secs);
		rc |= wf_commit(&w, false);
	} else {
		rc = -1;
	}
	snprintf(path, sizeof(path), "%s/%s/%s__%s.xml", R->reports, junit_dir(j), j->key, s->suite);
	if (wf_open(&w, path) < 0)
		return -1;
	wf_puts(&w, "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<testsuites>\n<testsuite name=\"");
	put_esc(&w, s->suite);
	wf_printf(&w, "\" tests=\"%d\" failures=\"%d\" errors=\"%d\" skipped=\"%d\" time=\"%.3f\">\n  <properties>\n", s->nt,
		  s->counts[T_FAIL], s->counts[T_BROK], s->counts[T_SKIP], s->secs);
	const char *pk[] = { "key", "profile", "fault", "target" };
	const char *pv[] = { j->key, j->profile, j->fault, R->target };
	for (int i = 0; i < 4; i++) {
		wf_printf(&w, "    <property name=\"%s\" value=\"", pk[i]);
		put_esc(&w, pv[i]);
		wf_puts(&w, "\"/>\n");
	}
	wf_printf(&w, "    <property name=\"exit_code\" value=\"%d\"/>\n  </properties>\n", s->exit_code);
	for (int i = 0; i < s->nt; i++) {
		const struct tresult *t = &s->t[i];
		wf_puts(&w, "  <testcase classname=\"");
		put_esc(&w, s->suite);
		wf_puts(&w, "\" name=\"");
		put_esc(&w, t->name);
		wf_puts(&w, "\">\n");
		const char *tag = t->st == T_FAIL ? "failure" : t->st == T_BROK ? "error" : t->st == T_SKIP ? "skipped" : NULL;
		if (tag) {
			wf_printf(&w, "    <%s message=\"", tag);
			put_esc(&w, t->reason);
			wf_puts(&w, t->st == T_SKIP ? "\"/>\n" : "\" type=\"teeabi\"/>\n");
		}
		if (t->diag) {
			wf_puts(&w, "    <system-out>");
			put_esc(&w, t->diag);
			wf_puts(&w, "</system-out>\n");
		}
		wf_puts(&w, "  </testcase>\n");
	}
	wf_puts(&w, "</testsuite>\n</testsuites>\n");
	return rc | wf_commit(&w, false);
}

static void job_counts(const struct job *j, int c[4])
{
	memset(c, 0, 4 * sizeof(int));
	for (int i = 0; i < j->ns; i++)
		for (int k = 0; k < 4; k++)
			c[k] += j->s[i].counts[k];
}

/* The next fault run from *i on, with its counts; NULL at the end. */
static const struct job *next_fault_run(const struct run *R, int *i, int c[4])
{
	while (*i < R->njobs) {
		const struct job *j = &R->jobs[(*i)++];
		if (j->fault[0]) {
			job_counts(j, c);
			return j;
		}
	}
	return NULL;
}

int write_fault_detection(const struct run *R)
{
	int n = 0, undetected = 0, broken = 0, skipped = 0, c[4];
	const struct job *j;
	for (int i = 0; next_fault_run(R, &i, c);) {
		n++;
		broken += c[T_BROK] > 0;
		undetected += c[T_BROK] == 0 && c[T_FAIL] == 0 && c[T_PASS] > 0;
		skipped += c[T_BROK] == 0 && c[T_FAIL] == 0 && c[T_PASS] == 0;
	}
	if (n == 0)
		return 0;
	char path[4096];
	struct wfile w;
	snprintf(path, sizeof(path), "%s/faults/fault-detection.xml", R->reports);
	if (wf_open(&w, path) < 0)
		return -1;
	wf_printf(&w,
		  "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<testsuites>\n<testsuite name=\"fault-detection\" tests=\"%d\" "
		  "failures=\"%d\" errors=\"%d\" skipped=\"%d\">\n",
		  n, undetected, broken, skipped);
	for (int i = 0; (j = next_fault_run(R, &i, c));) {
		wf_puts(&w, "  <testcase classname=\"fault-detection\" name=\"");
		put_esc(&w, j->fault);
		wf_puts(&w, " on ");
		put_esc(&w, j->profile);
		wf_puts(&w, "\">\n");
		if (c[T_BROK]) {
			wf_printf(&w, "    <error message=\"the fault run broke: %d BROK", c[T_BROK]);
			for (int k = 0; k < j->ns; k++)
				if (j->s[k].problem) {
					wf_puts(&w, "; ");
					put_esc(&w, j->s[k].problem);
					break;
				}
			wf_puts(&w, "\" type=\"teeabi\"/>\n");
		} else if (!c[T_FAIL] && !c[T_PASS]) {
			/* nothing ran under the fault (e.g. the mock needs root): not a detection result */
			wf_puts(&w, "    <skipped message=\"no test ran under the fault");
			if (R->skip_all) {
				wf_puts(&w, ": ");
				put_esc(&w, R->skip_all);
			}
			wf_puts(&w, "\"/>\n");
		} else if (!c[T_FAIL]) {
			wf_puts(&w, "    <failure message=\"not detected: no test FAILed under the fault (");
			put_esc(&w, j->desc);
			wf_puts(&w, ")\" type=\"teeabi\"/>\n");
		} else {
			wf_printf(&w, "    <system-out>detected by %d FAIL", c[T_FAIL]);
			for (int k = 0; k < j->ns; k++)
				for (int t = 0; t < j->s[k].nt; t++)
					if (j->s[k].t[t].st == T_FAIL) {
						wf_puts(&w, "\n");
						put_esc(&w, j->s[k].t[t].name);
						wf_puts(&w, ": ");
						put_esc(&w, j->s[k].t[t].reason);
					}
			wf_puts(&w, "</system-out>\n");
		}
		wf_puts(&w, "  </testcase>\n");
	}
	wf_puts(&w, "</testsuite>\n</testsuites>\n");
	return wf_commit(&w, true);
}

/* ------------------------------------------------------------------ summary.json */

static json_object *jstr(const char *s)
{
	return json_object_new_string(s ? s : "");
}

static json_object *jnum(double v, int prec)
{
	char b[64];
	snprintf(b, sizeof(b), "%.*f", prec, v);
	return json_object_new_double_s(v, b);
}

static json_object *jcounts(const int c[4])
{
	json_object *o = json_object_new_object();
	json_object_object_add(o, "pass", json_object_new_int(c[T_PASS]));
	json_object_object_add(o, "fail", json_object_new_int(c[T_FAIL]));
	json_object_object_add(o, "skip", json_object_new_int(c[T_SKIP]));
	json_object_object_add(o, "brok", json_object_new_int(c[T_BROK]));
	return o;
}

static const char *verdict_of(const int c[4])
{
	if (c[T_FAIL] || c[T_BROK])
		return "FAIL";
	if (c[T_PASS] == 0)
		return "SKIP";
	return "PASS";
}

static json_object *jsuites(const struct job *j)
{
	json_object *o = json_object_new_object();
	for (int i = 0; i < j->ns; i++) {
		const struct srun *s = &j->s[i];
		json_object *x = json_object_new_object();
		json_object_object_add(x, "exit_code", s->exit_code >= 0 ? json_object_new_int(s->exit_code) : NULL);
		json_object_object_add(x, "seconds", jnum(s->secs, 2));
		json_object_object_add(x, "counts", jcounts(s->counts));
		json_object_object_add(x, "problem", s->problem ? jstr(s->problem) : NULL);
		json_object *ta = json_object_new_array();
		for (int t = 0; t < s->nt; t++) {
			json_object *to = json_object_new_object();
			json_object_object_add(to, "name", jstr(s->t[t].name));
			json_object_object_add(to, "status", jstr(tres_name[s->t[t].st]));
			json_object_object_add(to, "reason", jstr(s->t[t].reason));
			json_object_object_add(to, "time_s", NULL);
			json_object_array_add(ta, to);
		}
		json_object_object_add(x, "tests", ta);
		json_object_object_add(o, s->suite, x);
	}
	return o;
}

static void os_release(json_object *img)
{
	char *t;
	size_t n;
	char v[200];
	const char *keys[] = { "ID", "VERSION_ID", "PRETTY_NAME" }, *out[] = { "id", "version_id", "pretty_name" };
	if (slurp("/etc/os-release", 65536, &t, &n) < 0)
		t = NULL;
	for (int i = 0; i < 3; i++) {
		v[0] = 0;
		if (t)
			conf_value(t, keys[i], v, sizeof(v));
		size_t l = strlen(v);
		char *s = v;
		if (l >= 2 && (s[0] == '"' || s[0] == '\'') && s[l - 1] == s[0]) {
			s[l - 1] = 0;
			s++;
		}
		char *c = clean_text(s, 200);
		json_object_object_add(img, out[i], jstr(c));
		free(c);
	}
	free(t);
}

static char *kernel_release(void)
{
	char *t;
	size_t n;
	if (slurp("/proc/sys/kernel/osrelease", 256, &t, &n) < 0)
		return strdup("");
	t[strcspn(t, "\n")] = 0;
	char *c = clean_text(t, 200);
	free(t);
	return c;
}

/* The effective interface matrix of a profile, as the suites judge against it. */
static json_object *jmatrix(const struct teeabi_profile *p)
{
	static const char *ext[] = { "none", "ioctl", "sysfs" };
	char b[160];
	json_object *m = json_object_new_object();
	json_object_object_add(m, "tdx_guest", jstr(teeabi_tdx_flavour_name(p->tdx_guest)));
	json_object_object_add(m, "sev_guest", jstr(p->sev_guest ? "1" : "0"));
	json_object_object_add(m, "configfs_tsm", jstr(p->configfs_tsm ? "1" : "0"));
	json_object_object_add(m, "tsm_provider", jstr(teeabi_tsm_provider_name(p->tsm_provider)));
	json_object_object_add(m, "tsm_precreate", jstr(p->tsm_precreate));
	json_object_object_add(m, "tsm_mr", jstr(p->tsm_mr ? "1" : "0"));
	json_object_object_add(m, "rtmr_extend", jstr((unsigned)p->rtmr_extend <= 2 ? ext[p->rtmr_extend] : "?"));
	snprintf(b, sizeof(b), "%u", p->sev_vmpl);
	json_object_object_add(m, "sev_vmpl", jstr(b));
	json_object_object_add(m, "tsm_svsm", jstr(p->tsm_svsm ? "1" : "0"));
	json_object_object_add(m, "kernel", jstr(p->kernel));
	snprintf(b, sizeof(b), "%s %s", p->os_id, p->os_version);
	json_object_object_add(m, "image", jstr(b));
	return m;
}

static bool load_profile(const struct run *R, const char *name, struct teeabi_profile *p)
{
	char err[256];
	memset(p, 0, sizeof(*p));
	if (teeabi_profile_load(R->profiles, name, p, err, sizeof(err)) == 0)
		return true;
	if (!strcmp(R->target, "real")) {
		bool matched;
		if (teeabi_profile_detect(NULL, p, &matched, err, sizeof(err)) == 0 && !strcmp(p->name, name))
			return true;
	}
	return false;
}

static char *repro(const struct run *R, const struct job *j, const char *suite, const char *test)
{
	if (!strcmp(R->target, "mock"))
		return xasprintf("%s/mockenv --profile %s%s%s -- %s/%s --allow-destructive -t %s", R->bin, j->profile,
				 j->fault[0] ? " --fault " : "", j->fault, R->suites, suite, test);
	return xasprintf("%s/%s --profile %s -t %s", R->suites, suite, j->profile, test);
}

static json_object *jevidence(const struct run *R)
{
	json_object *a = json_object_new_array();
	char dir[4096], tool[4096];
	snprintf(dir, sizeof(dir), "%s/evidence", R->reports);
	snprintf(tool, sizeof(tool), "%s/teeabi-parse", R->bin);
	struct dirent **ents = NULL;
	int n = scandir(dir, &ents, NULL, alphasort);
	for (int i = 0; i < n; i++) {
		const char *nm = ents[i]->d_name;
		char path[8192];
		struct stat st;
		snprintf(path, sizeof(path), "%s/%s", dir, nm);
		if (nm[0] == '.' || lstat(path, &st) < 0 || !S_ISREG(st.st_mode)) {
			free(ents[i]);
			continue;
		}
		json_object *it = json_object_new_object();
		char *rel = xasprintf("evidence/%s", nm), *c = clean_text(rel, 300);
		json_object_object_add(it, "file", jstr(c));
		free(rel);
		free(c);
		json_object_object_add(it, "bytes", json_object_new_int64((int64_t)st.st_size));
		if (access(tool, X_OK) == 0) {
			char *argv[] = { tool, path, NULL }, *out, *err;
			int rc = run_capture(argv, &out, 1 << 20, &err, 20);
			json_object *parsed = NULL;
			if (rc == 0 && out) {
				out[strcspn(out, "\n")] = 0;
				parsed = json_tokener_parse(out);
			}
			if (parsed && json_object_is_type(parsed, json_type_object)) {
				json_object_object_add(it, "parsed", parsed);
			} else {
				json_object_put(parsed);
				char *m = clean_text(err && *err ? err : out ? out : "teeabi-parse failed", 500);
				json_object_object_add(it, "parse_error", jstr(m));
				free(m);
			}
			free(out);
			free(err);
		} else {
			json_object_object_add(it, "parse_error", jstr("teeabi-parse not found beside teeabi-run"));
		}
		json_object_array_add(a, it);
		free(ents[i]);
	}
	free(ents);
	return a;
}

static json_object *jfuzz(const struct run *R)
{
	json_object *f = json_object_new_object();
	json_object_object_add(f, "seconds_per_target", json_object_new_int(R->fuzz_seconds));
	const char *status = R->fuzz_rc == -2 ? "missing" : !R->fuzz_ran ? "not run" : R->fuzz_rc == 0 ? "passed" : "failed";
	json_object_object_add(f, "status", jstr(status));
	json_object_object_add(f, "exit_code", R->fuzz_rc == -2 ? jstr("missing") : R->fuzz_ran ? json_object_new_int(R->fuzz_rc) : NULL);
	json_object_object_add(f, "log", jstr("fuzz.log"));
	json_object *tail = json_object_new_array();
	char path[4096], *t = NULL;
	size_t n;
	snprintf(path, sizeof(path), "%s/fuzz.log", R->reports);
	if (slurp(path, 1 << 24, &t, &n) == 0) {
		const char *lines[20];
		int k = 0;
		for (char *p = t; *p;) {
			char *e = strchr(p, '\n');
			if (e)
				*e = 0;
			if (*p) {
				if (k == 20)
					memmove(lines, lines + 1, sizeof(lines[0]) * 19), k = 19;
				lines[k++] = p;
			}
			if (!e)
				break;
			p = e + 1;
		}
		for (int i = 0; i < k; i++) {
			char *c = clean_text(lines[i], 400);
			json_object_array_add(tail, jstr(c));
			free(c);
		}
		free(t);
	}
	json_object_object_add(f, "tail", tail);
	/* This campaign's summary only: run_all removed the previous one before it started. */
	json_object *camp = NULL;
	snprintf(path, sizeof(path), "%s/fuzz/summary.json", R->reports);
	if (R->fuzz_ran && slurp(path, 1 << 24, &t, &n) == 0) {
		camp = json_tokener_parse(t);
		free(t);
	}
	json_object *v;
	if (camp && json_object_is_type(camp, json_type_object)) {
		json_object_object_add(f, "engine", json_object_object_get_ex(camp, "engine", &v) ? json_object_get(v) : NULL);
		json_object_object_add(f, "crashes", json_object_object_get_ex(camp, "crashes", &v) ? json_object_get(v) : NULL);
		json_object_object_add(f, "targets", json_object_object_get_ex(camp, "targets", &v) ? json_object_get(v)
												   : json_object_new_object());
	} else {
		json_object_object_add(f, "engine", NULL);
		json_object_object_add(f, "crashes", NULL);
		json_object_object_add(f, "targets", json_object_new_object());
	}
	json_object_put(camp);
	return f;
}

/* dstack's documented container patterns (docs/dstack-os.md §5.1): the mount each one needs,
 * and the tests whose results say whether the image supports it. supported: all its tests
 * PASSed; absent: all SKIPped (no such interface); BROKEN: any FAIL or BROK; else not run. */
static const struct {
	const char *name, *mount, *tests[3];
} compose_patterns[] = {
	{ "agent socket", "volumes: /var/run/dstack.sock:/var/run/dstack.sock",
	  { "dstack_agent.socket.lookup", "dstack_agent.getquote.report_data", NULL } },
	{ "TDX device", "devices: /dev/tdx_guest:/dev/tdx_guest", { "tdx_guest.report0.reportdata_echo", NULL } },
	{ "SEV device", "devices: /dev/sev-guest:/dev/sev-guest", { "sev_guest.report.basic", NULL } },
	{ "configfs-tsm subtree", "volumes: /sys/kernel/config/tsm:/sys/kernel/config/tsm",
	  { "tsm_report.outblob.evidence", NULL } },
};
#define NCOMPOSE (sizeof(compose_patterns) / sizeof(compose_patterns[0]))

static const struct tresult *find_result(const struct job *j, const char *name)
{
	for (int k = 0; k < j->ns; k++)
		for (int t = 0; t < j->s[k].nt; t++)
			if (!strcmp(j->s[k].t[t].name, name))
				return &j->s[k].t[t];
	return NULL;
}

static json_object *jcompose(const struct job *j)
{
	json_object *row = json_object_new_object();
	for (size_t i = 0; i < NCOMPOSE; i++) {
		int n = 0, c[4] = { 0, 0, 0, 0 };
		json_object *tests = json_object_new_object();
		for (int k = 0; compose_patterns[i].tests[k]; k++, n++) {
			const struct tresult *r = find_result(j, compose_patterns[i].tests[k]);
			json_object_object_add(tests, compose_patterns[i].tests[k], r ? jstr(tres_name[r->st]) : NULL);
			if (r)
				c[r->st]++;
		}
		const char *v = c[T_FAIL] || c[T_BROK] ? "BROKEN" : c[T_PASS] == n ? "supported" : c[T_SKIP] == n ? "absent" : "not run";
		json_object *o = json_object_new_object();
		json_object_object_add(o, "status", jstr(v));
		json_object_object_add(o, "mount", jstr(compose_patterns[i].mount));
		json_object_object_add(o, "tests", tests);
		json_object_object_add(row, compose_patterns[i].name, o);
	}
	return row;
}

static json_object *build_summary(const struct run *R)
{
	json_object *S = json_object_new_object();
	char b[64];
	time_t now = time(NULL);
	struct tm tm;
	gmtime_r(&now, &tm);
	strftime(b, sizeof(b), "%Y-%m-%dT%H:%M:%SZ", &tm);
	json_object_object_add(S, "schema_version", json_object_new_int(SCHEMA_VERSION));
	json_object_object_add(S, "generated", jstr(b));
	json_object_object_add(S, "target", jstr(R->target));
	json_object_object_add(S, "exit_code", json_object_new_int(R->exit_code));
	json_object_object_add(S, "verdict", jstr(R->exit_code == 0 ? "PASS" : R->exit_code == 4 ? "SKIP" : "FAIL"));
	json_object_object_add(S, "interrupted", R->interrupted ? jstr(sig_name(R->interrupted)) : NULL);
	json_object_object_add(S, "report_error", run_io_failed() ? jstr(run_io_first()) : NULL);
	json_object_object_add(S, "skipped_all", R->skip_all ? jstr(R->skip_all) : NULL);
	json_object *host = json_object_new_object(), *img = json_object_new_object();
	os_release(img);
	json_object_object_add(host, "image", img);
	char *kr = kernel_release();
	json_object_object_add(host, "kernel", jstr(kr));
	json_object_object_add(S, "host", host);
	if (!strcmp(R->target, "real")) {
		json_object *d = json_object_new_object();
		json_object_object_add(d, "image", json_object_get(img));
		json_object_object_add(d, "kernel", jstr(kr));
		json_object_object_add(d, "profile", R->njobs ? jstr(R->jobs[0].profile) : NULL);
		json_object_object_add(S, "detected", d);
	}
	free(kr);
	json_object_object_add(S, "wall_time_s", jnum(R->wall, 1));
	json_object_object_add(S, "matrix_wall_time_s", jnum(R->matrix_wall, 1));
	json_object_object_add(S, "totals", jcounts(R->totals));

	json_object *profiles = json_object_new_object(), *matrix = json_object_new_object();
	json_object *fruns = json_object_new_array(), *failures = json_object_new_array();
	json_object *compose = NULL;
	for (int i = 0; i < R->njobs; i++) {
		const struct job *j = &R->jobs[i];
		int c[4];
		job_counts(j, c);
		struct teeabi_profile p;
		bool have = load_profile(R, j->profile, &p);
		if (!j->fault[0] && have && !json_object_object_get_ex(matrix, j->profile, NULL))
			json_object_object_add(matrix, j->profile, jmatrix(&p));
		for (int k = 0; k < j->ns; k++)
			for (int t = 0; t < j->s[k].nt; t++) {
				const struct tresult *r = &j->s[k].t[t];
				if ((r->st != T_FAIL && r->st != T_BROK) || (j->fault[0] && !R->fault_mode && r->st == T_FAIL))
					continue;
				json_object *fo = json_object_new_object();
				json_object_object_add(fo, "key", jstr(j->key));
				json_object_object_add(fo, "profile", jstr(j->profile));
				json_object_object_add(fo, "fault", j->fault[0] ? jstr(j->fault) : NULL);
				json_object_object_add(fo, "suite", jstr(j->s[k].suite));
				json_object_object_add(fo, "test", jstr(r->name));
				json_object_object_add(fo, "status", jstr(tres_name[r->st]));
				json_object_object_add(fo, "reason", jstr(r->reason));
				char *rp = repro(R, j, j->s[k].suite, r->name);
				json_object_object_add(fo, "repro", jstr(rp));
				free(rp);
				json_object_array_add(failures, fo);
			}
		if (j->fault[0]) {
			json_object *fo = json_object_new_object(), *ft = json_object_new_array();
			json_object_object_add(fo, "fault", jstr(j->fault));
			json_object_object_add(fo, "profile", jstr(j->profile));
			json_object_object_add(fo, "area", jstr(j->area));
			json_object_object_add(fo, "description", jstr(j->desc));
			json_object_object_add(fo, "detected", json_object_new_boolean(c[T_FAIL] > 0));
			for (int k = 0; k < j->ns; k++)
				for (int t = 0; t < j->s[k].nt; t++)
					if (j->s[k].t[t].st == T_FAIL) {
						json_object *x = json_object_new_object();
						json_object_object_add(x, "suite", jstr(j->s[k].suite));
						json_object_object_add(x, "test", jstr(j->s[k].t[t].name));
						json_object_object_add(x, "reason", jstr(j->s[k].t[t].reason));
						json_object_array_add(ft, x);
					}
			json_object_object_add(fo, "failing_tests", ft);
			json_object_object_add(fo, "brok", json_object_new_int(c[T_BROK]));
			json_object_object_add(fo, "suites", jsuites(j));
			json_object_array_add(fruns, fo);
		} else {
			json_object *po = json_object_new_object(), *im = json_object_new_object();
			json_object_object_add(po, "verdict", jstr(verdict_of(c)));
			json_object_object_add(po, "counts", jcounts(c));
			json_object_object_add(im, "os_id", jstr(have ? p.os_id : ""));
			json_object_object_add(im, "os_version", jstr(have ? p.os_version : ""));
			json_object_object_add(po, "image", im);
			json_object_object_add(po, "kernel", jstr(have ? p.kernel : ""));
			json_object_object_add(po, "platform", jstr(!have ? "" : p.platform == TEEABI_PLAT_SNP ? "snp" : "tdx"));
			json_object_object_add(po, "suites", jsuites(j));
			json_object_object_add(profiles, j->key, po);
			if ((have && !strcmp(p.os_id, "dstack")) || !strcmp(R->target, "real")) {
				if (!compose)
					compose = json_object_new_object();
				json_object_object_add(compose, j->key, jcompose(j));
			}
		}
	}
	json_object_object_add(S, "profiles", profiles);
	json_object *fo = json_object_new_object();
	json_object_object_add(fo, "detected", json_object_new_int(R->faults_detected));
	json_object_object_add(fo, "total", json_object_new_int(R->faults_total));
	json_object_object_add(fo, "rate", R->faults_total ? jnum((double)R->faults_detected / R->faults_total, 4) : NULL);
	json_object_object_add(fo, "mode", jstr(R->fault_mode ? "single" : "matrix"));
	json_object_object_add(fo, "junit", R->faults_total ? jstr("faults/fault-detection.xml") : NULL);
	json_object_object_add(fo, "runs", fruns);
	json_object_object_add(S, "faults", fo);
	json_object_object_add(S, "interface_matrix", matrix);
	if (compose)
		json_object_object_add(S, "compose", compose);
	json_object_object_add(S, "failures", failures);
	json_object *notes = json_object_new_array();
	for (int i = 0; i < R->nnotes; i++)
		json_object_array_add(notes, jstr(R->notes[i]));
	json_object_object_add(S, "notes", notes);
	json_object_object_add(S, "evidence", jevidence(R));
	if (R->fuzz_seconds > 0)
		json_object_object_add(S, "fuzz", jfuzz(R));
	return S;
}

/* ------------------------------------------------------------------ index.html */

static const char *js(json_object *o, const char *k)
{
	json_object *v;
	if (o && json_object_object_get_ex(o, k, &v) && v)
		return json_object_get_string(v);
	return "";
}

static int ji(json_object *o, const char *k)
{
	json_object *v;
	return o && json_object_object_get_ex(o, k, &v) ? json_object_get_int(v) : 0;
}

static json_object *jo(json_object *o, const char *k)
{
	json_object *v;
	return o && json_object_object_get_ex(o, k, &v) ? v : NULL;
}

static void hx(struct wfile *w, const char *s)
{
	put_esc(w, s);
}

/* One escaped <td> per key of o. */
static void td_fields(struct wfile *w, json_object *o, const char *const *keys)
{
	for (; *keys; keys++) {
		wf_puts(w, "<td>");
		hx(w, js(o, *keys));
		wf_puts(w, "</td>");
	}
}

static const char CSS[] =
	"body{font:14px/1.4 system-ui,sans-serif;margin:1.5em;color:#222}\n"
	"table{border-collapse:collapse;margin:.5em 0 1.5em}td,th{border:1px solid #ccc;padding:3px 7px;text-align:left;"
	"vertical-align:top}\nth{background:#f3f3f3}.PASS{background:#dfd}.FAIL{background:#fcc}.SKIP{background:#eee}"
	".BROK{background:#fc9}\ncode,pre{font:12px monospace}pre{background:#f7f7f7;padding:6px;overflow:auto;"
	"max-height:300px}h2{margin-top:1.5em}";

static const char *const matrix_keys[][2] = {
	{ "tdx_guest", "/dev/tdx_guest" }, { "sev_guest", "/dev/sev-guest" }, { "configfs_tsm", "configfs-tsm" },
	{ "tsm_provider", "provider" },    { "tsm_precreate", "pre-created entry" }, { "tsm_mr", "measurements" },
	{ "rtmr_extend", "RTMR extend" },  { "sev_vmpl", "VMPL" }, { "tsm_svsm", "SVSM attributes" }, { "kernel", "kernel" },
};

static const char *cverdict(json_object *counts)
{
	int c[4] = { ji(counts, "pass"), ji(counts, "fail"), ji(counts, "skip"), ji(counts, "brok") };
	return verdict_of(c);
}

static void html_profiles(struct wfile *w, json_object *S)
{
	json_object *profiles = jo(S, "profiles");
	wf_printf(w, "<h2>Verdict per profile</h2><table><tr><th>profile</th><th>verdict</th><th>kernel</th><th>image</th>");
	for (int i = 0; suite_order[i]; i++)
		wf_printf(w, "<th>%s</th>", suite_order[i]);
	wf_printf(w, "</tr>\n");
	json_object_object_foreach(profiles, name, p)
	{
		wf_printf(w, "<tr><td>");
		hx(w, name);
		wf_printf(w, "</td><td class='%s'>%s</td><td>", js(p, "verdict"), js(p, "verdict"));
		hx(w, js(p, "kernel"));
		wf_printf(w, "</td><td>");
		hx(w, js(jo(p, "image"), "os_id"));
		wf_printf(w, " ");
		hx(w, js(jo(p, "image"), "os_version"));
		wf_printf(w, "</td>");
		for (int i = 0; suite_order[i]; i++) {
			json_object *x = jo(jo(p, "suites"), suite_order[i]);
			if (!x) {
				wf_printf(w, "<td></td>");
				continue;
			}
			json_object *c = jo(x, "counts");
			wf_printf(w, "<td class='%s'><a href='tap/", cverdict(c));
			hx(w, name);
			wf_printf(w, "__%s.tap'>%d/%d/%d", suite_order[i], ji(c, "pass"), ji(c, "fail"), ji(c, "skip"));
			if (ji(c, "brok"))
				wf_printf(w, "/%d brok", ji(c, "brok"));
			wf_printf(w, "</a></td>");
		}
		wf_printf(w, "</tr>\n");
	}
	wf_printf(w, "</table><p>cells: pass/fail/skip, linked to the suite's TAP output</p>\n");
}

static void html_matrix(struct wfile *w, json_object *S)
{
	json_object *m = jo(S, "interface_matrix");
	if (!m || json_object_object_length(m) == 0)
		return;
	wf_printf(w, "<h2>Interface matrix (profiles)</h2><table><tr><th>profile</th>");
	for (size_t i = 0; i < sizeof(matrix_keys) / sizeof(matrix_keys[0]); i++)
		wf_printf(w, "<th>%s</th>", matrix_keys[i][1]);
	wf_printf(w, "<th>matrix suite</th></tr>\n");
	json_object_object_foreach(m, name, row)
	{
		wf_printf(w, "<tr><td>");
		hx(w, name);
		wf_printf(w, "</td>");
		for (size_t i = 0; i < sizeof(matrix_keys) / sizeof(matrix_keys[0]); i++) {
			wf_printf(w, "<td>");
			hx(w, js(row, matrix_keys[i][0]));
			wf_printf(w, "</td>");
		}
		json_object *ms = jo(jo(jo(jo(S, "profiles"), name), "suites"), "matrix");
		const char *mv = ms ? cverdict(jo(ms, "counts")) : "";
		wf_printf(w, "<td class='%s'>%s</td></tr>\n", mv, mv);
	}
	wf_printf(w, "</table><p>The effective profile the suites judged against (file keys plus the flags profile.c derives"
	     " from the kernel version); the matrix suite checks the machine against it.</p>\n");
}

static void html_compose(struct wfile *w, json_object *S)
{
	json_object *c = jo(S, "compose");
	if (!c || json_object_object_length(c) == 0)
		return;
	wf_puts(w, "<h2>Compose patterns (dstack images)</h2><table><tr><th>profile</th>");
	for (size_t i = 0; i < NCOMPOSE; i++) {
		wf_puts(w, "<th>");
		hx(w, compose_patterns[i].name);
		wf_puts(w, "<br><code>");
		hx(w, compose_patterns[i].mount);
		wf_puts(w, "</code></th>");
	}
	wf_puts(w, "</tr>\n");
	json_object_object_foreach(c, prof, row)
	{
		wf_puts(w, "<tr><td>");
		hx(w, prof);
		wf_puts(w, "</td>");
		for (size_t i = 0; i < NCOMPOSE; i++) {
			json_object *x = jo(row, compose_patterns[i].name);
			const char *st = js(x, "status");
			const char *cls = !strcmp(st, "supported") ? "PASS" : !strcmp(st, "BROKEN") ? "FAIL" : !strcmp(st, "absent") ? "SKIP" : "";
			wf_printf(w, "<td class='%s' title='", cls);
			hx(w, json_object_to_json_string_ext(jo(x, "tests"), JSON_C_TO_STRING_PLAIN));
			wf_puts(w, "'>");
			hx(w, st);
			wf_puts(w, "</td>");
		}
		wf_puts(w, "</tr>\n");
	}
	wf_puts(w, "</table><p>Which of dstack's documented container patterns the image supports, from what the suites saw:"
		   " supported = the pattern's tests passed, absent = the interface is not there (skipped), BROKEN = a test"
		   " failed.</p>\n");
}

static void html_failures(struct wfile *w, json_object *S)
{
	json_object *fl = jo(S, "failures");
	size_t n = fl ? json_object_array_length(fl) : 0;
	wf_printf(w, "<h2>Failures (%zu)</h2>\n", n);
	if (!n)
		return;
	wf_printf(w, "<table><tr><th>profile</th><th>suite</th><th>test</th><th>status</th><th>reason</th><th>reproduce</th></tr>\n");
	for (size_t i = 0; i < n; i++) {
		json_object *f = json_object_array_get_idx(fl, i);
		wf_printf(w, "<tr><td>");
		hx(w, js(f, "profile"));
		if (*js(f, "fault")) {
			wf_printf(w, " + fault ");
			hx(w, js(f, "fault"));
		}
		wf_puts(w, "</td>");
		static const char *const cols[] = { "suite", "test", NULL }, *const rcol[] = { "reason", NULL };
		td_fields(w, f, cols);
		wf_printf(w, "<td class='%s'>%s</td>", js(f, "status"), js(f, "status"));
		td_fields(w, f, rcol);
		wf_printf(w, "<td><code>");
		hx(w, js(f, "repro"));
		wf_printf(w, "</code></td></tr>\n");
	}
	wf_printf(w, "</table>\n");
}

static void html_faults(struct wfile *w, json_object *S)
{
	json_object *fr = jo(S, "faults");
	int total = ji(fr, "total"), det = ji(fr, "detected");
	if (!total)
		return;
	wf_printf(w, "<h2>Fault detection: %d/%d (%.0f%%)</h2><p>The suite's self-test, reported apart from the verdict's JUnit:"
	     " <a href='faults/fault-detection.xml'>faults/fault-detection.xml</a>.</p>\n",
	  det, total, 100.0 * det / total);
	wf_printf(w, "<table><tr><th>fault</th><th>profile</th><th>detected</th><th>description</th><th>failing tests (reason)</th></tr>\n");
	json_object *runs = jo(fr, "runs");
	for (size_t i = 0; i < json_object_array_length(runs); i++) {
		json_object *x = json_object_array_get_idx(runs, i);
		bool d = json_object_get_boolean(jo(x, "detected"));
		wf_printf(w, "<tr><td>");
		hx(w, js(x, "fault"));
		wf_printf(w, "</td><td>");
		hx(w, js(x, "profile"));
		wf_printf(w, "</td><td class='%s'>%s%s</td><td>", d ? "PASS" : "FAIL", d ? "yes" : "NO",
		  ji(x, "brok") ? " (BROK)" : "");
		hx(w, js(x, "description"));
		wf_printf(w, "</td><td>");
		json_object *ft = jo(x, "failing_tests");
		size_t nf = json_object_array_length(ft);
		for (size_t k = 0; k < nf && k < 6; k++) {
			json_object *y = json_object_array_get_idx(ft, k);
			if (k)
				wf_printf(w, "<br>");
			hx(w, js(y, "test"));
			wf_printf(w, ": ");
			hx(w, js(y, "reason"));
		}
		if (nf > 6)
			wf_printf(w, "<br>... %zu more", nf - 6);
		wf_printf(w, "</td></tr>\n");
	}
	wf_printf(w, "</table>\n");
}

static void html_evidence(struct wfile *w, json_object *S)
{
	json_object *ev = jo(S, "evidence");
	size_t n = ev ? json_object_array_length(ev) : 0;
	if (!n)
		return;
	wf_printf(w, "<h2>Evidence samples</h2><p>Saved by the suites, parsed with <code>teeabi-parse</code>.</p>\n");
	for (size_t i = 0; i < n && i < 12; i++) {
		json_object *e = json_object_array_get_idx(ev, i);
		wf_printf(w, "<h3>");
		hx(w, js(e, "file"));
		wf_printf(w, " (%d bytes)</h3>\n", ji(e, "bytes"));
		json_object *p = jo(e, "parsed");
		if (p) {
			wf_printf(w, "<pre>");
			const char *t = json_object_to_json_string_ext(p, JSON_C_TO_STRING_PRETTY | JSON_C_TO_STRING_NOSLASHESCAPE);
			char *c = strndup(t, 6000);
			hx(w, c);
			free(c);
			wf_printf(w, "</pre>\n");
		} else {
			wf_printf(w, "<p>not parsed: ");
			hx(w, js(e, "parse_error"));
			wf_printf(w, "</p>\n");
		}
	}
	if (n > 12)
		wf_printf(w, "<p>... %zu more files in evidence/</p>\n", n - 12);
}

static void html_fuzz(struct wfile *w, json_object *S)
{
	json_object *fz = jo(S, "fuzz");
	if (!fz)
		return;
	wf_printf(w, "<h2>Fuzzing</h2><p>");
	hx(w, *js(fz, "engine") ? js(fz, "engine") : "?");
	wf_printf(w, ", %d s per target, <span class='%s'>%s</span>, exit ", ji(fz, "seconds_per_target"),
	  !strcmp(js(fz, "status"), "passed") ? "PASS" : "FAIL", js(fz, "status"));
	hx(w, js(fz, "exit_code"));
	wf_printf(w, " (log: <a href='fuzz.log'>fuzz.log</a>, details: fuzz/summary.md)</p>\n");
	json_object *tg = jo(fz, "targets");
	if (tg && json_object_object_length(tg)) {
		wf_printf(w, "<table><tr><th>target</th><th>execs</th><th>execs/s</th><th>execs/s per core</th><th>corpus</th>"
		     "<th>coverage</th><th>crashes</th></tr>\n");
		json_object_object_foreach(tg, t, r)
		{
			json_object *cr = jo(r, "crashes");
			size_t nc = cr && json_object_is_type(cr, json_type_array) ? json_object_array_length(cr) : 0;
			wf_printf(w, "<tr><td>");
			hx(w, t);
			wf_puts(w, "</td>");
			static const char *const cols[] = { "execs", "execs_per_sec", "execs_per_sec_per_core", "corpus_size", NULL };
			td_fields(w, r, cols);
			wf_puts(w, "<td>");
			json_object *cov = jo(r, "coverage");
			if (cov && json_object_is_type(cov, json_type_object)) {
				json_object_object_foreach(cov, ck, cv)
				{
					hx(w, ck);
					wf_printf(w, " ");
					hx(w, json_object_get_string(cv));
					wf_printf(w, " ");
				}
			}
			wf_printf(w, "</td><td class='%s'>%zu</td></tr>\n", nc ? "FAIL" : "PASS", nc);
		}
		wf_printf(w, "</table>\n");
	}
	wf_printf(w, "<pre>");
	json_object *tail = jo(fz, "tail");
	for (size_t i = 0; tail && i < json_object_array_length(tail); i++) {
		hx(w, json_object_get_string(json_object_array_get_idx(tail, i)));
		wf_printf(w, "\n");
	}
	wf_printf(w, "</pre>\n");
}

static void html_tests(struct wfile *w, json_object *S)
{
	wf_printf(w, "<h2>All tests</h2>\n");
	json_object_object_foreach(jo(S, "profiles"), name, p)
	{
		wf_printf(w, "<details><summary>");
		hx(w, name);
		wf_printf(w, ": %s</summary><table><tr><th>suite</th><th>test</th><th>status</th><th>reason</th></tr>\n", js(p, "verdict"));
		json_object_object_foreach(jo(p, "suites"), su, x)
		{
			json_object *ts = jo(x, "tests");
			for (size_t i = 0; ts && i < json_object_array_length(ts); i++) {
				json_object *t = json_object_array_get_idx(ts, i);
				wf_printf(w, "<tr><td>");
				hx(w, su);
				wf_printf(w, "</td><td>");
				hx(w, js(t, "name"));
				wf_printf(w, "</td><td class='%s'>%s</td><td>", js(t, "status"), js(t, "status"));
				hx(w, js(t, "reason"));
				wf_printf(w, "</td></tr>\n");
			}
		}
		wf_printf(w, "</table></details>\n");
	}
}

static int write_html(const struct run *R, json_object *S)
{
	char path[4096];
	struct wfile w;
	snprintf(path, sizeof(path), "%s/index.html", R->reports);
	if (wf_open(&w, path) < 0)
		return -1;
	wf_printf(&w, "<!DOCTYPE html><html><head><meta charset='utf-8'><title>teeabi qualification</title><style>%s</style>"
	      "</head><body>\n",
	  CSS);
	const char *v = js(S, "verdict");
	wf_printf(&w, "<h1>teeabi qualification: <span class='%s'>%s</span></h1>\n", v, v);
	json_object *t = jo(S, "totals");
	wf_printf(&w, "<p>target <b>%s</b>; %d pass, %d fail, %d skip, %d brok; matrix wall time %s s (total %s s); generated %s</p>\n",
	  js(S, "target"), ji(t, "pass"), ji(t, "fail"), ji(t, "skip"), ji(t, "brok"), js(S, "matrix_wall_time_s"),
	  js(S, "wall_time_s"), js(S, "generated"));
	if (*js(S, "interrupted"))
		wf_printf(&w, "<p class='FAIL'><b>interrupted by %s</b>: the run did not finish; this is not a verdict.</p>\n",
		  js(S, "interrupted"));
	if (*js(S, "report_error")) {
		wf_printf(&w, "<p class='FAIL'><b>a report could not be written</b>: ");
		hx(&w, js(S, "report_error"));
		wf_printf(&w, "</p>\n");
	}
	if (*js(S, "skipped_all")) {
		wf_printf(&w, "<p><b>everything skipped</b>: ");
		hx(&w, js(S, "skipped_all"));
		wf_printf(&w, "</p>\n");
	}
	if (!strcmp(js(S, "target"), "real")) {
		json_object *d = jo(S, "detected");
		wf_printf(&w, "<p>machine: image ");
		hx(&w, js(jo(d, "image"), "id"));
		wf_printf(&w, " ");
		hx(&w, js(jo(d, "image"), "version_id"));
		wf_printf(&w, ", kernel ");
		hx(&w, js(d, "kernel"));
		wf_printf(&w, ", profile ");
		hx(&w, js(d, "profile"));
		wf_printf(&w, "</p>\n");
	}
	json_object *notes = jo(S, "notes");
	for (size_t i = 0; notes && i < json_object_array_length(notes); i++) {
		wf_printf(&w, "<p><i>note: ");
		hx(&w, json_object_get_string(json_object_array_get_idx(notes, i)));
		wf_printf(&w, "</i></p>\n");
	}
	html_profiles(&w, S);
	html_matrix(&w, S);
	html_compose(&w, S);
	html_failures(&w, S);
	html_faults(&w, S);
	html_evidence(&w, S);
	html_fuzz(&w, S);
	html_tests(&w, S);
	wf_printf(&w, "<p>JUnit: junit/ (the verdict's runs), faults/ (the fault self-test), TAP: tap/, schema:"
	      " docs/summary-schema.md</p></body></html>\n");
	return wf_commit(&w, true);
}

int write_summary(const struct run *R)
{
	json_object *S = build_summary(R);
	char path[4096];
	struct wfile w;
	int rc = 0;
	snprintf(path, sizeof(path), "%s/summary.json", R->reports);
	if (wf_open(&w, path) == 0) {
		wf_puts(&w, json_object_to_json_string_ext(S, JSON_C_TO_STRING_PRETTY | JSON_C_TO_STRING_NOSLASHESCAPE));
		wf_puts(&w, "\n");
		rc |= wf_commit(&w, true);
	} else {
		rc = -1;
	}
	rc |= write_html(R, S);
	json_object_put(S);
	return rc;
}
