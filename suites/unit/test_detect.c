/* SPDX-License-Identifier: Apache-2.0 */
/*
 * test_detect.c - format detection and teeabi_describe_json: every real vector is detected
 * as its format, descriptions carry the MANIFEST values (parsed back with json-c here),
 * crafted MSG_REPORT_RSP / KEY_RSP / cert-table / SGX inputs, strict vs lenient, error paths
 * write nothing, and a mutation sweep over every vector never yields invalid JSON.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <dirent.h>
#include <cmocka.h>
#include <json-c/json.h>
#include "teeabi/detect.h"
#include "teeabi/snp.h"
#include "testutil.h"

/* describe into memory; returns the error, *json the parsed output (NULL if none) */
static teeabi_err describe(const uint8_t *buf, size_t len, unsigned flags, json_object **json, const char **detail,
			   size_t *outlen)
{
	char *mem = NULL;
	size_t ml = 0;
	FILE *f = open_memstream(&mem, &ml);
	assert_non_null(f);
	uint8_t *c = malloc(len ? len : 1); /* exact size for ASan */
	memcpy(c, buf, len);
	teeabi_err e = teeabi_describe_json_ex(c, len, flags, NULL, f, detail);
	fclose(f);
	free(c);
	*outlen = ml;
	*json = NULL;
	if (ml) {
		assert_int_equal(mem[ml - 1], '\n');
		assert_null(memchr(mem, '\n', ml - 1)); /* one line */
		*json = json_tokener_parse(mem);
		if (!*json)
			fail_msg("output is not JSON: %s", mem);
	}
	free(mem);
	return e;
}

static json_object *ok_desc(const char *path, unsigned flags)
{
	size_t n, ol;
	uint8_t *b = tu_read(path, &n);
	json_object *j;
	const char *d;
	teeabi_err e = describe(b, n, flags, &j, &d, &ol);
	if (e)
		fail_msg("%s: %s: %s", path, teeabi_err_name(e), d);
	free(b);
	return j;
}

static const char *sget(json_object *o, const char *k)
{
	json_object *v;
	if (!json_object_object_get_ex(o, k, &v))
		fail_msg("missing key %s", k);
	return json_object_get_string(v);
}
static int64_t iget(json_object *o, const char *k)
{
	json_object *v;
	if (!json_object_object_get_ex(o, k, &v) || !json_object_is_type(v, json_type_int))
		fail_msg("missing int %s", k);
	return json_object_get_int64(v);
}
static bool bget(json_object *o, const char *k)
{
	json_object *v;
	if (!json_object_object_get_ex(o, k, &v) || !json_object_is_type(v, json_type_boolean))
		fail_msg("missing bool %s", k);
	return json_object_get_boolean(v);
}
static json_object *oget(json_object *o, const char *k)
{
	json_object *v;
	if (!json_object_object_get_ex(o, k, &v))
		fail_msg("missing key %s", k);
	return v;
}

static void detect_dir(const char *dir, enum teeabi_format want, const char *only)
{
	DIR *d = opendir(tu_src_path(dir));
	assert_non_null(d);
	struct dirent *de;
	int count = 0;
	while ((de = readdir(d))) {
		if (de->d_name[0] == '.' || (only && !strstr(de->d_name, only)))
			continue;
		char rel[512];
		snprintf(rel, sizeof(rel), "%s/%s", dir, de->d_name);
		size_t n;
		uint8_t *b = tu_read(rel, &n);
		if (teeabi_detect(b, n) != want)
			fail_msg("%s detected as %s", rel, teeabi_format_name(teeabi_detect(b, n)));
		free(b);
		json_object *j = ok_desc(rel, 0);
		assert_string_equal(sget(j, "format"), teeabi_format_name(want));
		assert_non_null(oget(j, "version"));
		json_object_put(j);
		count++;
	}
	closedir(d);
	assert_true(count > 0);
}

