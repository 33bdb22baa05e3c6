/* SPDX-License-Identifier: Apache-2.0 */
/*
 * test_model_agent.c - the mock dstack guest agent (mocks/agent) in-process: started on a
 * model machine of the dstack-0.6.0-tdx profile in a temporary directory and asked over its
 * Unix socket with libcurl, as a client would. The agent faults of the blind audit, each
 * with and without the fault; the expected relations are dstack's (guest-agent/src/
 * rpc_service.rs get_key: the key from the path alone, the purpose only in
 * signature_chain[0]; docs/dstack-os.md §3.1, §5.2: the GET form takes query parameters).
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <cmocka.h>
#include <curl/curl.h>
#include <json-c/json.h>
#include "../../mocks/agent/agent.h"
#include "model.h"
#include "teeabi/profile.h"

struct agent_fx {
	struct tm_dev *d;
	struct tm_agent *a;
	char dir[64], sock[128];
};

static void fx_start_on(struct agent_fx *f, const char *profile, tm_fault_mask faults)
{
	struct teeabi_profile p;
	char err[256];
	assert_int_equal(teeabi_profile_load("mocks/profiles", profile, &p, err, sizeof(err)), 0);
	f->d = tm_new(&p, faults);
	assert_non_null(f->d);
	snprintf(f->dir, sizeof(f->dir), "/tmp/teeabi-agent-XXXXXX");
	assert_non_null(mkdtemp(f->dir));
	f->a = tm_agent_start(f->d, f->dir, err, sizeof(err));
	if (!f->a)
		fail_msg("tm_agent_start: %s", err);
	snprintf(f->sock, sizeof(f->sock), "%s/dstack.sock", f->dir);
}

static void fx_start(struct agent_fx *f, tm_fault_mask faults)
{
	fx_start_on(f, "dstack-0.6.0-tdx", faults);
}

static void fx_stop(struct agent_fx *f)
{
	char cmd[128];
	tm_agent_stop(f->a);
	tm_free(f->d);
	snprintf(cmd, sizeof(cmd), "rm -rf '%s'", f->dir);
	assert_int_equal(system(cmd), 0);
}

struct buf { char *p; size_t n; };

static size_t on_data(char *p, size_t sz, size_t n, void *ctx)
{
	struct buf *b = ctx;
	char *nb = realloc(b->p, b->n + sz * n + 1);
	assert_non_null(nb);
	memcpy(nb + b->n, p, sz * n);
	b->p = nb;
	b->n += sz * n;
	b->p[b->n] = 0;
	return sz * n;
}

/* GET path (body NULL) or POST body; the JSON answer, its HTTP status in *status. */
static json_object *ask_status(const struct agent_fx *f, const char *path, const char *body, long *status)
{
	struct buf b = { 0 };
	char url[400];
	*status = 0;
	CURL *c = curl_easy_init();
	assert_non_null(c);
	snprintf(url, sizeof(url), "http://dstack%s", path);
	struct curl_slist *hd = curl_slist_append(NULL, "Content-Type: application/json");
	curl_easy_setopt(c, CURLOPT_UNIX_SOCKET_PATH, f->sock);
	curl_easy_setopt(c, CURLOPT_URL, url);
	curl_easy_setopt(c, CURLOPT_WRITEFUNCTION, on_data);
	curl_easy_setopt(c, CURLOPT_WRITEDATA, &b);
	if (body) {
		curl_easy_setopt(c, CURLOPT_HTTPHEADER, hd);
		curl_easy_setopt(c, CURLOPT_POSTFIELDS, body);
	}
	assert_int_equal(curl_easy_perform(c), CURLE_OK);
	curl_easy_getinfo(c, CURLINFO_RESPONSE_CODE, status);
	curl_slist_free_all(hd);
	curl_easy_cleanup(c);
	json_object *o = json_tokener_parse(b.p);
	free(b.p);
	assert_non_null(o);
	return o;
}

