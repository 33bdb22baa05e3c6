/* SPDX-License-Identifier: Apache-2.0 */
/*
 * judge_stubs.c - the tst.h names suites/common/util.c refers to besides tst_res_/tst_brk_,
 * for programs that run the judges without the suite runner (suites/unit/test_judge.c,
 * fuzz/fuzz_judge.c). Not part of the suites (tst.c defines these there).
 *
 * The program defines tst_res_ (how it records results), judge_stub_brk() (what a judge
 * ending in tst_brk means to it) and judge_stub_misuse(), which is called when a judge
 * reaches for the file helpers: judges look at bytes, they never touch files.
 */
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>
#include "teeabi/bytes.h"
#include "../tst.h"
#include "judge_stubs.h"

void tst_brk_(enum tst_result r, const char *file, int line, const char *fmt, ...)
{
	char msg[1024];
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	judge_stub_brk(r, file, line, msg);
}

/* No profile outside a suite run: the judges take their defaults (a production guest; no
 * value pinned by a profile key, e.g. u_judge_td_values' tdx_td_attributes) unless the
 * program sets one. */
const struct teeabi_profile *tst_profile;

const char *tst_hex(const void *p, size_t n)
{
	static char ring[4][2 * 16 + 4];
	static unsigned k;
	char *out = ring[k++ % 4];
	size_t m = n < 16 ? n : 16;
	teeabi_hex(out, p, m);
	if (n > 16)
		strcat(out, "...");
	return out;
}

const char *tst_unique_name(char *out, size_t len)
{
	judge_stub_misuse("tst_unique_name", "");
	return out;
}

void tst_cleanup_rmdir(const char *path) { judge_stub_misuse("tst_cleanup_rmdir", path); }

ssize_t tst_read_file(const char *path, void *buf, size_t cap)
{
	judge_stub_misuse("tst_read_file", path);
	return -ENOSYS;
}

/* For the link only: the ioctl wrappers (inonly.c) name it; judges issue no ioctl. */
const char *tst_errno_name(int e)
{
	(void)e;
	judge_stub_misuse("tst_errno_name", "");
	return "E?";
}
