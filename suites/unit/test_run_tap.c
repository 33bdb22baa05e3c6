/* SPDX-License-Identifier: Apache-2.0 */
/*
 * test_run_tap.c - the TAP judge of teeabi-run (tools/run/tap.c) against contract S: a
 * complete stream is taken as it is; every way a result can be lost or forged (missing
 * results, no # Totals, a wrong plan, unknown or repeated names, a NUL byte, a stream cut in
 * the middle of a line, numbers out of sequence or too large, totals or an exit status that
 * disagree, a bail-out) makes the run BROK with a reason naming it. Hostile bytes never reach
 * a reason. parse_list rejects what is not a list of test names.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>
#include "../../tools/run/run.h"

static char *names4[] = { "s.a.one", "s.a.two", "s.b.three", "s.b.four" };

static void judge(struct srun *r, const char *tap, size_t len, int rc)
{
	memset(r, 0, sizeof(*r));
	r->suite = "s";
	r->list = names4;
	r->nlist = 4;
	r->exit_code = rc;
	tap_judge(r, tap, len, "s on p");
}

static void judge_str(struct srun *r, const char *tap, int rc)
{
	judge(r, tap, strlen(tap), rc);
}

#define HEAD "TAP version 13\n# teeabi suite s\n# profile p-1.0 (detected): platform tdx\n1..4\n"
#define TOTALS(p, f, s, e) "# Totals: pass:" #p " fail:" #f " xfail:0 xpass:0 skip:" #s " error:" #e " (0.01 s)\n"

static void complete(void **state)
{
	(void)state;
	struct srun r;
	judge_str(&r,
		  HEAD "# diag one\nok 1 s.a.one\nok 2 s.a.two # SKIP no node\nnot ok 3 s.b.three # FAIL errno 22\n"
		       "not ok 4 s.b.four # error mmap failed\n" TOTALS(1, 1, 1, 1),
		  1);
	assert_null(r.problem);
	assert_int_equal(r.nt, 4);
	assert_int_equal(r.counts[T_PASS], 1);
	assert_int_equal(r.counts[T_SKIP], 1);
	assert_int_equal(r.counts[T_FAIL], 1);
	assert_int_equal(r.counts[T_BROK], 1);
	assert_string_equal(r.t[0].diag, "diag one");
	assert_string_equal(r.t[1].reason, "no node");
	assert_string_equal(r.t[2].reason, "errno 22");
	assert_string_equal(r.t[3].reason, "mmap failed");
	assert_string_equal(r.header, "teeabi suite s\nprofile p-1.0 (detected): platform tdx");
	assert_string_equal(r.detected, "p-1.0");
	srun_free(&r);
}

static void missing_results(void **state)
{
	(void)state;
	struct srun r;
	judge_str(&r, HEAD "ok 1 s.a.one\nok 2 s.a.two\n" TOTALS(2, 0, 0, 0), 0);
	assert_non_null(r.problem);
	assert_string_equal(r.problem, "s on p: 2 of 4 tests have no result: s.b.three, s.b.four");
	assert_int_equal(r.nt, 4); /* the missing tests carry the BROK, no extra entry */
	assert_int_equal(r.counts[T_PASS], 2);
	assert_int_equal(r.counts[T_BROK], 2);
	assert_string_equal(r.t[2].reason, "no result recorded (suite exit 0)");
	srun_free(&r);
}

/* Each stream must make the run BROK with a reason containing want. */
static void broken(const char *tap, size_t len, int rc, const char *want)
{
	struct srun r;
	judge(&r, tap, len, rc);
	if (!r.problem || !strstr(r.problem, want))
		fail_msg("want a problem with '%s', got '%s'", want, r.problem ? r.problem : "(none)");
	assert_true(r.counts[T_BROK] > 0);
	for (int i = 0; i < r.nt; i++)
		for (const char *p = r.t[i].reason; *p; p++)
			assert_true(*p == '\t' || (*p >= 0x20 && *p < 0x7f));
	srun_free(&r);
}

#define ALL4 "ok 1 s.a.one\nok 2 s.a.two\nok 3 s.b.three\nok 4 s.b.four\n"

