/* SPDX-License-Identifier: Apache-2.0 */
/*
 * dstack.c - dstack GetQuote responses: event-log parsing, runtime-event digests (V1/V2),
 * RTMR replay and comparison with the TDX quote (docs/dstack-os.md §3.3-3.5).
 *
 * Response: {"quote": hex, "event_log": "<JSON array as a string>" (an array is accepted
 * too), "report_data": hex (optional, <= 64 bytes, zero-padded), "vm_config": ...,
 * "event_log_version": 1|2 (optional)}. Entries: {imr 0..3, event_type u32, digest hex
 * (48 bytes, or "" for a runtime event), event string, event_payload hex}.
 * JSON is handled by json-c; hashing by OpenSSL.
 */
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <json-c/json.h>
#include <openssl/evp.h>
#include "teeabi/dstack.h"

#define MAX_JSON_LEN (64u * 1024 * 1024)
#define JSON_DEPTH 32

static int sha384_parts(uint8_t out[48], const void *const *parts, const size_t *lens, size_t n)
{
	EVP_MD_CTX *c = EVP_MD_CTX_new();
	int ok = c && EVP_DigestInit_ex(c, EVP_sha384(), NULL) == 1;
	for (size_t i = 0; ok && i < n; i++)
		ok = EVP_DigestUpdate(c, parts[i], lens[i]) == 1;
	unsigned int ol = 0;
	ok = ok && EVP_DigestFinal_ex(c, out, &ol) == 1 && ol == 48;
	EVP_MD_CTX_free(c);
	return ok;
}

void teeabi_dstack_event_digest_v1(uint8_t out[48], const char *event, const uint8_t *payload, size_t payload_len)
{
	uint8_t t[4];
	teeabi_put_le32(t, TEEABI_DSTACK_EVENT_TYPE_RUNTIME);
	const void *parts[] = { t, ":", event ? event : "", ":", payload ? (const void *)payload : "" };
	size_t lens[] = { 4, 1, event ? strlen(event) : 0, 1, payload ? payload_len : 0 };
	if (!sha384_parts(out, parts, lens, 5))
		memset(out, 0, 48);
}

teeabi_err teeabi_dstack_event_digest_v2(uint8_t out[48], const char *event, const uint8_t *payload, size_t payload_len)
{
	if (!out || !event || (!payload && payload_len))
		return TEEABI_E_NULL;
	/* JCS requires well-formed strings */
	if (!teeabi_utf8_valid((const uint8_t *)event, strlen(event)))
		return TEEABI_E_EVLOG_ENTRY;
	if (payload_len > (SIZE_MAX - 1) / 2)
		return TEEABI_E_NOMEM;
	char *hex = malloc(2 * payload_len + 1);
	if (!hex)
		return TEEABI_E_NOMEM;
	teeabi_hex(hex, payload ? payload : (const uint8_t *)"", payload_len);
	teeabi_err ret = TEEABI_E_NOMEM;
	/* RFC 8785: keys sorted (name, payload, type); json-c keeps insertion order, escapes
	 * only '"', '\\' and control characters (lowercase \u00xx), '/' left alone. */
	json_object *o = json_object_new_object();
	json_object *jn = json_object_new_string(event);
	json_object *jp = json_object_new_string(hex);
	json_object *jt = json_object_new_int64(TEEABI_DSTACK_EVENT_TYPE_RUNTIME);
	if (!o || !jn || !jp || !jt) {
		json_object_put(jn);
		json_object_put(jp);
		json_object_put(jt);
		goto out;
	}
	json_object_object_add(o, "name", jn);
	json_object_object_add(o, "payload", jp);
	json_object_object_add(o, "type", jt);
	size_t sl = 0;
	const char *s = json_object_to_json_string_length(o, JSON_C_TO_STRING_PLAIN | JSON_C_TO_STRING_NOSLASHESCAPE, &sl);
	if (!s)
		goto out;
	const void *parts[] = { s };
	size_t lens[] = { sl };
	ret = sha384_parts(out, parts, lens, 1) ? TEEABI_OK : TEEABI_E_CRYPTO;
out:
	json_object_put(o);
	free(hex);
	return ret;
}

void teeabi_rtmr_extend(uint8_t rtmr[48], const uint8_t digest[48])
{
	uint8_t n[48];
	const void *parts[] = { rtmr, digest };
	size_t lens[] = { 48, 48 };
	if (sha384_parts(n, parts, lens, 2))
		memcpy(rtmr, n, 48);
}

