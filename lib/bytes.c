/* SPDX-License-Identifier: Apache-2.0 */
#include "teeabi/bytes.h"
#if defined(__x86_64__)
#include <immintrin.h>
#endif

void teeabi_hex(char *out, const uint8_t *p, size_t n)
{
	static const char d[] = "0123456789abcdef";
	for (size_t i = 0; i < n; i++) {
		out[2 * i] = d[p[i] >> 4];
		out[2 * i + 1] = d[p[i] & 15];
	}
	out[2 * n] = '\0';
}

/* The value of each hex digit, -1 for any other byte: a lookup instead of three range
 * tests (teeabi_unhex decodes dstack's long hex strings, and under coverage instrumentation
 * every comparison is a callback) */
static const int8_t nibs[256] = {
	-1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1,
	-1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1,
	-1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1,
	 0,  1,  2,  3,  4,  5,  6,  7,  8,  9, -1, -1, -1, -1, -1, -1,
	-1, 10, 11, 12, 13, 14, 15, -1, -1, -1, -1, -1, -1, -1, -1, -1,
	-1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1,
	-1, 10, 11, 12, 13, 14, 15, -1, -1, -1, -1, -1, -1, -1, -1, -1,
	-1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1,
	-1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1,
	-1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1,
	-1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1,
	-1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1,
	-1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1,
	-1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1,
	-1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1,
	-1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1,
};

static int nib(char c)
{
	return nibs[(unsigned char)c];
}

long teeabi_unhex(uint8_t *out, size_t cap, const char *hex, size_t hexlen)
{
	if (hexlen >= 2 && hex[0] == '0' && (hex[1] == 'x' || hex[1] == 'X')) {
		hex += 2;
		hexlen -= 2;
	}
	if (hexlen % 2 || hexlen / 2 > cap)
		return -1;
	size_t n = hexlen / 2, i = 0;
	int bad = 0;
	/* 8 bytes a step with one test of the digits' OR (a non-digit is -1): dstack's hex
	 * strings run to tens of kilobytes */
#define UNHEX1(k) do { int hi = nib(hex[2 * (i + k)]), lo = nib(hex[2 * (i + k) + 1]); \
		       bad |= hi | lo; out[i + k] = (uint8_t)((unsigned)hi << 4 | (unsigned)lo); } while (0)
	for (; i + 8 <= n; i += 8) {
		UNHEX1(0); UNHEX1(1); UNHEX1(2); UNHEX1(3); UNHEX1(4); UNHEX1(5); UNHEX1(6); UNHEX1(7);
		if (bad < 0)
			return -1;
	}
	for (; i < n; i++)
		UNHEX1(0);
#undef UNHEX1
	return bad < 0 ? -1 : (long)n;
}

int teeabi_guid_parse_le(const char *s, uint8_t out[16])
{
	/* guid_t byte i comes from the text byte order[i] (text bytes counted without hyphens) */
	static const uint8_t order[16] = { 3, 2, 1, 0, 5, 4, 7, 6, 8, 9, 10, 11, 12, 13, 14, 15 };
	uint8_t t[16];
	size_t k = 0;

	for (size_t i = 0; i < 36; i++) {
		if (i == 8 || i == 13 || i == 18 || i == 23) {
			if (s[i] != '-')
				return -1;
			continue;
		}
		if (nib(s[i]) < 0)
			return -1;
	}
	for (size_t i = 0; i < 36; i += 2) {
		if (s[i] == '-')
			i++;
		t[k++] = (uint8_t)(nib(s[i]) << 4 | nib(s[i + 1]));
	}
	for (size_t i = 0; i < 16; i++)
		out[i] = t[order[i]];
	return 0;
}

/*
 * UTF-8 as RFC 3629 and Unicode's Table 3-7 ("well-formed UTF-8 byte sequences") define it,
 * the rule Rust's str (and so a dstack event name) follows: no overlong forms, no
 * surrogates (U+D800..U+DFFF), nothing above U+10FFFF, no truncated sequence.
 *
 * Two stages. First the ASCII prefix, in whole blocks, as wide as the CPU goes (AVX2: 128
 * bytes a step, then 32; AVX-512: 256, then 64; SSE2: 64; elsewhere 32 bytes of 64-bit words): the scan stops at
 * the block that holds the first byte with its top bit set, or at a tail shorter than a
 * block. Everything before that point is ASCII, hence well-formed whatever follows (an
 * ASCII byte is a whole character), so the second stage starts there: the tail is checked
 * whole for ASCII (teeabi_ascii: overlapping words, no byte outside the string), and only
 * when it is not does the exact validator run, from the block boundary on. The exact
 * validator checks each multi-byte sequence byte by byte against the table's ranges (the
 * lead byte fixes the length and the allowed range of the second byte, later bytes are
 * 80..BF) and skips the ASCII runs between sequences 32 and 8 bytes at a time.
 */
#define ASCII_MASK 0x8080808080808080ull

/* The ASCII prefix scans: each returns the length of the all-ASCII prefix of s[0..n) in
 * whole blocks of its width. */
static size_t ascii_words(const uint8_t *s, size_t n)
{
	size_t i = 0;
	uint64_t a, b, c, d;
	for (; n - i >= 32; i += 32) {
		memcpy(&a, s + i, 8);
		memcpy(&b, s + i + 8, 8);
		memcpy(&c, s + i + 16, 8);
		memcpy(&d, s + i + 24, 8);
		if ((a | b | c | d) & ASCII_MASK)
			break;
	}
	return i;
}

