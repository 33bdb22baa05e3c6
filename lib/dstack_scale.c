/* SPDX-License-Identifier: Apache-2.0 */
/*
 * dstack_scale.c - the SCALE-encoded dstack VersionedAttestation (Attest response, GetQuote
 * "attestation" field; docs/dstack-os.md §3.3). Layout: teeabi/dstack.h. Zero-copy: every
 * slice of struct teeabi_dstack_att points into the caller's buffer.
 *
 * Every length is checked against the bytes that remain before it is used, in 64-bit
 * arithmetic that cannot wrap (a length is compared with "remaining", never added to an
 * offset first). A vector's element count is checked against remaining / (smallest
 * element) before its elements are walked, so a forged count costs nothing.
 */
#include <stdarg.h>
#include <stdio.h>
#include <string.h>
#include "teeabi/dstack.h"
#include "teeabi/snp.h"
#include "teeabi/tdx.h"

/* smallest encodings of the vector elements (all-empty fields, one-byte compacts) */
#define MIN_TDX_EVENT     11 /* u32 imr, u32 type, 3 empty Vec/String */
#define MIN_RUNTIME_EVENT 2  /* 2 empty Vec/String */
#define MIN_BYTES         1  /* an empty Vec<u8> */
#define MIN_PCR_VALUE     6  /* u32 index, empty String, empty Vec */
#define MIN_TPM_EVENT     5  /* u32 pcr, empty Vec */

static const char *const variant_names[] = { "DstackTdx", "DstackGcpTdx", "DstackNitroEnclave", "DstackAmdSevSnp",
					      "DstackAwsNitroTpm" };
static const char *const platform_names[] = { "tdx", "gcp-tdx", "nitro-enclave", "amd-sev-snp", "aws-nitro-tpm" };

const char *teeabi_dstack_variant_name(unsigned variant)
{
	return variant <= TEEABI_DSTACK_VARIANT_MAX ? variant_names[variant] : NULL;
}

const char *teeabi_dstack_platform_name(unsigned variant)
{
	return variant <= TEEABI_DSTACK_VARIANT_MAX ? platform_names[variant] : NULL;
}

/* ---------------------------------------------------------------- compact integers */
teeabi_err teeabi_scale_compact_decode(const uint8_t *p, size_t len, unsigned flags, uint64_t *val, size_t *used)
{
	if (!val || !used || (!p && len))
		return TEEABI_E_NULL;
	*val = 0;
	*used = 0;
	if (len == 0)
		return TEEABI_E_SCALE_COMPACT_SHORT;
	bool strict = flags & TEEABI_SCALE_STRICT;
	uint64_t v;
	size_t n;
	switch (p[0] & 3) {
	case 0:
		v = p[0] >> 2;
		n = 1;
		break;
	case 1:
		if (len < 2)
			return TEEABI_E_SCALE_COMPACT_SHORT;
		v = teeabi_le16(p) >> 2;
		n = 2;
		if (strict && v < (1u << 6))
			return TEEABI_E_SCALE_NONCANONICAL;
		break;
	case 2:
		if (len < 4)
			return TEEABI_E_SCALE_COMPACT_SHORT;
		v = teeabi_le32(p) >> 2;
		n = 4;
		if (strict && v < (1u << 14))
			return TEEABI_E_SCALE_NONCANONICAL;
		break;
	default: {
		size_t k = (size_t)(p[0] >> 2) + 4; /* 4..67 value bytes */
		if (len - 1 < k)
			return TEEABI_E_SCALE_COMPACT_SHORT;
		v = 0;
		for (size_t i = 0; i < k; i++) {
			if (i >= 8) {
				if (p[1 + i])
					return TEEABI_E_SCALE_COMPACT;
				continue;
			}
			v |= (uint64_t)p[1 + i] << (8 * i);
		}
		n = 1 + k;
		if (strict && (v < (1u << 30) || p[k] == 0))
			return TEEABI_E_SCALE_NONCANONICAL;
		break;
	}
	}
	*val = v;
	*used = n;
	return TEEABI_OK;
}