void teeabi_dstack_quote_resp_free(struct teeabi_dstack_quote_resp *r)
{
	if (!r)
		return;
	free(r->quote);
	r->quote = NULL;
	r->quote_len = 0;
}

/* Parse exactly [s, s+len) as one JSON value (surrounding whitespace allowed). */
static teeabi_err parse_json(const char *s, size_t len, json_object **out)
{
	*out = NULL;
	if (len > MAX_JSON_LEN || len > INT_MAX)
		return TEEABI_E_JSON;
	/* json-c stops at a NUL byte; such input is not one JSON text */
	if (memchr(s, 0, len))
		return TEEABI_E_JSON;
	json_tokener *tok = json_tokener_new_ex(JSON_DEPTH);
	if (!tok)
		return TEEABI_E_NOMEM;
	json_tokener_set_flags(tok, JSON_TOKENER_STRICT);
	json_object *o = json_tokener_parse_ex(tok, s, (int)len);
	enum json_tokener_error je = json_tokener_get_error(tok);
	size_t used = json_tokener_get_parse_end(tok);
	json_tokener_free(tok);
	if (!o || je != json_tokener_success) {
		json_object_put(o);
		return TEEABI_E_JSON;
	}
	for (size_t i = used; i < len; i++) {
		char c = s[i];
		if (c != ' ' && c != '\t' && c != '\n' && c != '\r') {
			json_object_put(o);
			return TEEABI_E_JSON;
		}
	}
	*out = o;
	return TEEABI_OK;
}

/* Hex string field (one optional 0x prefix) -> malloc'd bytes (may be 0 long). */
static teeabi_err get_hex(json_object *s, uint8_t **out, size_t *out_len, size_t cap, teeabi_err too_big)
{
	*out = NULL;
	*out_len = 0;
	size_t hl = (size_t)json_object_get_string_len(s);
	const char *h = json_object_get_string(s);
	size_t digits = hl;
	if (hl >= 2 && h[0] == '0' && (h[1] == 'x' || h[1] == 'X'))
		digits -= 2;
	if (digits % 2)
		return TEEABI_E_HEX;
	if (digits / 2 > cap)
		return too_big;
	uint8_t *b = malloc(digits / 2 + 1);
	if (!b)
		return TEEABI_E_NOMEM;
	/* teeabi_unhex strips the prefix itself; stripping it here as well accepted "0x0x12" */
	long n = teeabi_unhex(b, digits / 2, h, hl);
	if (n < 0) {
		free(b);
		return TEEABI_E_HEX;
	}
	*out = b;
	*out_len = (size_t)n;
	return TEEABI_OK;
}

static json_object *field(json_object *o, const char *k, enum json_type t)
{
	json_object *v = NULL;
	if (!json_object_object_get_ex(o, k, &v) || !json_object_is_type(v, t))
		return NULL;
	return v;
}

#define FAIL(code, ...)                                                          \
	do {                                                                     \
		ret = (code);                                                    \
		snprintf(out->err_detail, sizeof(out->err_detail), __VA_ARGS__); \
		goto out;                                                        \
	} while (0)