/* The same, HTTP 200 asserted. */
static json_object *ask(const struct agent_fx *f, const char *path, const char *body)
{
	long status;
	json_object *o = ask_status(f, path, body, &status);
	assert_int_equal(status, 200);
	return o;
}

static const char *field(json_object *o, const char *k)
{
	json_object *v;
	assert_true(json_object_object_get_ex(o, k, &v));
	return json_object_get_string(v);
}

static const char *chain(json_object *o, size_t i)
{
	json_object *v;
	assert_true(json_object_object_get_ex(o, "signature_chain", &v));
	assert_int_equal(json_object_array_length(v), 2);
	return json_object_get_string(json_object_array_get_idx(v, i));
}

static void test_fault_agent_getkey_ignores_purpose(void **state)
{
	for (int f = 0; f < 2; f++) {
		struct agent_fx fx;
		fx_start(&fx, TM_FAULT_IF(f, TM_FAULT_AGENT_GETKEY_IGNORES_PURPOSE));
		json_object *a = ask(&fx, "/GetKey", "{\"path\":\"p\",\"purpose\":\"a\"}");
		json_object *b = ask(&fx, "/GetKey", "{\"path\":\"p\",\"purpose\":\"b\"}");
		json_object *q = ask(&fx, "/GetKey", "{\"path\":\"q\",\"purpose\":\"a\"}");
		/* the key: 32 bytes, the path alone decides it, with the fault as without */
		assert_int_equal(strlen(field(a, "key")), 64);
		assert_string_equal(field(a, "key"), field(b, "key"));
		assert_string_not_equal(field(a, "key"), field(q, "key"));
		/* signature_chain[0]: 65 bytes over purpose and public key; [1] the same for all */
		assert_int_equal(strlen(chain(a, 0)), 130);
		if (f)
			assert_string_equal(chain(a, 0), chain(b, 0));
		else
			assert_string_not_equal(chain(a, 0), chain(b, 0));
		assert_string_not_equal(chain(a, 0), chain(q, 0));
		assert_string_equal(chain(a, 1), chain(b, 1));
		assert_string_equal(chain(a, 1), chain(q, 1));
		json_object_put(a);
		json_object_put(b);
		json_object_put(q);
		fx_stop(&fx);
	}
}

static void test_fault_agent_getkey_algorithm_ignored(void **state)
{
	for (int f = 0; f < 2; f++) {
		struct agent_fx fx;
		fx_start(&fx, TM_FAULT_IF(f, TM_FAULT_AGENT_GETKEY_ALGORITHM_IGNORED));
		json_object *d = ask(&fx, "/GetKey", "{\"path\":\"p\",\"purpose\":\"a\"}");
		json_object *k = ask(&fx, "/GetKey", "{\"path\":\"p\",\"purpose\":\"a\",\"algorithm\":\"k256\"}");
		json_object *e = ask(&fx, "/GetKey", "{\"path\":\"p\",\"purpose\":\"a\",\"algorithm\":\"ed25519\"}");
		/* one 32-byte key for every algorithm; k256 is secp256k1 (0.6.0 has the alias) */
		assert_string_equal(field(d, "key"), field(e, "key"));
		assert_string_equal(chain(d, 0), chain(k, 0));
		if (f)
			assert_string_equal(chain(d, 0), chain(e, 0));
		else
			assert_string_not_equal(chain(d, 0), chain(e, 0));
		assert_string_equal(chain(d, 1), chain(e, 1));
		json_object_put(d);
		json_object_put(k);
		json_object_put(e);
		fx_stop(&fx);
	}
}

static void test_fault_agent_getquote_get_query_ignored(void **state)
{
	static const char want[] = "aabbccdd00000000000000000000000000000000000000000000000000000000"
				   "0000000000000000000000000000000000000000000000000000000000000000";
	static const char zero[] = "0000000000000000000000000000000000000000000000000000000000000000"
				   "0000000000000000000000000000000000000000000000000000000000000000";
	for (int f = 0; f < 2; f++) {
		struct agent_fx fx;
		fx_start(&fx, TM_FAULT_IF(f, TM_FAULT_AGENT_GETQUOTE_GET_QUERY_IGNORED));
		json_object *g = ask(&fx, "/GetQuote?report_data=aabbccdd", NULL);
		json_object *p = ask(&fx, "/GetQuote", "{\"report_data\":\"aabbccdd\"}");
		assert_string_equal(field(g, "report_data"), f ? zero : want);
		assert_string_equal(field(p, "report_data"), want);
		assert_true(strlen(field(g, "quote")) > 2000);
		json_object_put(g);
		json_object_put(p);
		fx_stop(&fx);
	}
}

