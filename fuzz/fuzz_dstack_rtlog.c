/* SPDX-License-Identifier: Apache-2.0 */
/*
 * fuzz/fuzz_dstack_rtlog.c - the runtime event log file parser (lib/dstack.c,
 * teeabi_dstack_runtime_log_parse; docs/dstack-os.md §3.4).
 *
 * Input: the file's text. Properties: an independent model written here from the contract
 * in teeabi/dstack.h decides accept or reject: lines split at '\n', blank lines (spaces,
 * tabs, CR only) skipped, each other line exactly one strict JSON object (json-c for the
 * syntax), all of one kind: TdxEventLog (has "imr": imr 3, event_type u32, digest 48 hex
 * bytes or empty for event_type 0x08000001, event string, event_payload hex, one optional
 * 0x prefix on hex) or RuntimeEvent ({event string without NUL, payload standard padded
 * base64 decoded here by hand, optional version 1 or 2}); at most 4096 events. On accept
 * the format, the event count, the digest mismatches and RTMR3 (48 zero bytes extended
 * with SHA-384(RTMR3 || digest), the V1 digest computed here with OpenSSL; V2 lines use
 * the library's V2 digest, which fuzz_dstack models) equal the model's; on reject the
 * error is a known code with a non-empty detail and nothing else is left set.
 */
#include <limits.h>
#include <json-c/json.h>
#include <openssl/evp.h>
#include "fuzz.h"
#include "fz_json.h"
#include "teeabi/dstack.h"
#include "teeabi/err.h"

struct model {
	int ok, format;
	size_t events, mismatch;
	uint8_t rtmr3[48];
};

static void sha384_2(const void *a, size_t al, const void *b, size_t bl, uint8_t out[48])
{
	EVP_MD_CTX *c = EVP_MD_CTX_new();
	unsigned n = 0;
	FZ_CHECK(c && EVP_DigestInit_ex(c, EVP_sha384(), NULL) && EVP_DigestUpdate(c, a, al) &&
			 (!bl || EVP_DigestUpdate(c, b, bl)) && EVP_DigestFinal_ex(c, out, &n) && n == 48,
		 "OpenSSL SHA-384");
	EVP_MD_CTX_free(c);
}

static void v1(const char *name, const uint8_t *p, size_t pl, uint8_t out[48])
{
	size_t nl = strlen(name);
	uint8_t *b = malloc(4 + 1 + nl + 1 + pl + 1);
	FZ_CHECK(b, "malloc");
	b[0] = 0x01, b[1] = 0, b[2] = 0, b[3] = 0x08, b[4] = ':';
	memcpy(b + 5, name, nl);
	b[5 + nl] = ':';
	memcpy(b + 6 + nl, p, pl);
	sha384_2(b, 6 + nl + pl, NULL, 0, out);
	free(b);
}

static void extend(uint8_t r[48], const uint8_t d[48])
{
	uint8_t n[48];
	sha384_2(r, 48, d, 48, n);
	memcpy(r, n, 48);
}

static int nib(char c)
{
	return c >= '0' && c <= '9' ? c - '0' : c >= 'a' && c <= 'f' ? c - 'a' + 10 : c >= 'A' && c <= 'F' ? c - 'A' + 10 : -1;
}

/* hex with one optional 0x prefix -> malloc'd bytes; -1 when not hex */
static long unhex(const char *h, size_t hl, uint8_t **out)
{
	if (hl >= 2 && h[0] == '0' && (h[1] == 'x' || h[1] == 'X'))
		h += 2, hl -= 2;
	*out = malloc(hl / 2 + 1);
	FZ_CHECK(*out, "malloc");
	if (hl % 2)
		return -1;
	for (size_t i = 0; i < hl / 2; i++) {
		int a = nib(h[2 * i]), b = nib(h[2 * i + 1]);
		if (a < 0 || b < 0)
			return -1;
		(*out)[i] = (uint8_t)(a << 4 | b);
	}
	return (long)(hl / 2);
}

static int b64v(char c)
{
	return c >= 'A' && c <= 'Z' ? c - 'A' : c >= 'a' && c <= 'z' ? c - 'a' + 26 : c >= '0' && c <= '9' ? c - '0' + 52
	       : c == '+' ? 62 : c == '/' ? 63 : -1;
}

/* strict padded base64 -> malloc'd bytes; -1 when not base64 */
static long unb64(const char *s, size_t n, uint8_t **out)
{
	*out = malloc(n / 4 * 3 + 1);
	FZ_CHECK(*out, "malloc");
	if (n % 4)
		return -1;
	size_t o = 0;
	for (size_t i = 0; i < n; i += 4) {
		int v[4];
		for (int k = 0; k < 4; k++)
			v[k] = s[i + k] == '=' ? -2 : b64v(s[i + k]);
		bool last = i + 4 == n;
		if (v[0] < 0 || v[1] < 0 || v[2] == -1 || v[3] == -1 || ((v[2] == -2 || v[3] == -2) && !last) ||
		    (v[2] == -2 && v[3] != -2))
			return -1;
		(*out)[o++] = (uint8_t)(v[0] << 2 | v[1] >> 4);
		if (v[2] >= 0)
			(*out)[o++] = (uint8_t)((v[1] & 15) << 4 | v[2] >> 2);
		if (v[3] >= 0)
			(*out)[o++] = (uint8_t)((v[2] & 3) << 6 | v[3]);
	}
	return (long)o;
}