static teeabi_err do_event(json_object *e, size_t i, int rule, const struct teeabi_dstack_parse_opts *opts,
			   struct teeabi_dstack_quote_resp *out)
{
	teeabi_err ret = TEEABI_OK;
	uint8_t *dig = NULL, *pay = NULL;
	size_t dl = 0, pl = 0;
	if (!json_object_is_type(e, json_type_object))
		FAIL(TEEABI_E_EVLOG_ENTRY, "event_log[%zu] is not an object", i);
	json_object *jimr = field(e, "imr", json_type_int);
	if (!jimr)
		FAIL(TEEABI_E_EVLOG_ENTRY, "event_log[%zu].imr missing or not an integer", i);
	int64_t imr = json_object_get_int64(jimr);
	if (imr < 0 || imr > 3)
		FAIL(TEEABI_E_EVLOG_IMR, "event_log[%zu].imr = %lld", i, (long long)imr);
	json_object *jt = field(e, "event_type", json_type_int);
	if (!jt)
		FAIL(TEEABI_E_EVLOG_ENTRY, "event_log[%zu].event_type missing or not an integer", i);
	int64_t et = json_object_get_int64(jt);
	if (et < 0 || et > (int64_t)UINT32_MAX)
		FAIL(TEEABI_E_EVLOG_ENTRY, "event_log[%zu].event_type out of u32 range", i);
	json_object *jd = field(e, "digest", json_type_string);
	json_object *jn = field(e, "event", json_type_string);
	json_object *jp = field(e, "event_payload", json_type_string);
	if (!jd || !jn || !jp)
		FAIL(TEEABI_E_EVLOG_ENTRY, "event_log[%zu]: digest/event/event_payload missing or not strings", i);
	ret = get_hex(jd, &dig, &dl, 48, TEEABI_E_EVLOG_DIGEST);
	if (ret == TEEABI_E_EVLOG_DIGEST)
		FAIL(ret, "event_log[%zu].digest longer than 48 bytes", i);
	if (ret)
		FAIL(ret, "event_log[%zu].digest", i);
	ret = get_hex(jp, &pay, &pl, SIZE_MAX / 4, TEEABI_E_HEX);
	if (ret)
		FAIL(ret, "event_log[%zu].event_payload", i);
	bool runtime = (uint64_t)et == TEEABI_DSTACK_EVENT_TYPE_RUNTIME;
	const char *name = json_object_get_string(jn);
	if (runtime && strlen(name) != (size_t)json_object_get_string_len(jn))
		FAIL(TEEABI_E_EVLOG_ENTRY, "event_log[%zu].event contains a NUL", i);
	uint8_t calc[48], use[48];
	if (runtime) {
		if (rule == TEEABI_DIGEST_V2) {
			ret = teeabi_dstack_event_digest_v2(calc, name, pay, pl);
			if (ret)
				FAIL(ret, "event_log[%zu].event is not valid UTF-8", i);
		} else {
			teeabi_dstack_event_digest_v1(calc, name, pay, pl);
		}
	}
	if (dl == 48) {
		memcpy(use, dig, 48);
		if (runtime && memcmp(calc, dig, 48) != 0)
			out->events_digest_mismatch++;
	} else if (dl == 0 && runtime) {
		memcpy(use, calc, 48);
		out->events_recomputed++;
		out->stripped_runtime++;
	} else {
		FAIL(TEEABI_E_EVLOG_DIGEST, "event_log[%zu].digest is %zu bytes", i, dl);
	}
	teeabi_rtmr_extend(out->replayed[imr], use);
	out->imr_events[imr]++;
	if (imr < 3 && pl == 0)
		out->stripped_boot++;
	if (opts && opts->on_event) {
		struct teeabi_dstack_event ev = {
			.index = i, .imr = (uint32_t)imr, .event_type = (uint32_t)et, .event = name,
			.payload = pay, .payload_len = pl, .digest = use, .digest_given = dl == 48,
		};
		opts->on_event(opts->ctx, &ev);
	}
out:
	free(dig);
	free(pay);
	return ret;
}

/* Replay every entry of an event-log array into out. */
static teeabi_err replay_array(json_object *arr, int rule, const struct teeabi_dstack_parse_opts *opts,
			       struct teeabi_dstack_quote_resp *out)
{
	teeabi_err ret = TEEABI_OK;
	if (arr && !json_object_is_type(arr, json_type_array))
		FAIL(TEEABI_E_JSON_FIELD, "event_log is not an array");
	size_t n = arr ? json_object_array_length(arr) : 0;
	if (n > TEEABI_DSTACK_MAX_EVENTS)
		FAIL(TEEABI_E_EVLOG_TOO_MANY, "event_log has %zu entries", n);
	out->events = n;
	for (size_t i = 0; i < n; i++) {
		ret = do_event(json_object_array_get_idx(arr, i), i, rule, opts, out);
		if (ret)
			goto out;
	}
out:
	return ret;
}

/* Parse out->quote (when there is one) and compare it with the replay and report_data. */
static teeabi_err compare_quote(struct teeabi_dstack_quote_resp *out)
{
	teeabi_err ret = TEEABI_OK;
	if (out->quote_len == 0)
		return TEEABI_OK;
	ret = teeabi_tdx_quote_parse(out->quote, out->quote_len, TEEABI_QUOTE_DEFAULT, &out->q);
	if (ret)
		FAIL(ret, "quote: %s", teeabi_err_msg(ret));
	out->quote_parsed = true;
	for (int i = 0; i < 4; i++)
		out->rtmr_match[i] = out->q.td.rtmr[i] && memcmp(out->q.td.rtmr[i], out->replayed[i], 48) == 0;
	const uint8_t *qrd = out->q.td.report_data ? out->q.td.report_data
			   : out->q.body_type == TEEABI_QUOTE_BODY_SGX ? out->q.sgx.report_data : NULL;
	out->report_data_match = out->has_report_data && qrd && memcmp(qrd, out->report_data, 64) == 0;
out:
	return ret;
}