size_t teeabi_scale_compact_encode(uint8_t out[9], uint64_t v)
{
	if (v < (1u << 6)) {
		out[0] = (uint8_t)(v << 2);
		return 1;
	}
	if (v < (1u << 14)) {
		teeabi_put_le16(out, (uint16_t)((v << 2) | 1));
		return 2;
	}
	if (v < (1u << 30)) {
		teeabi_put_le32(out, (uint32_t)((v << 2) | 2));
		return 4;
	}
	size_t k = 4;
	while (k < 8 && (v >> (8 * k)))
		k++;
	out[0] = (uint8_t)(((k - 4) << 2) | 3);
	for (size_t i = 0; i < k; i++)
		out[1 + i] = (uint8_t)(v >> (8 * i));
	return 1 + k;
}

/* ---------------------------------------------------------------- cursor */
/* The readers are inlined wherever they are used (their error paths are out of line). */
#define INLINE inline __attribute__((always_inline))
struct cur {
	const uint8_t *b;
	size_t len, off;
	unsigned flags;
	struct teeabi_dstack_att *att; /* NULL in the element walkers: no error location */
};

static size_t rem(const struct cur *c) { return c->len - c->off; }

/* Record where an error happened in att (NULL: nowhere); returns e. The error paths take
 * the attestation, never the cursor: a cursor whose address is never passed on stays in
 * registers, and its offset is the critical path of the whole parse (every field's
 * position depends on the length before it). */
static teeabi_err fail(struct teeabi_dstack_att *att, teeabi_err e, size_t off, const char *fmt, ...)
	__attribute__((format(printf, 4, 5)));
static teeabi_err fail(struct teeabi_dstack_att *att, teeabi_err e, size_t off, const char *fmt, ...)
{
	if (att) {
		va_list ap;
		va_start(ap, fmt);
		vsnprintf(att->err_field, sizeof(att->err_field), fmt, ap);
		va_end(ap);
		att->err_off = off;
	}
	return e;
}

/* A field name: "prefix[index].name", "prefix.name" or "name". */
struct fname {
	const char *prefix;
	size_t idx;
	bool has_idx;
};
/* The error path of every reader, kept out of line (cold): the readers stay small enough
 * to be inlined into the element walkers, which is most of the parse time. */
static teeabi_err __attribute__((noinline, cold)) field_fail(struct teeabi_dstack_att *att, teeabi_err e, size_t off,
							    const struct fname *fn, const char *name)
{
	if (fn && fn->prefix) {
		if (fn->has_idx)
			return fail(att, e, off, "%s[%zu].%s", fn->prefix, fn->idx, name);
		return fail(att, e, off, "%s.%s", fn->prefix, name);
	}
	return fail(att, e, off, "%s", name);
}
#define FIELD(c, e, off, fn, name) field_fail((c)->att, e, off, fn, name)

static INLINE teeabi_err rd_u8(struct cur *c, uint8_t *v, const struct fname *fn, const char *name)
{
	if (rem(c) < 1)
		return FIELD(c, TEEABI_E_SCALE_SHORT, c->off, fn, name);
	*v = c->b[c->off++];
	return TEEABI_OK;
}

static INLINE teeabi_err rd_u32(struct cur *c, uint32_t *v, const struct fname *fn, const char *name)
{
	if (rem(c) < 4)
		return FIELD(c, TEEABI_E_SCALE_SHORT, c->off, fn, name);
	*v = teeabi_le32(c->b + c->off);
	c->off += 4;
	return TEEABI_OK;
}

static INLINE teeabi_err rd_fixed(struct cur *c, size_t n, const uint8_t **p, const struct fname *fn, const char *name)
{
	if (rem(c) < n)
		return FIELD(c, TEEABI_E_SCALE_SHORT, c->off, fn, name);
	*p = c->b + c->off;
	c->off += n;
	return TEEABI_OK;
}