static void test_detect_vectors(void **state)
{
	(void)state;
	detect_dir("vectors/tdx-quote", TEEABI_FMT_TDX_QUOTE, NULL);
	detect_dir("vectors/tdx-report", TEEABI_FMT_TDREPORT, NULL);
	detect_dir("vectors/snp-report", TEEABI_FMT_SNP_REPORT, NULL);
	detect_dir("vectors/dstack", TEEABI_FMT_DSTACK_QUOTE_JSON, "getquote");
	detect_dir("vectors/dstack", TEEABI_FMT_DSTACK_QUOTE_JSON, "quote-report");
}

static void test_format_names(void **state)
{
	(void)state;
	assert_string_equal(teeabi_format_name(TEEABI_FMT_TDX_QUOTE), "tdx_quote");
	assert_string_equal(teeabi_format_name(TEEABI_FMT_TDREPORT), "tdreport");
	assert_string_equal(teeabi_format_name(TEEABI_FMT_SNP_REPORT), "snp_report");
	assert_string_equal(teeabi_format_name(TEEABI_FMT_SNP_CERT_TABLE), "snp_cert_table");
	assert_string_equal(teeabi_format_name(TEEABI_FMT_DSTACK_QUOTE_JSON), "dstack_quote_json");
	assert_string_equal(teeabi_format_name(TEEABI_FMT_DSTACK_EVENT_LOG), "dstack_event_log");
	assert_string_equal(teeabi_format_name(TEEABI_FMT_DSTACK_RUNTIME_LOG), "dstack_runtime_log");
	assert_string_equal(teeabi_format_name((enum teeabi_format)77), "unknown");
}

static void test_detect_crafted(void **state)
{
	(void)state;
	uint8_t b[4000] = { 0 };
	assert_int_equal(teeabi_detect(b, 0), TEEABI_FMT_UNKNOWN);
	assert_int_equal(teeabi_detect(NULL, 10), TEEABI_FMT_UNKNOWN);
	assert_int_equal(teeabi_detect((const uint8_t *)" \n\t{\"a\":1}", 11), TEEABI_FMT_DSTACK_QUOTE_JSON);
	/* a bare event-log array (issue 14: was E_UNKNOWN_FORMAT), a runtime event log line */
	assert_int_equal(teeabi_detect((const uint8_t *)"[1]", 3), TEEABI_FMT_DSTACK_EVENT_LOG);
	assert_int_equal(teeabi_detect((const uint8_t *)" {\"event\":\"a\",\"payload\":\"\"}\n{", 29),
			 TEEABI_FMT_DSTACK_RUNTIME_LOG);
	assert_int_equal(teeabi_detect((const uint8_t *)"{\"event\":\"a\",\"quote\":\"\"}", 24), TEEABI_FMT_DSTACK_QUOTE_JSON);
	teeabi_put_le32(b + 4, 0x4A0);
	assert_int_equal(teeabi_detect(b, 4000), TEEABI_FMT_SNP_MSG_REPORT_RSP);
	memset(b, 0, sizeof(b));
	assert_int_equal(teeabi_detect(b, 64), TEEABI_FMT_SNP_MSG_KEY_RSP);
	assert_int_equal(teeabi_detect(b, 384), TEEABI_FMT_SGX_REPORT);
	assert_int_equal(teeabi_detect(b, 1024), TEEABI_FMT_UNKNOWN);
	b[0] = 0x81;
	assert_int_equal(teeabi_detect(b, 1024), TEEABI_FMT_TDREPORT);
	/* a TDREPORT is exactly 1024 bytes (formats.md §1) */
	assert_int_equal(teeabi_detect(b, 1025), TEEABI_FMT_UNKNOWN);
	assert_int_equal(teeabi_detect(b, 1023), TEEABI_FMT_UNKNOWN);
	memcpy(b, teeabi_guid_ark, 16);
	assert_int_equal(teeabi_detect(b, 100), TEEABI_FMT_SNP_CERT_TABLE);
	memset(b, 0, 16);
	teeabi_put_le16(b, 4);
	teeabi_put_le16(b + 2, 2);
	teeabi_put_le32(b + 4, 0x81);
	assert_int_equal(teeabi_detect(b, 48), TEEABI_FMT_TDX_QUOTE);
	assert_int_equal(teeabi_detect(b, 47), TEEABI_FMT_UNKNOWN);
	teeabi_put_le16(b + 2, 3);
	assert_int_equal(teeabi_detect(b, 48), TEEABI_FMT_UNKNOWN);
	memset(b, 0, 64);
	teeabi_put_le32(b, 3);
	teeabi_put_le32(b + 0x34, 1);
	assert_int_equal(teeabi_detect(b, 1184), TEEABI_FMT_SNP_REPORT);
	assert_int_equal(teeabi_detect(b, 0x38), TEEABI_FMT_SNP_REPORT); /* truncated report */
	teeabi_put_le32(b + 0x34, 2);
	assert_int_equal(teeabi_detect(b, 1184), TEEABI_FMT_UNKNOWN);
}

