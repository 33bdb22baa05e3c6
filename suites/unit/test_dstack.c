/* SPDX-License-Identifier: Apache-2.0 */
/*
 * test_dstack.c - dstack GetQuote responses (docs/dstack-os.md §3.3-3.5): RTMR0-3 replay
 * of the two real fixtures against their quotes (expected RTMR3 / report_data / mrtd copied
 * from vectors/MANIFEST.md), recomputation of stripped runtime digests, tampering, V1/V2
 * digest known answers computed here with OpenSSL on hand-built byte strings, and one
 * malformed response per error path.
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
#include "teeabi/dstack.h"
#include "testutil.h"

#define FULL "vectors/dstack/dstack__quote-report.json"
#define LITE "vectors/dstack/dstack__tdx-lite-getquote.json"

/* vectors/MANIFEST.md */
#define FULL_RTMR3 "0f787c3877f3e95095d5a4d13dd0fe0233803b30120d8469866719dc28f519ce021fe1e53459121e7a5a4443147185a8"
#define FULL_MRTD  "b24d3b24e9e3c16012376b52362ca09856c4adecb709d5fac33addf1c47e193da075b125b6c364115771390a5461e217"
#define FULL_RD    "1234000000000000000000000000000000000000000000000000000000000000" \
		   "0000000000000000000000000000000000000000000000000000000000000000"
#define LITE_RTMR3 "6f24c170d0fd63fc2b1b53202eea47b013978437fa6982cf5e0438ff95c208994aaa0f4ebab2e3a66824b5b56869137e"
#define LITE_MRTD  "fd685522ce791dfef67414614eb07d03fc07a32c5a66f36288b329dab92b724b1564c73d436ffb9ea84488c51ac5a1c5"
#define LITE_RD    "646970313a3a736563703235366b31632d706b3a41353570576d74654a494a4f" \
		   "6a385f7049372d707a654478793147327131384744763838484e526442586b51"

static void sha384(uint8_t out[48], const void *p, size_t n)
{
	unsigned int ol = 0;
	assert_int_equal(EVP_Digest(p, n, out, &ol, EVP_sha384(), NULL), 1);
	assert_int_equal(ol, 48);
}

static teeabi_err run(const char *json, int rule, struct teeabi_dstack_quote_resp *r)
{
	/* exact-size copy without a NUL so ASan catches reads past len */
	size_t n = strlen(json);
	char *c = malloc(n ? n : 1);
	assert_non_null(c);
	memcpy(c, json, n);
	teeabi_err e = teeabi_dstack_quote_resp_parse(c, n, rule, r);
	free(c);
	return e;
}

static void check_fixture(const char *path, size_t events, size_t recomputed, const char *rtmr3,
			  const char *mrtd, const char *rd)
{
	size_t n;
	char *j = (char *)tu_read(path, &n);
	struct teeabi_dstack_quote_resp r;
	teeabi_err e = teeabi_dstack_quote_resp_parse(j, n, TEEABI_DIGEST_V1, &r);
	if (e)
		fail_msg("%s: %s (%s)", path, teeabi_err_name(e), r.err_detail);
	assert_int_equal(r.events, events);
	assert_int_equal(r.events_recomputed, recomputed);
	assert_int_equal(r.events_digest_mismatch, 0);
	assert_int_equal(r.digest_rule, TEEABI_DIGEST_V1);
	assert_int_equal(r.quote_len, 5006);
	assert_true(r.quote_parsed);
	for (int i = 0; i < 4; i++)
		assert_true(r.rtmr_match[i]);
	assert_true(r.report_data_match);
	assert_true(r.has_report_data);
	tu_assert_hex(r.replayed[3], 48, rtmr3, "replayed RTMR3");
	tu_assert_hex(r.q.td.mrtd, 48, mrtd, "quote mrtd");
	tu_assert_hex(r.report_data, 64, rd, "report_data");
	tu_assert_hex(r.q.td.report_data, 64, rd, "quote report_data");
	teeabi_dstack_quote_resp_free(&r);
	assert_null(r.quote);
	free(j);
}

