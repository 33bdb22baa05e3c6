/* SPDX-License-Identifier: Apache-2.0 */
/*
 * fuzz/fuzz_detect.c - format detection and the one-line JSON description used by
 * tools/teeabi-parse (lib/detect.c, and through it every parser).
 *
 * Input: any bytes, described leniently and in strict mode; inputs whose size is a
 * multiple of 3 carry a "file" name.
 *
 * Properties:
 *   - teeabi_detect agrees with the rules in detect.c's header, re-implemented here (the
 *     SCALE sniff itself is teeabi_dstack_scale_sniff, fuzzed by fuzz_dstack_scale; here
 *     only its place in the order is checked);
 *   - describe succeeds exactly when the parser of the detected format (with the flags
 *     describe documents) accepts the input (dstack attestations are not cross-checked);
 *   - on success the output is one line, parses back with json-c as an object, carries
 *     "format" = the detected format's name (and "file" when given), and a few values
 *     equal the bytes they describe;
 *   - on failure nothing is written, the error is a known one and *detail is a non-empty
 *     string;
 *   - everything is freed (LeakSanitizer).
 */
#include <limits.h>
#include <json-c/json.h>
#include "fuzz.h"
#include "teeabi/detect.h"
#include "teeabi/dstack.h"
#include "teeabi/err.h"
#include "teeabi/snp.h"
#include "teeabi/tdx.h"

static uint16_t rd16(const uint8_t *p) { return (uint16_t)(p[0] | p[1] << 8); }
static uint32_t rd32(const uint8_t *p) { return (uint32_t)p[0] | (uint32_t)p[1] << 8 | (uint32_t)p[2] << 16 | (uint32_t)p[3] << 24; }

static int zero(const uint8_t *p, size_t n)
{
	for (size_t i = 0; i < n; i++)
		if (p[i])
			return 0;
	return 1;
}

/* well-known certificate-table GUIDs (formats.md §5.2), first 4 bytes are distinct */
static const uint8_t guids[6][16] = {
	{ 0x63, 0xda, 0x75, 0x8d, 0xe6, 0x64, 0x45, 0x64, 0xad, 0xc5, 0xf4, 0xb9, 0x3b, 0xe8, 0xac, 0xcd },
	{ 0xa8, 0x07, 0x4b, 0xc2, 0xa2, 0x5a, 0x48, 0x3e, 0xaa, 0xe6, 0x39, 0xc0, 0x45, 0xa0, 0xb8, 0xa1 },
	{ 0x4a, 0xb7, 0xb3, 0x79, 0xbb, 0xac, 0x4f, 0xe4, 0xa0, 0x2f, 0x05, 0xae, 0xf3, 0x27, 0xc7, 0x82 },
	{ 0xc0, 0xb4, 0x06, 0xa4, 0xa8, 0x03, 0x49, 0x52, 0x97, 0x43, 0x3f, 0xb6, 0x01, 0x4c, 0xd0, 0xae },
	{ 0x92, 0xf8, 0x1b, 0xc3, 0x58, 0x11, 0x4d, 0x3d, 0x97, 0xff, 0xd1, 0x9f, 0x88, 0xdc, 0x67, 0xea },
	{ 0xec, 0xae, 0x0c, 0x0f, 0x95, 0x02, 0x43, 0xb1, 0xaf, 0xa2, 0x0a, 0xe2, 0xe0, 0xd5, 0x65, 0xb6 },
};

/* One JSON object (whitespace around it allowed) with a string "attestation" and a "quote"
 * that is absent or "": a dstack attestation (Attest response). */
static int is_attestation_json(const uint8_t *d, size_t n)
{
	if (n > INT_MAX || memchr(d, 0, n))
		return 0;
	json_tokener *t = json_tokener_new_ex(32);
	FZ_CHECK(t, "json_tokener_new_ex");
	json_object *o = json_tokener_parse_ex(t, (const char *)d, (int)n), *a, *q;
	int ok = o && json_tokener_get_error(t) == json_tokener_success && json_object_is_type(o, json_type_object);
	for (size_t i = json_tokener_get_parse_end(t); ok && i < n; i++)
		ok = d[i] == ' ' || d[i] == '\t' || d[i] == '\n' || d[i] == '\r';
	json_tokener_free(t);
	ok = ok && json_object_object_get_ex(o, "attestation", &a) && json_object_is_type(a, json_type_string);
	if (ok && json_object_object_get_ex(o, "quote", &q))
		ok = json_object_is_type(q, json_type_string) && json_object_get_string_len(q) == 0;
	json_object_put(o);
	return ok;
}

