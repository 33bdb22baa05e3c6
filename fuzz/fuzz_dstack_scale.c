/* SPDX-License-Identifier: Apache-2.0 */
/*
 * fuzz/fuzz_dstack_scale.c - the SCALE-encoded dstack VersionedAttestation parser, its
 * compact-integer codec, element walkers and format sniffing (lib/dstack_scale.c).
 *
 * Input: the raw SCALE bytes. Each input is parsed lenient and strict.
 *
 * Properties: a reference decoder written here decides the verdict. It interprets the V0
 * layout of teeabi/dstack.h as a schema table (smallest element sizes derived from the
 * table, not copied), decodes compact integers its own way (top byte first, 64-bit
 * overflow by shifting, canonical = "re-encoding has the same length") and checks UTF-8
 * against the well-formed byte ranges of Unicode Table 3-7. Then:
 *   - the error code and err_off equal the reference's, err_field is non-empty;
 *   - on success every slice, count, the report_data offset, scale_len and the trailing
 *     bytes equal the reference's, and slices lie inside the input;
 *   - the walkers visit exactly count elements and end exactly at the end of each slice,
 *     every element's parts lie inside it, runtime events have no digest;
 *   - the fast path and the field-by-field parse (TEEABI_SCALE_CHECKED) agree byte for byte;
 *   - strict success implies lenient success with the same result and no trailing bytes;
 *   - teeabi_scale_compact_decode agrees with the reference on the input's first bytes
 *     in both modes; a strictly accepted integer re-encodes to exactly its input bytes;
 *     encode(v) strict-decodes to v for v taken from the input;
 *   - teeabi_dstack_scale_sniff equals its documented rule, and when it claims the input
 *     a lenient parse can only fail after the payload.
 */
#include "fuzz.h"
#include "teeabi/dstack.h"
#include "teeabi/err.h"
#include "teeabi/snp.h"
#include "teeabi/tdx.h"

/* ---------------------------------------------------------------- reference: compact */
static size_t enc_len(uint64_t v)
{
	if (v < 64)
		return 1;
	if (v < 16384)
		return 2;
	if (v < (1u << 30))
		return 4;
	size_t k = 8;
	while (k > 4 && !(v >> (8 * (k - 1))))
		k--;
	return 1 + k;
}

static teeabi_err ref_compact(const uint8_t *p, size_t n, int strict, uint64_t *v, size_t *used)
{
	if (n == 0)
		return TEEABI_E_SCALE_COMPACT_SHORT;
	unsigned mode = p[0] & 3;
	size_t need = mode == 0 ? 1 : mode == 1 ? 2 : mode == 2 ? 4 : (size_t)(p[0] >> 2) + 5;
	if (need > n)
		return TEEABI_E_SCALE_COMPACT_SHORT;
	uint64_t x = 0;
	if (mode < 3) {
		for (size_t i = need; i-- > 0;)
			x = x << 8 | p[i];
		x >>= 2;
	} else {
		for (size_t i = need - 1; i >= 1; i--) {
			if (x >> 56)
				return TEEABI_E_SCALE_COMPACT;
			x = x << 8 | p[i];
		}
	}
	if (strict && enc_len(x) != need)
		return TEEABI_E_SCALE_NONCANONICAL;
	*v = x;
	*used = need;
	return TEEABI_OK;
}

/* ---------------------------------------------------------------- reference: UTF-8 */
static int ref_utf8(const uint8_t *s, size_t n)
{
	size_t i = 0;
	while (i < n) {
		uint8_t c = s[i];
		uint8_t lo = 0x80, hi = 0xBF;
		size_t k;
		if (c <= 0x7F)
			k = 0;
		else if (c >= 0xC2 && c <= 0xDF)
			k = 1;
		else if (c == 0xE0)
			k = 2, lo = 0xA0;
		else if ((c >= 0xE1 && c <= 0xEC) || c == 0xEE || c == 0xEF)
			k = 2;
		else if (c == 0xED)
			k = 2, hi = 0x9F;
		else if (c == 0xF0)
			k = 3, lo = 0x90;
		else if (c >= 0xF1 && c <= 0xF3)
			k = 3;
		else if (c == 0xF4)
			k = 3, hi = 0x8F;
		else
			return 0;
		if (k > n - i - 1)
			return 0;
		if (k && (s[i + 1] < lo || s[i + 1] > hi))
			return 0;
		for (size_t j = 2; j <= k; j++)
			if (s[i + j] < 0x80 || s[i + j] > 0xBF)
				return 0;
		i += k + 1;
	}
	return 1;
}