static void test_full_fixture(void **state)
{
	(void)state;
	check_fixture(FULL, 28, 0, FULL_RTMR3, FULL_MRTD, FULL_RD);
}

static void test_lite_fixture(void **state)
{
	(void)state;
	check_fixture(LITE, 29, 9, LITE_RTMR3, LITE_MRTD, LITE_RD);
}

/* Load a fixture, let `edit` change its parsed event log, and serialise it back. */
typedef void (*edit_fn)(json_object *arr);
static char *edited(const char *path, edit_fn edit, bool as_array)
{
	size_t n;
	char *j = (char *)tu_read(path, &n);
	json_object *root = json_tokener_parse(j);
	assert_non_null(root);
	free(j);
	json_object *el;
	assert_true(json_object_object_get_ex(root, "event_log", &el));
	json_object *arr = json_tokener_parse(json_object_get_string(el));
	assert_non_null(arr);
	if (edit)
		edit(arr);
	if (as_array) {
		json_object_object_add(root, "event_log", arr);
	} else {
		json_object_object_add(root, "event_log", json_object_new_string(json_object_to_json_string_ext(arr, JSON_C_TO_STRING_PLAIN)));
		json_object_put(arr);
	}
	char *s = strdup(json_object_to_json_string_ext(root, JSON_C_TO_STRING_PLAIN));
	json_object_put(root);
	return s;
}

/* Change one hex digit of the payload of the first RTMR3 entry with a payload. */
static void tamper_payload(json_object *arr)
{
	for (size_t i = 0; i < json_object_array_length(arr); i++) {
		json_object *e = json_object_array_get_idx(arr, i), *p, *imr;
		json_object_object_get_ex(e, "imr", &imr);
		json_object_object_get_ex(e, "event_payload", &p);
		if (json_object_get_int(imr) == 3 && json_object_get_string_len(p) > 0) {
			char *s = strdup(json_object_get_string(p));
			s[0] = s[0] == '0' ? '1' : '0';
			json_object_object_add(e, "event_payload", json_object_new_string(s));
			free(s);
			return;
		}
	}
	fail_msg("no RTMR3 payload to tamper with");
}

static void tamper_digest(json_object *arr)
{
	json_object *e = json_object_array_get_idx(arr, 0);
	char z[97];
	memset(z, '0', 96);
	z[96] = 0;
	json_object_object_add(e, "digest", json_object_new_string(z));
}

static void test_tamper_lite(void **state)
{
	(void)state;
	char *s = edited(LITE, tamper_payload, false);
	struct teeabi_dstack_quote_resp r;
	assert_int_equal(run(s, TEEABI_DIGEST_V1, &r), TEEABI_OK);
	assert_true(r.rtmr_match[0] && r.rtmr_match[1] && r.rtmr_match[2]);
	assert_false(r.rtmr_match[3]);
	assert_true(r.report_data_match);
	teeabi_dstack_quote_resp_free(&r);
	free(s);
	/* boot digest changed -> RTMR0 mismatch */
	s = edited(LITE, tamper_digest, false);
	assert_int_equal(run(s, TEEABI_DIGEST_V1, &r), TEEABI_OK);
	assert_false(r.rtmr_match[0]);
	assert_true(r.rtmr_match[3]);
	teeabi_dstack_quote_resp_free(&r);
	free(s);
}

static void test_tamper_full(void **state)
{
	(void)state;
	/* full format: the given digest is replayed (RTMR3 still matches) but the payload no
	 * longer hashes to it, which is counted */
	char *s = edited(FULL, tamper_payload, false);
	struct teeabi_dstack_quote_resp r;
	assert_int_equal(run(s, TEEABI_DIGEST_V1, &r), TEEABI_OK);
	assert_true(r.rtmr_match[3]);
	assert_int_equal(r.events_digest_mismatch, 1);
	teeabi_dstack_quote_resp_free(&r);
	free(s);
}