/* agent-emit-on-snp-silently-ok, on dstack-0.6.0-snp: without the fault EmitEvent is refused
 * (HTTP 400 with an error, the mock's "only supported on TDX"); with it the answer is 200 {}
 * and yet no runtime event log file appears and Attest's attestation still ends with an empty
 * runtime_events (compact 0, then the 64 bytes of report_data and vm_config): nothing happened. */
static void test_fault_agent_emit_on_snp_silently_ok(void **state)
{
	for (int f = 0; f < 2; f++) {
		struct agent_fx fx;
		long status;
		char log[200];
		fx_start_on(&fx, "dstack-0.6.0-snp", TM_FAULT_IF(f, TM_FAULT_AGENT_EMIT_ON_SNP_SILENTLY_OK));
		json_object *e = ask_status(&fx, "/EmitEvent", "{\"event\":\"unit\",\"payload\":\"0102\"}", &status);
		json_object *v;
		assert_int_equal(status, f ? 200 : 400);
		assert_int_equal(json_object_object_get_ex(e, "error", &v), !f);
		if (f)
			assert_int_equal(json_object_object_length(e), 0);
		snprintf(log, sizeof(log), "%s/log/dstack/runtime_events.log", fx.dir);
		assert_int_equal(access(log, F_OK), -1);
		json_object *a = ask(&fx, "/Attest", "{\"report_data\":\"aa\"}");
		const char *h = field(a, "attestation");
		/* ... 00 (no runtime_events) aa 00*63, then the vm_config bytes */
		assert_non_null(strstr(h, "00aa000000000000000000000000000000000000000000000000000000000000000000"));
		json_object_put(a);
		json_object_put(e);
		fx_stop(&fx);
	}
}

/* The round-2 agent faults (blind audit 51, 60 and the argument value classes), each with and
 * without the fault, on dstack-0.6.0-tdx. The expected answers are dstack's: hex::decode("") is
 * no bytes, an odd digit count fails (OddLength), serde_json refuses a member of the wrong type,
 * pad64("") is 64 zero bytes, an unknown Tappd hash_algorithm is an error. */
static const char zero64[] = "0000000000000000000000000000000000000000000000000000000000000000"
			     "0000000000000000000000000000000000000000000000000000000000000000";

/* One request's HTTP status; *error: whether its answer has an "error" member. */
static long status_of(const struct agent_fx *f, const char *path, const char *body, bool *error)
{
	long status;
	json_object *o = ask_status(f, path, body, &status);
	*error = json_object_object_get_ex(o, "error", NULL);
	json_object_put(o);
	return status;
}

/* body(fx, f) on a fresh agent of the profile, without the fault (f false) and with it. */
static void with_and_without(const char *profile, enum tm_fault fault, void (*body)(struct agent_fx *, bool))
{
	for (int f = 0; f < 2; f++) {
		struct agent_fx fx;
		fx_start_on(&fx, profile, TM_FAULT_IF(f, fault));
		body(&fx, f);
		fx_stop(&fx);
	}
}

static void emit_empty_payload_refused_body(struct agent_fx *fx, bool f)
{
	bool err;
	assert_int_equal(status_of(fx, "/EmitEvent", "{\"event\":\"unit-empty\",\"payload\":\"\"}", &err), f ? 400 : 200);
	assert_int_equal(err, f);
	/* a payload of bytes is measured either way */
	assert_int_equal(status_of(fx, "/EmitEvent", "{\"event\":\"unit-bytes\",\"payload\":\"0102\"}", &err), 200);
	json_object *q = ask(fx, "/GetQuote", "{\"report_data\":\"00\"}");
	const char *log = field(q, "event_log");
	assert_int_equal(strstr(log, "\"event\":\"unit-empty\",\"event_payload\":\"\"") != NULL, !f);
	assert_non_null(strstr(log, "\"event\":\"unit-bytes\",\"event_payload\":\"0102\""));
	json_object_put(q);
}