static void lost_or_forged(void **state)
{
	(void)state;
	const char *c;
	c = HEAD ALL4;
	broken(c, strlen(c), 0, "no # Totals line");
	c = "TAP version 13\n1..3\n" ALL4 TOTALS(4, 0, 0, 0);
	broken(c, strlen(c), 0, "plan 1..3 but 4 tests listed");
	c = HEAD ALL4 "ok 5 s.c.stranger\n" TOTALS(4, 0, 0, 0);
	broken(c, strlen(c), 0, "not in --list: s.c.stranger");
	c = HEAD "ok 1 s.a.one\nok 2 s.a.one\nok 3 s.b.three\nok 4 s.b.four\n" TOTALS(4, 0, 0, 0);
	broken(c, strlen(c), 0, "s.a.one has two results");
	c = HEAD ALL4 TOTALS(3, 0, 1, 0);
	broken(c, strlen(c), 0, "disagree with the results");
	c = HEAD "ok 1 s.a.one\nok 3 s.a.two\nok 4 s.b.three\nok 5 s.b.four\n" TOTALS(4, 0, 0, 0);
	broken(c, strlen(c), 0, "out of sequence");
	c = HEAD "ok 1 s.a.one\nok 99999999999999999999 s.a.two\n";
	broken(c, strlen(c), 0, "malformed line 6");
	c = HEAD "ok 1 s.a.one # TODO later\nok 2 s.a.two\nok 3 s.b.three\nok 4 s.b.four\n" TOTALS(3, 0, 0, 0);
	broken(c, strlen(c), 0, "not in contract S");
	c = HEAD ALL4 TOTALS(4, 0, 0, 0) "ok 5 s.a.one\n";
	broken(c, strlen(c), 0, "text after the # Totals line");
	c = HEAD ALL4 TOTALS(4, 0, 0, 0);
	broken(c, strlen(c) - 1, 0, "ends in the middle of line");
	broken(c, strlen(c), 1, "exit 1 disagrees");
	broken(c, strlen(c), 3, "results not written (exit 3)");
	broken(c, strlen(c), 2, "suite exit 2");
	c = "TAP 12\n1..4\n" ALL4 TOTALS(4, 0, 0, 0);
	broken(c, strlen(c), 0, "first line");
	c = HEAD "ok 1 s.a.one\nBail out! interrupted by SIGTERM\n";
	broken(c, strlen(c), 143, "3 of 4 tests have no result");
	static const char nul[] = "TAP version 13\n1..4\nok 1 s.a.one\0\nok 2 s.a.two\n";
	broken(nul, sizeof(nul) - 1, 0, "NUL byte at offset 32");
	broken(NULL, 0, 1, "no TAP file");
}

static void bail_and_signal_reasons(void **state)
{
	(void)state;
	struct srun r;
	judge_str(&r, HEAD "ok 1 s.a.one\nBail out! interrupted by SIGTERM\n", 143);
	assert_string_equal(r.t[1].reason, "no result: the suite bailed out: interrupted by SIGTERM");
	assert_non_null(strstr(r.problem, "interrupted by SIGTERM"));
	srun_free(&r);
	judge_str(&r, HEAD "ok 1 s.a.one\n", 137);
	assert_string_equal(r.t[3].reason, "no result: interrupted by SIGKILL");
	srun_free(&r);
}

static void hostile_bytes(void **state)
{
	(void)state;
	struct srun r;
	judge_str(&r, HEAD "ok 1 s.a.one # SKIP \x1b[31mred\x7f\xff\nok 2 s.a.two\nok 3 s.b.three\nok 4 s.b.four\n" TOTALS(3, 0, 1, 0), 4);
	/* exit 4 says everything skipped, but three passed */
	assert_non_null(r.problem);
	assert_string_equal(r.t[0].reason, "?[31mred??");
	srun_free(&r);
	/* a name with a space or a slash is no test name: unknown */
	judge_str(&r, HEAD "ok 1 s.a/one\n", 0);
	assert_non_null(strstr(r.problem, "not in --list"));
	srun_free(&r);
}

static void all_status(void **state)
{
	(void)state;
	struct srun r;
	memset(&r, 0, sizeof(r));
	r.suite = "s";
	r.list = names4;
	r.nlist = 4;
	srun_all(&r, T_SKIP, "needs root");
	assert_int_equal(r.counts[T_SKIP], 4);
	assert_string_equal(r.t[3].reason, "needs root");
	srun_free(&r);
}

static void lists(void **state)
{
	(void)state;
	char **v;
	int n;
	char err[200];
	assert_int_equal(parse_list("a.b.c\na.b.d\n", &v, &n, err, sizeof(err)), 0);
	assert_int_equal(n, 2);
	assert_string_equal(v[1], "a.b.d");
	for (int i = 0; i < n; i++)
		free(v[i]);
	free(v);
	assert_int_equal(parse_list("a.b.c\na.b.c\n", &v, &n, err, sizeof(err)), -1);
	assert_string_equal(err, "test a.b.c listed twice");
	assert_int_equal(parse_list("", &v, &n, err, sizeof(err)), -1);
	assert_string_equal(err, "no tests listed");
	assert_int_equal(parse_list("a.b c\n", &v, &n, err, sizeof(err)), -1);
	assert_int_equal(parse_list("ok\n\n", &v, &n, err, sizeof(err)), -1);
	assert_int_equal(parse_list("a\x01\n", &v, &n, err, sizeof(err)), -1);
	assert_string_equal(err, "line 1 is not a test name: 'a?'");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(complete),
		cmocka_unit_test(missing_results),
		cmocka_unit_test(lost_or_forged),
		cmocka_unit_test(bail_and_signal_reasons),
		cmocka_unit_test(hostile_bytes),
		cmocka_unit_test(all_status),
		cmocka_unit_test(lists),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