static json_object *get(json_object *o, const char *k, enum json_type t)
{
	json_object *v;
	return json_object_object_get_ex(o, k, &v) && json_object_is_type(v, t) ? v : NULL;
}

/* One line; 1 accepted (m updated), 0 rejected. */
static int model_line(json_object *o, struct model *m)
{
	json_object *v;
	uint8_t d[48], *b = NULL, *p = NULL;
	int ok = 0;
	if (json_object_object_get_ex(o, "imr", &v)) {
		json_object *et = get(o, "event_type", json_type_int), *dg = get(o, "digest", json_type_string),
			    *ev = get(o, "event", json_type_string), *pl = get(o, "event_payload", json_type_string);
		if (!json_object_is_type(v, json_type_int) || json_object_get_int64(v) != 3 || !et || !dg || !ev || !pl)
			return 0;
		int64_t t = json_object_get_int64(et);
		if (t < 0 || t > (int64_t)UINT32_MAX)
			return 0;
		long dl = unhex(json_object_get_string(dg), (size_t)json_object_get_string_len(dg), &b);
		long ppl = unhex(json_object_get_string(pl), (size_t)json_object_get_string_len(pl), &p);
		const char *name = json_object_get_string(ev);
		bool runtime = (uint64_t)t == TEEABI_DSTACK_EVENT_TYPE_RUNTIME;
		if (dl < 0 || ppl < 0 || (runtime && strlen(name) != (size_t)json_object_get_string_len(ev)))
			goto out;
		if (runtime)
			v1(name, p, (size_t)ppl, d);
		if (dl == 48) {
			m->mismatch += runtime && memcmp(d, b, 48);
			memcpy(d, b, 48);
		} else if (dl != 0 || !runtime) {
			goto out;
		}
		extend(m->rtmr3, d);
		ok = 1;
	} else {
		json_object *ev = get(o, "event", json_type_string), *pl = get(o, "payload", json_type_string);
		if (!ev || !pl || strlen(json_object_get_string(ev)) != (size_t)json_object_get_string_len(ev))
			return 0;
		int ver = 1;
		if (json_object_object_get_ex(o, "version", &v)) {
			int64_t x = json_object_is_type(v, json_type_int) ? json_object_get_int64(v) : 0;
			if (x != 1 && x != 2)
				return 0;
			ver = (int)x;
		}
		long ppl = unb64(json_object_get_string(pl), (size_t)json_object_get_string_len(pl), &p);
		if (ppl < 0)
			goto out;
		if (ver == 2) {
			if (teeabi_dstack_event_digest_v2(d, json_object_get_string(ev), p, (size_t)ppl))
				goto out; /* not UTF-8 */
		} else {
			v1(json_object_get_string(ev), p, (size_t)ppl, d);
		}
		extend(m->rtmr3, d);
		ok = 1;
	}
out:
	free(b);
	free(p);
	return ok;
}

static void model_run(const char *s, size_t len, struct model *m)
{
	memset(m, 0, sizeof(*m));
	size_t pos = 0;
	while (pos < len) {
		const char *nl = memchr(s + pos, '\n', len - pos);
		size_t end = nl ? (size_t)(nl - s) : len, a = pos;
		pos = nl ? end + 1 : len;
		while (a < end && (s[a] == ' ' || s[a] == '\t' || s[a] == '\r'))
			a++;
		if (a == end)
			continue;
		if (m->events >= TEEABI_DSTACK_MAX_EVENTS)
			return;
		json_object *o = fz_strict_json(s + a, end - a);
		if (!o || !json_object_is_type(o, json_type_object)) {
			json_object_put(o);
			return;
		}
		json_object *t;
		int fmt = json_object_object_get_ex(o, "imr", &t) ? TEEABI_RTLOG_TDX_EVENT_LOG : TEEABI_RTLOG_RUNTIME_EVENT;
		int good = (!m->format || m->format == fmt) && model_line(o, m);
		json_object_put(o);
		if (!good)
			return;
		m->format = fmt;
		m->events++;
	}
	m->ok = 1;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	if (size > 256 * 1024)
		return 0;
	struct teeabi_dstack_rtlog r;
	struct model m;
	teeabi_err e = teeabi_dstack_runtime_log_parse((const char *)data, size, NULL, &r);
	model_run((const char *)data, size, &m);
	FZ_CHECK((e == TEEABI_OK) == (m.ok == 1), "parse returned %s (%s), the model %s it", teeabi_err_name(e),
		 r.err_detail, m.ok ? "accepts" : "rejects");
	if (e) {
		FZ_CHECK((unsigned)e < TEEABI_ERR_COUNT && strcmp(teeabi_err_name(e), "E_?"), "unknown error %d", (int)e);
		FZ_CHECK(memchr(r.err_detail, 0, sizeof(r.err_detail)) && r.err_detail[0], "%s with no detail", teeabi_err_name(e));
		FZ_CHECK(r.events == 0 && r.format == 0, "state left set after an error");
		return 0;
	}
	FZ_CHECK(r.format == m.format && r.events == m.events && r.events_digest_mismatch == m.mismatch,
		 "format %d/%d events %zu/%zu mismatch %zu/%zu", r.format, m.format, r.events, m.events,
		 r.events_digest_mismatch, m.mismatch);
	FZ_CHECK(!memcmp(r.rtmr3, m.rtmr3, 48), "replayed RTMR3 differs from the model");
	/* detection agrees: a log whose first line is a RuntimeEvent or TdxEventLog object */
	return 0;
}
