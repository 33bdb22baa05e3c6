/* SPDX-License-Identifier: Apache-2.0 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>
#include "teeabi/bytes.h"
#include "testutil.h"

const char *tu_src_path(const char *rel)
{
	static char buf[4096];
	const char *root = getenv("TEEABI_SRCDIR");
	snprintf(buf, sizeof(buf), "%s/%s", root && *root ? root : ".", rel);
	return buf;
}

uint8_t *tu_read(const char *rel, size_t *len)
{
	const char *path = tu_src_path(rel);
	FILE *f = fopen(path, "rb");
	if (!f)
		fail_msg("cannot open %s", path);
	fseek(f, 0, SEEK_END);
	long n = ftell(f);
	fseek(f, 0, SEEK_SET);
	uint8_t *b = malloc((size_t)n + 1);
	assert_non_null(b);
	if (fread(b, 1, (size_t)n, f) != (size_t)n)
		fail_msg("short read on %s", path);
	fclose(f);
	b[n] = 0;
	*len = (size_t)n;
	return b;
}

void tu_unhex(uint8_t *out, size_t n, const char *hex)
{
	long r = teeabi_unhex(out, n, hex, strlen(hex));
	if (r != (long)n)
		fail_msg("bad hex constant (%zu bytes expected): %s", n, hex);
}

void tu_assert_hex(const uint8_t *got, size_t n, const char *hex, const char *what)
{
	char *g = malloc(2 * n + 1);
	assert_non_null(g);
	teeabi_hex(g, got, n);
	if (strcmp(g, hex) != 0) {
		print_error("%s:\n  got      %s\n  expected %s\n", what, g, hex);
		free(g);
		fail();
	}
	free(g);
}
