/* SPDX-License-Identifier: Apache-2.0 */
/*
 * snp_certs.c - the SNP extended-report certificate table (docs/formats.md §5.2,
 * kernel-abi.md §2.5): 24-byte entries {guid[16], u32 offset, u32 length} ending in an
 * all-zero entry; offsets are from the start of the blob.
 *
 * Checks, in order: at least one entry (E_CERTS_SHORT); a terminator within the blob
 * (E_CERTS_NO_TERMINATOR) after at most TEEABI_CERTS_MAX_ENTRIES entries (E_CERTS_TOO_MANY);
 * then per entry in table order: length != 0 (E_CERTS_ZERO_LEN), offset >= table length
 * including the terminator (E_CERTS_IN_TABLE), offset + length <= blob length in u64
 * (E_CERTS_BOUNDS); then duplicate GUIDs (E_CERTS_DUPLICATE) and overlapping ranges
 * (E_CERTS_OVERLAP) unless allowed by flag.
 */
#include <stdio.h>
#include <string.h>
#include "teeabi/snp.h"

#define ENTRY_LEN 24u

/* Textual (RFC 4122) byte order. */
const uint8_t teeabi_guid_vcek[16] = { 0x63, 0xda, 0x75, 0x8d, 0xe6, 0x64, 0x45, 0x64,
				       0xad, 0xc5, 0xf4, 0xb9, 0x3b, 0xe8, 0xac, 0xcd };
const uint8_t teeabi_guid_vlek[16] = { 0xa8, 0x07, 0x4b, 0xc2, 0xa2, 0x5a, 0x48, 0x3e,
				       0xaa, 0xe6, 0x39, 0xc0, 0x45, 0xa0, 0xb8, 0xa1 };
const uint8_t teeabi_guid_ask[16] = { 0x4a, 0xb7, 0xb3, 0x79, 0xbb, 0xac, 0x4f, 0xe4,
				      0xa0, 0x2f, 0x05, 0xae, 0xf3, 0x27, 0xc7, 0x82 };
const uint8_t teeabi_guid_ark[16] = { 0xc0, 0xb4, 0x06, 0xa4, 0xa8, 0x03, 0x49, 0x52,
				      0x97, 0x43, 0x3f, 0xb6, 0x01, 0x4c, 0xd0, 0xae };
const uint8_t teeabi_guid_crl[16] = { 0x92, 0xf8, 0x1b, 0xc3, 0x58, 0x11, 0x4d, 0x3d,
				      0x97, 0xff, 0xd1, 0x9f, 0x88, 0xdc, 0x67, 0xea };
const uint8_t teeabi_guid_extra_platform_info[16] = { 0xec, 0xae, 0x0c, 0x0f, 0x95, 0x02, 0x43, 0xb1,
						      0xaf, 0xa2, 0x0a, 0xe2, 0xe0, 0xd5, 0x65, 0xb6 };

const char *teeabi_cert_kind_name(enum teeabi_cert_kind k)
{
	switch (k) {
	case TEEABI_CERT_VCEK: return "vcek";
	case TEEABI_CERT_VLEK: return "vlek";
	case TEEABI_CERT_ASK: return "ask";
	case TEEABI_CERT_ARK: return "ark";
	case TEEABI_CERT_CRL: return "crl";
	case TEEABI_CERT_EXTRA_PLATFORM_INFO: return "extra_platform_info";
	case TEEABI_CERT_UNKNOWN: break;
	}
	return "unknown";
}

enum teeabi_cert_kind teeabi_cert_kind_of(const uint8_t guid[16])
{
	static const struct { const uint8_t *g; enum teeabi_cert_kind k; } known[] = {
		{ teeabi_guid_vcek, TEEABI_CERT_VCEK }, { teeabi_guid_vlek, TEEABI_CERT_VLEK },
		{ teeabi_guid_ask, TEEABI_CERT_ASK },   { teeabi_guid_ark, TEEABI_CERT_ARK },
		{ teeabi_guid_crl, TEEABI_CERT_CRL },
		{ teeabi_guid_extra_platform_info, TEEABI_CERT_EXTRA_PLATFORM_INFO },
	};
	for (size_t i = 0; i < sizeof(known) / sizeof(known[0]); i++)
		if (memcmp(guid, known[i].g, 16) == 0)
			return known[i].k;
	return TEEABI_CERT_UNKNOWN;
}