/* On an error: free what was built, keep only the detail text. */
static teeabi_err finish(teeabi_err ret, struct teeabi_dstack_quote_resp *out)
{
	if (ret) {
		char keep[sizeof(out->err_detail)];
		memcpy(keep, out->err_detail, sizeof(keep));
		teeabi_dstack_quote_resp_free(out);
		memset(out, 0, sizeof(*out));
		memcpy(out->err_detail, keep, sizeof(keep));
	}
	return ret;
}

static teeabi_err start(const char *json, const struct teeabi_dstack_parse_opts *opts, struct teeabi_dstack_quote_resp *out,
			int *rule)
{
	if (!out)
		return TEEABI_E_NULL;
	memset(out, 0, sizeof(*out));
	if (!json)
		return TEEABI_E_NULL;
	*rule = opts && opts->rule ? opts->rule : TEEABI_DIGEST_V1;
	if (*rule != TEEABI_DIGEST_V1 && *rule != TEEABI_DIGEST_V2)
		return TEEABI_E_INTERNAL;
	return TEEABI_OK;
}

/* Optional short string field copied into dst; false when present but not a fitting string. */
static bool opt_string(json_object *root, const char *k, char *dst, size_t cap, bool *present)
{
	json_object *v = NULL;
	*present = json_object_object_get_ex(root, k, &v);
	if (!*present)
		return true;
	if (!json_object_is_type(v, json_type_string) || (size_t)json_object_get_string_len(v) >= cap ||
	    strlen(json_object_get_string(v)) != (size_t)json_object_get_string_len(v))
		return false;
	memcpy(dst, json_object_get_string(v), (size_t)json_object_get_string_len(v) + 1);
	return true;
}

teeabi_err teeabi_dstack_quote_resp_parse_ex(const char *json, size_t len, const struct teeabi_dstack_parse_opts *opts,
					     struct teeabi_dstack_quote_resp *out)
{
	int rule;
	teeabi_err ret = start(json, opts, out, &rule);
	if (ret)
		return ret;
	json_object *root = NULL, *evparsed = NULL;

	ret = parse_json(json, len, &root);
	if (ret)
		FAIL(ret, "response is not one JSON value");
	if (!json_object_is_type(root, json_type_object))
		FAIL(TEEABI_E_JSON_FIELD, "response is not a JSON object");

	json_object *jv = NULL;
	if (json_object_object_get_ex(root, "event_log_version", &jv)) {
		int64_t v = json_object_is_type(jv, json_type_int) ? json_object_get_int64(jv) : 0;
		if (v != 1 && v != 2)
			FAIL(TEEABI_E_JSON_FIELD, "event_log_version is not 1 or 2");
		rule = (int)v;
	}
	out->digest_rule = rule;

	bool has_alg, has_prefix;
	if (!opt_string(root, "hash_algorithm", out->hash_algorithm, sizeof(out->hash_algorithm), &has_alg))
		FAIL(TEEABI_E_JSON_FIELD, "hash_algorithm is not a short string");
	if (!opt_string(root, "prefix", out->prefix, sizeof(out->prefix), &has_prefix))
		FAIL(TEEABI_E_JSON_FIELD, "prefix is not a short string");
	out->tappd = has_alg;

	json_object *jq = field(root, "quote", json_type_string);
	if (!jq)
		FAIL(TEEABI_E_JSON_FIELD, "quote missing or not a string");
	ret = get_hex(jq, &out->quote, &out->quote_len, TEEABI_DSTACK_MAX_QUOTE, TEEABI_E_DSTACK_QUOTE_SIZE);
	if (ret)
		FAIL(ret, "quote");