static void test_describe_tdx_quote(void **state)
{
	(void)state;
	/* MANIFEST: trustee__tdx_quote_4.dat */
	json_object *j = ok_desc("vectors/tdx-quote/trustee__tdx_quote_4.dat", 0);
	assert_int_equal(iget(j, "version"), 4);
	assert_int_equal(iget(j, "body_type"), 2);
	assert_string_equal(sget(j, "mrtd"), "705ee9381b8633a9fbe532b52345e8433343d2868959f57889d84ca377c395b689cac1599ccea1b7d420483a9ce5f031");
	assert_string_equal(sget(j, "report_data"), "7c71fe2c86eff65a7cf8dbc22b3275689fd0464a267baced1bf94fc1324656aeb755da3d44d098c0c87382f3a5f85b45c8a28fee1d3bdb38342bf96671501429");
	assert_string_equal(sget(j, "rtmr0"), "e940da7c2712d2790e2961e00484f4fa8e6f9eed71361655ae22699476b14f9e63867eb41edd4b480fef0c59f496b288");
	assert_string_equal(sget(j, "td_attributes"), "0x10000001");
	assert_string_equal(sget(j, "xfam"), "0x642e7");
	assert_string_equal(sget(j, "tee_tcb_svn"), "03000500000000000000000000000000");
	assert_true(bget(j, "signature"));
	assert_true(bget(j, "qe_report_binding"));
	assert_true(bget(j, "qe_report_signature"));
	assert_int_equal(iget(j, "trailing_bytes"), 0);
	json_object_put(j);
	/* v5 TD15: tee_tcb_svn2 present (MANIFEST 0d010400) */
	j = ok_desc("vectors/tdx-quote/go-tdx-guest__quote_v5_sample.dat", 0);
	assert_int_equal(iget(j, "body_type"), 3);
	assert_string_equal(sget(j, "tee_tcb_svn2"), "0d010400000000000000000000000000");
	assert_non_null(oget(j, "mr_servicetd"));
	json_object_put(j);
	/* 39 trailing non-zero bytes: fine in lenient mode, E_QUOTE_TRAILING in strict */
	j = ok_desc("vectors/tdx-quote/go-tdx-guest__tdx_prod_quote_SPR_E4.dat", 0);
	assert_int_equal(iget(j, "trailing_bytes"), 39);
	assert_false(bget(j, "trailing_all_zero"));
	assert_false(json_object_object_get_ex(j, "tee_tcb_svn2", NULL));
	json_object_put(j);
	size_t n, ol;
	uint8_t *b = tu_read("vectors/tdx-quote/go-tdx-guest__tdx_prod_quote_SPR_E4.dat", &n);
	const char *d;
	assert_int_equal(describe(b, n, TEEABI_DESCRIBE_STRICT, &j, &d, &ol), TEEABI_E_QUOTE_TRAILING);
	assert_int_equal(ol, 0);
	/* a bad signature is reported, not fatal */
	b[48 + 136] ^= 1; /* mrtd byte */
	assert_int_equal(describe(b, n, 0, &j, &d, &ol), TEEABI_OK);
	assert_false(bget(j, "signature"));
	assert_true(bget(j, "qe_report_binding"));
	json_object_put(j);
	/* truncated inside the signature data */
	assert_int_equal(describe(b, 1000, 0, &j, &d, &ol), TEEABI_E_QUOTE_SIGLEN_BOUNDS);
	assert_int_equal(ol, 0);
	assert_true(strlen(d) > 0);
	free(b);
}

