/* SPDX-License-Identifier: Apache-2.0 */
/*
 * tools/run/tap.c - the verdict of one suite run from its TAP stream (contract S): every
 * listed test has exactly one result, the plan matches the list, the stream ends with its
 * "# Totals:" line and the totals match the results, the exit status agrees with them.
 * Anything else makes the run BROK with a reason naming what is missing. The TAP bytes are
 * hostile: lines are capped, unprintable bytes never reach a report.
 */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "run.h"

const char *const tres_name[4] = { "PASS", "FAIL", "SKIP", "BROK" };

#define NAME_MAX_LEN 200
#define REASON_MAX 1000
#define DIAG_MAX 8000

static char *xstrdup(const char *s)
{
	char *d = strdup(s);
	if (!d)
		abort();
	return d;
}

static bool test_name_ok(const char *s, size_t n)
{
	if (n == 0 || n > NAME_MAX_LEN)
		return false;
	for (size_t i = 0; i < n; i++) {
		char c = s[i];
		if (!((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '.' || c == '_' ||
		      c == '-'))
			return false;
	}
	return true;
}

int parse_list(const char *text, char ***names, int *n, char *err, size_t errlen)
{
	char **v = NULL;
	int k = 0;
	const char *p = text;
	while (*p) {
		size_t l = strcspn(p, "\n");
		if (!test_name_ok(p, l)) {
			char *c = clean_text(p, l < 80 ? l : 80);
			snprintf(err, errlen, "line %d is not a test name: '%s'", k + 1, c);
			free(c);
			goto bad;
		}
		for (int i = 0; i < k; i++) {
			if (strlen(v[i]) == l && !memcmp(v[i], p, l)) {
				snprintf(err, errlen, "test %s listed twice", v[i]);
				goto bad;
			}
		}
		char **nv = realloc(v, sizeof(*v) * (size_t)(k + 1));
		if (!nv)
			abort();
		v = nv;
		v[k] = strndup(p, l);
		if (!v[k])
			abort();
		k++;
		p += l;
		if (*p == '\n')
			p++;
	}
	if (k == 0) {
		snprintf(err, errlen, "no tests listed");
		goto bad;
	}
	*names = v;
	*n = k;
	return 0;
bad:
	for (int i = 0; i < k; i++)
		free(v[i]);
	free(v);
	return -1;
}

/* A growing "; "-separated list of problems with the run. */
struct problems {
	char buf[1400];
	size_t len;
};

static void problem(struct problems *pr, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
static void problem(struct problems *pr, const char *fmt, ...)
{
	if (pr->len >= sizeof(pr->buf) - 1)
		return;
	if (pr->len)
		pr->len += (size_t)snprintf(pr->buf + pr->len, sizeof(pr->buf) - pr->len, "; ");
	if (pr->len >= sizeof(pr->buf) - 1)
		return;
	va_list ap;
	va_start(ap, fmt);
	int k = vsnprintf(pr->buf + pr->len, sizeof(pr->buf) - pr->len, fmt, ap);
	va_end(ap);
	if (k > 0)
		pr->len += (size_t)k;
	if (pr->len > sizeof(pr->buf) - 1)
		pr->len = sizeof(pr->buf) - 1;
}

static void set_result(struct tresult *t, enum tres st, const char *reason, size_t rlen)
{
	t->st = st;
	free(t->reason);
	t->reason = clean_text(reason, rlen < REASON_MAX ? rlen : REASON_MAX);
}

static int find_listed(const struct srun *r, const char *name, size_t n)
{
	for (int i = 0; i < r->nlist; i++)
		if (strlen(r->list[i]) == n && !memcmp(r->list[i], name, n))
			return i;
	return -1;
}

static void srun_init(struct srun *r)
{
	for (int i = 0; i < r->nt; i++) {
		free(r->t[i].name);
		free(r->t[i].reason);
		free(r->t[i].diag);
	}
	free(r->t);
	r->t = calloc((size_t)r->nlist + 1, sizeof(*r->t));
	if (!r->t)
		abort();
	r->nt = r->nlist;
	for (int i = 0; i < r->nlist; i++) {
		r->t[i].name = xstrdup(r->list[i]);
		r->t[i].st = T_BROK;
		r->t[i].reason = NULL;
	}
	memset(r->counts, 0, sizeof(r->counts));
}

static void recount(struct srun *r)
{
	memset(r->counts, 0, sizeof(r->counts));
	for (int i = 0; i < r->nt; i++)
		r->counts[r->t[i].st]++;
}

void srun_all(struct srun *r, enum tres st, const char *reason)
{
	srun_init(r);
	for (int i = 0; i < r->nt; i++)
		set_result(&r->t[i], st, reason, strlen(reason));
	recount(r);
}

static void add_run_brok(struct srun *r, const char *why)
{
	struct tresult *t = &r->t[r->nt++];
	char name[NAME_MAX_LEN + 8];
	snprintf(name, sizeof(name), "%s.run", r->suite);
	t->name = xstrdup(name);
	t->diag = NULL;
	t->reason = NULL;
	set_result(t, T_BROK, why, strlen(why));
}

/* "ok 3 name # SKIP reason" etc.; returns 0 and the parts, -1 when malformed. */
static int parse_result(const char *l, size_t n, bool *ok, long *num, const char **name, size_t *namelen,
			const char **dir, size_t *dirlen)
{
	const char *p = l, *end = l + n;
	if (n >= 3 && !strncmp(p, "ok ", 3)) {
		*ok = true;
		p += 3;
	} else if (n >= 7 && !strncmp(p, "not ok ", 7)) {
		*ok = false;
		p += 7;
	} else {
		return -1;
	}
	long v = 0;
	const char *d0 = p;
	while (p < end && *p >= '0' && *p <= '9' && p - d0 < 9)
		v = v * 10 + (*p++ - '0');
	if (p == d0 || p >= end || *p != ' ')
		return -1;
	p++;
	*num = v;
	*name = p;
	while (p < end && *p != ' ')
		p++;
	*namelen = (size_t)(p - *name);
	*dir = NULL;
	*dirlen = 0;
	if (p == end)
		return 0;
	if (end - p < 3 || strncmp(p, " # ", 3) != 0)
		return -1;
	*dir = p + 3;
	*dirlen = (size_t)(end - *dir);
	return 0;
}

static bool starts(const char *l, size_t n, const char *pfx)
{
	size_t k = strlen(pfx);
	return n >= k && !memcmp(l, pfx, k);
}

static void diag_add(char **diag, const char *l, size_t n)
{
	size_t have = *diag ? strlen(*diag) : 0;
	if (have > DIAG_MAX)
		return;
	char *c = clean_text(l, n);
	size_t cl = strlen(c);
	char *d = realloc(*diag, have + cl + 2);
	if (!d)
		abort();
	if (have)
		d[have++] = '\n';
	memcpy(d + have, c, cl + 1);
	*diag = d;
	free(c);
}

/* "tsm_report.a, tsm_report.b, ... (+N more)" of the tests without a result. */
static void missing_names(const struct srun *r, const bool *seen, char *out, size_t outlen)
{
	size_t len = 0;
	int shown = 0, more = 0;
	out[0] = 0;
	for (int i = 0; i < r->nlist; i++) {
		if (seen[i])
			continue;
		if (shown < 8 && len + strlen(r->list[i]) + 4 < outlen - 24) {
			len += (size_t)snprintf(out + len, outlen - len, "%s%s", shown ? ", " : "", r->list[i]);
			shown++;
		} else {
			more++;
		}
	}
	if (more)
		snprintf(out + len, outlen - len, ", ... (+%d more)", more);
}

void tap_judge(struct srun *r, const char *tap, size_t len, const char *where)
{
	struct problems pr = { .len = 0 };
	srun_init(r);
	free(r->header);
	r->header = NULL;
	bool *seen = calloc((size_t)r->nlist + 1, sizeof(bool));
	if (!seen)
		abort();
	long plan = -1, expect_num = 1;
	bool totals = false, after_totals = false, bailed = false;
	char bail[200] = "";
	long tp = -1, tf = -1, tsk = -1, tb = -1;
	int nres = 0, unknown = 0, lineno = 0;
	char *diag = NULL;
	char unk_names[300] = "";
	r->detected[0] = 0;

	if (!tap) {
		problem(&pr, "no TAP file");
	} else if (memchr(tap, 0, len)) {
		problem(&pr, "TAP has a NUL byte at offset %zu", (size_t)((const char *)memchr(tap, 0, len) - tap));
	}
	const char *p = tap, *end = tap ? tap + len : NULL;
	while (tap && !memchr(tap, 0, len) && p < end) {
		const char *nl = memchr(p, '\n', (size_t)(end - p));
		size_t n = nl ? (size_t)(nl - p) : (size_t)(end - p);
		const char *l = p;
		p += n + (nl ? 1 : 0);
		lineno++;
		if (!nl) {
			problem(&pr, "TAP ends in the middle of line %d", lineno);
			break;
		}
		if (after_totals && n > 0) {
			problem(&pr, "text after the # Totals line (line %d)", lineno);
			after_totals = false;
		}
		if (lineno == 1) {
			if (!(n == 14 && !memcmp(l, "TAP version 13", 14)))
				problem(&pr, "first line is not 'TAP version 13'");
			continue;
		}
		if (n == 0)
			continue;
		if (starts(l, n, "# Totals: ")) {
			char tmp[160];
			size_t k = n < sizeof(tmp) - 1 ? n : sizeof(tmp) - 1;
			memcpy(tmp, l, k);
			tmp[k] = 0;
			long xf, xp;
			if (totals || sscanf(tmp, "# Totals: pass:%ld fail:%ld xfail:%ld xpass:%ld skip:%ld error:%ld", &tp, &tf,
					     &xf, &xp, &tsk, &tb) != 6)
				problem(&pr, "malformed or repeated # Totals line (line %d)", lineno);
			totals = true;
			after_totals = true;
			continue;
		}
		if (starts(l, n, "# ")) {
			if (starts(l, n, "# profile ") && !r->detected[0]) {
				const char *s = l + 10;
				size_t k = 0;
				while (s + k < l + n && s[k] != ' ')
					k++;
				char nm[64];
				if (k < sizeof(nm)) {
					memcpy(nm, s, k);
					nm[k] = 0;
					if (valid_name(nm))
						snprintf(r->detected, sizeof(r->detected), "%s", nm);
				}
			}
			diag_add(&diag, l + 2, n - 2);
			continue;
		}
		if (n == 1 && *l == '#')
			continue;
		if (starts(l, n, "1..")) {
			long v = 0;
			size_t i = 3;
			while (i < n && l[i] >= '0' && l[i] <= '9' && i < 12)
				v = v * 10 + (l[i++] - '0');
			if (i != n || i == 3 || plan >= 0)
				problem(&pr, "malformed or repeated plan (line %d)", lineno);
			else
				plan = v;
			/* comments before the plan are the suite's header, not a test's diagnostics */
			if (!r->header)
				r->header = diag;
			else
				free(diag);
			diag = NULL;
			continue;
		}
		if (starts(l, n, "Bail out!")) {
			bailed = true;
			const char *s = l + 9;
			s += strspn(s, " ");
			char *c = clean_text(s, (size_t)(l + n - s) < sizeof(bail) - 1 ? (size_t)(l + n - s) : sizeof(bail) - 1);
			snprintf(bail, sizeof(bail), "%s", c[0] ? c : "(no reason)");
			free(c);
			continue;
		}
		bool ok;
		long num;
		const char *name, *dir;
		size_t namelen, dirlen;
		if (parse_result(l, n, &ok, &num, &name, &namelen, &dir, &dirlen) < 0) {
			problem(&pr, "malformed line %d", lineno);
			continue;
		}
		nres++;
		if (num != expect_num)
			problem(&pr, "result %ld out of sequence (expected %ld, line %d)", num, expect_num, lineno);
		expect_num = num + 1;
		int idx = test_name_ok(name, namelen) ? find_listed(r, name, namelen) : -1;
		if (idx < 0) {
			unknown++;
			char *c = clean_text(name, namelen < 80 ? namelen : 80);
			size_t ul = strlen(unk_names);
			if (ul + strlen(c) + 4 < sizeof(unk_names))
				snprintf(unk_names + ul, sizeof(unk_names) - ul, "%s%s", ul ? ", " : "", c);
			free(c);
			free(diag);
			diag = NULL;
			continue;
		}
		if (seen[idx]) {
			problem(&pr, "%s has two results", r->list[idx]);
			free(diag);
			diag = NULL;
			continue;
		}
		struct tresult *t = &r->t[idx];
		enum tres st;
		const char *reason = "";
		size_t rlen = 0;
		if (ok && !dir) {
			st = T_PASS;
		} else if (ok && dirlen >= 5 && !strncmp(dir, "SKIP ", 5)) {
			st = T_SKIP, reason = dir + 5, rlen = dirlen - 5;
		} else if (!ok && dirlen >= 5 && !strncmp(dir, "FAIL ", 5)) {
			st = T_FAIL, reason = dir + 5, rlen = dirlen - 5;
		} else if (!ok && dirlen >= 6 && !strncmp(dir, "error ", 6)) {
			st = T_BROK, reason = dir + 6, rlen = dirlen - 6;
		} else {
			problem(&pr, "line %d: result form not in contract S", lineno);
			free(diag);
			diag = NULL;
			continue;
		}
		seen[idx] = true;
		set_result(t, st, reason, rlen);
		t->diag = diag;
		diag = NULL;
	}
	free(diag);

	int nmissing = 0;
	for (int i = 0; i < r->nlist; i++)
		nmissing += !seen[i];
	/* The reason a test without a result is BROK. */
	char why[300];
	if (bailed)
		snprintf(why, sizeof(why), "no result: the suite bailed out: %s", bail);
	else if (r->exit_code > 128 && r->exit_code < 128 + 65)
		snprintf(why, sizeof(why), "no result: interrupted by %s", sig_name(r->exit_code - 128));
	else if (r->exit_code == 3)
		snprintf(why, sizeof(why), "no result: the suite could not write its results (exit 3)");
	else if (r->exit_code < 0)
		snprintf(why, sizeof(why), "no result: the suite never ran");
	else
		snprintf(why, sizeof(why), "no result recorded (suite exit %d)", r->exit_code);
	for (int i = 0; i < r->nlist; i++)
		if (!seen[i])
			set_result(&r->t[i], T_BROK, why, strlen(why));
	recount(r);

	char head[2400];
	size_t hl = 0;
	head[0] = 0;
	if (nmissing) {
		char names[1000];
		missing_names(r, seen, names, sizeof(names));
		hl += (size_t)snprintf(head + hl, sizeof(head) - hl, "%d of %d tests have no result: %s", nmissing, r->nlist,
				       names);
	}
	if (unknown)
		problem(&pr, "%d result%s for tests not in --list: %s", unknown, unknown == 1 ? "" : "s", unk_names);
	if (tap && plan < 0)
		problem(&pr, "no plan");
	else if (plan >= 0 && plan != r->nlist)
		problem(&pr, "plan 1..%ld but %d tests listed", plan, r->nlist);
	if (bailed)
		problem(&pr, "bailed out: %s", bail);
	else if (tap && !totals)
		problem(&pr, "no # Totals line (TAP incomplete)");
	else if (totals && (tp != r->counts[T_PASS] || tf != r->counts[T_FAIL] || tsk != r->counts[T_SKIP] ||
			    tb != r->counts[T_BROK] - nmissing))
		problem(&pr, "# Totals pass:%ld fail:%ld skip:%ld error:%ld disagree with the results", tp, tf, tsk, tb);
	/* The exit status must agree with the results (contract S). */
	int rc = r->exit_code;
	if (rc > 128 && rc < 128 + 65)
		problem(&pr, "interrupted by %s", sig_name(rc - 128));
	else if (rc == 3)
		problem(&pr, "results not written (exit 3)");
	else if (rc < 0)
		problem(&pr, "the suite never ran");
	else if (rc != 0 && rc != 1 && rc != 4)
		problem(&pr, "suite exit %d", rc);
	else if (!pr.len && !nmissing) {
		bool bad = r->counts[T_FAIL] || r->counts[T_BROK];
		if ((rc == 0 && (bad || r->counts[T_PASS] == 0)) || (rc == 1 && !bad) ||
		    (rc == 4 && r->counts[T_SKIP] != r->nt))
			problem(&pr, "exit %d disagrees with the results", rc);
	}
	if (pr.len)
		hl += (size_t)snprintf(head + hl, sizeof(head) - hl, "%s%s", hl ? "; " : "", pr.buf);
	free(r->problem);
	r->problem = NULL;
	if (hl) {
		char msg[2600];
		snprintf(msg, sizeof(msg), "%s: %s", where, head);
		r->problem = xstrdup(msg);
		/* Missing tests carry their own BROK; anything else breaks the run as a whole. */
		if (pr.len) {
			add_run_brok(r, pr.buf);
			recount(r);
		}
	}
	free(seen);
}

void srun_free(struct srun *r)
{
	for (int i = 0; i < r->nt; i++) {
		free(r->t[i].name);
		free(r->t[i].reason);
		free(r->t[i].diag);
	}
	free(r->t);
	free(r->problem);
	free(r->header);
	r->header = NULL;
	r->t = NULL;
	r->nt = 0;
	r->problem = NULL;
}