static void test_fault_agent_emit_empty_payload_refused(void **state)
{
	with_and_without("dstack-0.6.0-tdx", TM_FAULT_AGENT_EMIT_EMPTY_PAYLOAD_REFUSED, emit_empty_payload_refused_body);
}

static void odd_hex_accepted_body(struct agent_fx *fx, bool f)
{
	bool err;
	assert_int_equal(status_of(fx, "/Attest", "{\"report_data\":\"abc\"}", &err), f ? 200 : 400);
	assert_int_equal(err, !f);
	assert_int_equal(status_of(fx, "/EmitEvent", "{\"event\":\"unit\",\"payload\":\"0\"}", &err), f ? 200 : 400);
	if (f) { /* "abc" quoted as the one byte ab */
		json_object *q = ask(fx, "/GetQuote", "{\"report_data\":\"abc\"}");
		assert_memory_equal(field(q, "report_data"), "ab00", 4);
		assert_string_equal(field(q, "report_data") + 2, zero64 + 2);
		json_object_put(q);
	}
	/* an even count is decoded either way; a non-hex digit refused either way */
	assert_int_equal(status_of(fx, "/GetQuote", "{\"report_data\":\"abcd\"}", &err), 200);
	assert_int_equal(status_of(fx, "/GetQuote", "{\"report_data\":\"0g\"}", &err), 400);
}

static void test_fault_agent_odd_hex_accepted(void **state)
{
	with_and_without("dstack-0.6.0-tdx", TM_FAULT_AGENT_ODD_HEX_ACCEPTED, odd_hex_accepted_body);
}

static void wrong_json_type_ignored_body(struct agent_fx *fx, bool f)
{
	bool err;
	assert_int_equal(status_of(fx, "/GetQuote", "{\"report_data\":7}", &err), f ? 200 : 400);
	assert_int_equal(err, !f);
	assert_int_equal(status_of(fx, "/GetKey", "{\"path\":[\"p\"]}", &err), f ? 200 : 400);
	assert_int_equal(status_of(fx, "/EmitEvent", "{\"event\":\"unit\",\"payload\":true}", &err), f ? 200 : 400);
	if (f) { /* served as if report_data were absent: 64 zero bytes */
		json_object *q = ask(fx, "/GetQuote", "{\"report_data\":{\"x\":\"00\"}}");
		assert_string_equal(field(q, "report_data"), zero64);
		json_object_put(q);
	}
}

static void test_fault_agent_wrong_json_type_ignored(void **state)
{
	with_and_without("dstack-0.6.0-tdx", TM_FAULT_AGENT_WRONG_JSON_TYPE_IGNORED, wrong_json_type_ignored_body);
}

static void empty_report_data_refused_body(struct agent_fx *fx, bool f)
{
	bool err;
	assert_int_equal(status_of(fx, "/Attest", "{\"report_data\":\"\"}", &err), f ? 400 : 200);
	assert_int_equal(err, f);
	if (!f) {
		json_object *q = ask(fx, "/GetQuote", "{\"report_data\":\"\"}");
		assert_string_equal(field(q, "report_data"), zero64);
		json_object_put(q);
	}
	snprintf(fx->sock, sizeof(fx->sock), "%s/tappd.sock", fx->dir);
	assert_int_equal(status_of(fx, "/prpc/Tappd.TdxQuote", "{\"report_data\":\"\"}", &err), f ? 400 : 200);
	assert_int_equal(status_of(fx, "/prpc/Tappd.TdxQuote", "{\"report_data\":\"00\"}", &err), 200);
}

