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