/* ---------------------------------------------------------------- reference: schema */
enum op { U8, U32, BYTES, STR, FIXED64, VEC };
enum rec {
	R_NONE, R_PAYLOAD, R_EVLOG, R_CERTS, R_MRCONFIG, R_TPM_MSG, R_TPM_SIG, R_TPM_PCR, R_TPM_AK, R_TPM_PLAT,
	R_TPM_EV, R_RUNTIME, R_RD, R_CONFIG, R_N
};
struct node {
	enum op op;
	enum rec rec;
	const struct node *elem; /* VEC: the element's fields */
	size_t nelem;
};
#define N(a) (sizeof(a) / sizeof((a)[0]))

static const struct node tdx_event[] = { { U32, R_NONE, 0, 0 }, { U32, R_NONE, 0, 0 }, { BYTES, R_NONE, 0, 0 },
					 { STR, R_NONE, 0, 0 }, { BYTES, R_NONE, 0, 0 } };
static const struct node runtime_event[] = { { STR, R_NONE, 0, 0 }, { BYTES, R_NONE, 0, 0 } };
static const struct node one_bytes[] = { { BYTES, R_NONE, 0, 0 } };
static const struct node pcr_value[] = { { U32, R_NONE, 0, 0 }, { STR, R_NONE, 0, 0 }, { BYTES, R_NONE, 0, 0 } };
static const struct node tpm_event[] = { { U32, R_NONE, 0, 0 }, { BYTES, R_NONE, 0, 0 } };

static const struct node v_tdx[] = { { BYTES, R_PAYLOAD, 0, 0 }, { VEC, R_EVLOG, tdx_event, N(tdx_event) } };
static const struct node v_gcp[] = { { BYTES, R_PAYLOAD, 0, 0 },    { VEC, R_EVLOG, tdx_event, N(tdx_event) },
				     { BYTES, R_TPM_MSG, 0, 0 },    { BYTES, R_TPM_SIG, 0, 0 },
				     { VEC, R_TPM_PCR, pcr_value, N(pcr_value) }, { BYTES, R_TPM_AK, 0, 0 },
				     { U8, R_TPM_PLAT, 0, 0 },      { VEC, R_TPM_EV, tpm_event, N(tpm_event) } };
static const struct node v_doc[] = { { BYTES, R_PAYLOAD, 0, 0 } };
static const struct node v_snp[] = { { BYTES, R_PAYLOAD, 0, 0 },
				     { VEC, R_CERTS, one_bytes, N(one_bytes) },
				     { STR, R_MRCONFIG, 0, 0 } };
static const struct node v_tail[] = { { VEC, R_RUNTIME, runtime_event, N(runtime_event) },
				      { FIXED64, R_RD, 0, 0 },
				      { STR, R_CONFIG, 0, 0 } };

static size_t min_size(const struct node *f, size_t n)
{
	size_t s = 0;
	for (size_t i = 0; i < n; i++)
		s += f[i].op == U32 ? 4 : f[i].op == FIXED64 ? 64 : 1;
	return s;
}

struct ref {
	teeabi_err e;
	size_t err_off;
	size_t off[R_N], len[R_N], count[R_N]; /* per recorded field: offset, byte length, elements */
	uint8_t plat;
	size_t end;
};

struct rd {
	const uint8_t *d;
	size_t n, pos;
	int strict;
	struct ref *r;
};

static int err(struct rd *c, teeabi_err e, size_t at)
{
	c->r->e = e;
	c->r->err_off = at;
	return 0;
}

static int seq(struct rd *c, const struct node *f, size_t nf);