static void test_fault_agent_empty_report_data_refused(void **state)
{
	with_and_without("dstack-0.6.0-tdx", TM_FAULT_AGENT_EMPTY_REPORT_DATA_REFUSED, empty_report_data_refused_body);
}

static void tappd_unknown_hash_default_body(struct agent_fx *fx, bool f)
{
	bool err;
	snprintf(fx->sock, sizeof(fx->sock), "%s/tappd.sock", fx->dir);
	assert_int_equal(status_of(fx, "/prpc/Tappd.TdxQuote", "{\"report_data\":\"00\",\"hash_algorithm\":\"md5\"}", &err),
			 f ? 200 : 400);
	assert_int_equal(err, !f);
	/* raw with the wrong length stays an error */
	assert_int_equal(status_of(fx, "/prpc/Tappd.TdxQuote", "{\"report_data\":\"00\",\"hash_algorithm\":\"raw\"}", &err),
			 400);
}

static void test_fault_agent_tappd_unknown_hash_default(void **state)
{
	with_and_without("dstack-0.6.0-tdx", TM_FAULT_AGENT_TAPPD_UNKNOWN_HASH_DEFAULT, tappd_unknown_hash_default_body);
}

static void attest_requires_64_bytes_body(struct agent_fx *fx, bool f)
{
	bool err;
	static const char rd64[] = "\"0000000000000000000000000000000000000000000000000000000000000000"
				   "00000000000000000000000000000000000000000000000000000000000000aa\"}";
	char body[200];
	snprintf(body, sizeof(body), "{\"report_data\":%s", rd64);
	assert_int_equal(status_of(fx, "/Attest", "{\"report_data\":\"aa\"}", &err), f ? 400 : 200);
	assert_int_equal(err, f);
	assert_int_equal(status_of(fx, "/Attest", body, &err), 200);
	/* GetQuote pads either way */
	assert_int_equal(status_of(fx, "/GetQuote", "{\"report_data\":\"aa\"}", &err), 200);
}

static void test_fault_agent_attest_requires_64_bytes(void **state)
{
	with_and_without("dstack-0.6.0-tdx", TM_FAULT_AGENT_ATTEST_REQUIRES_64_BYTES, attest_requires_64_bytes_body);
}

static void tappd_long_content_refused_body(struct agent_fx *fx, bool f)
{
	bool err;
	char body[400] = "{\"report_data\":\"";
	memset(body + strlen(body), '7', 130); /* 65 bytes */
	strcat(body, "\",\"hash_algorithm\":\"sha256\"}");
	snprintf(fx->sock, sizeof(fx->sock), "%s/tappd.sock", fx->dir);
	assert_int_equal(status_of(fx, "/prpc/Tappd.TdxQuote", body, &err), f ? 400 : 200);
	assert_int_equal(err, f);
	assert_int_equal(status_of(fx, "/prpc/Tappd.TdxQuote", "{\"report_data\":\"77\"}", &err), 200);
}

static void test_fault_agent_tappd_long_content_refused(void **state)
{
	with_and_without("dstack-0.6.0-tdx", TM_FAULT_AGENT_TAPPD_LONG_CONTENT_REFUSED, tappd_long_content_refused_body);
}

static void emit_empty_name_refused_body(struct agent_fx *fx, bool f)
{
	bool err;
	assert_int_equal(status_of(fx, "/EmitEvent", "{\"event\":\"\",\"payload\":\"0a0b\"}", &err), f ? 400 : 200);
	assert_int_equal(err, f);
	/* a missing name is refused either way */
	assert_int_equal(status_of(fx, "/EmitEvent", "{\"payload\":\"0a0b\"}", &err), 400);
	json_object *q = ask(fx, "/GetQuote", "{\"report_data\":\"00\"}");
	assert_int_equal(strstr(field(q, "event_log"), "\"event\":\"\",\"event_payload\":\"0a0b\"") != NULL, !f);
	json_object_put(q);
}

static void test_fault_agent_emit_empty_name_refused(void **state)
{
	with_and_without("dstack-0.6.0-tdx", TM_FAULT_AGENT_EMIT_EMPTY_NAME_REFUSED, emit_empty_name_refused_body);
}