	json_object *jr = NULL;
	if (json_object_object_get_ex(root, "report_data", &jr)) {
		if (!json_object_is_type(jr, json_type_string))
			FAIL(TEEABI_E_JSON_FIELD, "report_data is not a string");
		uint8_t *rd;
		size_t rl;
		ret = get_hex(jr, &rd, &rl, 64, TEEABI_E_DSTACK_REPORT_DATA);
		if (ret)
			FAIL(ret, "report_data");
		memcpy(out->report_data, rd, rl); /* right-padded with zeros, like the agent */
		free(rd);
		out->has_report_data = true;
	}

	json_object *jel = NULL;
	if (!json_object_object_get_ex(root, "event_log", &jel) || !jel)
		FAIL(TEEABI_E_JSON_FIELD, "event_log missing");
	json_object *arr = NULL;
	if (json_object_is_type(jel, json_type_string)) {
		size_t el = (size_t)json_object_get_string_len(jel);
		if (el > 0) {
			ret = parse_json(json_object_get_string(jel), el, &evparsed);
			if (ret)
				FAIL(ret, "event_log string is not JSON");
			arr = evparsed;
		}
	} else {
		arr = jel;
	}
	if ((ret = replay_array(arr, rule, opts, out)))
		goto out;
	ret = compare_quote(out);
out:
	json_object_put(evparsed);
	json_object_put(root);
	return finish(ret, out);
}

teeabi_err teeabi_dstack_quote_resp_parse(const char *json, size_t len, int rule, struct teeabi_dstack_quote_resp *out)
{
	struct teeabi_dstack_parse_opts o = { .rule = rule };
	if (rule != TEEABI_DIGEST_V1 && rule != TEEABI_DIGEST_V2) {
		if (out)
			memset(out, 0, sizeof(*out));
		return out && json ? TEEABI_E_INTERNAL : TEEABI_E_NULL;
	}
	return teeabi_dstack_quote_resp_parse_ex(json, len, &o, out);
}

teeabi_err teeabi_dstack_evlog_parse(const char *json, size_t len, const struct teeabi_dstack_parse_opts *opts,
				     struct teeabi_dstack_quote_resp *out)
{
	int rule;
	teeabi_err ret = start(json, opts, out, &rule);
	if (ret)
		return ret;
	json_object *root = NULL;
	out->digest_rule = rule;
	ret = parse_json(json, len, &root);
	if (ret)
		FAIL(ret, "event log is not one JSON value");
	if (!json_object_is_type(root, json_type_array))
		FAIL(TEEABI_E_JSON_FIELD, "event log is not a JSON array");
	if ((ret = replay_array(root, rule, opts, out)))
		goto out;
	if (opts && opts->quote && opts->quote_len) {
		if (opts->quote_len > TEEABI_DSTACK_MAX_QUOTE)
			FAIL(TEEABI_E_DSTACK_QUOTE_SIZE, "quote is %zu bytes", opts->quote_len);
		out->quote = malloc(opts->quote_len);
		if (!out->quote)
			FAIL(TEEABI_E_NOMEM, "quote copy");
		memcpy(out->quote, opts->quote, opts->quote_len);
		out->quote_len = opts->quote_len;
		ret = compare_quote(out);
	}
out:
	json_object_put(root);
	return finish(ret, out);
}

/* ---------------------------------------------------------------- runtime event log file */