static INLINE teeabi_err rd_compact(struct cur *c, uint64_t *v, const struct fname *fn, const char *name)
{
	/* fast paths: single-byte mode (0..63, canonical in every mode) and two-byte mode with
	 * a value that needs it (64..16383, canonical too); everything else (four-byte and big
	 * modes, short input, non-canonical forms) is decoded by teeabi_scale_compact_decode */
	size_t r = c->len - c->off;
	if (r && (c->b[c->off] & 3) == 0) {
		*v = c->b[c->off++] >> 2;
		return TEEABI_OK;
	}
	if (r >= 2 && (c->b[c->off] & 3) == 1) {
		uint64_t x = teeabi_le16(c->b + c->off) >> 2;
		if (x >= 64) {
			*v = x;
			c->off += 2;
			return TEEABI_OK;
		}
	}
	size_t used;
	teeabi_err e = teeabi_scale_compact_decode(c->b + c->off, rem(c), c->flags, v, &used);
	if (e)
		return FIELD(c, e, c->off, fn, name);
	c->off += used;
	return TEEABI_OK;
}

/* Vec<u8> of the length a real input nearly always has there (a constant below 64: one
 * compact byte, expect << 2), else of any length. Every field's position depends on the
 * length before it, so a parse is a chain of loads, each waiting for the last; a branch
 * on "the length byte is the usual one" lets the CPU run on at a known offset while the
 * byte is still being loaded, and the branch is checked when it arrives. The result is
 * the same either way. */
static INLINE teeabi_err rd_bytes_expect(struct cur *c, struct teeabi_slice *s, const struct fname *fn, const char *name,
					 size_t expect)
{
	if (rem(c) > expect && c->b[c->off] == (uint8_t)(expect << 2)) {
		s->p = c->b + c->off + 1;
		s->len = expect;
		c->off += 1 + expect;
		return TEEABI_OK;
	}
	size_t at = c->off;
	uint64_t n;
	teeabi_err e = rd_compact(c, &n, fn, name);
	if (e)
		return e;
	if (n > rem(c))
		return FIELD(c, TEEABI_E_SCALE_BOUNDS, at, fn, name);
	s->p = c->b + c->off;
	s->len = (size_t)n;
	c->off += (size_t)n;
	return TEEABI_OK;
}

/* Vec<u8>: compact length, then that many bytes (the usual length: empty). */
static INLINE teeabi_err rd_bytes(struct cur *c, struct teeabi_slice *s, const struct fname *fn, const char *name)
{
	return rd_bytes_expect(c, s, fn, name, 0);
}

/* String: Vec<u8> that must be UTF-8. */
static INLINE teeabi_err rd_string(struct cur *c, struct teeabi_slice *s, const struct fname *fn, const char *name)
{
	size_t at = c->off;
	teeabi_err e = rd_bytes(c, s, fn, name);
	if (e)
		return e;
	/* short strings (event names) checked inline: all ASCII is valid UTF-8; anything else,
	 * and every longer string, goes through the full validator */
	if (!(s->len < 32 && teeabi_ascii(s->p, s->len)) && !teeabi_utf8_valid(s->p, s->len))
		return FIELD(c, TEEABI_E_SCALE_UTF8, at, fn, name);
	return TEEABI_OK;
}

/* ---------------------------------------------------------------- elements */
/* The element readers and rd_vec are inlined into each rd_vec call site, so every vector
 * gets its own loop with its element reader in it (no indirect call per element, and the
 * unused element struct of a NULL arg is never written). */
typedef teeabi_err (*elem_fn)(struct cur *c, const struct fname *fn, void *arg);

/* A TDX event: its digest is a SHA-384 (48 bytes) in every dstack event log. */
static INLINE teeabi_err el_tdx_event(struct cur *c, const struct fname *fn, void *arg)
{
	struct teeabi_dstack_scale_event tmp, *ev = arg ? arg : &tmp;
	memset(ev, 0, sizeof(*ev));
	teeabi_err e;
	if ((e = rd_u32(c, &ev->imr, fn, "imr")) || (e = rd_u32(c, &ev->event_type, fn, "event_type")) ||
	    (e = rd_bytes_expect(c, &ev->digest, fn, "digest", 48)) || (e = rd_string(c, &ev->event, fn, "event")) ||
	    (e = rd_bytes(c, &ev->payload, fn, "event_payload")))
		return e;
	return TEEABI_OK;
}