static void getkey_algorithm_checked_early_body(struct agent_fx *fx, bool f)
{
	bool err;
	assert_int_equal(status_of(fx, "/GetKey", "{\"path\":\"p\",\"algorithm\":\"rsa4096\"}", &err), f ? 400 : 200);
	assert_int_equal(err, f);
	assert_int_equal(status_of(fx, "/GetKey", "{\"path\":\"p\",\"algorithm\":7}", &err), f ? 400 : 200);
	assert_int_equal(status_of(fx, "/GetKey", "{\"path\":\"p\"}", &err), 200);
}

static void test_fault_agent_getkey_algorithm_checked_early(void **state)
{
	with_and_without("dstack-0.5.0", TM_FAULT_AGENT_GETKEY_ALGORITHM_CHECKED_EARLY, getkey_algorithm_checked_early_body);
}

/* round 3, fix3c: expectations from dstack's sources (hex::decode takes both cases; get_key's
 * normalize_algorithm "k256" from 0.5.7; emit_runtime_event checks no name; get_info serves
 * the full log as a JSON array inside tcb_info) */
static void hex_uppercase_refused_body(struct agent_fx *fx, bool f)
{
	bool err;
	assert_int_equal(status_of(fx, "/GetQuote", "{\"report_data\":\"ABCD\"}", &err), f ? 400 : 200);
	assert_int_equal(err, f);
	assert_int_equal(status_of(fx, "/Attest", "{\"report_data\":\"aBcD\"}", &err), f ? 400 : 200);
	assert_int_equal(status_of(fx, "/EmitEvent", "{\"event\":\"unit-case\",\"payload\":\"0A0B\"}", &err), f ? 400 : 200);
	if (!f) { /* the same bytes as lower case */
		json_object *q = ask(fx, "/GetQuote", "{\"report_data\":\"ABCD\"}");
		assert_memory_equal(field(q, "report_data"), "abcd", 4);
		assert_string_equal(field(q, "report_data") + 4, zero64 + 4);
		json_object_put(q);
	}
	/* lower case either way */
	assert_int_equal(status_of(fx, "/GetQuote", "{\"report_data\":\"abcd\"}", &err), 200);
}

static void test_fault_agent_hex_uppercase_refused(void **state)
{
	with_and_without("dstack-0.6.0-tdx", TM_FAULT_AGENT_HEX_UPPERCASE_REFUSED, hex_uppercase_refused_body);
}

static void getkey_k256_before_057_body(struct agent_fx *fx, bool f)
{
	bool err;
	assert_int_equal(status_of(fx, "/GetKey", "{\"path\":\"p\",\"algorithm\":\"k256\"}", &err), f ? 200 : 400);
	assert_int_equal(err, !f);
	/* 0.5.6's own names either way */
	assert_int_equal(status_of(fx, "/GetKey", "{\"path\":\"p\",\"algorithm\":\"secp256k1_prehashed\"}", &err), 200);
	assert_int_equal(status_of(fx, "/GetKey", "{\"path\":\"p\",\"algorithm\":\"secp256k1\"}", &err), 200);
}

static void test_fault_agent_getkey_k256_before_0_5_7(void **state)
{
	with_and_without("dstack-0.5.6", TM_FAULT_AGENT_GETKEY_K256_BEFORE_0_5_7, getkey_k256_before_057_body);
	/* 0.5.7 has the alias, and no secp256k1_prehashed in GetKey */
	struct agent_fx fx;
	bool err;
	fx_start_on(&fx, "dstack-0.5.7", TM_NO_FAULTS);
	assert_int_equal(status_of(&fx, "/GetKey", "{\"path\":\"p\",\"algorithm\":\"k256\"}", &err), 200);
	assert_int_equal(status_of(&fx, "/GetKey", "{\"path\":\"p\",\"algorithm\":\"secp256k1_prehashed\"}", &err), 400);
	fx_stop(&fx);
}

