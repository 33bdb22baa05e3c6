/* SPDX-License-Identifier: Apache-2.0 */
/*
 * suites/selftest - the results layer checking itself (scripts/check.d/45-tst-selftest.sh,
 * 46-tst-signals.sh, 47-perms-racer.sh). Every test here has a known outcome, most of them
 * deliberately bad: a FAIL, a hang (BROK by timeout), a crash (BROK), a test that reports
 * nothing (BROK), a SKIP, a FAIL after a PASS (FAIL wins), a left-behind directory the
 * parent must remove, a destructive test without --allow-destructive (SKIP), a profile
 * predicate (SKIP), a needed node that vanishes during one test and is missing for the
 * next (both BROK), a node this user may not open (SKIP naming what is needed), the
 * private-copy check of common/widen.h on a character device, a cleanup too long to register
 * (BROK before anything is created), and a test that waits for a signal with a registered
 * entry. Not run by run_all.sh.
 *
 * The paths come from the environment (the check scripts make them); unset, the tests
 * that need them SKIP for want of their node:
 *   TST_SELFTEST_DIR     directory selftest.cleanup creates and leaves to the parent
 *   TST_SELFTEST_NODE    file selftest.vanish.* needs; .during removes it
 *   TST_SELFTEST_DENIED  file selftest.denied needs (a root-owned 0600 file: run non-root)
 *   TST_SELFTEST_CHRDEV  character device for selftest.widen (e.g. /dev/zero's rdev, 0600)
 *   TST_SELFTEST_SIGDIR  directory selftest.sigwait creates before waiting for a signal
 */
#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "../common/tst.h"
#include "../common/widen.h"

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
/* Register first, then create: the order every suite must keep. */
static void make_registered_dir(const char *var)
{
	const char *d = getenv(var);
	if (!d)
		tst_brk(TST_SKIP, "$%s not set", var);
	tst_cleanup_rmdir(d);
	if (mkdir(d, 0700) < 0)
		tst_brk(TST_BROK, "mkdir $%s failed: %s", var, tst_errno_name(errno));
}
static void t_cleanup(void)
{
	make_registered_dir("TST_SELFTEST_DIR");
	tst_pass("left %s behind for the parent", getenv("TST_SELFTEST_DIR"));
}
static const char *never(const struct teeabi_profile *p) { return "profile lacks the feature"; }
/* The node disappears while the test runs, as /dev/tdx_guest does when mockfs dies. */
static void t_vanish(void)
{
	const char *n = getenv("TST_SELFTEST_NODE");
	if (!n || unlink(n) < 0)
		tst_brk(TST_BROK, "unlink $TST_SELFTEST_NODE failed");
	tst_skip("no %s (what a suite that checks for itself would say)", n);
}
static int read_zeros(const char *node)
{
	int fd = open(node, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return errno;
	unsigned char b[16];
	ssize_t n = read(fd, b, sizeof(b));
	int e = errno;
	close(fd);
	if (n < 0)
		return e;
	static const unsigned char z[16];
	return n == (ssize_t)sizeof(b) && !memcmp(b, z, sizeof(b)) ? 0 : 200;
}
static void t_widen(void)
{
	const char *n = getenv("TST_SELFTEST_CHRDEV");
	struct tst_widen w;
	tst_widen_check(n, 1000, read_zeros, &w);
	if (!w.private_copy)
		tst_fail("the check did not run on a private copy of %s", n);
	else if (w.closed_errno != EACCES)
		tst_fail("uid 1000 opening the 0600 private copy got %s, want EACCES", tst_errno_name(w.closed_errno));
	else if (w.use_result)
		tst_fail("uid 1000 could not read zeros from the private copy after chmod 666: %s", tst_errno_name(w.use_result));
	else
		tst_pass("uid 1000: EACCES on the 0600 private copy of %s, zeros read after chmod 666 of the copy", n);
}
/* A cleanup that cannot be registered whole (a path longer than a protocol line) stops the
 * test before the mkdir it would undo. */
static void t_longpath(void)
{
	char p[2048];
	memset(p, 'x', sizeof(p) - 1);
	p[0] = '/';
	p[sizeof(p) - 1] = 0;
	tst_cleanup_rmdir(p);
	tst_pass("registered a path the parent could only have received cut");
}
static void t_sigwait(void)
{
	make_registered_dir("TST_SELFTEST_SIGDIR");
	tst_info("waiting for a signal with %s in place", getenv("TST_SELFTEST_SIGDIR"));
	pause();
}

static struct tst_test tests[] = {
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
	{ .name = "selftest.vanish.during", .fn = t_vanish, .needs_dev = "/nonexistent/teeabi-node" },
	{ .name = "selftest.vanish.later", .fn = t_pass, .needs_dev = "/nonexistent/teeabi-node" },
	{ .name = "selftest.denied", .fn = t_pass, .needs_dev = "/nonexistent/teeabi-denied" },
	{ .name = "selftest.widen", .fn = t_widen, .needs_dev = "/nonexistent/teeabi-chrdev", .needs_root = true },
	{ .name = "selftest.longpath", .fn = t_longpath },
	{ .name = "selftest.sigwait", .fn = t_sigwait, .timeout = 20 },
	{ .name = "selftest.after", .fn = t_pass },   /* runs after sigwait: BROK when that was interrupted */
	{ 0 },
};

static void from_env(const char *var, const char *name_prefix)
{
	const char *v = getenv(var);
	if (!v || !*v)
		return;
	for (struct tst_test *t = tests; t->name; t++)
		if (!strncmp(t->name, name_prefix, strlen(name_prefix)))
			t->needs_dev = v;
}

int main(int argc, char **argv)
{
	from_env("TST_SELFTEST_NODE", "selftest.vanish.");
	from_env("TST_SELFTEST_DENIED", "selftest.denied");
	from_env("TST_SELFTEST_CHRDEV", "selftest.widen");
	return tst_main(argc, argv, "selftest", tests);
}