static int field(struct rd *c, const struct node *f)
{
	size_t at = c->pos, left = c->n - c->pos;
	uint64_t v = 0;
	size_t used = 0;
	teeabi_err e;
	switch (f->op) {
	case U8:
		if (left < 1)
			return err(c, TEEABI_E_SCALE_SHORT, at);
		c->r->plat = c->d[c->pos];
		c->pos++;
		return 1;
	case U32:
		if (left < 4)
			return err(c, TEEABI_E_SCALE_SHORT, at);
		c->pos += 4;
		return 1;
	case FIXED64:
		if (left < 64)
			return err(c, TEEABI_E_SCALE_SHORT, at);
		if (f->rec)
			c->r->off[f->rec] = at;
		c->pos += 64;
		return 1;
	case BYTES:
	case STR:
		if ((e = ref_compact(c->d + c->pos, left, c->strict, &v, &used)))
			return err(c, e, at);
		if (v > left - used)
			return err(c, TEEABI_E_SCALE_BOUNDS, at);
		if (f->op == STR && !ref_utf8(c->d + c->pos + used, (size_t)v))
			return err(c, TEEABI_E_SCALE_UTF8, at);
		c->pos += used + (size_t)v;
		if (f->rec) {
			c->r->off[f->rec] = at + used;
			c->r->len[f->rec] = (size_t)v;
		}
		return 1;
	case VEC: {
		if ((e = ref_compact(c->d + c->pos, left, c->strict, &v, &used)))
			return err(c, e, at);
		size_t m = min_size(f->elem, f->nelem);
		if (v > (left - used) / m)
			return err(c, TEEABI_E_SCALE_COUNT, at);
		c->pos += used;
		size_t start = c->pos;
		for (uint64_t i = 0; i < v; i++)
			if (!seq(c, f->elem, f->nelem))
				return 0;
		if (f->rec) {
			c->r->off[f->rec] = start;
			c->r->len[f->rec] = c->pos - start;
			c->r->count[f->rec] = (size_t)v;
		}
		return 1;
	}
	}
	return 0;
}

static int seq(struct rd *c, const struct node *f, size_t nf)
{
	for (size_t i = 0; i < nf; i++)
		if (!field(c, &f[i]))
			return 0;
	return 1;
}

static void ref_parse(const uint8_t *d, size_t n, int strict, struct ref *r)
{
	memset(r, 0, sizeof(*r));
	struct rd c = { d, n, 0, strict, r };
	if (n < 1) {
		err(&c, TEEABI_E_SCALE_SHORT, 0);
		return;
	}
	if (d[0] != 0) {
		err(&c, TEEABI_E_SCALE_VERSION, 0);
		return;
	}
	if (n < 2) {
		err(&c, TEEABI_E_SCALE_SHORT, 1);
		return;
	}
	c.pos = 2;
	static const struct { const struct node *f; size_t n; } body[] = {
		{ v_tdx, N(v_tdx) }, { v_gcp, N(v_gcp) }, { v_doc, N(v_doc) }, { v_snp, N(v_snp) }, { v_doc, N(v_doc) },
	};
	if (d[1] >= N(body)) {
		err(&c, TEEABI_E_SCALE_VARIANT, 1);
		return;
	}
	if (!seq(&c, body[d[1]].f, body[d[1]].n) || !seq(&c, v_tail, N(v_tail)))
		return;
	r->end = c.pos;
	if (strict && c.pos != n) {
		err(&c, TEEABI_E_SCALE_TRAILING, c.pos);
		return;
	}
	r->e = TEEABI_OK;
}

/* ---------------------------------------------------------------- comparisons */
static void same_slice(const uint8_t *d, const struct teeabi_slice *s, const struct ref *r, enum rec k, const char *what)
{
	if (s->len == 0 && r->len[k] == 0)
		return;
	FZ_CHECK(s->p >= d && (size_t)(s->p - d) == r->off[k] && s->len == r->len[k], "%s: %zd+%zu, reference %zu+%zu",
		 what, s->p ? (ssize_t)(s->p - d) : -1, s->len, r->off[k], r->len[k]);
}

static void inside(const struct teeabi_slice *outer, const struct teeabi_slice *s, const char *what)
{
	FZ_CHECK(s->len == 0 || (s->p >= outer->p && s->len <= outer->len && (size_t)(s->p - outer->p) <= outer->len - s->len),
		 "%s outside its vector", what);
}

