/* SPDX-License-Identifier: Apache-2.0 */
/*
 * fuzz/fuzz_dstack.c - dstack GetQuote response parser, event-log digests and RTMR replay
 * (lib/dstack.c; the embedded quote goes through lib/tdx_quote.c).
 *
 * Input: the JSON text of a response. The digest rule passed in is V2 for odd sizes and
 * V1 for even ones (a response may override it with "event_log_version").
 *
 * Properties: an independent model written here from docs/dstack-os.md §3.3-3.5 and the
 * contract in teeabi/dstack.h (json-c for the syntax, everything else by hand: hex with
 * an optional 0x prefix, imr 0..3, u32 event types, 48-byte or empty runtime digests,
 * the V1 digest SHA384(LE32(0x08000001) ":" event ":" payload), the V2 digest SHA-384 of
 * the RFC 8785 text {"name":..,"payload":<hex>,"type":134217729} built here, the replay
 * RTMR = SHA384(RTMR || digest)) decides accept or reject, and on accept:
 *   - events / events_recomputed / events_digest_mismatch / digest_rule / replayed[]
 *     / report_data equal the model's,
 *   - the quote bytes are the decoded hex; when non-empty they were parsed, the view
 *     points into them and matches a fresh parse, and rtmr_match[] / report_data_match
 *     compare exactly those bytes;
 * on reject: a known error code, a non-empty err_detail, no quote left allocated; and
 * when the response's only defect is a well-formed hex report_data longer than 64 bytes
 * (dstack-os.md §3.3, at most 64 bytes), the code is E_DSTACK_REPORT_DATA.
 * LeakSanitizer checks that both paths free everything.
 */
#include <limits.h>
#include <json-c/json.h>
#include <openssl/evp.h>
#include "fuzz.h"
#include "fz_json.h"
#include "teeabi/dstack.h"
#include "teeabi/err.h"
#include "teeabi/tdx.h"

#define RUNTIME 0x08000001u

/* ---------------------------------------------------------------- the model */
struct model {
	int ok;
	int rule;
	size_t events, recomputed, mismatch;
	uint8_t replay[4][48];
	uint8_t *quote;
	size_t quote_len;
	int has_rd;
	uint8_t rd[64];
	int rd_too_long;  /* report_data is valid hex of more than 64 bytes */
	teeabi_err err;   /* the code the parser must return, when the model knows it */
};

static int hexval(char c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	if (c >= 'a' && c <= 'f')
		return c - 'a' + 10;
	if (c >= 'A' && c <= 'F')
		return c - 'A' + 10;
	return -1;
}

/* hex string (one optional 0x/0X prefix) -> malloc'd bytes; 0 on success */
static int unhex(json_object *s, size_t cap, uint8_t **out, size_t *n)
{
	const char *h = json_object_get_string(s);
	size_t hl = (size_t)json_object_get_string_len(s);
	*out = NULL;
	*n = 0;
	if (hl >= 2 && h[0] == '0' && (h[1] == 'x' || h[1] == 'X'))
		h += 2, hl -= 2;
	if (hl % 2 || hl / 2 > cap)
		return -1;
	uint8_t *b = malloc(hl / 2 + 1);
	FZ_CHECK(b, "malloc");
	for (size_t i = 0; i < hl / 2; i++) {
		int a = hexval(h[2 * i]), c = hexval(h[2 * i + 1]);
		if (a < 0 || c < 0) {
			free(b);
			return -1;
		}
		b[i] = (uint8_t)(a << 4 | c);
	}
	*out = b;
	*n = hl / 2;
	return 0;
}

static void sha384(uint8_t out[48], const void *a, size_t al, const void *b, size_t bl, const void *c, size_t cl)
{
	EVP_MD_CTX *x = EVP_MD_CTX_new();
	unsigned int ol = 0;
	FZ_CHECK(x && EVP_DigestInit_ex(x, EVP_sha384(), NULL) == 1 && EVP_DigestUpdate(x, a, al) == 1 &&
			 EVP_DigestUpdate(x, b, bl) == 1 && EVP_DigestUpdate(x, c, cl) == 1 &&
			 EVP_DigestFinal_ex(x, out, &ol) == 1 && ol == 48,
		 "SHA-384 failed");
	EVP_MD_CTX_free(x);
}

