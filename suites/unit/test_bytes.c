/* SPDX-License-Identifier: Apache-2.0 */
/*
 * test_bytes.c - the word-at-a-time byte helpers of teeabi/bytes.h: teeabi_all_zero and
 * teeabi_utf8_valid, at every alignment and around every word boundary.
 *
 * teeabi_all_zero is checked against the definition (one byte at a time) for every start
 * offset 0..15 and every length 0..140, with one non-zero byte planted at every position
 * inside the range (must be seen) and just outside it (must not be).
 * teeabi_utf8_valid is checked against named sequences of every class of Unicode Table 3-7
 * (each range boundary, valid and invalid: overlong forms, surrogates, above U+10FFFF,
 * truncated sequences, stray continuation bytes, F5..FF), placed after ASCII runs of every
 * length around the 8-byte words and around every block edge of each ASCII prefix scan
 * (64-bit words, SSE2, AVX2: each one this CPU has, run directly); and exhaustively over every
 * 1-, 2- and 3-byte string and every 4-byte string with a lead byte F0..F7, against a
 * reference written the other way round (decode the code point, then range-check it).
 * teeabi_unhex is checked over every pair of bytes against the C library's isxdigit/strtol.
 */
#include <ctype.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>
#include "teeabi/bytes.h"

/* ------------------------------------------------------------------ all_zero */

static bool zero_ref(const uint8_t *p, size_t n)
{
	for (size_t i = 0; i < n; i++)
		if (p[i])
			return false;
	return true;
}

static void test_all_zero(void **state)
{
	(void)state;
	static uint8_t buf[16 + 140 + 16];
	static const uint8_t vals[] = { 0x01, 0x80, 0xff };
	unsigned checked = 0;
	for (size_t off = 0; off < 16; off++) {
		for (size_t n = 0; n <= 140; n++) {
			memset(buf, 0, sizeof(buf));
			uint8_t *p = buf + off;
			assert_true(teeabi_all_zero(p, n));
			/* a non-zero byte just before and just after the range is not looked at */
			if (off > 0)
				p[-1] = 0xff;
			p[n] = 0xff;
			assert_true(teeabi_all_zero(p, n));
			for (size_t i = 0; i < n; i++) {
				for (size_t v = 0; v < sizeof(vals); v++) {
					p[i] = vals[v];
					if (teeabi_all_zero(p, n))
						fail_msg("offset %zu length %zu: byte %zu = 0x%02x not seen", off, n, i, vals[v]);
					p[i] = 0;
					checked++;
				}
			}
		}
	}
	/* an arbitrary pattern agrees with the definition */
	for (size_t i = 0; i < sizeof(buf); i++)
		buf[i] = (uint8_t)(i % 37 == 0 ? 0 : (i * 7) & 0x3);
	for (size_t off = 0; off < 16; off++)
		for (size_t n = 0; n <= 140; n++)
			assert_int_equal(teeabi_all_zero(buf + off, n), zero_ref(buf + off, n));
	assert_true(checked > 100000);
	assert_true(teeabi_all_zero(NULL, 0));
}

/* ------------------------------------------------------------------ UTF-8 */

/* Reference: decode the code point of each sequence, then check its range. */
static bool utf8_ref(const uint8_t *s, size_t n)
{
	size_t i = 0;
	while (i < n) {
		uint32_t c = s[i], cp, min;
		size_t k;
		if (c < 0x80) {
			i++;
			continue;
		}
		if ((c & 0xE0) == 0xC0) {
			k = 1, cp = c & 0x1F, min = 0x80;
		} else if ((c & 0xF0) == 0xE0) {
			k = 2, cp = c & 0x0F, min = 0x800;
		} else if ((c & 0xF8) == 0xF0) {
			k = 3, cp = c & 0x07, min = 0x10000;
		} else {
			return false;
		}
		if (i + k >= n)
			return false;
		for (size_t j = 1; j <= k; j++) {
			if ((s[i + j] & 0xC0) != 0x80)
				return false;
			cp = cp << 6 | (s[i + j] & 0x3F);
		}
		if (cp < min || cp > 0x10FFFF || (cp >= 0xD800 && cp <= 0xDFFF))
			return false;
		i += k + 1;
	}
	return true;
}

struct seq {
	const char *what;
	uint8_t b[4];
	size_t n;
	bool valid;
};

