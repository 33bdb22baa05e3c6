/* SPDX-License-Identifier: Apache-2.0 */
/*
 * suites/selftest - the results layer checking itself (scripts/check.d/45-tst-selftest.sh).
 * Every test here has a known outcome, most of them deliberately bad: a FAIL, a hang (BROK
 * by timeout), a crash (BROK), a test that reports nothing (BROK), a SKIP, a FAIL after a
 * PASS (FAIL wins), a left-behind directory the parent must remove, a destructive test
 * without --allow-destructive (SKIP), a profile predicate (SKIP). Not run by run_all.sh.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "../common/tst.h"

static void t_pass(void) { tst_pass("fine"); }
static void t_fail(void)
{
	tst_pass("first check held");
	tst_fail("REPORTDATA not echoed at TDREPORT[128..192)");
	tst_info("a diagnostic line");
}
static void t_hang(void) { pause(); }
static void t_crash(void) { abort(); }
static void t_nothing(void) { }
static void t_skip(void) { tst_skip("kernel lacks X"); }
static void t_brk(void)
{
	tst_brk(TST_FAIL, "stopped early: %s", tst_errno_name(ENOTTY));
	tst_pass("never reached");
}
static void t_cleanup(void)
{
	const char *d = getenv("TST_SELFTEST_DIR");
	if (!d || mkdir(d, 0700) < 0)
		tst_brk(TST_BROK, "mkdir $TST_SELFTEST_DIR failed");
	tst_cleanup_rmdir(d);
	tst_pass("left %s behind for the parent", d);
}
static const char *never(const struct teeabi_profile *p) { return "profile lacks the feature"; }

static const struct tst_test tests[] = {
	{ .name = "selftest.pass", .fn = t_pass },
	{ .name = "selftest.fail", .fn = t_fail },
	{ .name = "selftest.hang", .fn = t_hang, .timeout = 1 },
	{ .name = "selftest.crash", .fn = t_crash },
	{ .name = "selftest.nothing", .fn = t_nothing },
	{ .name = "selftest.skip", .fn = t_skip },
	{ .name = "selftest.brk", .fn = t_brk },
	{ .name = "selftest.cleanup", .fn = t_cleanup },
	{ .name = "selftest.destructive", .fn = t_pass, .destructive = true },
	{ .name = "selftest.profile", .fn = t_pass, .needs_profile = never },
	{ .name = "selftest.nodev", .fn = t_pass, .needs_dev = "/nonexistent/teeabi-dev" },
	{ 0 },
};

TST_SUITE("selftest", tests)
