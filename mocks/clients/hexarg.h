/* SPDX-License-Identifier: Apache-2.0 */
/*
 * mocks/clients/hexarg.h - hex on the command line and in KEY=value output, for the small
 * libc-only client programs (client.c, dcap_client.c), which link nothing else.
 */
#ifndef TEEABI_CLIENTS_HEXARG_H
#define TEEABI_CLIENTS_HEXARG_H

#include <stdint.h>
#include <stdio.h>
#include <string.h>

/* Exactly 2n hex digits into out[n]; 0 or -1. */
static inline int hexarg_decode(const char *s, uint8_t *out, size_t n)
{
	if (strlen(s) != 2 * n)
		return -1;
	for (size_t i = 0; i < n; i++) {
		unsigned v;
		if (sscanf(s + 2 * i, "%2x", &v) != 1)
			return -1;
		out[i] = (uint8_t)v;
	}
	return 0;
}

/* "KEY=<lowercase hex>\n" on stdout. */
static inline void hexarg_print(const char *key, const uint8_t *p, size_t n)
{
	static const char d[] = "0123456789abcdef";
	printf("%s=", key);
	for (size_t i = 0; i < n; i++) {
		putchar(d[p[i] >> 4]);
		putchar(d[p[i] & 15]);
	}
	putchar('\n');
}

#endif