static void test_event_log_as_array(void **state)
{
	(void)state;
	char *s = edited(LITE, NULL, true);
	struct teeabi_dstack_quote_resp r;
	assert_int_equal(run(s, TEEABI_DIGEST_V1, &r), TEEABI_OK);
	assert_int_equal(r.events, 29);
	assert_int_equal(r.events_recomputed, 9);
	for (int i = 0; i < 4; i++)
		assert_true(r.rtmr_match[i]);
	tu_assert_hex(r.replayed[3], 48, LITE_RTMR3, "replayed RTMR3");
	teeabi_dstack_quote_resp_free(&r);
	free(s);
}

static void test_rule_v2_and_marker(void **state)
{
	(void)state;
	size_t n;
	char *j = (char *)tu_read(LITE, &n);
	struct teeabi_dstack_quote_resp r;
	/* the fixture is V1: recomputing with V2 gives a different RTMR3 */
	assert_int_equal(teeabi_dstack_quote_resp_parse(j, n, TEEABI_DIGEST_V2, &r), TEEABI_OK);
	assert_int_equal(r.digest_rule, TEEABI_DIGEST_V2);
	assert_int_equal(r.events_recomputed, 9);
	assert_true(r.rtmr_match[0]);
	assert_false(r.rtmr_match[3]);
	teeabi_dstack_quote_resp_free(&r);
	/* a response that marks V2 itself overrides the caller's rule */
	char *m = malloc(n + 32);
	assert_non_null(m);
	char *brace = strchr(j, '{');
	assert_non_null(brace);
	int k = snprintf(m, n + 32, "{\"event_log_version\":2,%s", brace + 1);
	assert_int_equal(teeabi_dstack_quote_resp_parse(m, (size_t)k, TEEABI_DIGEST_V1, &r), TEEABI_OK);
	assert_int_equal(r.digest_rule, TEEABI_DIGEST_V2);
	assert_false(r.rtmr_match[3]);
	teeabi_dstack_quote_resp_free(&r);
	free(m);
	free(j);
}

/* V1: SHA384( LE32(0x08000001) || ":" || event || ":" || payload ), built by hand here. */
static void test_v1_known_answer(void **state)
{
	(void)state;
	static const uint8_t payload[] = { 0xde, 0xad, 0xbe, 0xef, 0x00, 0x3a };
	uint8_t msg[64], want[48], got[48];
	size_t k = 0;
	msg[k++] = 0x01; msg[k++] = 0x00; msg[k++] = 0x00; msg[k++] = 0x08;
	msg[k++] = ':';
	memcpy(msg + k, "app-id", 6); k += 6;
	msg[k++] = ':';
	memcpy(msg + k, payload, sizeof(payload)); k += sizeof(payload);
	sha384(want, msg, k);
	teeabi_dstack_event_digest_v1(got, "app-id", payload, sizeof(payload));
	assert_memory_equal(got, want, 48);
	/* empty name and payload */
	static const uint8_t m2[] = { 0x01, 0x00, 0x00, 0x08, ':', ':' };
	sha384(want, m2, sizeof(m2));
	teeabi_dstack_event_digest_v1(got, "", NULL, 0);
	assert_memory_equal(got, want, 48);
}