static void test_describe_tdreport(void **state)
{
	(void)state;
	json_object *j = ok_desc("vectors/tdx-report/intel-dcap__tdreport_for_test.dat", 0);
	assert_string_equal(sget(j, "format"), "tdreport");
	assert_string_equal(sget(j, "valid"), "0x1ff"); /* MANIFEST */
	assert_true(bget(j, "tee_tcb_info_hash_ok"));
	assert_true(bget(j, "tee_info_hash_ok"));
	assert_string_equal(sget(j, "tee_tcb_svn"), "04000500000000000000000000000000");
	json_object_put(j);
	size_t n, ol;
	uint8_t *b = tu_read("vectors/tdx-report/trustee__az-tdx-vtpm_hcl-report.tdreport.bin", &n);
	b[0x210] ^= 1; /* MRTD, inside TDINFO */
	const char *d;
	assert_int_equal(describe(b, n, 0, &j, &d, &ol), TEEABI_OK);
	assert_true(bget(j, "tee_tcb_info_hash_ok"));
	assert_false(bget(j, "tee_info_hash_ok"));
	assert_string_equal(sget(j, "valid"), "0x301ff");
	json_object_put(j);
	free(b);
}

static void test_describe_snp(void **state)
{
	(void)state;
	json_object *j = ok_desc("vectors/snp-report/ms-tav__turin_attestation_report.bin", 0);
	assert_int_equal(iget(j, "version"), 5);
	assert_string_equal(sget(j, "measurement"), "6d6c354511d6f7c6d7504668903dc5bdc066a048b651840d8d03fb85299ebfa142fccf1d1b0baca496841bdf243619d4");
	assert_string_equal(sget(j, "host_data"), "b3452a0ed30f1010bd32740dd1610bc63296ceb0f882f2cac3a3152d651fe7e4");
	assert_string_equal(sget(j, "policy"), "0x3001f");
	assert_string_equal(sget(j, "platform_info"), "0x65");
	assert_string_equal(sget(j, "cpuid"), "1a0201");
	assert_string_equal(sget(j, "current_fw"), "1.55.65");
	assert_string_equal(sget(j, "signing_key"), "vcek");
	json_object *t = oget(j, "current_tcb");
	assert_string_equal(sget(t, "layout"), "turin");
	assert_string_equal(sget(t, "raw"), "0x5100000004010101");
	assert_int_equal(iget(t, "fmc"), 1);
	assert_int_equal(iget(t, "snp"), 4);
	assert_int_equal(iget(t, "microcode"), 0x51);
	json_object *w = oget(j, "warnings");
	assert_int_equal(json_object_array_length(w), 1);
	assert_string_equal(json_object_get_string(json_object_array_get_idx(w, 0)), "platinfo_unknown");
	json_object_put(j);

	j = ok_desc("vectors/snp-report/trustee__snp_test-vlek-report.bin", 0);
	assert_string_equal(sget(j, "signing_key"), "vlek");
	assert_int_equal(iget(j, "vmpl"), 1);
	assert_string_equal(sget(oget(j, "reported_tcb"), "raw"), "0xd918000000000004");
	assert_string_equal(sget(oget(j, "reported_tcb"), "layout"), "legacy");
	json_object_put(j);

	/* MBZ byte: warning in lenient, E_SNP_MBZ naming the range in strict */
	size_t n, ol;
	uint8_t *b = tu_read("vectors/snp-report/ms-tav__genoa_attestation_report.bin", &n);
	b[0x208] = 1;
	const char *d;
	assert_int_equal(describe(b, n, 0, &j, &d, &ol), TEEABI_OK);
	assert_string_equal(json_object_get_string(json_object_array_get_idx(oget(j, "warnings"), 0)), "mbz_tail");
	json_object_put(j);
	assert_int_equal(describe(b, n, TEEABI_DESCRIBE_STRICT, &j, &d, &ol), TEEABI_E_SNP_MBZ);
	assert_int_equal(ol, 0);
	assert_non_null(strstr(d, "mbz_tail"));
	b[0x208] = 0;
	/* trailing bytes: lenient parses with trailing_bytes, strict refuses */
	uint8_t *big = calloc(1, n + 16);
	memcpy(big, b, n);
	assert_int_equal(describe(big, n + 16, 0, &j, &d, &ol), TEEABI_OK);
	assert_int_equal(iget(j, "trailing_bytes"), 16);
	json_object_put(j);
	assert_int_equal(describe(big, n + 16, TEEABI_DESCRIBE_STRICT, &j, &d, &ol), TEEABI_E_SNP_TRAILING);
	free(big);
	/* truncated report */
	assert_int_equal(describe(b, n - 1, 0, &j, &d, &ol), TEEABI_E_SNP_REPORT_SIZE);
	assert_int_equal(ol, 0);
	free(b);
}