static void emit_colon_name_refused_body(struct agent_fx *fx, bool f)
{
	bool err;
	assert_int_equal(status_of(fx, "/EmitEvent", "{\"event\":\"app:ready\",\"payload\":\"01\"}", &err), f ? 400 : 200);
	assert_int_equal(err, f);
	assert_int_equal(status_of(fx, "/EmitEvent", "{\"event\":\"app-ready\",\"payload\":\"01\"}", &err), 200);
	json_object *q = ask(fx, "/GetQuote", "{\"report_data\":\"00\"}");
	assert_int_equal(strstr(field(q, "event_log"), "\"event\":\"app:ready\",\"event_payload\":\"01\"") != NULL, !f);
	assert_non_null(strstr(field(q, "event_log"), "\"event\":\"app-ready\",\"event_payload\":\"01\""));
	json_object_put(q);
}

static void test_fault_agent_emit_colon_name_refused(void **state)
{
	with_and_without("dstack-0.6.0-tdx", TM_FAULT_AGENT_EMIT_COLON_NAME_REFUSED, emit_colon_name_refused_body);
}

/* Info's tcb_info.event_log member (tcb_info itself is a JSON string); the caller puts both. */
static json_object *info_log(const struct agent_fx *fx, json_object **tcb)
{
	json_object *o = ask(fx, "/Info", NULL), *log = NULL;
	*tcb = json_tokener_parse(field(o, "tcb_info"));
	json_object_put(o);
	assert_non_null(*tcb);
	assert_true(json_object_object_get_ex(*tcb, "event_log", &log));
	return log;
}

/* The first RTMR3 entry's digest (system-preparing, 48 bytes) and the first boot entry's
 * payload ("boot-0-0" in hex, the mock's) in the full log; both empty when stripped. */
static void info_log_stripped_body(struct agent_fx *fx, bool f)
{
	json_object *tcb, *log = info_log(fx, &tcb), *e = NULL;
	assert_true(json_object_is_type(log, json_type_array));
	for (size_t i = 0; i < json_object_array_length(log); i++) {
		json_object *imr;
		e = json_object_array_get_idx(log, i);
		assert_true(json_object_object_get_ex(e, "imr", &imr));
		if (json_object_get_int(imr) == 3)
			break;
	}
	assert_int_equal(strlen(field(e, "digest")), f ? 0 : 96);
	assert_string_equal(field(e, "event"), "system-preparing");
	assert_string_equal(field(json_object_array_get_idx(log, 0), "event_payload"), f ? "" : "626f6f742d302d30");
	json_object_put(tcb);
}

static void test_fault_agent_info_log_stripped(void **state)
{
	with_and_without("dstack-0.6.0-tdx", TM_FAULT_AGENT_INFO_LOG_STRIPPED, info_log_stripped_body);
	/* on 0.5.0, whose GetQuote log is full, the fault changes nothing */
	struct agent_fx fx;
	json_object *tcb;
	fx_start_on(&fx, "dstack-0.5.0", TM_FAULT_BIT(TM_FAULT_AGENT_INFO_LOG_STRIPPED));
	json_object *log = info_log(&fx, &tcb);
	assert_string_equal(field(json_object_array_get_idx(log, 0), "event_payload"), "626f6f742d302d30");
	json_object_put(tcb);
	fx_stop(&fx);
}

static void info_log_json_string_body(struct agent_fx *fx, bool f)
{
	json_object *tcb, *log = info_log(fx, &tcb);
	assert_true(json_object_is_type(log, f ? json_type_string : json_type_array));
	if (f) /* the same events, one level of JSON deeper */
		assert_memory_equal(json_object_get_string(log), "[{\"imr\":0,", 10);
	else
		assert_int_equal(json_object_array_length(log), 9 + 7);
	json_object_put(tcb);
}

static void test_fault_agent_info_log_json_string(void **state)
{
	with_and_without("dstack-0.6.0-tdx", TM_FAULT_AGENT_INFO_LOG_JSON_STRING, info_log_json_string_body);
}

