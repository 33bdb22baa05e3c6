/* SPDX-License-Identifier: Apache-2.0 */
/*
 * fuzz/fuzz_snp_certs.c - SNP extended-report certificate table (lib/snp_certs.c).
 *
 * Input: the certificate blob (table of 24-byte {guid, u32 offset, u32 length} entries,
 * all-zero terminator, then the certificates). Parsed with flags 0, ALLOW_OVERLAP,
 * ALLOW_DUPLICATE and both.
 *
 * Properties (docs/formats.md §5.2 and the check list in snp_certs.c's header):
 *   - a reference walk written here decides the verdict and the offending entry index;
 *   - on success: count entries before the first all-zero entry, table_len = 24*(count+1),
 *     each entry's guid/offset/length are the bytes of entry i, its data slice is
 *     [offset, offset+length) of the input with offset >= table_len and offset + length
 *     <= size computed without u32 wrap, end = max(table_len, offset+length), the kind
 *     and name follow the well-known GUID list, and no duplicate/overlap is left unless
 *     its flag allowed it;
 *   - teeabi_guid_str gives 36 lowercase hex-and-dash characters.
 */
#include "fuzz.h"
#include "teeabi/err.h"
#include "teeabi/snp.h"

static uint32_t rd32(const uint8_t *p) { return (uint32_t)p[0] | (uint32_t)p[1] << 8 | (uint32_t)p[2] << 16 | (uint32_t)p[3] << 24; }

static uint64_t rd64(const uint8_t *p) { return (uint64_t)rd32(p) | (uint64_t)rd32(p + 4) << 32; }

static int zero(const uint8_t *p, size_t n)
{
	for (size_t i = 0; i < n; i++)
		if (p[i])
			return 0;
	return 1;
}

/* GUIDs in textual byte order, from formats.md §5.2. */
static const struct { const char *hex; enum teeabi_cert_kind k; const char *name; } known[] = {
	{ "63da758de6644564adc5f4b93be8accd", TEEABI_CERT_VCEK, "vcek" },
	{ "a8074bc2a25a483eaae639c045a0b8a1", TEEABI_CERT_VLEK, "vlek" },
	{ "4ab7b379bbac4fe4a02f05aef327c782", TEEABI_CERT_ASK, "ask" },
	{ "c0b406a4a803495297433fb6014cd0ae", TEEABI_CERT_ARK, "ark" },
	{ "92f81bc358114d3d97ffd19f88dc67ea", TEEABI_CERT_CRL, "crl" },
	{ "ecae0c0f950243b1afa20ae2e0d565b6", TEEABI_CERT_EXTRA_PLATFORM_INFO, "extra_platform_info" },
};
static uint8_t known_bin[sizeof(known) / sizeof(known[0])][16];

static int nib(char c) { return c >= 'a' ? c - 'a' + 10 : c - '0'; }

int LLVMFuzzerInitialize(int *argc, char ***argv)
{
	(void)argc;
	(void)argv;
	for (size_t i = 0; i < sizeof(known) / sizeof(known[0]); i++) {
		const char *h = known[i].hex;
		for (int j = 0; j < 16; j++) {
			known_bin[i][j] = (uint8_t)(nib(h[0]) << 4 | nib(h[1]));
			h += 2;
		}
	}
	return 0;
}

static int kind_of(const uint8_t *g)
{
	for (size_t i = 0; i < sizeof(known) / sizeof(known[0]); i++)
		if (!memcmp(g, known_bin[i], 16))
			return (int)i;
	return -1;
}

struct ref {
	teeabi_err e;
	size_t err_entry, count;
	uint64_t end;
};

/* The flag-independent part of the walk, done once per input: structure, per-entry
 * checks, and the first duplicate / overlapping pair (pairs in (i, j), i < j order, the
 * error naming j). */
struct walk {
	struct ref base;  /* verdict before the duplicate/overlap checks */
	int dup, ovl;     /* found? */
	size_t dup_j, ovl_j;
};

static void walk_table(const uint8_t *d, size_t size, struct walk *w)
{
	struct ref *r = &w->base;
	memset(w, 0, sizeof(*w));
	if (size < 24) {
		r->e = TEEABI_E_CERTS_SHORT;
		return;
	}
	size_t n = 0;
	for (;; n++) {
		if ((uint64_t)(n + 1) * 24 > size) {
			r->e = TEEABI_E_CERTS_NO_TERMINATOR;
			return;
		}
		if (zero(d + 24 * n, 24))
			break;
		if (n == TEEABI_CERTS_MAX_ENTRIES) {
			r->e = TEEABI_E_CERTS_TOO_MANY;
			r->err_entry = n;
			return;
		}
	}
	r->count = n;
	uint64_t tl = (uint64_t)(n + 1) * 24, end = tl;
	for (size_t i = 0; i < n; i++) {
		const uint8_t *e = d + 24 * i;
		uint64_t off = rd32(e + 16), len = rd32(e + 20);
		r->err_entry = i;
		if (len == 0) {
			r->e = TEEABI_E_CERTS_ZERO_LEN;
			return;
		}
		if (off < tl) {
			r->e = TEEABI_E_CERTS_IN_TABLE;
			return;
		}
		if (off + len > size) {
			r->e = TEEABI_E_CERTS_BOUNDS;
			return;
		}
		if (off + len > end)
			end = off + len;
	}
	r->end = end;
	r->err_entry = 0;
	r->e = TEEABI_OK;
	for (size_t i = 0; i < n && !w->dup; i++)
		for (size_t j = i + 1; j < n; j++)
			if (rd64(d + 24 * i) == rd64(d + 24 * j) && rd64(d + 24 * i + 8) == rd64(d + 24 * j + 8)) {
				w->dup = 1;
				w->dup_j = j;
				break;
			}
	for (size_t i = 0; i < n && !w->ovl; i++)
		for (size_t j = i + 1; j < n; j++) {
			uint64_t a0 = rd32(d + 24 * i + 16), a1 = a0 + rd32(d + 24 * i + 20);
			uint64_t b0 = rd32(d + 24 * j + 16), b1 = b0 + rd32(d + 24 * j + 20);
			if (a0 < b1 && b0 < a1) {
				w->ovl = 1;
				w->ovl_j = j;
				break;
			}
		}
}