static const struct seq seqs[] = {
	{ "U+0000", { 0x00 }, 1, true },
	{ "U+007F", { 0x7F }, 1, true },
	{ "U+0080", { 0xC2, 0x80 }, 2, true },
	{ "U+07FF", { 0xDF, 0xBF }, 2, true },
	{ "U+0800", { 0xE0, 0xA0, 0x80 }, 3, true },
	{ "U+0FFF", { 0xE0, 0xBF, 0xBF }, 3, true },
	{ "U+1000", { 0xE1, 0x80, 0x80 }, 3, true },
	{ "U+D7FF", { 0xED, 0x9F, 0xBF }, 3, true },
	{ "U+E000", { 0xEE, 0x80, 0x80 }, 3, true },
	{ "U+FFFF", { 0xEF, 0xBF, 0xBF }, 3, true },
	{ "U+10000", { 0xF0, 0x90, 0x80, 0x80 }, 4, true },
	{ "U+3FFFF", { 0xF0, 0xBF, 0xBF, 0xBF }, 4, true },
	{ "U+40000", { 0xF1, 0x80, 0x80, 0x80 }, 4, true },
	{ "U+10FFFF", { 0xF4, 0x8F, 0xBF, 0xBF }, 4, true },
	/* overlong */
	{ "overlong C0 80", { 0xC0, 0x80 }, 2, false },
	{ "overlong C1 BF", { 0xC1, 0xBF }, 2, false },
	{ "overlong E0 80 80", { 0xE0, 0x80, 0x80 }, 3, false },
	{ "overlong E0 9F BF", { 0xE0, 0x9F, 0xBF }, 3, false },
	{ "overlong F0 80 80 80", { 0xF0, 0x80, 0x80, 0x80 }, 4, false },
	{ "overlong F0 8F BF BF", { 0xF0, 0x8F, 0xBF, 0xBF }, 4, false },
	/* surrogates */
	{ "surrogate U+D800", { 0xED, 0xA0, 0x80 }, 3, false },
	{ "surrogate U+DBFF", { 0xED, 0xAF, 0xBF }, 3, false },
	{ "surrogate U+DC00", { 0xED, 0xB0, 0x80 }, 3, false },
	{ "surrogate U+DFFF", { 0xED, 0xBF, 0xBF }, 3, false },
	/* above U+10FFFF */
	{ "U+110000", { 0xF4, 0x90, 0x80, 0x80 }, 4, false },
	{ "F4 BF BF BF", { 0xF4, 0xBF, 0xBF, 0xBF }, 4, false },
	{ "lead F5", { 0xF5, 0x80, 0x80, 0x80 }, 4, false },
	{ "lead F8", { 0xF8, 0x88, 0x80, 0x80 }, 4, false },
	{ "lead FF", { 0xFF }, 1, false },
	/* truncated */
	{ "truncated C2", { 0xC2 }, 1, false },
	{ "truncated E1 80", { 0xE1, 0x80 }, 2, false },
	{ "truncated E0", { 0xE0 }, 1, false },
	{ "truncated F0 90 80", { 0xF0, 0x90, 0x80 }, 3, false },
	{ "truncated F4 8F", { 0xF4, 0x8F }, 2, false },
	/* a continuation byte that is not one */
	{ "C2 then ASCII", { 0xC2, 0x41 }, 2, false },
	{ "C2 then C2", { 0xC2, 0xC2 }, 2, false },
	{ "E1 80 then ASCII", { 0xE1, 0x80, 0x41 }, 3, false },
	{ "F1 80 80 then C0", { 0xF1, 0x80, 0x80, 0xC0 }, 4, false },
	/* stray continuation bytes */
	{ "stray 80", { 0x80 }, 1, false },
	{ "stray BF", { 0xBF }, 1, false },
};

static const struct { enum teeabi_ascii_scan scan; const char *name; size_t block; } scans[] = {
	{ TEEABI_ASCII_WORDS, "words", 32 },
	{ TEEABI_ASCII_SSE2, "sse2", 64 },
	{ TEEABI_ASCII_AVX2, "avx2", 128 },
	{ TEEABI_ASCII_AVX512, "avx512", 256 },
};
#define NSCANS (sizeof(scans) / sizeof(scans[0]))

/* The ASCII run lengths a sequence is put after: 0..23 (inside the 8-byte words of the
 * exact validator and the inline check) and 5 either side of every block boundary of every
 * scan (32, 64, 96, 128, 160, 192, 256), so a sequence starts, ends and straddles each
 * block edge, and sits in the tail a scan leaves. */
static bool pre_wanted(size_t pre)
{
	static const size_t edges[] = { 32, 64, 96, 128, 160, 192, 256 };
	if (pre < 24)
		return true;
	for (size_t i = 0; i < sizeof(edges) / sizeof(edges[0]); i++)
		if (pre + 5 >= edges[i] && pre <= edges[i] + 5)
			return true;
	return false;
}