static INLINE teeabi_err el_runtime_event(struct cur *c, const struct fname *fn, void *arg)
{
	struct teeabi_dstack_scale_event tmp, *ev = arg ? arg : &tmp;
	memset(ev, 0, sizeof(*ev));
	teeabi_err e;
	if ((e = rd_string(c, &ev->event, fn, "event")) || (e = rd_bytes(c, &ev->payload, fn, "payload")))
		return e;
	return TEEABI_OK;
}

static INLINE teeabi_err el_bytes(struct cur *c, const struct fname *fn, void *arg)
{
	struct teeabi_slice tmp, *s = arg ? arg : &tmp;
	/* an element that is itself a Vec<u8>: name it "cert_chain[i]" rather than "cert_chain[i].len" */
	teeabi_err e = rd_bytes(c, s, NULL, "");
	if (e && c->att)
		fail(c->att, e, c->att->err_off, "%s[%zu]", fn->prefix, fn->idx);
	return e;
}

static INLINE teeabi_err el_pcr_value(struct cur *c, const struct fname *fn, void *arg)
{
	(void)arg;
	uint32_t idx;
	struct teeabi_slice alg = { 0 }, val = { 0 };
	teeabi_err e;
	if ((e = rd_u32(c, &idx, fn, "index")) || (e = rd_string(c, &alg, fn, "algorithm")) ||
	    (e = rd_bytes(c, &val, fn, "value")))
		return e;
	return TEEABI_OK;
}

static INLINE teeabi_err el_tpm_event(struct cur *c, const struct fname *fn, void *arg)
{
	(void)arg;
	uint32_t pcr;
	struct teeabi_slice d;
	teeabi_err e;
	if ((e = rd_u32(c, &pcr, fn, "pcr_index")) || (e = rd_bytes(c, &d, fn, "digest")))
		return e;
	return TEEABI_OK;
}

/* Vec<T>: compact count, then count elements. *elems covers the elements only. */
static INLINE teeabi_err rd_vec(struct cur *c, size_t min_elem, elem_fn el, const char *name, struct teeabi_slice *elems,
			 size_t *count)
{
	size_t at = c->off;
	uint64_t n;
	teeabi_err e = rd_compact(c, &n, NULL, name);
	if (e)
		return e;
	if (n > rem(c) / min_elem)
		return fail(c->att, TEEABI_E_SCALE_COUNT, at, "%s", name);
	size_t start = c->off;
	for (size_t i = 0; i < (size_t)n; i++) {
		struct fname fn = { name, i, true };
		if ((e = el(c, &fn, NULL)))
			return e;
	}
	elems->p = c->b + start;
	elems->len = c->off - start;
	*count = (size_t)n;
	return TEEABI_OK;
}

/* ---------------------------------------------------------------- the attestation */
static INLINE teeabi_err rd_tdx_quote(struct cur *c, struct teeabi_dstack_att *a)
{
	teeabi_err e = rd_bytes(c, &a->payload, NULL, "quote");
	if (e)
		return e;
	a->payload_off = (size_t)(a->payload.p - c->b);
	return rd_vec(c, MIN_TDX_EVENT, el_tdx_event, "event_log", &a->event_log, &a->event_log_count);
}

static INLINE teeabi_err rd_tpm_quote(struct cur *c, struct teeabi_dstack_att *a)
{
	static const struct fname tpm = { "tpm_quote", 0, false };
	teeabi_err e;
	if ((e = rd_bytes(c, &a->tpm.message, &tpm, "message")) || (e = rd_bytes(c, &a->tpm.signature, &tpm, "signature")) ||
	    (e = rd_vec(c, MIN_PCR_VALUE, el_pcr_value, "tpm_quote.pcr_values", &a->tpm.pcr_values, &a->tpm.pcr_count)) ||
	    (e = rd_bytes(c, &a->tpm.ak_cert, &tpm, "ak_cert")) || (e = rd_u8(c, &a->tpm.platform, &tpm, "platform")) ||
	    (e = rd_vec(c, MIN_TPM_EVENT, el_tpm_event, "tpm_quote.event_log", &a->tpm.event_log, &a->tpm.event_count)))
		return e;
	return TEEABI_OK;
}