/* The first JSON value is an object with a string "event" and no "quote": a runtime event
 * log (one object per line; json-c stops after the first value). */
static int first_value_is_event(const uint8_t *d, size_t n)
{
	if (n > INT_MAX)
		return 0;
	json_tokener *t = json_tokener_new_ex(32);
	FZ_CHECK(t, "json_tokener_new_ex");
	json_object *o = json_tokener_parse_ex(t, (const char *)d, (int)n), *e, *q;
	json_tokener_free(t);
	int ok = o && json_object_is_type(o, json_type_object) && !json_object_object_get_ex(o, "quote", &q) &&
		 json_object_object_get_ex(o, "event", &e) && json_object_is_type(e, json_type_string);
	json_object_put(o);
	return ok;
}

static enum teeabi_format detect_ref(const uint8_t *d, size_t n)
{
	if (n == 0)
		return TEEABI_FMT_UNKNOWN;
	size_t i = 0;
	while (i < n && (d[i] == ' ' || d[i] == '\t' || d[i] == '\n' || d[i] == '\r'))
		i++;
	if (i < n && d[i] == '{') {
		if (is_attestation_json(d, n))
			return TEEABI_FMT_DSTACK_ATTESTATION;
		return first_value_is_event(d + i, n - i) ? TEEABI_FMT_DSTACK_RUNTIME_LOG : TEEABI_FMT_DSTACK_QUOTE_JSON;
	}
	if (i < n && d[i] == '[')
		return TEEABI_FMT_DSTACK_EVENT_LOG;
	if (n == 1024 && d[0] == 0x81)
		return TEEABI_FMT_TDREPORT;
	if (n >= 48 && (rd16(d) == 4 || rd16(d) == 5) && rd16(d + 2) == 2 && (rd32(d + 4) == 0x81 || rd32(d + 4) == 0))
		return TEEABI_FMT_TDX_QUOTE;
	/* SCALE VersionedAttestation: the sniff is its own heuristic (fuzzed with the SCALE
	 * parser); here only its place in the order is checked */
	if (teeabi_dstack_scale_sniff(d, n))
		return TEEABI_FMT_DSTACK_ATTESTATION;
	if (n >= 0x20 && rd32(d + 4) == 0x4A0 && zero(d + 8, 0x18))
		return TEEABI_FMT_SNP_MSG_REPORT_RSP;
	if (n == 64 && zero(d + 4, 0x1C))
		return TEEABI_FMT_SNP_MSG_KEY_RSP;
	if (n >= 0x38 && rd32(d) >= 2 && rd32(d) <= 5 && rd32(d + 0x34) == 1)
		return TEEABI_FMT_SNP_REPORT;
	if (n >= 24)
		for (int g = 0; g < 6; g++)
			if (!memcmp(d, guids[g], 16))
				return TEEABI_FMT_SNP_CERT_TABLE;
	if (n == 384)
		return TEEABI_FMT_SGX_REPORT;
	return TEEABI_FMT_UNKNOWN;
}

/* Does the parser of format f accept d with the flags describe documents? 1/0, or -1 for a
 * format this target does not cross-check (dstack attestations). */
