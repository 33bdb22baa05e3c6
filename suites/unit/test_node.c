/* SPDX-License-Identifier: Apache-2.0 */
/*
 * test_node.c - the parsers of suites/common/node.c (the misc node check of the device
 * suites): a sysfs dev file "MAJOR:MINOR\n" and /proc/devices text, every byte hostile.
 * The check itself runs against real nodes in the kernel lane (kernel-lane/) and says SKIP
 * under mockfs. node.c reports through tst.h; this test links its own recorders.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <string.h>
#include <cmocka.h>
#include "../common/node.h"
#include "../common/tst.h"

void tst_res_(enum tst_result r, const char *file, int line, const char *fmt, ...)
{
	(void)r; (void)file; (void)line; (void)fmt;
}
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

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(devnum_good),
		cmocka_unit_test(devnum_bad),
		cmocka_unit_test(misc_major),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
