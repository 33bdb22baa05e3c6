/* SPDX-License-Identifier: Apache-2.0 */
/*
 * test_node.c - the parsers of suites/common/node.c (the misc node check of the device
 * suites): a sysfs dev file "MAJOR:MINOR\n" and /proc/devices text, every byte hostile.
 * The check itself runs against real nodes in the kernel lane (kernel-lane/) and says SKIP
 * under mockfs. node.c reports through tst.h; this test links its own recorders.
 * tst_check_open_modes runs its ops on a temporary file, whose fd mode the ops look at.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <fcntl.h>
#include <unistd.h>
#include <errno.h>
#include <cmocka.h>
#include "../common/node.h"
#include "../common/tst.h"

static int n_fail, n_pass;
void tst_res_(enum tst_result r, const char *file, int line, const char *fmt, ...)
{
	(void)file; (void)line; (void)fmt;
	n_fail += r == TST_FAIL;
	n_pass += r == TST_PASS;
}
int tst_fail_count(void) { return n_fail; }
const char *tst_errno_name(int e) { return e ? "E?" : "0"; }

static void devnum_good(void **state)
{
	unsigned a = 0, b = 0;
	(void)state;
	assert_int_equal(tst_parse_devnum("10:261\n", &a, &b), 0);
	assert_int_equal(a, 10);
	assert_int_equal(b, 261);
	assert_int_equal(tst_parse_devnum("4095:1048575", &a, &b), 0);
	assert_int_equal(a, 4095);
	assert_int_equal(b, 1048575);
}

static void devnum_bad(void **state)
{
	static const char *bad[] = { "", ":", ":1", "10:", "10", "10:2x", "a:b", "10:261\n\n", "10:261 ",
				     "99999999999:1", "1:99999999999", "-1:2", "10::2", "10:2:3", "\n" };
	unsigned a = 7, b = 7;
	(void)state;
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		if (tst_parse_devnum(bad[i], &a, &b) != -1)
			fail_msg("\"%s\" parsed as %u:%u", bad[i], a, b);
	}
	assert_int_equal(a, 7); /* untouched on failure */
}

static void misc_major(void **state)
{
	(void)state;
	const char *proc = "Character devices:\n  1 mem\n  4 /dev/vc/0\n 10 misc\n 13 input\n\nBlock devices:\n  8 sd\n";
	assert_int_equal(tst_chrdev_major(proc, "misc"), 10);
	assert_int_equal(tst_chrdev_major(proc, "mem"), 1);
	/* a block driver of that name does not count */
	assert_int_equal(tst_chrdev_major("Character devices:\n  1 mem\nBlock devices:\n 10 misc\n", "misc"), -1);
	/* no section header, truncated text, a longer name with the same prefix */
	assert_int_equal(tst_chrdev_major(" 10 misc\n", "misc"), -1);
	assert_int_equal(tst_chrdev_major("Character devices:\n 10 mis", "misc"), -1);
	assert_int_equal(tst_chrdev_major("Character devices:\n 10 miscx\n", "misc"), -1);
	assert_int_equal(tst_chrdev_major("Character devices:", "misc"), -1);
	assert_int_equal(tst_chrdev_major("", "misc"), -1);
}

/* ops that see the fd's access mode, as a driver (or a broken VFS layer) could */
static int op_ok(int fd, const char *mode) { (void)fd; (void)mode; return 0; }
static int op_enotty(int fd, const char *mode) { (void)fd; (void)mode; return ENOTTY; }
static int op_rdonly_ebadf(int fd, const char *mode)
{
	(void)mode;
	return (fcntl(fd, F_GETFL) & O_ACCMODE) == O_RDONLY ? EBADF : 0;
}
static int op_wronly_eio(int fd, const char *mode)
{
	(void)mode;
	return (fcntl(fd, F_GETFL) & O_ACCMODE) == O_WRONLY ? EIO : EINVAL;
}

static int open_modes_fails(const struct tst_dev_op *ops, size_t n)
{
	char path[] = "/tmp/teeabi-test-node-XXXXXX";
	int fd = mkstemp(path);
	assert_true(fd >= 0);
	close(fd);
	n_fail = n_pass = 0;
	tst_check_open_modes(path, ops, n);
	unlink(path);
	return n_fail;
}

static void open_modes(void **state)
{
	(void)state;
	const struct tst_dev_op good[] = { { "ok", op_ok, 0 }, { "unknown", op_enotty, ENOTTY }, { "free", op_enotty, -1 } };
	assert_int_equal(open_modes_fails(good, 3), 0);
	assert_int_equal(n_pass, 1);
	/* the patched driver: EBADF on O_RDONLY only; one FAIL (that mode), no PASS */
	const struct tst_dev_op rdonly[] = { { "report", op_rdonly_ebadf, 0 } };
	assert_int_equal(open_modes_fails(rdonly, 1), 1);
	assert_int_equal(n_pass, 0);
	/* the same with want -1: O_RDWR's success is the reference, O_RDONLY differs */
	const struct tst_dev_op rdonly_free[] = { { "report", op_rdonly_ebadf, -1 } };
	assert_int_equal(open_modes_fails(rdonly_free, 1), 1);
	/* a fixed want that no mode gives: all three FAIL; want -1: only O_WRONLY differs */
	const struct tst_dev_op wronly[] = { { "x", op_wronly_eio, 0 } };
	assert_int_equal(open_modes_fails(wronly, 1), 3);
	const struct tst_dev_op wronly_free[] = { { "x", op_wronly_eio, -1 } };
	assert_int_equal(open_modes_fails(wronly_free, 1), 1);
	/* a wrong errno for a fixed answer */
	const struct tst_dev_op notty[] = { { "unknown", op_ok, ENOTTY } };
	assert_int_equal(open_modes_fails(notty, 1), 3);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(devnum_good),
		cmocka_unit_test(devnum_bad),
		cmocka_unit_test(misc_major),
		cmocka_unit_test(open_modes),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
