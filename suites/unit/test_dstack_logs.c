/* SPDX-License-Identifier: Apache-2.0 */
/*
 * test_dstack_logs.c - the event-log shapes besides the GetQuote object (docs/dstack-os.md
 * §3.3-3.4, §6.2): a bare event-log JSON array with its quote given separately (dstack's
 * simulator files), the legacy Tappd.TdxQuote object, the runtime event log files of
 * v0.5.0-0.5.5 (TdxEventLog lines) and v0.5.6+ (RuntimeEvent lines, base64 payloads), and
 * the Tappd report-data rule. Expected RTMRs are read from the quotes at their byte offsets
 * (formats.md: TD10 body at 48, RTMR0 at body + 328), never from the code under test; the
 * Tappd known answer is the one in dstack's own test (dstack-attest attestation.rs).
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>
#include <json-c/json.h>
#include <openssl/evp.h>
#include "teeabi/bytes.h"
#include "teeabi/detect.h"
#include "teeabi/dstack.h"
#include "testutil.h"

#define SIM_LOG   "vectors/dstack/dstack__simulator-eventlog.json"
#define SIM_QUOTE "vectors/dstack/dstack__simulator-quote.bin"
#define TAPPD     "vectors/dstack/dstack-examples__rtmr3-report.json"
#define QUOTE_RTMR0_OFF (48 + 328)

/* The simulator quote (its quote.hex, stored decoded). */
static uint8_t *sim_quote(size_t *len)
{
	return tu_read(SIM_QUOTE, len);
}

static teeabi_err bare(const char *json, size_t n, const uint8_t *q, size_t ql, struct teeabi_dstack_quote_resp *r)
{
	char *c = malloc(n ? n : 1); /* exact size: ASan sees reads past the end */
	assert_non_null(c);
	memcpy(c, json, n);
	struct teeabi_dstack_parse_opts o = { .quote = q, .quote_len = ql };
	teeabi_err e = teeabi_dstack_evlog_parse(c, n, &o, r);
	free(c);
	return e;
}

static void test_bare_with_quote(void **state)
{
	(void)state;
	size_t n, ql;
	char *j = (char *)tu_read(SIM_LOG, &n);
	uint8_t *q = sim_quote(&ql);
	assert_int_equal(ql, 5006);
	struct teeabi_dstack_quote_resp r;
	teeabi_err e = bare(j, n, q, ql, &r);
	if (e)
		fail_msg("%s: %s", teeabi_err_name(e), r.err_detail);
	assert_int_equal(r.events, 27);
	assert_int_equal(r.imr_events[3], 7);
	assert_true(r.quote_parsed);
	for (int i = 0; i < 4; i++) {
		assert_true(r.rtmr_match[i]);
		assert_memory_equal(r.replayed[i], q + QUOTE_RTMR0_OFF + 48 * i, 48);
	}
	assert_false(r.has_report_data);
	assert_false(r.report_data_match);
	teeabi_dstack_quote_resp_free(&r);

	/* without the quote: parsed and replayed, nothing compared */
	assert_int_equal(bare(j, n, NULL, 0, &r), TEEABI_OK);
	assert_false(r.quote_parsed);
	for (int i = 0; i < 4; i++)
		assert_false(r.rtmr_match[i]);
	assert_memory_equal(r.replayed[3], q + QUOTE_RTMR0_OFF + 3 * 48, 48);
	teeabi_dstack_quote_resp_free(&r);

	/* a changed RTMR1 digest no longer replays to the quote */
	char *p = strstr(j, "\"imr\":1");
	assert_non_null(p);
	p = strstr(p, "\"digest\":\"");
	assert_non_null(p);
	p += 10;
	*p = *p == '0' ? '1' : '0';
	assert_int_equal(bare(j, n, q, ql, &r), TEEABI_OK);
	assert_true(r.rtmr_match[0]);
	assert_false(r.rtmr_match[1]);
	assert_true(r.rtmr_match[3]);
	teeabi_dstack_quote_resp_free(&r);
	free(j);
	free(q);
}