static int parser_accepts(enum teeabi_format f, const uint8_t *d, size_t n, int strict)
{
	unsigned qf = TEEABI_QUOTE_DEFAULT | (strict ? TEEABI_QUOTE_STRICT_VENDOR | TEEABI_QUOTE_STRICT_TRAILING : 0);
	unsigned sf = strict ? TEEABI_SNP_STRICT_MBZ : TEEABI_SNP_ALLOW_TRAILING;
	switch (f) {
	case TEEABI_FMT_TDREPORT: {
		struct teeabi_tdreport r;
		return teeabi_tdreport_parse(d, n, &r) == TEEABI_OK;
	}
	case TEEABI_FMT_TDX_QUOTE: {
		struct teeabi_tdx_quote q;
		return teeabi_tdx_quote_parse(d, n, qf, &q) == TEEABI_OK;
	}
	case TEEABI_FMT_SNP_REPORT: {
		struct teeabi_snp_report r;
		return teeabi_snp_report_parse(d, n, sf, &r) == TEEABI_OK;
	}
	case TEEABI_FMT_SNP_MSG_REPORT_RSP: {
		struct teeabi_snp_msg_report_rsp m;
		struct teeabi_snp_report r;
		return teeabi_snp_msg_report_rsp_parse(d, n, &m) == TEEABI_OK &&
		       teeabi_snp_report_parse(m.report.p, m.report.len, strict ? TEEABI_SNP_STRICT_MBZ : 0, &r) == TEEABI_OK;
	}
	case TEEABI_FMT_SNP_MSG_KEY_RSP: {
		struct teeabi_snp_msg_key_rsp k;
		return teeabi_snp_msg_key_rsp_parse(d, n, &k) == TEEABI_OK;
	}
	case TEEABI_FMT_SNP_CERT_TABLE: {
		static struct teeabi_cert_table t;
		return teeabi_snp_cert_table_parse(d, n, 0, &t) == TEEABI_OK;
	}
	case TEEABI_FMT_DSTACK_QUOTE_JSON: {
		static struct teeabi_dstack_quote_resp r;
		if (teeabi_dstack_quote_resp_parse((const char *)d, n, TEEABI_DIGEST_V1, &r) != TEEABI_OK)
			return 0;
		struct teeabi_tdx_quote q;
		int ok = !r.quote_parsed || teeabi_tdx_quote_parse(r.quote, r.quote_len, qf, &q) == TEEABI_OK;
		teeabi_dstack_quote_resp_free(&r);
		return ok;
	}
	case TEEABI_FMT_DSTACK_EVENT_LOG: {
		static struct teeabi_dstack_quote_resp r;
		int ok = teeabi_dstack_evlog_parse((const char *)d, n, NULL, &r) == TEEABI_OK;
		teeabi_dstack_quote_resp_free(&r);
		return ok;
	}
	case TEEABI_FMT_DSTACK_RUNTIME_LOG: {
		struct teeabi_dstack_rtlog r;
		return teeabi_dstack_runtime_log_parse((const char *)d, n, NULL, &r) == TEEABI_OK;
	}
	case TEEABI_FMT_SGX_REPORT: {
		struct teeabi_sgx_report s;
		return teeabi_sgx_report_parse(d, n, &s) == TEEABI_OK;
	}
	case TEEABI_FMT_DSTACK_ATTESTATION:
		return -1;
	case TEEABI_FMT_UNKNOWN:
		break;
	}
	return 0;
}

static int64_t jint(json_object *o, const char *k)
{
	json_object *v;
	FZ_CHECK(json_object_object_get_ex(o, k, &v) && json_object_is_type(v, json_type_int), "no integer \"%s\"", k);
	return json_object_get_int64(v);
}

