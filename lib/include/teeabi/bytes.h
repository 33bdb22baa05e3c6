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

/* Is (byte & m) zero for all n bytes at p, m being one byte repeated in a word (~0: all
 * zero, 0x80...: all ASCII)? Any alignment, any n. A word at a time (memcpy loads, which
 * the compiler turns into plain unaligned loads), as fast as the memory for the long zero
 * tails of quotes and reports: 32 bytes a step with one early-out test, then 8, then one
 * word that ends at the last byte (it overlaps bytes already seen, never bytes outside the
 * range); a range shorter than 8 bytes is read as two overlapping 4-byte words or, below
 * 4, as its first, middle and last byte. */
static inline bool teeabi_bytes_clear(const uint8_t *p, size_t n, uint64_t m)
{
	if (n < 8) {
		uint32_t x = 0, y = 0;
		if (n >= 4) {
			memcpy(&x, p, 4);
			memcpy(&y, p + n - 4, 4);
		} else if (n) {
			x = (uint32_t)p[0] | (uint32_t)p[n / 2] | (uint32_t)p[n - 1];
		}
		return ((x | y) & (uint32_t)m) == 0;
	}
	const uint8_t *end = p + n;
	uint64_t a, b, c, d;
	for (; n >= 32; p += 32, n -= 32) {
		memcpy(&a, p, 8);
		memcpy(&b, p + 8, 8);
		memcpy(&c, p + 16, 8);
		memcpy(&d, p + 24, 8);
		if ((a | b | c | d) & m)
			return false;
	}
	uint64_t acc = 0;
	for (; n >= 8; p += 8, n -= 8) {
		memcpy(&a, p, 8);
		acc |= a;
	}
	memcpy(&a, end - 8, 8);
	return ((acc | a) & m) == 0;
}

/* Are all n bytes at p zero? */
static inline bool teeabi_all_zero(const uint8_t *p, size_t n) { return teeabi_bytes_clear(p, n, ~0ull); }

/* Are all n bytes at p ASCII (below 0x80)? Inline, for short strings; teeabi_utf8_valid
 * has the wide path for long ones. */
static inline bool teeabi_ascii(const uint8_t *p, size_t n) { return teeabi_bytes_clear(p, n, 0x8080808080808080ull); }

/* memset(p, 0, n) for the parsers' output structs. A plain memset of a known size of a few
 * hundred bytes is expanded inline by gcc as `rep stos`, whose start-up alone costs more
 * than parsing a whole TDREPORT; hiding the size from the optimiser (an empty asm that
 * "changes" it) keeps the call to the libc memset (vector stores). */
static inline void teeabi_zero(void *p, size_t n)
{
	__asm__("" : "+r"(n));
	memset(p, 0, n);
}

/* Is s[0..n) well-formed UTF-8 (RFC 3629: no overlong form, no surrogate, nothing above
 * U+10FFFF, no truncated sequence)? Any alignment; n == 0 is valid. */
bool teeabi_utf8_valid(const uint8_t *s, size_t n);

/* The ASCII prefix scans behind teeabi_utf8_valid, for the tests that must reach each one
 * on any machine: TEEABI_ASCII_WORDS (64-bit words, every CPU), TEEABI_ASCII_SSE2,
 * TEEABI_ASCII_AVX2 and TEEABI_ASCII_AVX512 (AVX-512F) (x86-64). teeabi_utf8_valid uses the
 * widest the CPU has. */
enum teeabi_ascii_scan { TEEABI_ASCII_WORDS, TEEABI_ASCII_SSE2, TEEABI_ASCII_AVX2, TEEABI_ASCII_AVX512 };
/* Can this CPU run scan s? */
bool teeabi_ascii_scan_available(enum teeabi_ascii_scan s);
/* teeabi_utf8_valid with the ASCII prefix found by scan s (which must be available). */
bool teeabi_utf8_valid_with(const uint8_t *s, size_t n, enum teeabi_ascii_scan scan);

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