/* The parse that checks field by field and names the field and offset of an error. */
static teeabi_err scale_parse_checked(const uint8_t *buf, size_t len, unsigned flags, struct teeabi_dstack_att *out)
{
	teeabi_zero(out, sizeof(*out));
	if (!buf && len)
		return TEEABI_E_NULL;
	static const uint8_t empty[1];
	struct cur c = { buf ? buf : empty, len, 0, flags, out };
	struct teeabi_dstack_att *a = out;
	teeabi_err e;
	if ((e = rd_u8(&c, &a->version, NULL, "version")))
		return e;
	if (a->version != 0)
		return fail(a, TEEABI_E_SCALE_VERSION, 0, "version");
	if ((e = rd_u8(&c, &a->variant, NULL, "variant")))
		return e;
	if (a->variant > TEEABI_DSTACK_VARIANT_MAX)
		return fail(a, TEEABI_E_SCALE_VARIANT, 1, "variant");
	const char *pname = NULL;
	switch (a->variant) {
	case TEEABI_DSTACK_TDX:
		e = rd_tdx_quote(&c, a);
		break;
	case TEEABI_DSTACK_GCP_TDX:
		if (!(e = rd_tdx_quote(&c, a)))
			e = rd_tpm_quote(&c, a);
		break;
	case TEEABI_DSTACK_NITRO_ENCLAVE:
		pname = "nsm_quote";
		break;
	case TEEABI_DSTACK_AMD_SEV_SNP:
		if ((e = rd_bytes(&c, &a->payload, NULL, "report")))
			break;
		a->payload_off = (size_t)(a->payload.p - c.b);
		if (!(e = rd_vec(&c, MIN_BYTES, el_bytes, "cert_chain", &a->cert_chain, &a->cert_count)))
			e = rd_string(&c, &a->mr_config, NULL, "mr_config");
		break;
	case TEEABI_DSTACK_AWS_NITRO_TPM:
		pname = "attestation_doc";
		break;
	}
	if (pname) {
		if (!(e = rd_bytes(&c, &a->payload, NULL, pname)))
			a->payload_off = (size_t)(a->payload.p - c.b);
	}
	if (e)
		return e;
	if ((e = rd_vec(&c, MIN_RUNTIME_EVENT, el_runtime_event, "runtime_events", &a->runtime_events,
			&a->runtime_event_count)) ||
	    (e = rd_fixed(&c, 64, &a->report_data, NULL, "report_data")) || (e = rd_string(&c, &a->config, NULL, "config")))
		return e;
	a->scale_len = c.off;
	a->trailing.p = c.b + c.off;
	a->trailing.len = rem(&c);
	if ((flags & TEEABI_SCALE_STRICT) && a->trailing.len)
		return fail(a, TEEABI_E_SCALE_TRAILING, c.off, "trailing");
	return TEEABI_OK;
}

/* ---------------------------------------------------------------- the fast path */
/*
 * The attestations dstack produces (variant 0 with SHA-384 event digests, variant 3),
 * parsed with nothing but two pointers live: the position and the end. The position of
 * every field is the sum of the lengths before it, so the parse is a chain of loads, each
 * waiting for the one before; the checked parse above, with its cursor struct, field names
 * and error bookkeeping, keeps more values live than there are registers, and the spills
 * land on that chain. Here every check is the same (each length against the bytes left,
 * each count against the smallest elements that fit, UTF-8 of every string, strict mode's
 * canonical compacts and trailing bytes), but a failed check does not say which: the fast
 * path then returns "not mine" and the checked parse runs from the start, so the result,
 * error code, field name and offset are always the checked parse's. Inputs the fast path
 * does not take at all (other variants, four-byte and big compacts, a digest other than 48
 * bytes) go the same way.
 */
#define FAST_NO ((const uint8_t *)0)

/* A compact in the one-byte form, or the two-byte form with a value that needs it (both
 * canonical); anything else: FAST_NO. */