static void test_bare_detect(void **state)
{
	(void)state;
	size_t n, ql;
	uint8_t *j = tu_read(SIM_LOG, &n);
	uint8_t *q = sim_quote(&ql);
	assert_int_equal(teeabi_detect(j, n), TEEABI_FMT_DSTACK_EVENT_LOG);
	char *buf = NULL;
	size_t bl = 0;
	FILE *f = open_memstream(&buf, &bl);
	const char *d = NULL;
	assert_int_equal(teeabi_describe_json_q(j, n, 0, "log", q, ql, f, &d), TEEABI_OK);
	fclose(f);
	assert_non_null(strstr(buf, "\"format\":\"dstack_event_log\""));
	assert_non_null(strstr(buf, "\"rtmr_match\":[true,true,true,true]"));
	free(buf);
	/* before this change a bare array matched no format */
	static const char empty[] = "[]";
	assert_int_equal(teeabi_detect((const uint8_t *)empty, 2), TEEABI_FMT_DSTACK_EVENT_LOG);
	struct teeabi_dstack_quote_resp r;
	assert_int_equal(bare(empty, 2, NULL, 0, &r), TEEABI_OK);
	assert_int_equal(r.events, 0);
	assert_int_equal(bare("{}", 2, NULL, 0, &r), TEEABI_E_JSON_FIELD);
	assert_int_equal(bare("[1]", 3, NULL, 0, &r), TEEABI_E_EVLOG_ENTRY);
	/* a quote that is no quote */
	static const uint8_t junk[8] = { 1 };
	assert_int_not_equal(bare(empty, 2, junk, sizeof(junk), &r), TEEABI_OK);
	free(j);
	free(q);
}

static void test_tappd_object(void **state)
{
	(void)state;
	size_t n;
	char *j = (char *)tu_read(TAPPD, &n);
	struct teeabi_dstack_quote_resp r;
	teeabi_err e = teeabi_dstack_quote_resp_parse_ex(j, n, NULL, &r);
	if (e)
		fail_msg("%s: %s", teeabi_err_name(e), r.err_detail);
	assert_true(r.tappd);
	assert_string_equal(r.hash_algorithm, "raw");
	assert_string_equal(r.prefix, "");
	assert_int_equal(r.events, 28);
	for (int i = 0; i < 4; i++)
		assert_memory_equal(r.replayed[i], r.quote + QUOTE_RTMR0_OFF + 48 * i, 48);
	assert_true(r.rtmr_match[3]);
	teeabi_dstack_quote_resp_free(&r);
	free(j);
	/* hash_algorithm must be a short string */
	static const char bad[] = "{\"quote\":\"\",\"event_log\":\"\",\"hash_algorithm\":7}";
	assert_int_equal(teeabi_dstack_quote_resp_parse_ex(bad, sizeof(bad) - 1, NULL, &r), TEEABI_E_JSON_FIELD);
}

/* The simulator's RTMR3 events as runtime-log lines of either format. */
static char *rtlog(bool runtime_event, int version)
{
	size_t n;
	char *j = (char *)tu_read(SIM_LOG, &n);
	json_object *arr = json_tokener_parse(j);
	free(j);
	assert_non_null(arr);
	char *out = NULL;
	size_t ol = 0;
	FILE *f = open_memstream(&out, &ol);
	for (size_t i = 0; i < json_object_array_length(arr); i++) {
		json_object *e = json_object_array_get_idx(arr, i), *v;
		assert_true(json_object_object_get_ex(e, "imr", &v));
		if (json_object_get_int(v) != 3)
			continue;
		if (!runtime_event) {
			fprintf(f, "%s\n", json_object_to_json_string_ext(e, JSON_C_TO_STRING_PLAIN));
			continue;
		}
		json_object *ev, *pl;
		assert_true(json_object_object_get_ex(e, "event", &ev));
		assert_true(json_object_object_get_ex(e, "event_payload", &pl));
		size_t hl = (size_t)json_object_get_string_len(pl);
		uint8_t *b = malloc(hl / 2 + 1);
		unsigned char *b64 = malloc(hl + 8);
		tu_unhex(b, hl / 2, json_object_get_string(pl));
		EVP_EncodeBlock(b64, b, (int)(hl / 2));
		json_object *o = json_object_new_object();
		json_object_object_add(o, "event", json_object_get(ev));
		json_object_object_add(o, "payload", json_object_new_string((char *)b64));
		if (version)
			json_object_object_add(o, "version", json_object_new_int(version));
		fprintf(f, "%s\n", json_object_to_json_string_ext(o, JSON_C_TO_STRING_PLAIN));
		json_object_put(o);
		free(b);
		free(b64);
	}
	fclose(f);
	json_object_put(arr);
	return out;
}

static teeabi_err rt(const char *s, struct teeabi_dstack_rtlog *r)
{
	size_t n = strlen(s);
	char *c = malloc(n ? n : 1);
	assert_non_null(c);
	memcpy(c, s, n);
	teeabi_err e = teeabi_dstack_runtime_log_parse(c, n, NULL, r);
	free(c);
	return e;
}