static void ref_for(const struct walk *w, unsigned flags, struct ref *r)
{
	*r = w->base;
	if (r->e != TEEABI_OK)
		return;
	if (w->dup && !(flags & TEEABI_CERTS_ALLOW_DUPLICATE)) {
		r->e = TEEABI_E_CERTS_DUPLICATE;
		r->err_entry = w->dup_j;
	} else if (w->ovl && !(flags & TEEABI_CERTS_ALLOW_OVERLAP)) {
		r->e = TEEABI_E_CERTS_OVERLAP;
		r->err_entry = w->ovl_j;
	}
}

int LLVMFuzzerTestOneInput(const uint8_t *d, size_t size)
{
	static const unsigned modes[] = { 0, TEEABI_CERTS_ALLOW_OVERLAP, TEEABI_CERTS_ALLOW_DUPLICATE,
					  TEEABI_CERTS_ALLOW_OVERLAP | TEEABI_CERTS_ALLOW_DUPLICATE };
	static struct teeabi_cert_table t; /* 2.5 KB; static keeps the stack small */
	struct walk w;
	walk_table(d, size, &w);
	for (size_t m = 0; m < sizeof(modes) / sizeof(modes[0]); m++) {
		struct ref r;
		ref_for(&w, modes[m], &r);
		teeabi_err e = teeabi_snp_cert_table_parse(d, size, modes[m], &t);
		FZ_CHECK(e == r.e, "flags 0x%x: parse returned %s, reference says %s", modes[m], teeabi_err_name(e),
			 teeabi_err_name(r.e));
		if (e != TEEABI_OK) {
			/* the offending entry index names an entry that exists (or the 65th) */
			FZ_CHECK(t.err_entry <= TEEABI_CERTS_MAX_ENTRIES && (size < 24 || (uint64_t)t.err_entry * 24 < size),
				 "err_entry %zu", t.err_entry);
			if (e != TEEABI_E_CERTS_SHORT && e != TEEABI_E_CERTS_NO_TERMINATOR)
				FZ_CHECK(t.err_entry == r.err_entry, "%s: err_entry %zu, reference %zu",
					 teeabi_err_name(e), t.err_entry, r.err_entry);
			continue;
		}
		FZ_CHECK(t.count == r.count && t.count <= TEEABI_CERTS_MAX_ENTRIES, "count %zu, expected %zu", t.count,
			 r.count);
		FZ_CHECK(t.table_len == 24 * (t.count + 1) && t.table_len <= size, "table_len %zu", t.table_len);
		FZ_CHECK(zero(d + t.table_len - 24, 24), "terminator not all zero");
		FZ_CHECK(t.end == r.end && t.end <= size, "end %zu, expected %llu", t.end, (unsigned long long)r.end);
		for (size_t i = 0; i < t.count; i++) {
			const struct teeabi_cert_entry *ce = &t.e[i];
			const uint8_t *raw = d + 24 * i;
			FZ_CHECK(ce->guid == raw, "entry %zu guid", i);
			FZ_CHECK(ce->offset == rd32(raw + 16) && ce->length == rd32(raw + 20), "entry %zu offset/length", i);
			FZ_CHECK((uint64_t)ce->offset + ce->length <= size && ce->offset >= t.table_len,
				 "entry %zu [%u,+%u) outside the blob", i, ce->offset, ce->length);
			FZ_CHECK(ce->data.p == d + ce->offset && ce->data.len == ce->length, "entry %zu data slice", i);
			int k = kind_of(raw);
			FZ_CHECK(ce->kind == (k < 0 ? TEEABI_CERT_UNKNOWN : known[k].k), "entry %zu kind %d", i, ce->kind);
			FZ_CHECK(ce->name && !strcmp(ce->name, k < 0 ? "unknown" : known[k].name), "entry %zu name %s", i,
				 ce->name ? ce->name : "(null)");
			FZ_CHECK(teeabi_cert_kind_of(raw) == ce->kind, "teeabi_cert_kind_of");
			char g[37];
			memset(g, 'X', sizeof(g));
			teeabi_guid_str(g, raw);
			FZ_CHECK(g[36] == 0 && strlen(g) == 36 && g[8] == '-' && g[13] == '-' && g[18] == '-' && g[23] == '-',
				 "guid string %.37s", g);
			for (int c = 0; c < 36; c++)
				if (c != 8 && c != 13 && c != 18 && c != 23)
					FZ_CHECK((g[c] >= '0' && g[c] <= '9') || (g[c] >= 'a' && g[c] <= 'f'),
						 "guid string %s", g);
			FZ_CHECK(nib(g[0]) == raw[0] >> 4 && nib(g[35]) == (raw[15] & 15), "guid string byte order %s", g);
		}
	}
	return 0;
}
