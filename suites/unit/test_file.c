/* SPDX-License-Identifier: Apache-2.0 */
/*
 * test_file.c - lib/file.c: teeabi_open_regular() opens regular files only and never blocks
 * on a FIFO without a writer (the bug: teeabi-parse and mockenv hung on one), and the name
 * rule of profiles and faults ([A-Za-z0-9._+-], not "."/"..", no leading '-', < 64 bytes).
 */
#include <errno.h>
#include <fcntl.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#include <cmocka.h>
#include "teeabi/file.h"

static char dir[64];

static int setup(void **state)
{
	snprintf(dir, sizeof(dir), "/tmp/teeabi-test-file.XXXXXX");
	return mkdtemp(dir) ? 0 : -1;
}

static int teardown(void **state)
{
	char p[128];
	snprintf(p, sizeof(p), "%s/fifo", dir);
	unlink(p);
	snprintf(p, sizeof(p), "%s/reg", dir);
	unlink(p);
	return rmdir(dir);
}

static void test_regular(void **state)
{
	char p[128], buf[8] = { 0 };
	snprintf(p, sizeof(p), "%s/reg", dir);
	FILE *w = fopen(p, "w");
	assert_non_null(w);
	fputs("abc", w);
	assert_int_equal(fclose(w), 0);
	int fd = teeabi_open_regular(p);
	assert_true(fd >= 0);
	assert_int_equal(fcntl(fd, F_GETFL) & O_NONBLOCK, 0); /* cleared after the check */
	assert_true(fcntl(fd, F_GETFD) & FD_CLOEXEC);
	assert_int_equal(read(fd, buf, sizeof(buf)), 3);
	assert_string_equal(buf, "abc");
	close(fd);
	int err = 0;
	FILE *f = teeabi_fopen_regular(p, &err);
	assert_non_null(f);
	assert_non_null(fgets(buf, sizeof(buf), f));
	assert_string_equal(buf, "abc");
	fclose(f);
}

static void test_not_regular(void **state)
{
	char p[128];
	int err = 0;
	snprintf(p, sizeof(p), "%s/fifo", dir);
	assert_int_equal(mkfifo(p, 0600), 0);
	/* a blocking open(O_RDONLY) of this FIFO would never return: this must */
	assert_int_equal(teeabi_open_regular(p), -TEEABI_ENOTREG);
	assert_null(teeabi_fopen_regular(p, &err));
	assert_int_equal(err, -TEEABI_ENOTREG);
	assert_string_equal(teeabi_open_strerror(err), "not a regular file");
	assert_int_equal(teeabi_open_regular(dir), -TEEABI_ENOTREG);
	assert_int_equal(teeabi_open_regular("/dev/null"), -TEEABI_ENOTREG);
	snprintf(p, sizeof(p), "%s/absent", dir);
	assert_int_equal(teeabi_open_regular(p), -ENOENT);
	assert_string_equal(teeabi_open_strerror(-ENOENT), strerror(ENOENT));
	assert_int_equal(teeabi_open_regular(""), -ENOENT);
	assert_int_equal(teeabi_open_regular(NULL), -ENOENT);
}

static void test_names(void **state)
{
	static const char *good[] = { "dstack-0.6.0-tdx", "upstream-6.16-snp", "a", "A.b_c+d-e", "0", "tsm-rmdir-leak" };
	static const char *bad[] = { "", ".", "..", "-x", "--", "a b", "a/b", "../p", "a\n", "a;b", "dstack-0.6.0-tdx --allow-destructive",
				     "\xc3\xa9", "a*" };
	char big[80];
	for (size_t i = 0; i < sizeof(good) / sizeof(good[0]); i++)
		assert_true(teeabi_name_ok(good[i]));
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++)
		assert_false(teeabi_name_ok(bad[i]));
	assert_false(teeabi_name_ok(NULL));
	memset(big, 'a', sizeof(big));
	big[63] = 0;
	assert_true(teeabi_name_ok(big)); /* 63 bytes */
	big[63] = 'a';
	big[64] = 0;
	assert_false(teeabi_name_ok(big)); /* 64 */
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_regular),
		cmocka_unit_test(test_not_regular),
		cmocka_unit_test(test_names),
	};
	return cmocka_run_group_tests_name("file", tests, setup, teardown);
}