/* Strict standard base64 (RFC 4648 §4, padded, no whitespace) -> malloc'd bytes. */
static teeabi_err unbase64(const char *s, size_t n, uint8_t **out, size_t *out_len)
{
	*out = NULL;
	*out_len = 0;
	if (n % 4)
		return TEEABI_E_BASE64;
	size_t pad = 0;
	for (size_t i = 0; i < n; i++) {
		char c = s[i];
		bool alnum = (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '+' || c == '/';
		if (c == '=') {
			if (i < n - 2)
				return TEEABI_E_BASE64;
			pad++;
		} else if (!alnum || pad) {
			return TEEABI_E_BASE64;
		}
	}
	if (n > (size_t)INT_MAX)
		return TEEABI_E_BASE64;
	uint8_t *b = malloc(n / 4 * 3 + 1);
	if (!b)
		return TEEABI_E_NOMEM;
	int l = n ? EVP_DecodeBlock(b, (const unsigned char *)s, (int)n) : 0;
	if (l < 0 || (size_t)l < pad) {
		free(b);
		return TEEABI_E_BASE64;
	}
	*out = b;
	*out_len = (size_t)l - pad; /* EVP_DecodeBlock counts the padding as zero bytes */
	return TEEABI_OK;
}


/* One RuntimeEvent line {event, payload: base64[, version]} extended into rtmr3. */
static teeabi_err runtime_event_line(json_object *o, size_t line, const struct teeabi_dstack_parse_opts *opts,
				     struct teeabi_dstack_rtlog *out)
{
	teeabi_err ret = TEEABI_OK;
	uint8_t *pay = NULL;
	size_t pl = 0;
	json_object *jn = field(o, "event", json_type_string), *jp = field(o, "payload", json_type_string), *jv = NULL;
	if (!jn || !jp)
		FAIL(TEEABI_E_RTLOG_LINE, "line %zu: event/payload missing or not strings", line);
	const char *name = json_object_get_string(jn);
	if (strlen(name) != (size_t)json_object_get_string_len(jn))
		FAIL(TEEABI_E_RTLOG_LINE, "line %zu: event contains a NUL", line);
	int rule = TEEABI_DIGEST_V1;
	if (json_object_object_get_ex(o, "version", &jv)) {
		int64_t v = json_object_is_type(jv, json_type_int) ? json_object_get_int64(jv) : 0;
		if (v != 1 && v != 2)
			FAIL(TEEABI_E_RTLOG_LINE, "line %zu: version is not 1 or 2", line);
		rule = (int)v;
	}
	ret = unbase64(json_object_get_string(jp), (size_t)json_object_get_string_len(jp), &pay, &pl);
	if (ret)
		FAIL(ret, "line %zu: payload is not base64", line);
	uint8_t d[48];
	if (rule == TEEABI_DIGEST_V2) {
		ret = teeabi_dstack_event_digest_v2(d, name, pay, pl);
		if (ret)
			FAIL(ret, "line %zu: event is not valid UTF-8", line);
	} else {
		teeabi_dstack_event_digest_v1(d, name, pay, pl);
	}
	teeabi_rtmr_extend(out->rtmr3, d);
	if (opts && opts->on_event) {
		struct teeabi_dstack_event ev = {
			.index = out->events, .imr = 3, .event_type = TEEABI_DSTACK_EVENT_TYPE_RUNTIME, .event = name,
			.payload = pay, .payload_len = pl, .digest = d, .digest_given = false,
		};
		opts->on_event(opts->ctx, &ev);
	}
out:
	free(pay);
	return ret;
}

/* One TdxEventLog line (imr 3) through the event-log entry parser. */
static teeabi_err tdx_event_line(json_object *o, size_t line, const struct teeabi_dstack_parse_opts *opts,
				 struct teeabi_dstack_rtlog *out)
{
	teeabi_err ret = TEEABI_OK;
	struct teeabi_dstack_quote_resp *r = calloc(1, sizeof(*r));
	if (!r)
		return TEEABI_E_NOMEM;
	memcpy(r->replayed[3], out->rtmr3, 48);
	ret = do_event(o, out->events, TEEABI_DIGEST_V1, opts, r);
	if (ret)
		FAIL(ret, "line %zu: %.64s", line, r->err_detail);
	if (r->imr_events[3] != 1)
		FAIL(TEEABI_E_EVLOG_IMR, "line %zu: a runtime event log entry must be imr 3", line);
	memcpy(out->rtmr3, r->replayed[3], 48);
	out->events_digest_mismatch += r->events_digest_mismatch;
out:
	free(r);
	return ret;
}

teeabi_err teeabi_dstack_runtime_log_parse(const char *text, size_t len, const struct teeabi_dstack_parse_opts *opts,
					   struct teeabi_dstack_rtlog *out)
{
	if (!out)
		return TEEABI_E_NULL;
	memset(out, 0, sizeof(*out));
	if (!text && len)
		return TEEABI_E_NULL;
	teeabi_err ret = TEEABI_OK;
	size_t line = 0, pos = 0;
	while (pos < len) {
		const char *nl = memchr(text + pos, '\n', len - pos);
		size_t end = nl ? (size_t)(nl - text) : len;
		line++;
		size_t a = pos, b = end;
		while (a < b && (text[a] == ' ' || text[a] == '\t' || text[a] == '\r'))
			a++;
		pos = nl ? end + 1 : len;
		if (a == b)
			continue;
		if (out->events >= TEEABI_DSTACK_MAX_EVENTS)
			FAIL(TEEABI_E_EVLOG_TOO_MANY, "more than %d events", TEEABI_DSTACK_MAX_EVENTS);
		json_object *o = NULL;
		ret = parse_json(text + a, b - a, &o);
		if (ret)
			FAIL(ret, "line %zu is not one JSON value", line);
		int fmt = 0;
		if (json_object_is_type(o, json_type_object)) {
			json_object *t;
			fmt = json_object_object_get_ex(o, "imr", &t) ? TEEABI_RTLOG_TDX_EVENT_LOG : TEEABI_RTLOG_RUNTIME_EVENT;
		}
		if (!fmt || (out->format && out->format != fmt)) {
			json_object_put(o);
			FAIL(TEEABI_E_RTLOG_LINE, "line %zu: %s", line, fmt ? "format differs from the first line's" : "not an object");
		}
		out->format = fmt;
		ret = fmt == TEEABI_RTLOG_TDX_EVENT_LOG ? tdx_event_line(o, line, opts, out) : runtime_event_line(o, line, opts, out);
		json_object_put(o);
		if (ret)
			goto out;
		out->events++;
	}
out:
	if (ret) {
		char keep[sizeof(out->err_detail)];
		memcpy(keep, out->err_detail, sizeof(keep));
		memset(out, 0, sizeof(*out));
		memcpy(out->err_detail, keep, sizeof(keep));
	}
	return ret;
}

bool teeabi_dstack_runtime_log_sniff(const char *text, size_t len)
{
	if (!text || len == 0 || len > MAX_JSON_LEN || len > INT_MAX)
		return false;
	json_tokener *tok = json_tokener_new_ex(JSON_DEPTH);
	if (!tok)
		return false;
	json_object *o = json_tokener_parse_ex(tok, text, (int)len);
	json_tokener_free(tok);
	json_object *t;
	bool r = o && json_object_is_type(o, json_type_object) && !json_object_object_get_ex(o, "quote", &t) &&
		 field(o, "event", json_type_string) != NULL;
	json_object_put(o);
	return r;
}

/* ---------------------------------------------------------------- Tappd report data */

teeabi_err teeabi_dstack_tappd_report_data(const uint8_t *content, size_t len, const char *alg, const char *prefix,
					   uint8_t out[64])
{
	static const struct { const char *name, *ossl; } algs[] = {
		{ "sha256", "SHA256" },       { "sha384", "SHA384" },       { "sha512", "SHA512" },
		{ "sha3-256", "SHA3-256" },   { "sha3-384", "SHA3-384" },   { "sha3-512", "SHA3-512" },
		{ "keccak256", "KECCAK-256" }, { "keccak384", "KECCAK-384" }, { "keccak512", "KECCAK-512" },
	};
	if (!out || (!content && len) || !alg)
		return TEEABI_E_NULL;
	if (!*alg)
		alg = "sha512";
	memset(out, 0, 64);
	if (!strcmp(alg, "raw")) {
		if (len != 64)
			return TEEABI_E_DSTACK_REPORT_DATA;
		memcpy(out, content, 64);
		return TEEABI_OK;
	}
	const char *ossl = NULL;
	for (size_t i = 0; i < sizeof(algs) / sizeof(algs[0]); i++)
		if (!strcmp(alg, algs[i].name))
			ossl = algs[i].ossl;
	if (!ossl)
		return TEEABI_E_DSTACK_HASH_ALG;
	EVP_MD *md = EVP_MD_fetch(NULL, ossl, NULL);
	if (!md)
		return TEEABI_E_DSTACK_HASH_ALG; /* Keccak needs OpenSSL 3.2 */
	const char *tag = prefix && *prefix ? prefix : "app-data";
	EVP_MD_CTX *c = EVP_MD_CTX_new();
	unsigned int ol = 0;
	uint8_t h[EVP_MAX_MD_SIZE];
	int ok = c && EVP_DigestInit_ex(c, md, NULL) == 1 && EVP_DigestUpdate(c, tag, strlen(tag)) == 1 &&
		 EVP_DigestUpdate(c, ":", 1) == 1 && EVP_DigestUpdate(c, content ? (const void *)content : "", len) == 1 &&
		 EVP_DigestFinal_ex(c, h, &ol) == 1 && ol <= 64;
	EVP_MD_CTX_free(c);
	EVP_MD_free(md);
	if (!ok)
		return TEEABI_E_CRYPTO;
	memcpy(out, h, ol);
	return TEEABI_OK;
}