/* Every sequence after every such ASCII run, followed by 0..23 ASCII bytes (so it is also
 * the last character), and twice in a row, through teeabi_utf8_valid and each scan this CPU
 * has (a scan it lacks is said, not counted as checked). */
static void test_utf8_sequences(void **state)
{
	(void)state;
	uint8_t buf[320];
	unsigned ran = 0;
	for (size_t k = 0; k <= NSCANS; k++) {
		if (k < NSCANS && !teeabi_ascii_scan_available(scans[k].scan)) {
			print_message("scan %s: not available on this CPU, not checked\n", scans[k].name);
			continue;
		}
		ran++;
#define VALID(p, n) (k == NSCANS ? teeabi_utf8_valid(p, n) : teeabi_utf8_valid_with(p, n, scans[k].scan))
		for (size_t q = 0; q < sizeof(seqs) / sizeof(seqs[0]); q++) {
			const struct seq *s = &seqs[q];
			assert_int_equal(utf8_ref(s->b, s->n), s->valid); /* the reference agrees with the table */
			for (size_t pre = 0; pre + 2 * 4 + 24 <= sizeof(buf); pre++) {
				if (!pre_wanted(pre))
					continue;
				for (size_t post = 0; post < 24; post++) {
					memset(buf, 'a', sizeof(buf));
					memcpy(buf + pre, s->b, s->n);
					size_t n = pre + s->n + post;
					/* past the end: continuation bytes, which a read beyond n would take
					 * for the rest of a truncated sequence */
					memset(buf + n, 0x80, sizeof(buf) - n);
					if (VALID(buf, n) != s->valid)
						fail_msg("%s: %s after %zu ASCII bytes, %zu after: got %s",
							 k == NSCANS ? "default" : scans[k].name, s->what, pre, post,
							 s->valid ? "invalid" : "valid");
				}
				memset(buf, 'a', sizeof(buf));
				memcpy(buf + pre, s->b, s->n);
				memcpy(buf + pre + s->n, s->b, s->n);
				assert_int_equal(VALID(buf, pre + 2 * s->n), s->valid);
			}
		}
		/* a high bit at every position of a long ASCII run is seen, at every start
		 * alignment 0..7; the run itself (with NULs in it: U+0000 is a character) is valid */
		memset(buf, 'x', sizeof(buf));
		buf[0] = buf[77] = buf[sizeof(buf) - 1] = 0;
		assert_true(VALID(buf, sizeof(buf)));
		for (size_t i = 0; i < sizeof(buf); i++) {
			uint8_t keep = buf[i];
			buf[i] = 0x80;
			for (size_t off = 0; off <= i && off < 8; off++)
				if (VALID(buf + off, sizeof(buf) - off))
					fail_msg("%s: 0x80 at %zu of a run from %zu not seen",
						 k == NSCANS ? "default" : scans[k].name, i, off);
			buf[i] = keep;
		}
		assert_true(VALID(NULL, 0));
#undef VALID
	}
	assert_true(ran >= 2); /* the default and the portable words at least */
}

/* teeabi_ascii, the inline check for short strings: every length 0..40, a high bit at
 * every position seen, bytes just outside the range not looked at. */
static void test_ascii_inline(void **state)
{
	(void)state;
	uint8_t buf[48];
	for (size_t n = 0; n <= 40; n++) {
		memset(buf, 0xff, sizeof(buf));
		memset(buf + 1, 'a', n);
		assert_true(teeabi_ascii(buf + 1, n));
		for (size_t i = 0; i < n; i++) {
			buf[1 + i] = 0x80;
			assert_false(teeabi_ascii(buf + 1, n));
			buf[1 + i] = 0x7f;
			assert_true(teeabi_ascii(buf + 1, n));
			buf[1 + i] = 'a';
		}
	}
}

/* Exhaustive: every string of 1..3 bytes, and every 4-byte string whose lead is F0..F7,
 * at two alignments, agrees with the reference. */