static void walk_events(struct teeabi_slice v, size_t count, int tdx)
{
	size_t off = 0;
	for (size_t i = 0; i < count; i++) {
		struct teeabi_dstack_scale_event ev;
		teeabi_err e = tdx ? teeabi_dstack_scale_next_tdx_event(v, &off, &ev)
				   : teeabi_dstack_scale_next_runtime_event(v, &off, &ev);
		FZ_CHECK(e == TEEABI_OK, "walker: element %zu of %zu: %s", i, count, teeabi_err_name(e));
		inside(&v, &ev.digest, "digest");
		inside(&v, &ev.event, "event");
		inside(&v, &ev.payload, "payload");
		FZ_CHECK(ref_utf8(ev.event.p, ev.event.len), "event name not UTF-8");
		if (!tdx)
			FZ_CHECK(ev.digest.len == 0 && ev.imr == 0 && ev.event_type == 0, "runtime event with tdx fields");
	}
	FZ_CHECK(off == v.len, "walker ended at %zu of %zu", off, v.len);
}

static void check_ok(const uint8_t *d, size_t n, const struct teeabi_dstack_att *a, const struct ref *r)
{
	FZ_CHECK(a->version == 0 && a->variant == d[1], "version/variant");
	same_slice(d, &a->payload, r, R_PAYLOAD, "payload");
	FZ_CHECK(a->payload_off == r->off[R_PAYLOAD], "payload_off");
	same_slice(d, &a->event_log, r, R_EVLOG, "event_log");
	FZ_CHECK(a->event_log_count == r->count[R_EVLOG], "event_log_count");
	same_slice(d, &a->cert_chain, r, R_CERTS, "cert_chain");
	FZ_CHECK(a->cert_count == r->count[R_CERTS], "cert_count");
	same_slice(d, &a->mr_config, r, R_MRCONFIG, "mr_config");
	same_slice(d, &a->tpm.message, r, R_TPM_MSG, "tpm.message");
	same_slice(d, &a->tpm.signature, r, R_TPM_SIG, "tpm.signature");
	same_slice(d, &a->tpm.pcr_values, r, R_TPM_PCR, "tpm.pcr_values");
	FZ_CHECK(a->tpm.pcr_count == r->count[R_TPM_PCR], "tpm.pcr_count");
	same_slice(d, &a->tpm.ak_cert, r, R_TPM_AK, "tpm.ak_cert");
	same_slice(d, &a->tpm.event_log, r, R_TPM_EV, "tpm.event_log");
	FZ_CHECK(a->tpm.event_count == r->count[R_TPM_EV], "tpm.event_count");
	if (d[1] == TEEABI_DSTACK_GCP_TDX)
		FZ_CHECK(a->tpm.platform == r->plat, "tpm.platform");
	same_slice(d, &a->runtime_events, r, R_RUNTIME, "runtime_events");
	FZ_CHECK(a->runtime_event_count == r->count[R_RUNTIME], "runtime_event_count");
	FZ_CHECK(a->report_data == d + r->off[R_RD], "report_data");
	same_slice(d, &a->config, r, R_CONFIG, "config");
	FZ_CHECK(a->scale_len == r->end && a->trailing.len == n - r->end &&
			 (a->trailing.len == 0 || a->trailing.p == d + r->end),
		 "scale_len %zu trailing %zu, reference end %zu of %zu", a->scale_len, a->trailing.len, r->end, n);
	walk_events(a->event_log, a->event_log_count, 1);
	walk_events(a->runtime_events, a->runtime_event_count, 0);
	size_t off = 0;
	for (size_t i = 0; i < a->cert_count; i++) {
		struct teeabi_slice c;
		FZ_CHECK(teeabi_dstack_scale_next_bytes(a->cert_chain, &off, &c) == TEEABI_OK, "cert walker");
		inside(&a->cert_chain, &c, "certificate");
	}
	FZ_CHECK(off == a->cert_chain.len, "cert walker ended at %zu of %zu", off, a->cert_chain.len);
	FZ_CHECK(teeabi_dstack_variant_name(a->variant) && teeabi_dstack_platform_name(a->variant), "variant names");
}