static INLINE const uint8_t *fast_compact(const uint8_t *p, const uint8_t *end, size_t *v)
{
	if (p == end)
		return FAST_NO;
	size_t c = p[0]; /* a word: no 8-bit shift and zero extension on the chain */
	if ((c & 3) == 0) {
		*v = c >> 2;
		return p + 1;
	}
	if ((c & 3) != 1 || end - p < 2)
		return FAST_NO;
	*v = teeabi_le16(p) >> 2;
	return *v >= 64 ? p + 2 : FAST_NO;
}

/* Vec<u8>: the bytes after its compact length, inside [p, end). */
static INLINE const uint8_t *fast_bytes(const uint8_t *p, const uint8_t *end, struct teeabi_slice *s)
{
	size_t n;
	if (!(p = fast_compact(p, end, &n)) || n > (size_t)(end - p))
		return FAST_NO;
	s->p = p;
	s->len = n;
	return p + n;
}

/* String: as fast_bytes, and valid UTF-8 (short ASCII strings checked inline). */
static INLINE const uint8_t *fast_string(const uint8_t *p, const uint8_t *end, struct teeabi_slice *s)
{
	if (!(p = fast_bytes(p, end, s)))
		return FAST_NO;
	if (!(s->len < 32 && teeabi_ascii(s->p, s->len)) && !teeabi_utf8_valid(s->p, s->len))
		return FAST_NO;
	return p;
}

/* A name or payload, which is usually empty: the branch on its length byte lets the CPU
 * run on while the byte is loaded (as rd_bytes_expect). */
static INLINE const uint8_t *fast_bytes0(const uint8_t *p, const uint8_t *end, struct teeabi_slice *s)
{
	if (p != end && p[0] == 0)
		return p + 1;
	return fast_bytes(p, end, s);
}

static INLINE const uint8_t *fast_string0(const uint8_t *p, const uint8_t *end, struct teeabi_slice *s)
{
	if (p != end && p[0] == 0)
		return p + 1;
	return fast_string(p, end, s);
}

/* The count of a Vec whose elements take at least min bytes each. */
static INLINE const uint8_t *fast_count(const uint8_t *p, const uint8_t *end, size_t min, size_t *n)
{
	if (!(p = fast_compact(p, end, n)) || *n > (size_t)(end - p) / min)
		return FAST_NO;
	return p;
}

/* The elements: each returns the position after it, or FAST_NO. */
typedef const uint8_t *(*fast_elem_fn)(const uint8_t *p, const uint8_t *end);

/* A TdxEvent whose digest is 48 bytes. */
static INLINE const uint8_t *fast_tdx_event(const uint8_t *p, const uint8_t *end)
{
	struct teeabi_slice s;
	/* imr, event_type, the digest's length byte and the digest */
	if (end - p < 8 + 1 + 48 || p[8] != 48 << 2)
		return FAST_NO;
	if (!(p = fast_string0(p + 8 + 1 + 48, end, &s)))
		return FAST_NO;
	return fast_bytes0(p, end, &s);
}

static INLINE const uint8_t *fast_runtime_event(const uint8_t *p, const uint8_t *end)
{
	struct teeabi_slice s;
	if (!(p = fast_string0(p, end, &s)))
		return FAST_NO;
	return fast_bytes0(p, end, &s);
}

static INLINE const uint8_t *fast_byte_vec(const uint8_t *p, const uint8_t *end)
{
	struct teeabi_slice s;
	return fast_bytes(p, end, &s);
}

/* Vec<T> of elements of at least min bytes; inlined with its element at each call site. */
static INLINE const uint8_t *fast_vec(const uint8_t *p, const uint8_t *end, size_t min, fast_elem_fn el,
				      struct teeabi_slice *elems, size_t *count)
{
	size_t n;
	if (!(p = fast_count(p, end, min, &n)))
		return FAST_NO;
	elems->p = p;
	for (size_t i = 0; i < n; i++)
		if (!(p = el(p, end)))
			return FAST_NO;
	elems->len = (size_t)(p - elems->p);
	*count = n;
	return p;
}

/* The whole attestation (out already zeroed): true when taken, false when the checked
 * parse must decide. */