void teeabi_guid_str(char out[37], const uint8_t g[16])
{
	snprintf(out, 37, "%02x%02x%02x%02x-%02x%02x-%02x%02x-%02x%02x-%02x%02x%02x%02x%02x%02x",
		 g[0], g[1], g[2], g[3], g[4], g[5], g[6], g[7], g[8], g[9], g[10], g[11], g[12], g[13], g[14], g[15]);
}

teeabi_err teeabi_snp_cert_table_parse(const uint8_t *buf, size_t len, unsigned flags, struct teeabi_cert_table *out)
{
	if (!buf || !out)
		return TEEABI_E_NULL;
	teeabi_zero(out, sizeof(*out));
	if (len < ENTRY_LEN)
		return TEEABI_E_CERTS_SHORT;

	size_t n = 0;
	for (;;) {
		uint64_t off = (uint64_t)n * ENTRY_LEN;
		if (off + ENTRY_LEN > (uint64_t)len)
			return TEEABI_E_CERTS_NO_TERMINATOR;
		const uint8_t *e = buf + off;
		if (teeabi_all_zero(e, ENTRY_LEN))
			break;
		out->err_entry = n;
		if (n == TEEABI_CERTS_MAX_ENTRIES)
			return TEEABI_E_CERTS_TOO_MANY;
		struct teeabi_cert_entry *ce = &out->e[n];
		ce->guid = e;
		ce->offset = teeabi_le32(e + 16);
		ce->length = teeabi_le32(e + 20);
		ce->kind = teeabi_cert_kind_of(e);
		ce->name = teeabi_cert_kind_name(ce->kind);
		n++;
	}
	out->count = n;
	out->table_len = (n + 1) * ENTRY_LEN;

	uint64_t end = out->table_len;
	for (size_t i = 0; i < n; i++) {
		struct teeabi_cert_entry *ce = &out->e[i];
		out->err_entry = i;
		if (ce->length == 0)
			return TEEABI_E_CERTS_ZERO_LEN;
		if ((uint64_t)ce->offset < (uint64_t)out->table_len)
			return TEEABI_E_CERTS_IN_TABLE;
		uint64_t stop = (uint64_t)ce->offset + (uint64_t)ce->length;
		if (stop > (uint64_t)len)
			return TEEABI_E_CERTS_BOUNDS;
		ce->data.p = buf + ce->offset;
		ce->data.len = ce->length;
		if (stop > end)
			end = stop;
	}
	out->end = (size_t)end;

	for (size_t i = 0; i < n; i++) {
		for (size_t j = i + 1; j < n; j++) {
			const struct teeabi_cert_entry *a = &out->e[i], *b = &out->e[j];
			out->err_entry = j;
			if (!(flags & TEEABI_CERTS_ALLOW_DUPLICATE) && memcmp(a->guid, b->guid, 16) == 0)
				return TEEABI_E_CERTS_DUPLICATE;
		}
	}
	for (size_t i = 0; i < n; i++) {
		for (size_t j = i + 1; j < n; j++) {
			const struct teeabi_cert_entry *a = &out->e[i], *b = &out->e[j];
			out->err_entry = j;
			uint64_t a0 = a->offset, a1 = a0 + a->length, b0 = b->offset, b1 = b0 + b->length;
			if (!(flags & TEEABI_CERTS_ALLOW_OVERLAP) && a0 < b1 && b0 < a1)
				return TEEABI_E_CERTS_OVERLAP;
		}
	}
	out->err_entry = 0;
	return TEEABI_OK;
}