static void check_compact(const uint8_t *d, size_t n)
{
	for (int strict = 0; strict <= 1; strict++) {
		uint64_t v = 0, rv = 0;
		size_t u = 0, ru = 0;
		teeabi_err e = teeabi_scale_compact_decode(d, n, strict ? TEEABI_SCALE_STRICT : 0, &v, &u);
		teeabi_err re = ref_compact(d, n, strict, &rv, &ru);
		FZ_CHECK(e == re, "compact (strict %d): %s, reference %s", strict, teeabi_err_name(e), teeabi_err_name(re));
		if (e)
			continue;
		FZ_CHECK(v == rv && u == ru && u <= n, "compact value/used");
		if (strict) {
			uint8_t out[9];
			size_t k = teeabi_scale_compact_encode(out, v);
			FZ_CHECK(k == u && !memcmp(out, d, k), "canonical compact does not re-encode to its bytes");
		}
	}
	uint64_t x = 0;
	for (size_t i = 0; i < 8 && i < n; i++)
		x |= (uint64_t)d[n - 1 - i] << (8 * i);
	x >>= (n ? d[0] : 0) & 63; /* spread over all magnitudes */
	uint8_t out[9];
	size_t k = teeabi_scale_compact_encode(out, x), u;
	uint64_t back;
	FZ_CHECK(k == enc_len(x), "encode length %zu for %llu", k, (unsigned long long)x);
	FZ_CHECK(teeabi_scale_compact_decode(out, k, TEEABI_SCALE_STRICT, &back, &u) == TEEABI_OK && back == x && u == k,
		 "encode/decode round trip of %llu", (unsigned long long)x);
}

static int ref_sniff(const uint8_t *d, size_t n, size_t *payload_end)
{
	if (n < 3 || d[0] != 0 || (d[1] != 0 && d[1] != 1 && d[1] != 3))
		return 0;
	uint64_t v;
	size_t u;
	if (ref_compact(d + 2, n - 2, 0, &v, &u) || v > n - 2 - u)
		return 0;
	*payload_end = 2 + u + (size_t)v;
	if (d[1] == 3) {
		struct teeabi_snp_report r;
		return teeabi_snp_report_parse(d + 2 + u, (size_t)v, 0, &r) == TEEABI_OK;
	}
	struct teeabi_tdx_quote q;
	return teeabi_tdx_quote_parse(d + 2 + u, (size_t)v, TEEABI_QUOTE_DEFAULT, &q) == TEEABI_OK;
}

int LLVMFuzzerTestOneInput(const uint8_t *d, size_t n)
{
	if (n > 1 << 20)
		return 0;
	struct teeabi_dstack_att a[2];
	teeabi_err e[2];
	for (int strict = 0; strict <= 1; strict++) {
		struct ref r;
		ref_parse(d, n, strict, &r);
		e[strict] = teeabi_dstack_scale_parse(d, n, strict ? TEEABI_SCALE_STRICT : 0, &a[strict]);
		/* the fast path and the field-by-field parse give the same struct, byte for byte */
		struct teeabi_dstack_att ck;
		teeabi_err ec = teeabi_dstack_scale_parse(d, n, (strict ? TEEABI_SCALE_STRICT : 0) | TEEABI_SCALE_CHECKED, &ck);
		FZ_CHECK(ec == e[strict] && !memcmp(&ck, &a[strict], sizeof(ck)), "strict %d: fast path %s, checked %s",
			 strict, teeabi_err_name(e[strict]), teeabi_err_name(ec));
		FZ_CHECK(e[strict] == r.e, "strict %d: parse %s (%s at %zu), reference %s at %zu", strict,
			 teeabi_err_name(e[strict]), a[strict].err_field, a[strict].err_off, teeabi_err_name(r.e),
			 r.err_off);
		if (e[strict] == TEEABI_OK) {
			check_ok(d, n, &a[strict], &r);
		} else {
			FZ_CHECK(a[strict].err_off == r.err_off, "strict %d: %s at %zu (%s), reference at %zu", strict,
				 teeabi_err_name(e[strict]), a[strict].err_off, a[strict].err_field, r.err_off);
			FZ_CHECK(a[strict].err_field[0] && a[strict].err_off <= n, "error location");
		}
	}
	if (e[1] == TEEABI_OK)
		FZ_CHECK(e[0] == TEEABI_OK && a[0].scale_len == a[1].scale_len && a[1].trailing.len == 0 &&
				 a[0].runtime_event_count == a[1].runtime_event_count,
			 "strict accepts what lenient rejects");

	check_compact(d, n);

	size_t pend = 0;
	int sn = teeabi_dstack_scale_sniff(d, n);
	FZ_CHECK(sn == ref_sniff(d, n, &pend), "sniff says %d", sn);
	if (sn && e[0] != TEEABI_OK)
		FZ_CHECK(a[0].err_off >= pend, "sniffed input fails at %zu, inside the payload (ends %zu)", a[0].err_off, pend);
	return 0;
}