static bool utf8_exact(const uint8_t *s, size_t n)
{
	size_t i = 0;
	while (i < n) {
		if (s[i] < 0x80) {
			i++;
			/* whole words of ASCII, 32 bytes a step, then 8 */
			i += ascii_words(s + i, n - i);
			uint64_t a;
			while (n - i >= 8) {
				memcpy(&a, s + i, 8);
				if (a & ASCII_MASK)
					break;
				i += 8;
			}
			continue;
		}
		uint8_t c = s[i];
		uint8_t lo = 0x80, hi = 0xBF; /* allowed range of the second byte */
		size_t k;                     /* continuation bytes after the lead */
		if (c >= 0xC2 && c <= 0xDF) {
			k = 1;
		} else if (c >= 0xE0 && c <= 0xEF) {
			k = 2;
			if (c == 0xE0)
				lo = 0xA0; /* below: overlong */
			else if (c == 0xED)
				hi = 0x9F; /* above: surrogates */
		} else if (c >= 0xF0 && c <= 0xF4) {
			k = 3;
			if (c == 0xF0)
				lo = 0x90; /* below: overlong */
			else if (c == 0xF4)
				hi = 0x8F; /* above: > U+10FFFF */
		} else {
			return false; /* 80..C1 (continuation or overlong lead), F5..FF */
		}
		if (n - i - 1 < k)
			return false; /* truncated */
		if (s[i + 1] < lo || s[i + 1] > hi)
			return false;
		for (size_t j = 2; j <= k; j++)
			if ((s[i + j] & 0xC0) != 0x80)
				return false;
		i += k + 1;
	}
	return true;
}

#if defined(__x86_64__)
/* _mm_movemask_epi8 gathers the top bit of each byte: non-zero = a byte >= 0x80. */
#define LD16(p) _mm_loadu_si128((const __m128i *)(const void *)(p))
#define LD32(p) _mm256_loadu_si256((const __m256i *)(const void *)(p))
static size_t ascii_sse2(const uint8_t *s, size_t n)
{
	size_t i = 0;
	for (; n - i >= 64; i += 64)
		if (_mm_movemask_epi8(_mm_or_si128(_mm_or_si128(LD16(s + i), LD16(s + i + 16)),
						   _mm_or_si128(LD16(s + i + 32), LD16(s + i + 48)))))
			break;
	return i;
}

__attribute__((target("avx2"))) static size_t ascii_avx2(const uint8_t *s, size_t n)
{
	size_t i = 0;
	for (; n - i >= 128; i += 128)
		if (_mm256_movemask_epi8(_mm256_or_si256(_mm256_or_si256(LD32(s + i), LD32(s + i + 32)),
							 _mm256_or_si256(LD32(s + i + 64), LD32(s + i + 96)))))
			break;
	for (; n - i >= 32; i += 32)
		if (_mm256_movemask_epi8(LD32(s + i)))
			break;
	return i;
}

#define LD64(p) _mm512_loadu_si512((const void *)(p))
/* AVX-512F: 256 bytes a step, then 64; vptestmq against the top bits. */
__attribute__((target("avx512f"))) static size_t ascii_avx512(const uint8_t *s, size_t n)
{
	const __m512i top = _mm512_set1_epi64((long long)ASCII_MASK);
	size_t i = 0;
	for (; n - i >= 256; i += 256)
		if (_mm512_test_epi64_mask(_mm512_or_si512(_mm512_or_si512(LD64(s + i), LD64(s + i + 64)),
							   _mm512_or_si512(LD64(s + i + 128), LD64(s + i + 192))),
					   top))
			break;
	for (; n - i >= 64; i += 64)
		if (_mm512_test_epi64_mask(LD64(s + i), top))
			break;
	return i;
}
#endif

bool teeabi_ascii_scan_available(enum teeabi_ascii_scan scan)
{
	switch (scan) {
	case TEEABI_ASCII_WORDS:
		return true;
#if defined(__x86_64__)
	case TEEABI_ASCII_SSE2:
		return true; /* part of x86-64 */
	case TEEABI_ASCII_AVX2:
		return __builtin_cpu_supports("avx2"); /* CPUID and the OS's XSAVE state */
	case TEEABI_ASCII_AVX512:
		return __builtin_cpu_supports("avx512f");
#endif
	default:
		return false;
	}
}

bool teeabi_utf8_valid_with(const uint8_t *s, size_t n, enum teeabi_ascii_scan scan)
{
	if (n == 0)
		return true; /* s may be NULL */
	size_t i;
	switch (scan) {
#if defined(__x86_64__)
	case TEEABI_ASCII_AVX512:
		i = ascii_avx512(s, n);
		break;
	case TEEABI_ASCII_AVX2:
		i = ascii_avx2(s, n);
		break;
	case TEEABI_ASCII_SSE2:
		i = ascii_sse2(s, n);
		break;
#endif
	default:
		i = ascii_words(s, n);
		break;
	}
	if (teeabi_ascii(s + i, n - i))
		return true;
	return utf8_exact(s + i, n - i);
}

bool teeabi_utf8_valid(const uint8_t *s, size_t n)
{
#if defined(__x86_64__)
	if (n >= 64 && __builtin_cpu_supports("avx512f"))
		return teeabi_utf8_valid_with(s, n, TEEABI_ASCII_AVX512);
	if (n >= 32 && __builtin_cpu_supports("avx2"))
		return teeabi_utf8_valid_with(s, n, TEEABI_ASCII_AVX2);
	return teeabi_utf8_valid_with(s, n, TEEABI_ASCII_SSE2);
#else
	return teeabi_utf8_valid_with(s, n, TEEABI_ASCII_WORDS);
#endif
}