/* The full-format fixture carries real runtime digests: recompute each with V1. */
static void test_v1_against_fixture_digests(void **state)
{
	(void)state;
	size_t n;
	char *j = (char *)tu_read(FULL, &n);
	json_object *root = json_tokener_parse(j), *el;
	assert_non_null(root);
	assert_true(json_object_object_get_ex(root, "event_log", &el));
	json_object *arr = json_tokener_parse(json_object_get_string(el));
	assert_non_null(arr);
	int checked = 0;
	for (size_t i = 0; i < json_object_array_length(arr); i++) {
		json_object *e = json_object_array_get_idx(arr, i), *t, *d, *ev, *p;
		json_object_object_get_ex(e, "event_type", &t);
		if (json_object_get_int64(t) != 0x08000001)
			continue;
		json_object_object_get_ex(e, "digest", &d);
		json_object_object_get_ex(e, "event", &ev);
		json_object_object_get_ex(e, "event_payload", &p);
		size_t pl = (size_t)json_object_get_string_len(p) / 2;
		uint8_t *pb = malloc(pl + 1), got[48];
		if (pl)
			tu_unhex(pb, pl, json_object_get_string(p));
		teeabi_dstack_event_digest_v1(got, json_object_get_string(ev), pb, pl);
		tu_assert_hex(got, 48, json_object_get_string(d), json_object_get_string(ev));
		free(pb);
		checked++;
	}
	assert_int_equal(checked, 8); /* MANIFEST: 8 RTMR3 events */
	json_object_put(arr);
	json_object_put(root);
	free(j);
}

/* V2: SHA384 of the RFC 8785 JSON, written out by hand here. */
static void test_v2_known_answer(void **state)
{
	(void)state;
	uint8_t want[48], got[48];
	static const uint8_t p[] = { 0x01, 0xab };
	const char *c1 = "{\"name\":\"app-id\",\"payload\":\"01ab\",\"type\":134217729}";
	sha384(want, c1, strlen(c1));
	assert_int_equal(teeabi_dstack_event_digest_v2(got, "app-id", p, sizeof(p)), TEEABI_OK);
	assert_memory_equal(got, want, 48);
	/* escaping: quote, backslash, newline, a control char (lowercase \u001f), '/' and
	 * non-ASCII kept as-is */
	const char *c2 = "{\"name\":\"a\\\"b\\\\c\\n\\u001f/\xc3\xa9\",\"payload\":\"\",\"type\":134217729}";
	sha384(want, c2, strlen(c2));
	assert_int_equal(teeabi_dstack_event_digest_v2(got, "a\"b\\c\n\x1f/\xc3\xa9", NULL, 0), TEEABI_OK);
	assert_memory_equal(got, want, 48);
	/* invalid UTF-8 cannot be canonicalised */
	assert_int_equal(teeabi_dstack_event_digest_v2(got, "bad\xff", NULL, 0), TEEABI_E_EVLOG_ENTRY);
	assert_int_equal(teeabi_dstack_event_digest_v2(got, "\xed\xa0\x80", NULL, 0), TEEABI_E_EVLOG_ENTRY);
	assert_int_equal(teeabi_dstack_event_digest_v2(got, "\xc0\xaf", NULL, 0), TEEABI_E_EVLOG_ENTRY);
}

static void test_extend_known_answer(void **state)
{
	(void)state;
	uint8_t rtmr[48] = { 0 }, d[48], cat[96], want[48];
	for (int i = 0; i < 48; i++)
		d[i] = (uint8_t)i;
	memset(cat, 0, 48);
	memcpy(cat + 48, d, 48);
	sha384(want, cat, 96);
	teeabi_rtmr_extend(rtmr, d);
	assert_memory_equal(rtmr, want, 48);
}

#define EV(imr, type, dig, name, pay) "{\"imr\":" imr ",\"event_type\":" type ",\"digest\":\"" dig "\",\"event\":\"" name "\",\"event_payload\":\"" pay "\"}"
#define D48 "000102030405060708090a0b0c0d0e0f101112131415161718191a1b1c1d1e1f202122232425262728292a2b2c2d2e2f"
#define RESP(log) "{\"quote\":\"\",\"report_data\":\"00\",\"event_log\":" log "}"
#define LOG(entries) "[" entries "]"