static void test_runtime_logs(void **state)
{
	(void)state;
	size_t ql;
	uint8_t *q = sim_quote(&ql);
	const uint8_t *rtmr3 = q + QUOTE_RTMR0_OFF + 3 * 48;
	struct teeabi_dstack_rtlog r;
	for (int fmt = 0; fmt < 3; fmt++) {
		char *s = rtlog(fmt > 0, fmt == 2 ? 1 : 0);
		teeabi_err e = rt(s, &r);
		if (e)
			fail_msg("format %d: %s: %s", fmt, teeabi_err_name(e), r.err_detail);
		assert_int_equal(r.format, fmt ? TEEABI_RTLOG_RUNTIME_EVENT : TEEABI_RTLOG_TDX_EVENT_LOG);
		assert_int_equal(r.events, 7);
		assert_int_equal(r.events_digest_mismatch, 0);
		assert_memory_equal(r.rtmr3, rtmr3, 48);
		assert_true(teeabi_dstack_runtime_log_sniff(s, strlen(s)));
		assert_int_equal(teeabi_detect((const uint8_t *)s, strlen(s)), TEEABI_FMT_DSTACK_RUNTIME_LOG);
		/* the last line without its newline, and blank lines, are fine */
		size_t n = strlen(s);
		s[n - 1] = 0;
		assert_int_equal(rt(s, &r), TEEABI_OK);
		assert_memory_equal(r.rtmr3, rtmr3, 48);
		free(s);
	}
	/* V2 lines hash differently: the replay no longer reaches the V1 register */
	char *v2 = rtlog(true, 2);
	assert_int_equal(rt(v2, &r), TEEABI_OK);
	assert_memory_not_equal(r.rtmr3, rtmr3, 48);
	free(v2);
	free(q);

	assert_int_equal(rt("", &r), TEEABI_OK);
	assert_int_equal(r.events, 0);
	assert_int_equal(r.format, 0);
	assert_true(teeabi_all_zero(r.rtmr3, 48));
	assert_int_equal(rt("\n\n", &r), TEEABI_OK);
	/* one line {"event":"a","payload":""} = one V1 extend from zero */
	uint8_t d[48], want[48] = { 0 };
	teeabi_dstack_event_digest_v1(d, "a", NULL, 0);
	teeabi_rtmr_extend(want, d);
	assert_int_equal(rt("{\"event\":\"a\",\"payload\":\"\"}", &r), TEEABI_OK);
	assert_memory_equal(r.rtmr3, want, 48);
	/* "QUJD" is "ABC" */
	teeabi_dstack_event_digest_v1(d, "a", (const uint8_t *)"ABC", 3);
	memset(want, 0, 48);
	teeabi_rtmr_extend(want, d);
	assert_int_equal(rt("{\"event\":\"a\",\"payload\":\"QUJD\"}\n", &r), TEEABI_OK);
	assert_memory_equal(r.rtmr3, want, 48);
	teeabi_dstack_event_digest_v1(d, "a", (const uint8_t *)"AB", 2);
	memset(want, 0, 48);
	teeabi_rtmr_extend(want, d);
	assert_int_equal(rt("{\"event\":\"a\",\"payload\":\"QUI=\"}\n", &r), TEEABI_OK);
	assert_memory_equal(r.rtmr3, want, 48);

	static const struct { const char *text; teeabi_err want; } bad[] = {
		{ "{\"event\":\"a\",\"payload\":\"QUJ\"}", TEEABI_E_BASE64 },     /* not a multiple of 4 */
		{ "{\"event\":\"a\",\"payload\":\"Q=JD\"}", TEEABI_E_BASE64 },    /* padding inside */
		{ "{\"event\":\"a\",\"payload\":\"QU D\"}", TEEABI_E_BASE64 },    /* whitespace */
		{ "{\"event\":\"a\",\"payload\":\"QU==QUJD\"}", TEEABI_E_BASE64 },
		{ "{\"event\":\"a\",\"payload\":\"00\"}", TEEABI_E_BASE64 },      /* hex, not base64 */
		{ "{\"event\":\"a\"}", TEEABI_E_RTLOG_LINE },
		{ "{\"event\":\"a\",\"payload\":\"\",\"version\":3}", TEEABI_E_RTLOG_LINE },
		{ "[1]", TEEABI_E_RTLOG_LINE },
		{ "{\"event\":\"a\",\"payload\":\"\"}\n{\"imr\":3,\"event_type\":134217729,\"digest\":\"\",\"event\":\"a\",\"event_payload\":\"\"}",
		  TEEABI_E_RTLOG_LINE },                                           /* formats mixed */
		{ "{\"imr\":0,\"event_type\":1,\"digest\":\"" "000000000000000000000000000000000000000000000000"
		  "000000000000000000000000000000000000000000000000\",\"event\":\"\",\"event_payload\":\"\"}", TEEABI_E_EVLOG_IMR },
		{ "{\"event\":\"a\",\"payload\":\"\"} x", TEEABI_E_JSON },
	};
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		teeabi_err e = rt(bad[i].text, &r);
		if (e != bad[i].want)
			fail_msg("case %zu: got %s, want %s", i, teeabi_err_name(e), teeabi_err_name(bad[i].want));
		assert_int_equal(r.events, 0);
	}
}