/* agent-info-ids-swapped, on dstack-0.6.0-tdx: Info's app_id and instance_id are the payloads
 * of the RTMR3 boot events app-id and instance-id (dstack's decode_app_info); the mock logs
 * SHA-384(name)[0..20) for each, computed here with openssl dgst -sha384. The fault swaps the
 * two; tcb_info's log is the same either way. */
static const char app_id_hex[] = "0697c6cfd65cd2905ad3ca9111b47402c5e8ffa8";
static const char instance_id_hex[] = "fddeda59bb80491f5bc59b8d4c4ce2d7ae44f3a2";

static void info_ids_swapped_body(struct agent_fx *fx, bool f)
{
	json_object *o = ask(fx, "/Info", NULL);
	assert_string_equal(field(o, "app_id"), f ? instance_id_hex : app_id_hex);
	assert_string_equal(field(o, "instance_id"), f ? app_id_hex : instance_id_hex);
	assert_string_equal(field(o, "key_provider_info"), "{\"type\":\"kms\",\"id\":\"113eb0d7\"}");
	const char *t = field(o, "tcb_info");
	assert_non_null(strstr(t, "\"event\":\"app-id\",\"event_payload\":\"0697c6cfd65cd2905ad3ca9111b47402c5e8ffa8\""));
	json_object_put(o);
}

static void test_fault_agent_info_ids_swapped(void **state)
{
	with_and_without("dstack-0.6.0-tdx", TM_FAULT_AGENT_INFO_IDS_SWAPPED, info_ids_swapped_body);
}

/* agent-version-is-os-version, on dstack-0.6.0a2-tdx: Version answers the crate version of the
 * image's dstack pin f1ba0a22, 0.5.11 (its workspace Cargo.toml); the fault answers the image's
 * VERSION_ID 0.6.0.a2. Both services alike. */
static void version_is_os_version_body(struct agent_fx *fx, bool f)
{
	json_object *o = ask(fx, "/Version", NULL);
	assert_string_equal(field(o, "version"), f ? "0.6.0.a2" : "0.5.11");
	json_object_put(o);
}

static void test_fault_agent_version_is_os_version(void **state)
{
	with_and_without("dstack-0.6.0a2-tdx", TM_FAULT_AGENT_VERSION_IS_OS_VERSION, version_is_os_version_body);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_fault_agent_getkey_ignores_purpose),
		cmocka_unit_test(test_fault_agent_getkey_algorithm_ignored),
		cmocka_unit_test(test_fault_agent_getquote_get_query_ignored),
		cmocka_unit_test(test_fault_agent_emit_on_snp_silently_ok),
		cmocka_unit_test(test_fault_agent_emit_empty_payload_refused),
		cmocka_unit_test(test_fault_agent_odd_hex_accepted),
		cmocka_unit_test(test_fault_agent_wrong_json_type_ignored),
		cmocka_unit_test(test_fault_agent_empty_report_data_refused),
		cmocka_unit_test(test_fault_agent_tappd_unknown_hash_default),
		cmocka_unit_test(test_fault_agent_attest_requires_64_bytes),
		cmocka_unit_test(test_fault_agent_tappd_long_content_refused),
		cmocka_unit_test(test_fault_agent_emit_empty_name_refused),
		cmocka_unit_test(test_fault_agent_getkey_algorithm_checked_early),
		cmocka_unit_test(test_fault_agent_hex_uppercase_refused),
		cmocka_unit_test(test_fault_agent_getkey_k256_before_0_5_7),
		cmocka_unit_test(test_fault_agent_emit_colon_name_refused),
		cmocka_unit_test(test_fault_agent_info_log_stripped),
		cmocka_unit_test(test_fault_agent_info_log_json_string),
		cmocka_unit_test(test_fault_agent_info_ids_swapped),
		cmocka_unit_test(test_fault_agent_version_is_os_version),
	};
	curl_global_init(CURL_GLOBAL_DEFAULT);
	int rc = cmocka_run_group_tests_name("model_agent", tests, NULL, NULL);
	curl_global_cleanup();
	return rc;
}