static void test_describe_msg_and_certs(void **state)
{
	(void)state;
	size_t n, ol;
	uint8_t *rep = tu_read("vectors/snp-report/teekit__sev-gcp.bin", &n);
	uint8_t *b = calloc(1, 4000);
	teeabi_put_le32(b + 4, 0x4A0);
	memcpy(b + 0x20, rep, n);
	json_object *j;
	const char *d;
	assert_int_equal(describe(b, 4000, 0, &j, &d, &ol), TEEABI_OK);
	assert_string_equal(sget(j, "format"), "snp_msg_report_rsp");
	assert_int_equal(iget(j, "status"), 0);
	assert_int_equal(iget(j, "report_size"), 0x4A0);
	assert_int_equal(iget(j, "version"), 5);
	assert_string_equal(sget(oget(j, "report"), "measurement"),
			    "b747d55452e0b9e9079770a49e397c5e6d9573581e246da7baac4f28b5cdc5b1b6d19251b8ee600fd16a3708f58406f3");
	assert_true(bget(j, "padding_all_zero"));
	json_object_put(j);
	teeabi_put_le32(b, 0x16);
	assert_int_equal(describe(b, 4000, 0, &j, &d, &ol), TEEABI_E_SNP_MSG_STATUS);
	assert_int_equal(ol, 0);
	free(b);
	free(rep);

	uint8_t t[200] = { 0 };
	memcpy(t, teeabi_guid_vcek, 16);
	teeabi_put_le32(t + 16, 72);
	teeabi_put_le32(t + 20, 100);
	memcpy(t + 24, teeabi_guid_ark, 16);
	teeabi_put_le32(t + 40, 172);
	teeabi_put_le32(t + 44, 28);
	assert_int_equal(describe(t, 200, 0, &j, &d, &ol), TEEABI_OK);
	assert_string_equal(sget(j, "format"), "snp_cert_table");
	json_object *e = oget(j, "entries");
	assert_int_equal(json_object_array_length(e), 2);
	json_object *e0 = json_object_array_get_idx(e, 0), *e1 = json_object_array_get_idx(e, 1);
	assert_string_equal(sget(e0, "guid"), "63da758d-e664-4564-adc5-f4b93be8accd");
	assert_string_equal(sget(e0, "name"), "vcek");
	assert_int_equal(iget(e0, "offset"), 72);
	assert_int_equal(iget(e0, "length"), 100);
	assert_string_equal(sget(e1, "name"), "ark");
	json_object_put(j);
	teeabi_put_le32(t + 44, 29); /* past the end */
	assert_int_equal(describe(t, 200, 0, &j, &d, &ol), TEEABI_E_CERTS_BOUNDS);
	assert_non_null(strstr(d, "entry 1"));
}