static bool scale_parse_fast(const uint8_t *buf, size_t len, unsigned flags, struct teeabi_dstack_att *a)
{
	const uint8_t *p = buf, *end = buf + len;
	if (len < 2 || buf[0] != 0 || (buf[1] != TEEABI_DSTACK_TDX && buf[1] != TEEABI_DSTACK_AMD_SEV_SNP))
		return false;
	a->variant = buf[1];
	if (!(p = fast_bytes(p + 2, end, &a->payload)))
		return false;
	a->payload_off = (size_t)(a->payload.p - buf);
	if (a->variant == TEEABI_DSTACK_TDX)
		p = fast_vec(p, end, MIN_TDX_EVENT, fast_tdx_event, &a->event_log, &a->event_log_count);
	else if ((p = fast_vec(p, end, MIN_BYTES, fast_byte_vec, &a->cert_chain, &a->cert_count)))
		p = fast_string(p, end, &a->mr_config);
	if (!p ||
	    !(p = fast_vec(p, end, MIN_RUNTIME_EVENT, fast_runtime_event, &a->runtime_events, &a->runtime_event_count)) ||
	    end - p < 64)
		return false;
	a->report_data = p;
	if (!(p = fast_string(p + 64, end, &a->config)))
		return false;
	a->scale_len = (size_t)(p - buf);
	a->trailing.p = p;
	a->trailing.len = (size_t)(end - p);
	return !((flags & TEEABI_SCALE_STRICT) && a->trailing.len);
}

teeabi_err teeabi_dstack_scale_parse(const uint8_t *buf, size_t len, unsigned flags, struct teeabi_dstack_att *out)
{
	if (!out)
		return TEEABI_E_NULL;
	if (buf && !(flags & TEEABI_SCALE_CHECKED)) {
		teeabi_zero(out, sizeof(*out));
		if (scale_parse_fast(buf, len, flags, out))
			return TEEABI_OK;
	}
	return scale_parse_checked(buf, len, flags, out);
}

/* ---------------------------------------------------------------- element walkers */
static teeabi_err walk(struct teeabi_slice elems, size_t *off, elem_fn el, void *arg)
{
	if (!off || !arg || (!elems.p && elems.len))
		return TEEABI_E_NULL;
	if (*off > elems.len)
		return TEEABI_E_SCALE_BOUNDS;
	static const uint8_t empty[1];
	struct cur c = { elems.p ? elems.p : empty, elems.len, *off, 0, NULL };
	struct fname fn = { "", 0, true };
	teeabi_err e = el(&c, &fn, arg);
	if (!e)
		*off = c.off;
	return e;
}

teeabi_err teeabi_dstack_scale_next_tdx_event(struct teeabi_slice elems, size_t *off, struct teeabi_dstack_scale_event *ev)
{
	return walk(elems, off, el_tdx_event, ev);
}

teeabi_err teeabi_dstack_scale_next_runtime_event(struct teeabi_slice elems, size_t *off, struct teeabi_dstack_scale_event *ev)
{
	return walk(elems, off, el_runtime_event, ev);
}

teeabi_err teeabi_dstack_scale_next_bytes(struct teeabi_slice elems, size_t *off, struct teeabi_slice *item)
{
	return walk(elems, off, el_bytes, item);
}

/* ---------------------------------------------------------------- detection */
bool teeabi_dstack_scale_sniff(const uint8_t *buf, size_t len)
{
	if (!buf || len < 3 || buf[0] != 0)
		return false;
	uint8_t v = buf[1];
	if (v != TEEABI_DSTACK_TDX && v != TEEABI_DSTACK_GCP_TDX && v != TEEABI_DSTACK_AMD_SEV_SNP)
		return false;
	uint64_t n;
	size_t used;
	if (teeabi_scale_compact_decode(buf + 2, len - 2, 0, &n, &used) != TEEABI_OK || n > len - 2 - used)
		return false;
	const uint8_t *p = buf + 2 + used;
	if (v == TEEABI_DSTACK_AMD_SEV_SNP) {
		struct teeabi_snp_report r;
		return teeabi_snp_report_parse(p, (size_t)n, 0, &r) == TEEABI_OK;
	}
	struct teeabi_tdx_quote q;
	return teeabi_tdx_quote_parse(p, (size_t)n, TEEABI_QUOTE_DEFAULT, &q) == TEEABI_OK;
}