static void expect(const char *json, teeabi_err want)
{
	struct teeabi_dstack_quote_resp r;
	teeabi_err got = run(json, TEEABI_DIGEST_V1, &r);
	if (got != want)
		fail_msg("%s\n  got %s (%s), want %s", json, teeabi_err_name(got), r.err_detail, teeabi_err_name(want));
	if (want != TEEABI_OK) {
		assert_null(r.quote);
		assert_true(r.err_detail[0] != 0);
	}
	teeabi_dstack_quote_resp_free(&r);
}

static void test_snp_shape(void **state)
{
	(void)state;
	struct teeabi_dstack_quote_resp r;
	/* on SEV-SNP quote and event_log are empty */
	assert_int_equal(run("{\"quote\":\"\",\"event_log\":\"\",\"report_data\":\"abcd\"}", 1, &r), TEEABI_OK);
	assert_false(r.quote_parsed);
	assert_int_equal(r.events, 0);
	assert_false(r.report_data_match);
	assert_int_equal(r.report_data[0], 0xab);
	assert_int_equal(r.report_data[2], 0);
	teeabi_dstack_quote_resp_free(&r);
	/* an event log given as an array; a runtime event extends RTMR3 only */
	assert_int_equal(run(RESP(LOG(EV("3", "134217729", "", "x", "00"))), 1, &r), TEEABI_OK);
	uint8_t z[48] = { 0 }, d[48], cat[96];
	teeabi_dstack_event_digest_v1(d, "x", (const uint8_t *)"", 1);
	memcpy(cat, z, 48);
	memcpy(cat + 48, d, 48);
	uint8_t want[48];
	sha384(want, cat, 96);
	assert_memory_equal(r.replayed[3], want, 48);
	assert_memory_equal(r.replayed[0], z, 48);
	assert_int_equal(r.events_recomputed, 1);
	teeabi_dstack_quote_resp_free(&r);
}

