/* SPDX-License-Identifier: Apache-2.0 */
/* teeabi/bytes.h - little-endian readers and a byte-slice type. All inline, no allocation. */
#ifndef TEEABI_BYTES_H
#define TEEABI_BYTES_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

/* A view into caller-owned bytes. p may be NULL only when len == 0. */
struct teeabi_slice {
	const uint8_t *p;
	size_t len;
};

static inline uint16_t teeabi_le16(const uint8_t *p) { return (uint16_t)(p[0] | (p[1] << 8)); }
static inline uint32_t teeabi_le32(const uint8_t *p)
{
	return (uint32_t)p[0] | ((uint32_t)p[1] << 8) | ((uint32_t)p[2] << 16) | ((uint32_t)p[3] << 24);
}
static inline uint64_t teeabi_le64(const uint8_t *p) { return (uint64_t)teeabi_le32(p) | ((uint64_t)teeabi_le32(p + 4) << 32); }
static inline void teeabi_put_le16(uint8_t *p, uint16_t v) { p[0] = (uint8_t)v; p[1] = (uint8_t)(v >> 8); }
static inline void teeabi_put_le32(uint8_t *p, uint32_t v)
{
	p[0] = (uint8_t)v; p[1] = (uint8_t)(v >> 8); p[2] = (uint8_t)(v >> 16); p[3] = (uint8_t)(v >> 24);
}
static inline void teeabi_put_le64(uint8_t *p, uint64_t v) { teeabi_put_le32(p, (uint32_t)v); teeabi_put_le32(p + 4, (uint32_t)(v >> 32)); }

static inline bool teeabi_all_zero(const uint8_t *p, size_t n)
{
	for (size_t i = 0; i < n; i++)
		if (p[i])
			return false;
	return true;
}

/* Lowercase hex of n bytes into out (2n+1 bytes, NUL-terminated). */
void teeabi_hex(char *out, const uint8_t *p, size_t n);
/* Parse hex (optional "0x" prefix, even length). Returns bytes written or -1. */
long teeabi_unhex(uint8_t *out, size_t cap, const char *hex, size_t hexlen);

/* The kernel's guid_parse(): s must start with 36 characters xxxxxxxx-xxxx-xxxx-xxxx-xxxxxxxxxxxx
 * (hex digits of either case, hyphens at 8, 13, 18, 23); whatever follows is ignored. out gets
 * the guid_t bytes: the first three fields little-endian, the last two in text order (the
 * layout SVSM protocol calls and services manifests use). Returns 0, or -1 for a malformed
 * string (out untouched). s must be NUL-terminated or hold at least 36 bytes. */
int teeabi_guid_parse_le(const char *s, uint8_t out[16]);

#endif