/* RFC 3629 well-formed UTF-8 */
static int utf8_valid(const uint8_t *s, size_t n)
{
	for (size_t i = 0; i < n;) {
		uint8_t c = s[i];
		size_t k;
		uint32_t cp;
		if (c < 0x80) {
			i++;
			continue;
		}
		if ((c & 0xE0) == 0xC0)
			k = 1, cp = c & 0x1F;
		else if ((c & 0xF0) == 0xE0)
			k = 2, cp = c & 0x0F;
		else if ((c & 0xF8) == 0xF0)
			k = 3, cp = c & 0x07;
		else
			return 0;
		if (i + k >= n) /* continuation bytes past the end */
			return 0;
		for (size_t j = 1; j <= k; j++) {
			if ((s[i + j] & 0xC0) != 0x80)
				return 0;
			cp = cp << 6 | (s[i + j] & 0x3F);
		}
		static const uint32_t min[] = { 0, 0x80, 0x800, 0x10000 };
		if (cp < min[k] || cp > 0x10FFFF || (cp >= 0xD800 && cp <= 0xDFFF))
			return 0;
		i += k + 1;
	}
	return 1;
}

/* A growable byte buffer for the JCS text. */
struct sb {
	char *p;
	size_t n, cap;
};
static void sb_put(struct sb *b, const void *s, size_t n)
{
	if (b->n + n + 1 > b->cap) {
		b->cap = (b->n + n + 1) * 2;
		b->p = realloc(b->p, b->cap);
		FZ_CHECK(b->p, "realloc");
	}
	memcpy(b->p + b->n, s, n);
	b->n += n;
}
static void sb_str(struct sb *b, const char *s) { sb_put(b, s, strlen(s)); }

/* RFC 8785 §3.2.2.2 string serialisation */
static void jcs_string(struct sb *b, const uint8_t *s, size_t n)
{
	static const char hx[] = "0123456789abcdef";
	sb_put(b, "\"", 1);
	for (size_t i = 0; i < n; i++) {
		uint8_t c = s[i];
		switch (c) {
		case '"': sb_str(b, "\\\""); break;
		case '\\': sb_str(b, "\\\\"); break;
		case '\b': sb_str(b, "\\b"); break;
		case '\t': sb_str(b, "\\t"); break;
		case '\n': sb_str(b, "\\n"); break;
		case '\f': sb_str(b, "\\f"); break;
		case '\r': sb_str(b, "\\r"); break;
		default:
			if (c < 0x20) {
				char u[6] = { '\\', 'u', '0', '0', hx[c >> 4], hx[c & 15] };
				sb_put(b, u, 6);
			} else {
				sb_put(b, &c, 1);
			}
		}
	}
	sb_put(b, "\"", 1);
}

static int model_event(json_object *e, int rule, struct model *m)
{
	if (!json_object_is_type(e, json_type_object))
		return -1;
	json_object *ji, *jt, *jd, *jn, *jp;
	if (!json_object_object_get_ex(e, "imr", &ji) || !json_object_is_type(ji, json_type_int) ||
	    !json_object_object_get_ex(e, "event_type", &jt) || !json_object_is_type(jt, json_type_int) ||
	    !json_object_object_get_ex(e, "digest", &jd) || !json_object_is_type(jd, json_type_string) ||
	    !json_object_object_get_ex(e, "event", &jn) || !json_object_is_type(jn, json_type_string) ||
	    !json_object_object_get_ex(e, "event_payload", &jp) || !json_object_is_type(jp, json_type_string))
		return -1;
	int64_t imr = json_object_get_int64(ji), et = json_object_get_int64(jt);
	if (imr < 0 || imr > 3 || et < 0 || et > 0xFFFFFFFFll)
		return -1;
	uint8_t *dig = NULL, *pay = NULL;
	size_t dl, pl;
	int rc = -1;
	if (unhex(jd, 48, &dig, &dl) || unhex(jp, SIZE_MAX / 4, &pay, &pl))
		goto out;
	const uint8_t *name = (const uint8_t *)json_object_get_string(jn);
	size_t nl = (size_t)json_object_get_string_len(jn);
	int runtime = (uint32_t)et == RUNTIME;
	uint8_t calc[48], use[48];
	if (runtime) {
		if (memchr(name, 0, nl))
			goto out;
		if (rule == 2) {
			if (!utf8_valid(name, nl))
				goto out;
			struct sb b = { 0 };
			sb_str(&b, "{\"name\":");
			jcs_string(&b, name, nl);
			sb_str(&b, ",\"payload\":\"");
			static const char hx[] = "0123456789abcdef";
			for (size_t i = 0; i < pl; i++) {
				char two[2] = { hx[pay[i] >> 4], hx[pay[i] & 15] };
				sb_put(&b, two, 2);
			}
			sb_str(&b, "\",\"type\":134217729}");
			sha384(calc, b.p, b.n, "", 0, "", 0);
			free(b.p);
		} else {
			uint8_t t[5] = { RUNTIME & 0xFF, (RUNTIME >> 8) & 0xFF, (RUNTIME >> 16) & 0xFF, RUNTIME >> 24, ':' };
			EVP_MD_CTX *x = EVP_MD_CTX_new();
			unsigned int ol = 0;
			FZ_CHECK(x && EVP_DigestInit_ex(x, EVP_sha384(), NULL) == 1 && EVP_DigestUpdate(x, t, 5) == 1 &&
					 EVP_DigestUpdate(x, name, nl) == 1 && EVP_DigestUpdate(x, ":", 1) == 1 &&
					 EVP_DigestUpdate(x, pay, pl) == 1 && EVP_DigestFinal_ex(x, calc, &ol) == 1,
				 "SHA-384 failed");
			EVP_MD_CTX_free(x);
		}
	}
	if (dl == 48) {
		memcpy(use, dig, 48);
		if (runtime && memcmp(calc, dig, 48))
			m->mismatch++;
	} else if (dl == 0 && runtime) {
		memcpy(use, calc, 48);
		m->recomputed++;
	} else {
		goto out;
	}
	sha384(m->replay[imr], m->replay[imr], 48, use, 48, "", 0);
	rc = 0;
out:
	free(dig);
	free(pay);
	return rc;
}

