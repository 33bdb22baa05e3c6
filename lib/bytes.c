/* SPDX-License-Identifier: Apache-2.0 */
#include "teeabi/bytes.h"

void teeabi_hex(char *out, const uint8_t *p, size_t n)
{
	static const char d[] = "0123456789abcdef";
	for (size_t i = 0; i < n; i++) {
		out[2 * i] = d[p[i] >> 4];
		out[2 * i + 1] = d[p[i] & 15];
	}
	out[2 * n] = '\0';
}

static int nib(char c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	if (c >= 'a' && c <= 'f')
		return c - 'a' + 10;
	if (c >= 'A' && c <= 'F')
		return c - 'A' + 10;
	return -1;
}

long teeabi_unhex(uint8_t *out, size_t cap, const char *hex, size_t hexlen)
{
	if (hexlen >= 2 && hex[0] == '0' && (hex[1] == 'x' || hex[1] == 'X')) {
		hex += 2;
		hexlen -= 2;
	}
	if (hexlen % 2 || hexlen / 2 > cap)
		return -1;
	for (size_t i = 0; i < hexlen / 2; i++) {
		int hi = nib(hex[2 * i]), lo = nib(hex[2 * i + 1]);
		if (hi < 0 || lo < 0)
			return -1;
		out[i] = (uint8_t)(hi << 4 | lo);
	}
	return (long)(hexlen / 2);
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
 * ASCII runs are skipped 32 and 8 bytes at a time (no byte has its top bit set); each multi-byte
 * sequence is checked byte by byte against the table's ranges: the lead byte fixes the
 * length and the allowed range of the second byte, later bytes are 80..BF.
 */
#define ASCII_MASK 0x8080808080808080ull

bool teeabi_utf8_valid(const uint8_t *s, size_t n)
{
	size_t i = 0;
	while (i < n) {
		if (s[i] < 0x80) {
			i++;
			/* fast path: whole words of ASCII, 32 bytes a step, then 8 */
			uint64_t a, b, c, d;
			while (n - i >= 32) {
				memcpy(&a, s + i, 8);
				memcpy(&b, s + i + 8, 8);
				memcpy(&c, s + i + 16, 8);
				memcpy(&d, s + i + 24, 8);
				if ((a | b | c | d) & ASCII_MASK)
					break;
				i += 32;
			}
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