/* Collects the names the callback saw. */
struct seen { size_t n; char names[16][32]; };
static void on_event(void *ctx, const struct teeabi_dstack_event *ev)
{
	struct seen *s = ctx;
	if (s->n < 16 && ev->imr == 3)
		snprintf(s->names[s->n++], sizeof(s->names[0]), "%s", ev->event);
}

static void test_callback(void **state)
{
	(void)state;
	size_t n;
	char *j = (char *)tu_read(SIM_LOG, &n);
	struct seen s = { 0 };
	struct teeabi_dstack_parse_opts o = { .on_event = on_event, .ctx = &s };
	struct teeabi_dstack_quote_resp r;
	assert_int_equal(teeabi_dstack_evlog_parse(j, n, &o, &r), TEEABI_OK);
	assert_int_equal(s.n, 7);
	assert_string_equal(s.names[0], "system-preparing");
	assert_string_equal(s.names[6], "system-ready");
	free(j);
	char *l = rtlog(true, 0);
	struct seen s2 = { 0 };
	struct teeabi_dstack_rtlog rl;
	o.ctx = &s2;
	assert_int_equal(teeabi_dstack_runtime_log_parse(l, strlen(l), &o, &rl), TEEABI_OK);
	assert_int_equal(s2.n, 7);
	assert_string_equal(s2.names[4], "boot-mr-done");
	free(l);
}

static void test_tappd_report_data(void **state)
{
	(void)state;
	uint8_t out[64];
	/* dstack-attest attestation.rs test_to_report_data_with_hash */
	assert_int_equal(teeabi_dstack_tappd_report_data((const uint8_t *)"test content", 12, "", "", out), TEEABI_OK);
	tu_assert_hex(out, 64,
		      "7ea0b744ed5e9c0c83ff9f575668e1697652cd349f2027cdf26f918d4c53e8cd"
		      "50b5ea9b449b4c3d50e20ae00ec29688d5a214e8daff8a10041f5d624dae8a01",
		      "sha512(app-data:test content)");
	assert_int_equal(teeabi_dstack_tappd_report_data((const uint8_t *)"test content", 12, "sha512", NULL, out), TEEABI_OK);
	assert_int_equal(out[0], 0x7e);
	/* sha256 under a custom prefix, computed here */
	uint8_t want[32];
	unsigned int wl = 0;
	assert_int_equal(EVP_Digest("tag:xyz", 7, want, &wl, EVP_sha256(), NULL), 1);
	assert_int_equal(teeabi_dstack_tappd_report_data((const uint8_t *)"xyz", 3, "sha256", "tag", out), TEEABI_OK);
	assert_memory_equal(out, want, 32);
	assert_true(teeabi_all_zero(out + 32, 32));
	assert_int_equal(EVP_Digest("app-data:xyz", 12, want, &wl, EVP_sha3_256(), NULL), 1);
	assert_int_equal(teeabi_dstack_tappd_report_data((const uint8_t *)"xyz", 3, "sha3-256", "", out), TEEABI_OK);
	assert_memory_equal(out, want, 32);
	uint8_t raw[65];
	memset(raw, 42, sizeof(raw));
	assert_int_equal(teeabi_dstack_tappd_report_data(raw, 64, "raw", "", out), TEEABI_OK);
	assert_memory_equal(out, raw, 64);
	assert_int_equal(teeabi_dstack_tappd_report_data(raw, 65, "raw", "", out), TEEABI_E_DSTACK_REPORT_DATA);
	assert_int_equal(teeabi_dstack_tappd_report_data(raw, 63, "raw", "", out), TEEABI_E_DSTACK_REPORT_DATA);
	assert_int_equal(teeabi_dstack_tappd_report_data(raw, 3, "invalid", "", out), TEEABI_E_DSTACK_HASH_ALG);
	assert_int_equal(teeabi_dstack_tappd_report_data(raw, 3, "SHA256", "", out), TEEABI_E_DSTACK_HASH_ALG);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_bare_with_quote),
		cmocka_unit_test(test_bare_detect),
		cmocka_unit_test(test_tappd_object),
		cmocka_unit_test(test_runtime_logs),
		cmocka_unit_test(test_callback),
		cmocka_unit_test(test_tappd_report_data),
	};
	return cmocka_run_group_tests_name("dstack_logs", tests, NULL, NULL);
}