static void model_run(const char *s, size_t len, int rule, struct model *m)
{
	memset(m, 0, sizeof(*m));
	json_object *root = fz_strict_json(s, len), *ev = NULL;
	if (!root || !json_object_is_type(root, json_type_object))
		goto out;
	json_object *v;
	if (json_object_object_get_ex(root, "event_log_version", &v)) {
		if (!json_object_is_type(v, json_type_int))
			goto out;
		int64_t x = json_object_get_int64(v);
		if (x != 1 && x != 2)
			goto out;
		rule = (int)x;
	}
	m->rule = rule;
	/* the Tappd fields, when present: JSON strings that fit teeabi/dstack.h's buffers
	 * (hash_algorithm[16], prefix[64], with their NUL) and hold no NUL themselves */
	static const struct { const char *key; size_t cap; } tappd[] = { { "hash_algorithm", 16 }, { "prefix", 64 } };
	for (size_t i = 0; i < sizeof(tappd) / sizeof(tappd[0]); i++)
		if (json_object_object_get_ex(root, tappd[i].key, &v) &&
		    (!json_object_is_type(v, json_type_string) || (size_t)json_object_get_string_len(v) >= tappd[i].cap ||
		     memchr(json_object_get_string(v), 0, (size_t)json_object_get_string_len(v))))
			goto out;
	if (!json_object_object_get_ex(root, "quote", &v) || !json_object_is_type(v, json_type_string) ||
	    unhex(v, 128 * 1024, &m->quote, &m->quote_len))
		goto out;
	if (json_object_object_get_ex(root, "report_data", &v)) {
		uint8_t *r;
		size_t rl;
		if (!json_object_is_type(v, json_type_string) || unhex(v, SIZE_MAX / 4, &r, &rl))
			goto out;
		if (rl > 64) {
			m->rd_too_long = 1; /* the verdict on its own: see the end */
		} else {
			memcpy(m->rd, r, rl);
			m->has_rd = 1;
		}
		free(r);
	}
	if (!json_object_object_get_ex(root, "event_log", &v) || !v)
		goto out;
	json_object *arr = v;
	if (json_object_is_type(v, json_type_string)) {
		size_t el = (size_t)json_object_get_string_len(v);
		arr = NULL;
		if (el) {
			ev = fz_strict_json(json_object_get_string(v), el);
			if (!ev)
				goto out;
			arr = ev;
		}
	}
	if (arr && !json_object_is_type(arr, json_type_array))
		goto out;
	size_t n = arr ? json_object_array_length(arr) : 0;
	if (n > 4096)
		goto out;
	m->events = n;
	for (size_t i = 0; i < n; i++)
		if (model_event(json_object_array_get_idx(arr, i), rule, m))
			goto out;
	if (m->quote_len) {
		struct teeabi_tdx_quote q;
		if (teeabi_tdx_quote_parse(m->quote, m->quote_len, TEEABI_QUOTE_DEFAULT, &q))
			goto out;
	}
	if (m->rd_too_long)
		m->err = TEEABI_E_DSTACK_REPORT_DATA; /* the only defect of the response */
	else
		m->ok = 1;
out:
	json_object_put(ev);
	json_object_put(root);
}