static void test_malformed(void **state)
{
	(void)state;
	expect("", TEEABI_E_JSON);
	expect("{", TEEABI_E_JSON);
	expect("{\"quote\":\"\",\"event_log\":\"\"} x", TEEABI_E_JSON);
	expect("{\"quote\":\"\",\"event_log\":\"\",}", TEEABI_E_JSON);
	expect("[]", TEEABI_E_JSON_FIELD);
	expect("{}", TEEABI_E_JSON_FIELD);
	expect("{\"quote\":5,\"event_log\":\"\"}", TEEABI_E_JSON_FIELD);
	expect("{\"quote\":\"zz\",\"event_log\":\"\"}", TEEABI_E_HEX);
	expect("{\"quote\":\"abc\",\"event_log\":\"\"}", TEEABI_E_HEX);
	expect("{\"quote\":\"00\",\"event_log\":\"\"}", TEEABI_E_QUOTE_HEADER_SHORT);
	expect("{\"quote\":\"\"}", TEEABI_E_JSON_FIELD);
	expect("{\"quote\":\"\",\"event_log\":\"not json\"}", TEEABI_E_JSON);
	expect("{\"quote\":\"\",\"event_log\":\"{}\"}", TEEABI_E_JSON_FIELD);
	expect("{\"quote\":\"\",\"event_log\":7}", TEEABI_E_JSON_FIELD);
	expect("{\"quote\":\"\",\"event_log\":\"\",\"report_data\":7}", TEEABI_E_JSON_FIELD);
	expect("{\"quote\":\"\",\"event_log\":\"\",\"report_data\":\"0g\"}", TEEABI_E_HEX);
	expect("{\"quote\":\"\",\"event_log\":\"\",\"event_log_version\":3}", TEEABI_E_JSON_FIELD);
	expect(RESP(LOG("1")), TEEABI_E_EVLOG_ENTRY);
	expect(RESP(LOG(EV("4", "1", D48, "", ""))), TEEABI_E_EVLOG_IMR);
	expect(RESP(LOG(EV("-1", "1", D48, "", ""))), TEEABI_E_EVLOG_IMR);
	expect(RESP(LOG(EV("18446744073709551615", "1", D48, "", ""))), TEEABI_E_EVLOG_IMR);
	expect(RESP(LOG(EV("\"0\"", "1", D48, "", ""))), TEEABI_E_EVLOG_ENTRY);
	expect(RESP(LOG(EV("0.5", "1", D48, "", ""))), TEEABI_E_EVLOG_ENTRY);
	expect(RESP(LOG(EV("0", "4294967296", D48, "", ""))), TEEABI_E_EVLOG_ENTRY);
	expect(RESP(LOG(EV("0", "-1", D48, "", ""))), TEEABI_E_EVLOG_ENTRY);
	expect(RESP(LOG(EV("0", "1", "00", "", ""))), TEEABI_E_EVLOG_DIGEST);
	expect(RESP(LOG(EV("0", "1", D48 "00", "", ""))), TEEABI_E_EVLOG_DIGEST);
	expect(RESP(LOG(EV("0", "1", "", "", ""))), TEEABI_E_EVLOG_DIGEST); /* boot event without digest */
	expect(RESP(LOG(EV("0", "1", "xyz", "", ""))), TEEABI_E_HEX);
	expect(RESP(LOG(EV("3", "134217729", "", "a", "0g"))), TEEABI_E_HEX);
	expect(RESP(LOG(EV("3", "134217729", "", "a\\u0000b", ""))), TEEABI_E_EVLOG_ENTRY);
	expect(RESP(LOG("{\"imr\":0,\"event_type\":1,\"digest\":\"" D48 "\",\"event_payload\":\"\"}")), TEEABI_E_EVLOG_ENTRY);
	expect(RESP(LOG(EV("0", "1", D48, "", "") "," EV("3", "134217729", "", "ok", "") ",2")), TEEABI_E_EVLOG_ENTRY);
	/* valid controls for the shapes above */
	expect(RESP(LOG(EV("0", "1", D48, "", "") "," EV("3", "134217729", "", "ok", ""))), TEEABI_OK);
	expect(RESP(LOG(EV("3", "134217729", D48, "ok", "0x00"))), TEEABI_OK);
	/* report_data longer than 64 bytes */
	char rd[256];
	snprintf(rd, sizeof(rd), "{\"quote\":\"\",\"event_log\":\"\",\"report_data\":\"%0130d\"}", 0);
	expect(rd, TEEABI_E_DSTACK_REPORT_DATA);
	snprintf(rd, sizeof(rd), "{\"quote\":\"\",\"event_log\":\"\",\"report_data\":\"%0128d\"}", 0);
	expect(rd, TEEABI_OK);
	/* deep nesting is refused by the tokenizer, not the stack */
	char deep[400];
	memset(deep, '[', 300);
	deep[300] = 0;
	expect(deep, TEEABI_E_JSON);
	/* a NUL byte inside the input */
	struct teeabi_dstack_quote_resp r;
	static const char withnul[] = "{\"quote\":\"\",\"event_log\":\"\"}\0 ";
	assert_int_equal(teeabi_dstack_quote_resp_parse(withnul, sizeof(withnul) - 1, 1, &r), TEEABI_E_JSON);
	assert_int_equal(teeabi_dstack_quote_resp_parse(NULL, 3, 1, &r), TEEABI_E_NULL);
	assert_int_equal(teeabi_dstack_quote_resp_parse("{}", 2, 0, &r), TEEABI_E_INTERNAL);
}

/* Hex fields take one optional 0x prefix; a second one is not hex (found by fuzz_dstack:
 * "0x0x12" was decoded as 0x12; corpus/regress/dstack/crash-double-0x-prefix). */