static void describe_once(const uint8_t *d, size_t size, enum teeabi_format f, int strict, const char *name)
{
	char *mem = NULL;
	size_t ml = 0;
	FILE *out = open_memstream(&mem, &ml);
	FZ_CHECK(out, "open_memstream");
	const char *detail = NULL;
	teeabi_err e = teeabi_describe_json_ex(d, size, strict ? TEEABI_DESCRIBE_STRICT : 0, name, out, &detail);
	FZ_CHECK(fclose(out) == 0, "fclose");
	FZ_CHECK(detail != NULL, "detail is NULL");

	if (e != TEEABI_OK) {
		FZ_CHECK((unsigned)e < TEEABI_ERR_COUNT && strcmp(teeabi_err_name(e), "E_?"), "unknown error %d", (int)e);
		FZ_CHECK(ml == 0, "%s but %zu bytes written", teeabi_err_name(e), ml);
		FZ_CHECK(detail[0] != 0, "%s with an empty detail", teeabi_err_name(e));
		if (size == 0)
			FZ_CHECK(e == TEEABI_E_EMPTY, "empty input: %s", teeabi_err_name(e));
		else if (f == TEEABI_FMT_UNKNOWN)
			FZ_CHECK(e == TEEABI_E_UNKNOWN_FORMAT, "unknown format: %s", teeabi_err_name(e));
		else
			FZ_CHECK(parser_accepts(f, d, size, strict) != 1, "describe failed (%s: %s) but the %s parser accepts",
				 teeabi_err_name(e), detail, teeabi_format_name(f));
		free(mem);
		return;
	}
	FZ_CHECK(f != TEEABI_FMT_UNKNOWN && parser_accepts(f, d, size, strict) != 0,
		 "describe succeeded but the %s parser rejects", teeabi_format_name(f));
	FZ_CHECK(ml > 0 && mem[ml - 1] == '\n' && !memchr(mem, '\n', ml - 1) && strlen(mem) == ml,
		 "output is not one line");

	/* one strict tokener for every output (reset before each parse, kept until exit) */
	static json_tokener *t;
	if (!t) {
		FZ_CHECK((t = json_tokener_new()), "json_tokener_new");
		json_tokener_set_flags(t, JSON_TOKENER_STRICT);
	}
	json_tokener_reset(t);
	json_object *o = json_tokener_parse_ex(t, mem, (int)ml - 1);
	FZ_CHECK(o && json_tokener_get_error(t) == json_tokener_success && json_tokener_get_parse_end(t) == ml - 1,
		 "output is not one JSON value: %s", mem);
	FZ_CHECK(json_object_is_type(o, json_type_object), "output is not an object");
	json_object *v;
	FZ_CHECK(json_object_object_get_ex(o, "format", &v) && json_object_is_type(v, json_type_string) &&
			 !strcmp(json_object_get_string(v), teeabi_format_name(f)),
		 "format is not %s: %s", teeabi_format_name(f), mem);
	if (name)
		FZ_CHECK(json_object_object_get_ex(o, "file", &v) && !strcmp(json_object_get_string(v), name), "file");
	switch (f) {
	case TEEABI_FMT_TDX_QUOTE:
		FZ_CHECK(jint(o, "version") == rd16(d), "quote version");
		FZ_CHECK(jint(o, "quote_len") + jint(o, "trailing_bytes") == (int64_t)size, "quote_len + trailing");
		break;
	case TEEABI_FMT_SNP_REPORT:
		FZ_CHECK(jint(o, "version") == rd32(d), "snp version");
		FZ_CHECK(jint(o, "trailing_bytes") == (int64_t)size - 0x4A0, "snp trailing_bytes");
		break;
	case TEEABI_FMT_SNP_MSG_REPORT_RSP:
		FZ_CHECK(jint(o, "version") == rd32(d + 0x20) && jint(o, "report_size") == 0x4A0, "msg version/size");
		FZ_CHECK(jint(o, "padding_bytes") == (int64_t)size - 0x20 - 0x4A0, "padding_bytes");
		break;
	case TEEABI_FMT_SNP_CERT_TABLE: {
		int64_t c = jint(o, "count");
		FZ_CHECK(json_object_object_get_ex(o, "entries", &v) && json_object_is_type(v, json_type_array) &&
				 (int64_t)json_object_array_length(v) == c && c >= 1,
			 "entries/count");
		FZ_CHECK(jint(o, "table_len") == 24 * (c + 1), "table_len");
		break;
	}
	case TEEABI_FMT_TDREPORT:
		FZ_CHECK(jint(o, "version") == d[2], "tdreport version");
		break;
	default:
		break;
	}
	json_object_put(o);
	free(mem);
}

int LLVMFuzzerTestOneInput(const uint8_t *d, size_t size)
{
	if (size > 256 * 1024)
		return 0;
	enum teeabi_format f = teeabi_detect(d, size), want = detect_ref(d, size);
	FZ_CHECK(f == want, "detect says %s, expected %s", teeabi_format_name(f), teeabi_format_name(want));
	const char *name = size % 3 == 0 ? "input \"1\"" : NULL;
	describe_once(d, size, f, 0, name);
	describe_once(d, size, f, 1, name);
	return 0;
}