static void test_utf8_exhaustive(void **state)
{
	(void)state;
	uint8_t b[16];
	unsigned long valid = 0;
	for (unsigned a = 0; a < 256; a++) {
		b[1] = (uint8_t)a;
		assert_int_equal(teeabi_utf8_valid(b + 1, 1), utf8_ref(b + 1, 1));
		for (unsigned c = 0; c < 256; c++) {
			b[2] = (uint8_t)c;
			assert_int_equal(teeabi_utf8_valid(b + 1, 2), utf8_ref(b + 1, 2));
			for (unsigned d = 0; d < 256; d++) {
				b[3] = (uint8_t)d;
				bool want = utf8_ref(b + 1, 3);
				if (teeabi_utf8_valid(b + 1, 3) != want)
					fail_msg("%02x %02x %02x: want %s", a, c, d, want ? "valid" : "invalid");
				valid += want;
			}
		}
	}
	/* at least the 128^3 all-ASCII strings were valid: the loop really ran */
	assert_true(valid > 2000000);
	for (unsigned a = 0xF0; a <= 0xF7; a++) {
		for (unsigned c = 0x70; c < 0xC8; c++) {
			for (unsigned d = 0x78; d < 0xC4; d++) {
				for (unsigned e = 0x7C; e < 0xC2; e++) {
					uint8_t *p = b + 5;
					p[0] = (uint8_t)a, p[1] = (uint8_t)c, p[2] = (uint8_t)d, p[3] = (uint8_t)e;
					bool want = utf8_ref(p, 4);
					if (teeabi_utf8_valid(p, 4) != want)
						fail_msg("%02x %02x %02x %02x: want %s", a, c, d, e, want ? "valid" : "invalid");
				}
			}
		}
	}
}

/* ------------------------------------------------------------------ unhex */

/* The value of hex digit c by the C library (isxdigit, then strtol of it alone), -1 else */
static int nib_ref(unsigned c)
{
	char s[2] = { (char)c, 0 };
	return c < 128 && isxdigit((int)c) ? (int)strtol(s, NULL, 16) : -1;
}

/* teeabi_unhex over every pair of bytes (alone, and after 0x and a good byte), the prefix,
 * odd lengths and the output capacity */
static void test_unhex(void **state)
{
	(void)state;
	uint8_t out[4];
	char h[8];
	for (unsigned a = 0; a < 256; a++)
		for (unsigned b = 0; b < 256; b++) {
			int ha = nib_ref(a), hb = nib_ref(b);
			long want = ha >= 0 && hb >= 0 ? 1 : -1;
			bool prefix = a == '0' && (b == 'x' || b == 'X'); /* "0x" alone: no bytes */
			h[0] = (char)a, h[1] = (char)b;
			memset(out, 0xAA, sizeof(out));
			long got = teeabi_unhex(out, 1, h, 2);
			if (prefix ? got != 0 : got != want || (want == 1 && out[0] != (uint8_t)(ha << 4 | hb)))
				fail_msg("unhex %02x %02x: %ld (0x%02x), want %ld", a, b, got, out[0], want);
			memcpy(h, "0x7f", 4);
			h[4] = (char)a, h[5] = (char)b;
			got = teeabi_unhex(out, 2, h, 6);
			if (got != (want == 1 ? 2 : -1) || (want == 1 && (out[0] != 0x7f || out[1] != (uint8_t)(ha << 4 | hb))))
				fail_msg("unhex 0x7f%02x%02x: %ld", a, b, got);
		}
	/* every length to 40 bytes (the 8-byte steps and the tail), each digit position once
	 * replaced by a non-digit */
	static const char digits[] = "0123456789abcdefABCDEF";
	uint8_t big[40], want_b[40];
	char hx[80];
	for (size_t n = 0; n <= 40; n++) {
		for (size_t i = 0; i < 2 * n; i++)
			hx[i] = digits[(i * 7 + n) % 22];
		for (size_t i = 0; i < n; i++)
			want_b[i] = (uint8_t)(nib_ref((unsigned char)hx[2 * i]) << 4 | nib_ref((unsigned char)hx[2 * i + 1]));
		if (teeabi_unhex(big, n, hx, 2 * n) != (long)n || memcmp(big, want_b, n))
			fail_msg("unhex of %zu bytes", n);
		for (size_t i = 0; i < 2 * n; i++) {
			char keep = hx[i];
			hx[i] = (i & 1) ? 'g' : (char)0xff;
			if (teeabi_unhex(big, n, hx, 2 * n) != -1)
				fail_msg("unhex of %zu bytes with a non-digit at %zu", n, i);
			hx[i] = keep;
		}
	}
	assert_int_equal(teeabi_unhex(out, 4, "0XAbcD", 6), 2);
	assert_int_equal(out[0], 0xab);
	assert_int_equal(out[1], 0xcd);
	assert_int_equal(teeabi_unhex(out, 4, "abc", 3), -1);  /* odd */
	assert_int_equal(teeabi_unhex(out, 1, "abcd", 4), -1); /* more than cap */
	assert_int_equal(teeabi_unhex(out, 4, "", 0), 0);
	assert_int_equal(teeabi_unhex(out, 4, "0x", 2), 0);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_all_zero),
		cmocka_unit_test(test_utf8_sequences),
		cmocka_unit_test(test_ascii_inline),
		cmocka_unit_test(test_utf8_exhaustive),
		cmocka_unit_test(test_unhex),
	};
	return cmocka_run_group_tests_name("bytes", tests, NULL, NULL);
}