static void test_hex_prefix(void **state)
{
	(void)state;
	expect("{\"quote\":\"\",\"event_log\":\"\",\"report_data\":\"0x0x12\"}", TEEABI_E_HEX);
	expect("{\"quote\":\"\",\"event_log\":\"\",\"report_data\":\"0X0x\"}", TEEABI_E_HEX);
	expect("{\"quote\":\"0x0x\",\"event_log\":\"\"}", TEEABI_E_HEX);
	expect(RESP(LOG(EV("3", "134217729", "", "a", "0x0x00"))), TEEABI_E_HEX);
	/* 0x + 0x + 46 bytes: within the 48-byte cap, so the hex check decides */
	expect(RESP(LOG(EV("0", "1", "0x0x000102030405060708090a0b0c0d0e0f101112131415161718191a1b1c1d1e1f"
			    "202122232425262728292a2b2c2d", "", ""))), TEEABI_E_HEX);
	/* controls: one prefix, either case, or none */
	expect("{\"quote\":\"0x\",\"event_log\":\"\",\"report_data\":\"0X12\"}", TEEABI_OK);
	expect("{\"quote\":\"\",\"event_log\":\"\",\"report_data\":\"12\"}", TEEABI_OK);
	expect(RESP(LOG(EV("0", "1", "0x" D48, "", "0x"))), TEEABI_OK);
}

static void test_caps(void **state)
{
	(void)state;
	/* quote larger than TEEABI_DSTACK_MAX_QUOTE */
	size_t ql = 2 * (TEEABI_DSTACK_MAX_QUOTE + 1);
	char *s = malloc(ql + 64);
	assert_non_null(s);
	int k = sprintf(s, "{\"quote\":\"");
	memset(s + k, '0', ql);
	k += (int)ql;
	k += sprintf(s + k, "\",\"event_log\":\"\"}");
	expect(s, TEEABI_E_DSTACK_QUOTE_SIZE);
	free(s);
	/* more than TEEABI_DSTACK_MAX_EVENTS entries */
	const char *ev = EV("0", "1", D48, "", "") ",";
	size_t el = strlen(ev), cnt = TEEABI_DSTACK_MAX_EVENTS + 1;
	s = malloc(cnt * el + 64);
	assert_non_null(s);
	k = sprintf(s, "{\"quote\":\"\",\"event_log\":[");
	for (size_t i = 0; i < cnt; i++) {
		memcpy(s + k, ev, el);
		k += (int)el;
	}
	k--; /* drop the last comma */
	sprintf(s + k, "]}");
	expect(s, TEEABI_E_EVLOG_TOO_MANY);
	/* exactly the cap is fine */
	char *last = strrchr(s, '{');
	strcpy(last - 1, "]}");
	expect(s, TEEABI_OK);
	free(s);
}

static void test_truncation(void **state)
{
	(void)state;
	size_t n;
	char *j = (char *)tu_read(LITE, &n);
	size_t end = (size_t)(strrchr(j, '}') - j) + 1;
	for (size_t len = 0; len < end; len += (len < 200 ? 1 : 61)) {
		struct teeabi_dstack_quote_resp r;
		char *c = malloc(len ? len : 1);
		memcpy(c, j, len);
		teeabi_err e = teeabi_dstack_quote_resp_parse(c, len, 1, &r);
		if (e == TEEABI_OK)
			fail_msg("prefix of %zu bytes accepted", len);
		free(c);
	}
	free(j);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_full_fixture),
		cmocka_unit_test(test_lite_fixture),
		cmocka_unit_test(test_tamper_lite),
		cmocka_unit_test(test_tamper_full),
		cmocka_unit_test(test_event_log_as_array),
		cmocka_unit_test(test_rule_v2_and_marker),
		cmocka_unit_test(test_v1_known_answer),
		cmocka_unit_test(test_v1_against_fixture_digests),
		cmocka_unit_test(test_v2_known_answer),
		cmocka_unit_test(test_extend_known_answer),
		cmocka_unit_test(test_snp_shape),
		cmocka_unit_test(test_malformed),
		cmocka_unit_test(test_hex_prefix),
		cmocka_unit_test(test_caps),
		cmocka_unit_test(test_truncation),
	};
	return cmocka_run_group_tests_name("dstack", tests, NULL, NULL);
}