/* ---------------------------------------------------------------- the target */
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	if (size > 256 * 1024)
		return 0;
	int rule = (size & 1) ? TEEABI_DIGEST_V2 : TEEABI_DIGEST_V1;
	static struct teeabi_dstack_quote_resp r;
	struct model m;
	teeabi_err e = teeabi_dstack_quote_resp_parse((const char *)data, size, rule, &r);
	model_run((const char *)data, size, rule, &m);
	FZ_CHECK((e == TEEABI_OK) == (m.ok == 1), "parse returned %s (%s), the model %s it", teeabi_err_name(e),
		 r.err_detail, m.ok ? "accepts" : "rejects");
	if (e != TEEABI_OK) {
		FZ_CHECK(!m.err || e == m.err, "parse returned %s (%s), expected %s", teeabi_err_name(e), r.err_detail,
			 teeabi_err_name(m.err));
		FZ_CHECK((unsigned)e < TEEABI_ERR_COUNT && strcmp(teeabi_err_name(e), "E_?"), "unknown error %d", (int)e);
		FZ_CHECK(memchr(r.err_detail, 0, sizeof(r.err_detail)) && r.err_detail[0], "%s with no err_detail",
			 teeabi_err_name(e));
		FZ_CHECK(r.quote == NULL && r.quote_len == 0 && !r.quote_parsed, "quote left set after an error");
		free(m.quote);
		return 0;
	}
	FZ_CHECK(r.digest_rule == m.rule, "digest_rule %d, expected %d", r.digest_rule, m.rule);
	FZ_CHECK(r.events == m.events && r.events_recomputed == m.recomputed && r.events_digest_mismatch == m.mismatch,
		 "events %zu/%zu recomputed %zu/%zu mismatch %zu/%zu", r.events, m.events, r.events_recomputed,
		 m.recomputed, r.events_digest_mismatch, m.mismatch);
	for (int i = 0; i < 4; i++)
		FZ_CHECK(!memcmp(r.replayed[i], m.replay[i], 48), "replayed RTMR%d differs from the model", i);
	FZ_CHECK(r.has_report_data == m.has_rd && (!m.has_rd || !memcmp(r.report_data, m.rd, 64)), "report_data");
	FZ_CHECK(r.quote_len == m.quote_len && (!m.quote_len || !memcmp(r.quote, m.quote, m.quote_len)),
		 "quote bytes (%zu vs %zu)", r.quote_len, m.quote_len);
	FZ_CHECK(r.quote_parsed == (r.quote_len > 0), "quote_parsed %d with %zu quote bytes", r.quote_parsed, r.quote_len);
	if (r.quote_parsed) {
		struct teeabi_tdx_quote q;
		FZ_CHECK(teeabi_tdx_quote_parse(r.quote, r.quote_len, TEEABI_QUOTE_DEFAULT, &q) == TEEABI_OK, "re-parse");
		FZ_CHECK(r.q.quote_len == q.quote_len && r.q.body_type == q.body_type && r.q.signature == q.signature &&
				 r.q.inner_cert.p == q.inner_cert.p,
			 "stored quote view differs from a fresh parse of the stored bytes");
		for (int i = 0; i < 4; i++) {
			int want = q.td.rtmr[i] && !memcmp(q.td.rtmr[i], m.replay[i], 48);
			FZ_CHECK(r.rtmr_match[i] == want, "rtmr_match[%d] %d, expected %d", i, r.rtmr_match[i], want);
		}
		const uint8_t *qrd = q.body_type == TEEABI_QUOTE_BODY_SGX ? q.sgx.report_data : q.td.report_data;
		int want = m.has_rd && !memcmp(qrd, m.rd, 64);
		FZ_CHECK(r.report_data_match == want, "report_data_match %d, expected %d", r.report_data_match, want);
	} else {
		for (int i = 0; i < 4; i++)
			FZ_CHECK(!r.rtmr_match[i], "rtmr_match without a quote");
		FZ_CHECK(!r.report_data_match, "report_data_match without a quote");
	}
	teeabi_dstack_quote_resp_free(&r);
	FZ_CHECK(r.quote == NULL && r.quote_len == 0, "free left the quote");
	free(m.quote);
	return 0;
}