static void test_describe_dstack(void **state)
{
	(void)state;
	json_object *j = ok_desc("vectors/dstack/dstack__tdx-lite-getquote.json", 0);
	json_object *m = oget(j, "rtmr_match");
	for (int i = 0; i < 4; i++)
		assert_true(json_object_get_boolean(json_object_array_get_idx(m, i)));
	assert_true(bget(j, "report_data_match"));
	assert_int_equal(iget(j, "events"), 29);
	assert_int_equal(iget(j, "events_recomputed"), 9);
	assert_string_equal(json_object_get_string(json_object_array_get_idx(oget(j, "replayed_rtmr"), 3)),
			    "6f24c170d0fd63fc2b1b53202eea47b013978437fa6982cf5e0438ff95c208994aaa0f4ebab2e3a66824b5b56869137e");
	assert_string_equal(sget(oget(j, "quote"), "mrtd"),
			    "fd685522ce791dfef67414614eb07d03fc07a32c5a66f36288b329dab92b724b1564c73d436ffb9ea84488c51ac5a1c5");
	json_object_put(j);
	size_t ol;
	const char *d;
	const char *bad = "{\"quote\":\"\",\"event_log\":\"[{\\\"imr\\\":9}]\"}";
	assert_int_equal(describe((const uint8_t *)bad, strlen(bad), 0, &j, &d, &ol), TEEABI_E_EVLOG_IMR);
	assert_int_equal(ol, 0);
	assert_non_null(strstr(d, "event_log[0].imr"));
}

static void test_describe_errors(void **state)
{
	(void)state;
	json_object *j;
	const char *d;
	size_t ol;
	uint8_t z[10] = { 0 };
	assert_int_equal(describe(z, 0, 0, &j, &d, &ol), TEEABI_E_EMPTY);
	assert_int_equal(describe(z, 10, 0, &j, &d, &ol), TEEABI_E_UNKNOWN_FORMAT);
	assert_int_equal(ol, 0);
	assert_true(strlen(d) > 0);
	assert_int_equal(teeabi_describe_json(z, 10, NULL, &d), TEEABI_E_NULL);
}

/* Truncate and flip bytes of every vector: no crash (ASan/UBSan), and either valid JSON
 * with OK or no output with an error. */
static void sweep_dir(const char *dir)
{
	DIR *dd = opendir(tu_src_path(dir));
	assert_non_null(dd);
	struct dirent *de;
	uint32_t rng = 12345;
	while ((de = readdir(dd))) {
		if (de->d_name[0] == '.')
			continue;
		char rel[512];
		snprintf(rel, sizeof(rel), "%s/%s", dir, de->d_name);
		size_t n;
		uint8_t *b = tu_read(rel, &n);
		for (int it = 0; it < 40; it++) {
			rng = rng * 1103515245u + 12345u;
			size_t len = it < 20 ? (size_t)(rng % (n + 1)) : n;
			uint8_t *c = malloc(n);
			memcpy(c, b, n);
			for (int k = 0; k < 4 && it >= 20; k++) {
				rng = rng * 1103515245u + 12345u;
				c[(rng >> 8) % n] ^= (uint8_t)(1u << (rng & 7));
			}
			json_object *j;
			const char *d;
			size_t ol;
			teeabi_err e = describe(c, len, it & 1 ? TEEABI_DESCRIBE_STRICT : 0, &j, &d, &ol);
			if (e == TEEABI_OK)
				assert_non_null(j);
			else
				assert_int_equal(ol, 0);
			json_object_put(j);
			free(c);
		}
		free(b);
	}
	closedir(dd);
}

static void test_mutation_sweep(void **state)
{
	(void)state;
	sweep_dir("vectors/tdx-quote");
	sweep_dir("vectors/tdx-report");
	sweep_dir("vectors/snp-report");
	sweep_dir("vectors/dstack");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_detect_vectors),
		cmocka_unit_test(test_format_names),
		cmocka_unit_test(test_detect_crafted),
		cmocka_unit_test(test_describe_tdx_quote),
		cmocka_unit_test(test_describe_tdreport),
		cmocka_unit_test(test_describe_snp),
		cmocka_unit_test(test_describe_msg_and_certs),
		cmocka_unit_test(test_describe_dstack),
		cmocka_unit_test(test_describe_errors),
		cmocka_unit_test(test_mutation_sweep),
	};
	return cmocka_run_group_tests_name("detect", tests, NULL, NULL);
}
