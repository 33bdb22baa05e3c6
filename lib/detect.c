/* SPDX-License-Identifier: Apache-2.0 */
/*
 * detect.c - evidence format detection and a one-line JSON description of any supported
 * input (used by tools/teeabi-parse and its fuzz target). JSON is built with json-c.
 *
 * Detection (bytes only, first match wins):
 *   JSON            first non-space byte is '{': a dstack attestation when it parses as one
 *                   JSON object with a string "attestation" and a "quote" that is absent
 *                   or "" (Attest response; GetQuote on SNP); a runtime event log when its
 *                   first JSON value is an object with a string "event" and no "quote";
 *                   otherwise a GetQuote (or Tappd.TdxQuote) response;
 *                   first non-space byte '[': a bare dstack event log
 *   TDREPORT        exactly 1024 bytes, REPORTTYPE.TYPE (byte 0) 0x81
 *   TDX quote       >= 48 bytes, version 4/5, attestation key type 2, TEE type 0x81 or 0
 *   dstack SCALE    byte 0 = 0 (V0), byte 1 = variant 0, 1 or 3, a compact length that fits,
 *                   and that payload parses as a TDX quote (0, 1) or an SNP report (3)
 *                   (teeabi_dstack_scale_sniff)
 *   MSG_REPORT_RSP  >= 0x20 bytes, report_size 0x4A0 at 4, reserved 8..0x1F zero
 *   MSG_KEY_RSP     exactly 64 bytes, reserved 4..0x1F zero
 *   SNP report      >= 0x38 bytes, version 2..5, signature algorithm 1 at 0x34
 *   cert table      >= 24 bytes starting with a well-known GUID
 *   SGX report      exactly 384 bytes
 */
#include <inttypes.h>
#include <limits.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <json-c/json.h>
#include <openssl/evp.h>
#include "teeabi/detect.h"
#include "teeabi/dstack.h"
#include "teeabi/snp.h"
#include "teeabi/tdx.h"

#define SNP_REPORT_LEN 1184

const char *teeabi_format_name(enum teeabi_format f)
{
	switch (f) {
	case TEEABI_FMT_TDREPORT: return "tdreport";
	case TEEABI_FMT_TDX_QUOTE: return "tdx_quote";
	case TEEABI_FMT_SNP_REPORT: return "snp_report";
	case TEEABI_FMT_SNP_MSG_REPORT_RSP: return "snp_msg_report_rsp";
	case TEEABI_FMT_SNP_MSG_KEY_RSP: return "snp_msg_key_rsp";
	case TEEABI_FMT_SNP_CERT_TABLE: return "snp_cert_table";
	case TEEABI_FMT_DSTACK_QUOTE_JSON: return "dstack_quote_json";
	case TEEABI_FMT_SGX_REPORT: return "sgx_report";
	case TEEABI_FMT_DSTACK_ATTESTATION: return "dstack_attestation";
	case TEEABI_FMT_DSTACK_EVENT_LOG: return "dstack_event_log";
	case TEEABI_FMT_DSTACK_RUNTIME_LOG: return "dstack_runtime_log";
	case TEEABI_FMT_UNKNOWN: break;
	}
	return "unknown";
}

#define ATT_JSON_MAX (64u * 1024 * 1024)
#define ATT_JSON_DEPTH 32

/* Parse [buf, buf+len) as exactly one JSON object (whitespace around it allowed); NULL if it
 * is not one. */
static json_object *parse_object(const uint8_t *buf, size_t len)
{
	if (len > ATT_JSON_MAX || len > INT_MAX || memchr(buf, 0, len))
		return NULL;
	json_tokener *t = json_tokener_new_ex(ATT_JSON_DEPTH);
	if (!t)
		return NULL;
	json_object *o = json_tokener_parse_ex(t, (const char *)buf, (int)len);
	size_t end = json_tokener_get_parse_end(t);
	bool ok = o && json_tokener_get_error(t) == json_tokener_success && json_object_is_type(o, json_type_object);
	for (size_t i = end; ok && i < len; i++)
		ok = buf[i] == ' ' || buf[i] == '\t' || buf[i] == '\n' || buf[i] == '\r';
	json_tokener_free(t);
	if (!ok) {
		json_object_put(o);
		return NULL;
	}
	return o;
}

/* The "attestation" string of a dstack attestation JSON, or NULL (see the header comment). */
static const char *att_json_hex(json_object *o, size_t *hexlen, bool *has_quote)
{
	json_object *a, *q;
	if (!json_object_object_get_ex(o, "attestation", &a) || !json_object_is_type(a, json_type_string))
		return NULL;
	*has_quote = json_object_object_get_ex(o, "quote", &q);
	if (*has_quote && !(json_object_is_type(q, json_type_string) && json_object_get_string_len(q) == 0))
		return NULL;
	*hexlen = (size_t)json_object_get_string_len(a);
	return json_object_get_string(a);
}

/* The JSON format of buf, whose first non-blank byte is '{'. One parse decides when buf is
 * exactly one object: then it is also the first value teeabi_dstack_runtime_log_sniff would
 * read (same depth and size limits), so its test is made on that tree. Otherwise the sniff
 * reads the first value itself (a runtime log is one object per line). */
static enum teeabi_format json_format(const uint8_t *buf, size_t len, size_t first)
{
	json_object *o = parse_object(buf, len), *q, *e;
	size_t hl;
	bool hq;

	if (!o)
		return teeabi_dstack_runtime_log_sniff((const char *)buf + first, len - first) ? TEEABI_FMT_DSTACK_RUNTIME_LOG
												  : TEEABI_FMT_DSTACK_QUOTE_JSON;
	enum teeabi_format f = att_json_hex(o, &hl, &hq) ? TEEABI_FMT_DSTACK_ATTESTATION
			       : !json_object_object_get_ex(o, "quote", &q) && json_object_object_get_ex(o, "event", &e) &&
					 json_object_is_type(e, json_type_string)
				       ? TEEABI_FMT_DSTACK_RUNTIME_LOG
				       : TEEABI_FMT_DSTACK_QUOTE_JSON;
	json_object_put(o);
	return f;
}

enum teeabi_format teeabi_detect(const uint8_t *buf, size_t len)
{
	if (!buf || len == 0)
		return TEEABI_FMT_UNKNOWN;
	for (size_t i = 0; i < len; i++) {
		uint8_t c = buf[i];
		if (c == ' ' || c == '\t' || c == '\n' || c == '\r')
			continue;
		if (c == '{')
			return json_format(buf, len, i);
		if (c == '[')
			return TEEABI_FMT_DSTACK_EVENT_LOG;
		break;
	}
	if (len == 1024 && buf[0] == 0x81)
		return TEEABI_FMT_TDREPORT;
	if (len >= 48) {
		uint16_t v = teeabi_le16(buf), ak = teeabi_le16(buf + 2);
		uint32_t tee = teeabi_le32(buf + 4);
		if ((v == 4 || v == 5) && ak == 2 && (tee == 0x81 || tee == 0))
			return TEEABI_FMT_TDX_QUOTE;
	}
	if (teeabi_dstack_scale_sniff(buf, len))
		return TEEABI_FMT_DSTACK_ATTESTATION;
	if (len >= 0x20 && teeabi_le32(buf + 4) == 0x4A0 && teeabi_all_zero(buf + 8, 0x18))
		return TEEABI_FMT_SNP_MSG_REPORT_RSP;
	if (len == 64 && teeabi_all_zero(buf + 4, 0x1C))
		return TEEABI_FMT_SNP_MSG_KEY_RSP;
	/* version 2..5 and signature algorithm 1: an SNP report, possibly truncated (the
	 * parser then reports E_SNP_REPORT_SIZE) */
	if (len >= SNP_OFF_SIG_ALGO + 4) {
		uint32_t v = teeabi_le32(buf);
		if (v >= 2 && v <= 5 && teeabi_le32(buf + SNP_OFF_SIG_ALGO) == 1)
			return TEEABI_FMT_SNP_REPORT;
	}
	if (len >= 24 && teeabi_cert_kind_of(buf) != TEEABI_CERT_UNKNOWN)
		return TEEABI_FMT_SNP_CERT_TABLE;
	if (len == TEEABI_SGX_REPORT_LEN)
		return TEEABI_FMT_SGX_REPORT;
	return TEEABI_FMT_UNKNOWN;
}

/* ---------------------------------------------------------------- JSON helpers */
static void put_hex(json_object *o, const char *k, const uint8_t *p, size_t n)
{
	if (!p) {
		json_object_object_add(o, k, NULL);
		return;
	}
	char *h = malloc(2 * n + 1);
	if (!h)
		return;
	teeabi_hex(h, p, n);
	json_object_object_add(o, k, json_object_new_string(h));
	free(h);
}

static void put_x64(json_object *o, const char *k, uint64_t v)
{
	char s[24];
	snprintf(s, sizeof(s), "0x%" PRIx64, v);
	json_object_object_add(o, k, json_object_new_string(s));
}

static void put_int(json_object *o, const char *k, int64_t v) { json_object_object_add(o, k, json_object_new_int64(v)); }
static void put_bool(json_object *o, const char *k, bool v) { json_object_object_add(o, k, json_object_new_boolean(v)); }
static void put_str(json_object *o, const char *k, const char *v) { json_object_object_add(o, k, json_object_new_string(v)); }
/* a byte string that is not NUL-terminated (json-c escapes it as needed) */
static json_object *strn(const uint8_t *p, size_t n)
{
	return json_object_new_string_len(n ? (const char *)p : "", n <= INT_MAX ? (int)n : 0);
}

static _Thread_local char detail_buf[200];

static const char *set_detail(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
static const char *set_detail(const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(detail_buf, sizeof(detail_buf), fmt, ap);
	va_end(ap);
	return detail_buf;
}

static bool sha384_eq(const uint8_t *p, size_t n, const uint8_t *want)
{
	uint8_t h[48];
	unsigned int hl = 0;
	return EVP_Digest(p, n, h, &hl, EVP_sha384(), NULL) == 1 && hl == 48 && memcmp(h, want, 48) == 0;
}

static void put_td_fields(json_object *o, const struct teeabi_td_fields *td)
{
	put_hex(o, "mrtd", td->mrtd, 48);
	char k[16];
	for (int i = 0; i < 4; i++) {
		snprintf(k, sizeof(k), "rtmr%d", i);
		put_hex(o, k, td->rtmr[i], 48);
	}
	put_hex(o, "report_data", td->report_data, 64);
	put_hex(o, "mrseam", td->mrseam, 48);
	put_hex(o, "mrsignerseam", td->mrsignerseam, 48);
	put_hex(o, "mrconfigid", td->mrconfigid, 48);
	put_hex(o, "mrowner", td->mrowner, 48);
	put_hex(o, "mrownerconfig", td->mrownerconfig, 48);
	put_x64(o, "td_attributes", td->td_attributes);
	put_x64(o, "xfam", td->xfam);
	put_hex(o, "tee_tcb_svn", td->tee_tcb_svn, 16);
	if (td->tee_tcb_svn2)
		put_hex(o, "tee_tcb_svn2", td->tee_tcb_svn2, 16);
	if (td->mr_servicetd)
		put_hex(o, "mr_servicetd", td->mr_servicetd, 48);
}

static void put_sgx_fields(json_object *o, const struct teeabi_sgx_report *s)
{
	put_hex(o, "mr_enclave", s->mr_enclave, 32);
	put_hex(o, "mr_signer", s->mr_signer, 32);
	put_int(o, "isv_prod_id", s->isv_prod_id);
	put_int(o, "isv_svn", s->isv_svn);
	put_hex(o, "attributes", s->attributes, 16);
	put_hex(o, "report_data", s->report_data, 64);
}

/* ---------------------------------------------------------------- per format */
static teeabi_err desc_tdx_quote(json_object *o, const uint8_t *buf, size_t len, unsigned flags, const char **detail)
{
	struct teeabi_tdx_quote q;
	unsigned qf = TEEABI_QUOTE_DEFAULT;
	if (flags & TEEABI_DESCRIBE_STRICT)
		qf |= TEEABI_QUOTE_STRICT_VENDOR | TEEABI_QUOTE_STRICT_TRAILING | TEEABI_QUOTE_STRICT_CERTSIZE;
	teeabi_err e = teeabi_tdx_quote_parse(buf, len, qf, &q);
	if (e) {
		*detail = set_detail("tdx quote v%u: %s", q.version, teeabi_err_msg(e));
		return e;
	}
	put_int(o, "version", q.version);
	put_int(o, "body_type", q.body_type);
	put_int(o, "tee_type", q.tee_type);
	put_hex(o, "qe_vendor_id", q.qe_vendor_id, 16);
	if (q.body_type == TEEABI_QUOTE_BODY_SGX)
		put_sgx_fields(o, &q.sgx);
	else
		put_td_fields(o, &q.td);
	put_int(o, "sig_data_len", q.sig_data_len);
	put_int(o, "inner_cert_type", q.inner_cert_type);
	put_bool(o, "qe_report_binding", teeabi_tdx_quote_verify_qe_binding(&q) == TEEABI_OK);
	put_bool(o, "signature", teeabi_tdx_quote_verify_signature(buf, &q) == TEEABI_OK);
	put_bool(o, "qe_report_signature", teeabi_tdx_quote_verify_qe_report_sig(&q) == TEEABI_OK);
	put_int(o, "quote_len", (int64_t)q.quote_len);
	put_int(o, "trailing_bytes", (int64_t)q.trailing_len);
	put_bool(o, "trailing_all_zero", q.trailing_all_zero);
	put_x64(o, "warnings", q.warnings);
	return TEEABI_OK;
}

static teeabi_err desc_tdreport(json_object *o, const uint8_t *buf, size_t len, const char **detail)
{
	struct teeabi_tdreport r;
	teeabi_err e = teeabi_tdreport_parse(buf, len, &r);
	if (e) {
		*detail = set_detail("tdreport: %s", teeabi_err_msg(e));
		return e;
	}
	put_int(o, "version", r.version);
	put_int(o, "subtype", r.subtype);
	put_hex(o, "cpusvn", r.cpusvn, 16);
	put_td_fields(o, &r.td);
	put_x64(o, "valid", r.valid);
	put_bool(o, "tdx15", r.tdx15);
	put_bool(o, "tee_tcb_info_hash_ok",
		 sha384_eq(buf + TDREPORT_OFF_TEE_TCB_INFO, TDREPORT_LEN_TEE_TCB_INFO, r.tee_tcb_info_hash));
	put_bool(o, "tee_info_hash_ok", sha384_eq(buf + TDREPORT_OFF_TDINFO, TDREPORT_LEN_TDINFO, r.tee_info_hash));
	put_x64(o, "warnings", r.warnings);
	return TEEABI_OK;
}

static json_object *tcb_obj(const struct teeabi_snp_tcb *t)
{
	json_object *o = json_object_new_object();
	put_x64(o, "raw", t->raw);
	put_str(o, "layout", t->turin ? "turin" : "legacy");
	if (t->turin)
		put_int(o, "fmc", t->fmc);
	put_int(o, "bootloader", t->bootloader);
	put_int(o, "tee", t->tee);
	put_int(o, "snp", t->snp);
	put_int(o, "microcode", t->microcode);
	return o;
}

static const char *gen_name(enum teeabi_snp_gen g)
{
	switch (g) {
	case TEEABI_SNP_GEN_MILAN: return "milan";
	case TEEABI_SNP_GEN_GENOA: return "genoa";
	case TEEABI_SNP_GEN_TURIN: return "turin";
	case TEEABI_SNP_GEN_VENICE: return "venice";
	case TEEABI_SNP_GEN_UNKNOWN: break;
	}
	return "unknown";
}

static teeabi_err desc_snp_report(json_object *o, const uint8_t *buf, size_t len, unsigned flags, const char **detail)
{
	struct teeabi_snp_report r;
	unsigned sf = (flags & TEEABI_DESCRIBE_STRICT) ? TEEABI_SNP_STRICT_MBZ : TEEABI_SNP_ALLOW_TRAILING;
	teeabi_err e = teeabi_snp_report_parse(buf, len, sf, &r);
	if (e) {
		if (e == TEEABI_E_SNP_MBZ) {
			char names[160] = "";
			for (unsigned b = 0; b < 32; b++)
				if ((r.warnings & TEEABI_W_SNP_MBZ_MASK) & (1u << b)) {
					strncat(names, names[0] ? "," : "", sizeof(names) - strlen(names) - 1);
					strncat(names, teeabi_snp_warning_name(1u << b), sizeof(names) - strlen(names) - 1);
				}
			*detail = set_detail("snp report: non-zero reserved range(s) %s", names);
		} else if (e == TEEABI_E_SNP_VERSION) {
			*detail = set_detail("snp report: version %u at 0x000", r.version);
		} else if (e == TEEABI_E_SNP_SIG_ALGO) {
			*detail = set_detail("snp report: signature_algo %u at 0x034", r.sig_algo);
		} else {
			*detail = set_detail("snp report (%zu bytes): %s", len, teeabi_err_msg(e));
		}
		return e;
	}
	put_int(o, "version", r.version);
	put_int(o, "guest_svn", r.guest_svn);
	put_x64(o, "policy", r.policy);
	json_object *pb = json_object_new_object();
	put_int(pb, "abi_major", r.policy_bits.abi_major);
	put_int(pb, "abi_minor", r.policy_bits.abi_minor);
	put_bool(pb, "smt", r.policy_bits.smt);
	put_bool(pb, "migrate_ma", r.policy_bits.migrate_ma);
	put_bool(pb, "debug", r.policy_bits.debug);
	put_bool(pb, "single_socket", r.policy_bits.single_socket);
	put_bool(pb, "cxl_allow", r.policy_bits.cxl_allow);
	put_bool(pb, "mem_aes_256_xts", r.policy_bits.mem_aes_256_xts);
	put_bool(pb, "rapl_dis", r.policy_bits.rapl_dis);
	put_bool(pb, "ciphertext_hiding", r.policy_bits.ciphertext_hiding);
	put_bool(pb, "page_swap_disable", r.policy_bits.page_swap_disable);
	json_object_object_add(o, "policy_bits", pb);
	put_int(o, "vmpl", r.vmpl);
	put_hex(o, "report_data", r.report_data, 64);
	put_hex(o, "measurement", r.measurement, 48);
	put_hex(o, "host_data", r.host_data, 32);
	put_hex(o, "family_id", r.family_id, 16);
	put_hex(o, "image_id", r.image_id, 16);
	put_hex(o, "id_key_digest", r.id_key_digest, 48);
	put_hex(o, "author_key_digest", r.author_key_digest, 48);
	put_hex(o, "report_id", r.report_id, 32);
	put_hex(o, "report_id_ma", r.report_id_ma, 32);
	put_hex(o, "chip_id", r.chip_id, 64);
	json_object_object_add(o, "current_tcb", tcb_obj(&r.current_tcb));
	json_object_object_add(o, "reported_tcb", tcb_obj(&r.reported_tcb));
	json_object_object_add(o, "committed_tcb", tcb_obj(&r.committed_tcb));
	json_object_object_add(o, "launch_tcb", tcb_obj(&r.launch_tcb));
	put_x64(o, "platform_info", r.platform_info);
	put_x64(o, "signer_info", r.signer_info);
	const char *key = r.signer.signing_key == 0 ? "vcek" : r.signer.signing_key == 1 ? "vlek"
			: r.signer.signing_key == 7 ? "none" : "reserved";
	put_str(o, "signing_key", key);
	put_bool(o, "author_key_en", r.signer.author_key_en);
	put_bool(o, "mask_chip_key", r.signer.mask_chip_key);
	char cpuid[8];
	snprintf(cpuid, sizeof(cpuid), "%02x%02x%02x", r.cpuid_fam, r.cpuid_mod, r.cpuid_step);
	put_str(o, "cpuid", cpuid);
	put_str(o, "generation", gen_name(r.gen));
	char fw[16];
	snprintf(fw, sizeof(fw), "%u.%u.%u", r.current_major, r.current_minor, r.current_build);
	put_str(o, "current_fw", fw);
	snprintf(fw, sizeof(fw), "%u.%u.%u", r.committed_major, r.committed_minor, r.committed_build);
	put_str(o, "committed_fw", fw);
	if (r.version >= 5) {
		put_x64(o, "launch_mit_vector", r.launch_mit_vector);
		put_x64(o, "current_mit_vector", r.current_mit_vector);
	}
	json_object *w = json_object_new_array();
	for (unsigned b = 0; b < 32; b++)
		if (r.warnings & (1u << b)) {
			const char *n = teeabi_snp_warning_name(1u << b);
			json_object_array_add(w, json_object_new_string(n ? n : "?"));
		}
	json_object_object_add(o, "warnings", w);
	put_int(o, "trailing_bytes", (int64_t)r.trailing_len);
	return TEEABI_OK;
}

static teeabi_err desc_msg_report(json_object *o, const uint8_t *buf, size_t len, unsigned flags, const char **detail)
{
	struct teeabi_snp_msg_report_rsp m;
	teeabi_err e = teeabi_snp_msg_report_rsp_parse(buf, len, &m);
	if (e) {
		*detail = set_detail("msg_report_rsp status 0x%x report_size 0x%x len %zu: %s", m.status,
				     m.report_size, len, teeabi_err_msg(e));
		return e;
	}
	put_int(o, "version", teeabi_le32(m.report.p)); /* of the nested report */
	put_int(o, "status", m.status);
	put_int(o, "report_size", m.report_size);
	json_object *r = json_object_new_object();
	put_str(r, "format", "snp_report");
	/* the report is exactly report_size bytes; the rest of the 4000-byte buffer is padding */
	e = desc_snp_report(r, m.report.p, m.report.len, flags & TEEABI_DESCRIBE_STRICT, detail);
	if (e) {
		json_object_put(r);
		return e;
	}
	json_object_object_add(o, "report", r);
	put_int(o, "padding_bytes", (int64_t)(len - 0x20 - m.report.len));
	put_bool(o, "padding_all_zero", teeabi_all_zero(m.report.p + m.report.len, len - 0x20 - m.report.len));
	return TEEABI_OK;
}

static teeabi_err desc_key_rsp(json_object *o, const uint8_t *buf, size_t len, const char **detail)
{
	struct teeabi_snp_msg_key_rsp k;
	teeabi_err e = teeabi_snp_msg_key_rsp_parse(buf, len, &k);
	if (e) {
		*detail = set_detail("msg_key_rsp status 0x%x: %s", k.status, teeabi_err_msg(e));
		return e;
	}
	json_object_object_add(o, "version", NULL);
	put_int(o, "status", k.status);
	put_hex(o, "derived_key", k.derived_key, 32);
	return TEEABI_OK;
}

static teeabi_err desc_certs(json_object *o, const uint8_t *buf, size_t len, const char **detail)
{
	struct teeabi_cert_table *t = malloc(sizeof(*t));
	if (!t)
		return TEEABI_E_NOMEM;
	teeabi_err e = teeabi_snp_cert_table_parse(buf, len, 0, t);
	if (e) {
		*detail = set_detail("cert table entry %zu: %s", t->err_entry, teeabi_err_msg(e));
		free(t);
		return e;
	}
	json_object_object_add(o, "version", NULL);
	put_int(o, "count", (int64_t)t->count);
	put_int(o, "table_len", (int64_t)t->table_len);
	put_int(o, "end", (int64_t)t->end);
	json_object *a = json_object_new_array();
	for (size_t i = 0; i < t->count; i++) {
		json_object *en = json_object_new_object();
		char g[37];
		teeabi_guid_str(g, t->e[i].guid);
		put_str(en, "guid", g);
		put_str(en, "name", t->e[i].name);
		put_int(en, "offset", t->e[i].offset);
		put_int(en, "length", t->e[i].length);
		json_object_array_add(a, en);
	}
	json_object_object_add(o, "entries", a);
	free(t);
	return TEEABI_OK;
}

static teeabi_err desc_dstack(json_object *o, const uint8_t *buf, size_t len, unsigned flags, const uint8_t *quote,
			      size_t quote_len, bool bare, const char **detail)
{
	struct teeabi_dstack_quote_resp *r = malloc(sizeof(*r));
	if (!r)
		return TEEABI_E_NOMEM;
	struct teeabi_dstack_parse_opts opts = { .rule = TEEABI_DIGEST_V1, .quote = quote, .quote_len = quote_len };
	teeabi_err e = bare ? teeabi_dstack_evlog_parse((const char *)buf, len, &opts, r)
			    : teeabi_dstack_quote_resp_parse_ex((const char *)buf, len, &opts, r);
	if (e) {
		*detail = set_detail("dstack %s: %s", bare ? "event log" : "response",
				     r->err_detail[0] ? r->err_detail : teeabi_err_msg(e));
		free(r);
		return e;
	}
	put_int(o, "version", r->digest_rule); /* event-log digest rule */
	if (r->tappd) {
		put_str(o, "hash_algorithm", r->hash_algorithm);
		put_str(o, "prefix", r->prefix);
	}
	put_int(o, "events", (int64_t)r->events);
	json_object *ic = json_object_new_array();
	for (int i = 0; i < 4; i++)
		json_object_array_add(ic, json_object_new_int64((int64_t)r->imr_events[i]));
	json_object_object_add(o, "imr_events", ic);
	/* full: every entry has digest and payload; stripped (v0.5.6+ GetQuote): boot payloads
	 * and runtime digests empty */
	put_str(o, "event_log_format", r->stripped_runtime || (r->stripped_boot && r->stripped_boot == r->events - r->imr_events[3])
					       ? "stripped" : "full");
	put_bool(o, "quote_given", r->quote_len > 0);
	put_int(o, "events_recomputed", (int64_t)r->events_recomputed);
	put_int(o, "events_digest_mismatch", (int64_t)r->events_digest_mismatch);
	json_object *rep = json_object_new_array(), *m = json_object_new_array();
	for (int i = 0; i < 4; i++) {
		char h[97];
		teeabi_hex(h, r->replayed[i], 48);
		json_object_array_add(rep, json_object_new_string(h));
		json_object_array_add(m, json_object_new_boolean(r->rtmr_match[i]));
	}
	json_object_object_add(o, "replayed_rtmr", rep);
	json_object_object_add(o, "rtmr_match", m);
	if (r->has_report_data)
		put_hex(o, "report_data", r->report_data, 64);
	put_bool(o, "report_data_match", r->report_data_match);
	if (r->quote_parsed) {
		json_object *q = json_object_new_object();
		put_str(q, "format", "tdx_quote");
		e = desc_tdx_quote(q, r->quote, r->quote_len, flags, detail);
		if (e) {
			json_object_put(q);
			teeabi_dstack_quote_resp_free(r);
			free(r);
			return e;
		}
		json_object_object_add(o, "quote", q);
	}
	teeabi_dstack_quote_resp_free(r);
	free(r);
	return TEEABI_OK;
}

/* Runtime event log file (teeabi/dstack.h) */
static teeabi_err desc_rtlog(json_object *o, const uint8_t *buf, size_t len, const uint8_t *quote, size_t quote_len,
			     const char **detail)
{
	struct teeabi_dstack_rtlog r;
	teeabi_err e = teeabi_dstack_runtime_log_parse((const char *)buf, len, NULL, &r);
	if (e) {
		*detail = set_detail("dstack runtime event log: %s", r.err_detail[0] ? r.err_detail : teeabi_err_msg(e));
		return e;
	}
	put_int(o, "version", r.format);
	put_str(o, "log_format", r.format == TEEABI_RTLOG_TDX_EVENT_LOG ? "tdx_event_log" : "runtime_event");
	put_int(o, "events", (int64_t)r.events);
	put_int(o, "events_digest_mismatch", (int64_t)r.events_digest_mismatch);
	put_hex(o, "replayed_rtmr3", r.rtmr3, 48);
	if (quote && quote_len) {
		struct teeabi_tdx_quote q;
		e = teeabi_tdx_quote_parse(quote, quote_len, TEEABI_QUOTE_DEFAULT, &q);
		if (e) {
			*detail = set_detail("--quote: %s", teeabi_err_msg(e));
			return e;
		}
		put_bool(o, "rtmr3_match", q.td.rtmr[3] && memcmp(q.td.rtmr[3], r.rtmr3, 48) == 0);
	}
	return TEEABI_OK;
}

/* dstack SCALE VersionedAttestation (teeabi/dstack.h), raw or hex inside JSON */
static teeabi_err desc_att_scale(json_object *o, const uint8_t *bin, size_t n, unsigned flags, const char **detail)
{
	struct teeabi_dstack_att a;
	teeabi_err e = teeabi_dstack_scale_parse(bin, n, (flags & TEEABI_DESCRIBE_STRICT) ? TEEABI_SCALE_STRICT : 0, &a);
	if (e) {
		const char *v1 = (e == TEEABI_E_SCALE_VERSION && n && ((bin[0] >= 0x80 && bin[0] <= 0x8f) || bin[0] == 0xde ||
								       bin[0] == 0xdf))
				 ? " (msgpack V1 attestation, not decoded)" : "";
		*detail = set_detail("dstack attestation: %s at offset %zu: %s%s", a.err_field, a.err_off,
				     teeabi_err_msg(e), v1);
		return e;
	}
	put_int(o, "version", a.version);
	put_int(o, "variant", a.variant);
	put_str(o, "variant_name", teeabi_dstack_variant_name(a.variant));
	put_str(o, "platform", teeabi_dstack_platform_name(a.variant));
	put_int(o, "payload_len", (int64_t)a.payload.len);
	uint8_t h[32];
	unsigned int hl = 0;
	if (EVP_Digest(a.payload.p, a.payload.len, h, &hl, EVP_sha256(), NULL) == 1 && hl == 32)
		put_hex(o, "payload_sha256", h, 32);
	const uint8_t *inner_rd = NULL;
	if (a.variant == TEEABI_DSTACK_TDX || a.variant == TEEABI_DSTACK_GCP_TDX) {
		json_object *q = json_object_new_object();
		put_str(q, "format", "tdx_quote");
		if ((e = desc_tdx_quote(q, a.payload.p, a.payload.len, flags, detail))) {
			json_object_put(q);
			return e;
		}
		json_object_object_add(o, "quote", q);
		struct teeabi_tdx_quote tq;
		if (teeabi_tdx_quote_parse(a.payload.p, a.payload.len, TEEABI_QUOTE_DEFAULT, &tq) == TEEABI_OK &&
		    tq.body_type != TEEABI_QUOTE_BODY_SGX)
			inner_rd = tq.td.report_data;
		size_t off = 0, runtime = 0;
		int64_t imr[4] = { 0 };
		for (size_t i = 0; i < a.event_log_count; i++) {
			struct teeabi_dstack_scale_event ev;
			if (teeabi_dstack_scale_next_tdx_event(a.event_log, &off, &ev))
				return TEEABI_E_INTERNAL; /* the parser checked every entry */
			if (ev.imr < 4)
				imr[ev.imr]++;
			runtime += ev.event_type == TEEABI_DSTACK_EVENT_TYPE_RUNTIME;
		}
		put_int(o, "event_log_count", (int64_t)a.event_log_count);
		json_object *ia = json_object_new_array();
		for (int i = 0; i < 4; i++)
			json_object_array_add(ia, json_object_new_int64(imr[i]));
		json_object_object_add(o, "event_log_imr_counts", ia);
		put_int(o, "event_log_runtime", (int64_t)runtime);
		if (a.variant == TEEABI_DSTACK_GCP_TDX) {
			json_object *t = json_object_new_object();
			put_int(t, "message_len", (int64_t)a.tpm.message.len);
			put_int(t, "signature_len", (int64_t)a.tpm.signature.len);
			put_int(t, "pcr_count", (int64_t)a.tpm.pcr_count);
			put_int(t, "ak_cert_len", (int64_t)a.tpm.ak_cert.len);
			put_int(t, "platform", a.tpm.platform);
			put_int(t, "event_count", (int64_t)a.tpm.event_count);
			json_object_object_add(o, "tpm_quote", t);
		}
	} else if (a.variant == TEEABI_DSTACK_AMD_SEV_SNP) {
		json_object *r = json_object_new_object();
		put_str(r, "format", "snp_report");
		if ((e = desc_snp_report(r, a.payload.p, a.payload.len, flags, detail))) {
			json_object_put(r);
			return e;
		}
		json_object_object_add(o, "report", r);
		if (a.payload.len >= SNP_OFF_REPORT_DATA + 64)
			inner_rd = a.payload.p + SNP_OFF_REPORT_DATA;
		put_int(o, "cert_chain_count", (int64_t)a.cert_count);
		json_object *cl = json_object_new_array();
		size_t off = 0;
		for (size_t i = 0; i < a.cert_count; i++) {
			struct teeabi_slice c;
			if (teeabi_dstack_scale_next_bytes(a.cert_chain, &off, &c)) {
				json_object_put(cl);
				return TEEABI_E_INTERNAL;
			}
			json_object_array_add(cl, json_object_new_int64((int64_t)c.len));
		}
		json_object_object_add(o, "cert_chain_lens", cl);
		put_int(o, "mr_config_len", (int64_t)a.mr_config.len);
		json_object_object_add(o, "mr_config", strn(a.mr_config.p, a.mr_config.len));
	}
	put_int(o, "runtime_event_count", (int64_t)a.runtime_event_count);
	json_object *names = json_object_new_array();
	size_t off = 0;
	for (size_t i = 0; i < a.runtime_event_count; i++) {
		struct teeabi_dstack_scale_event ev;
		if (teeabi_dstack_scale_next_runtime_event(a.runtime_events, &off, &ev)) {
			json_object_put(names);
			return TEEABI_E_INTERNAL;
		}
		json_object_array_add(names, strn(ev.event.p, ev.event.len));
	}
	json_object_object_add(o, "runtime_events", names);
	put_hex(o, "report_data", a.report_data, 64);
	if (inner_rd)
		put_bool(o, "report_data_match", memcmp(inner_rd, a.report_data, 64) == 0);
	put_int(o, "config_len", (int64_t)a.config.len);
	put_int(o, "attestation_len", (int64_t)a.scale_len);
	put_int(o, "trailing_bytes", (int64_t)a.trailing.len);
	return TEEABI_OK;
}

static teeabi_err desc_att(json_object *o, const uint8_t *buf, size_t len, unsigned flags, const char **detail)
{
	size_t i = 0;
	while (i < len && (buf[i] == ' ' || buf[i] == '\t' || buf[i] == '\n' || buf[i] == '\r'))
		i++;
	if (i == len || buf[i] != '{') {
		put_str(o, "container", "scale");
		return desc_att_scale(o, buf, len, flags, detail);
	}
	json_object *j = parse_object(buf, len);
	size_t hl = 0;
	bool has_quote = false;
	const char *hex = j ? att_json_hex(j, &hl, &has_quote) : NULL;
	if (!hex) { /* detection said it is one */
		json_object_put(j);
		*detail = "dstack attestation JSON: no \"attestation\" string";
		return TEEABI_E_JSON_FIELD;
	}
	put_str(o, "container", "json");
	put_bool(o, "getquote_form", has_quote);
	uint8_t *bin = malloc(hl / 2 + 1);
	if (!bin) {
		json_object_put(j);
		return TEEABI_E_NOMEM;
	}
	long n = teeabi_unhex(bin, hl / 2 + 1, hex, hl);
	teeabi_err e;
	if (n < 0) {
		*detail = set_detail("dstack attestation JSON: \"attestation\" is not an even-length hex string (%zu chars)", hl);
		e = TEEABI_E_HEX;
	} else {
		e = desc_att_scale(o, bin, (size_t)n, flags, detail);
	}
	free(bin);
	json_object_put(j);
	return e;
}

static teeabi_err desc_sgx(json_object *o, const uint8_t *buf, size_t len, const char **detail)
{
	struct teeabi_sgx_report s;
	teeabi_err e = teeabi_sgx_report_parse(buf, len, &s);
	if (e) {
		*detail = set_detail("sgx report body: %s", teeabi_err_msg(e));
		return e;
	}
	put_int(o, "version", 0);
	put_sgx_fields(o, &s);
	return TEEABI_OK;
}

teeabi_err teeabi_describe_json_ex(const uint8_t *buf, size_t len, unsigned flags, const char *name, FILE *out,
				   const char **detail)
{
	return teeabi_describe_json_q(buf, len, flags, name, NULL, 0, out, detail);
}

teeabi_err teeabi_describe_json_q(const uint8_t *buf, size_t len, unsigned flags, const char *name, const uint8_t *quote,
				  size_t quote_len, FILE *out, const char **detail)
{
	const char *dummy;
	if (!detail)
		detail = &dummy;
	*detail = "";
	if (!out || (!buf && len)) {
		*detail = "null argument";
		return TEEABI_E_NULL;
	}
	if (len == 0) {
		*detail = "empty input";
		return TEEABI_E_EMPTY;
	}
	enum teeabi_format f = teeabi_detect(buf, len);
	if (f == TEEABI_FMT_UNKNOWN) {
		*detail = set_detail("%zu bytes match no known format", len);
		return TEEABI_E_UNKNOWN_FORMAT;
	}
	json_object *o = json_object_new_object();
	if (!o)
		return TEEABI_E_NOMEM;
	if (name)
		put_str(o, "file", name);
	put_str(o, "format", teeabi_format_name(f));
	teeabi_err e = TEEABI_E_INTERNAL;
	switch (f) {
	case TEEABI_FMT_TDREPORT: e = desc_tdreport(o, buf, len, detail); break;
	case TEEABI_FMT_TDX_QUOTE: e = desc_tdx_quote(o, buf, len, flags, detail); break;
	case TEEABI_FMT_SNP_REPORT: e = desc_snp_report(o, buf, len, flags, detail); break;
	case TEEABI_FMT_SNP_MSG_REPORT_RSP: e = desc_msg_report(o, buf, len, flags, detail); break;
	case TEEABI_FMT_SNP_MSG_KEY_RSP: e = desc_key_rsp(o, buf, len, detail); break;
	case TEEABI_FMT_SNP_CERT_TABLE: e = desc_certs(o, buf, len, detail); break;
	case TEEABI_FMT_DSTACK_QUOTE_JSON: e = desc_dstack(o, buf, len, flags, NULL, 0, false, detail); break;
	case TEEABI_FMT_DSTACK_EVENT_LOG: e = desc_dstack(o, buf, len, flags, quote, quote_len, true, detail); break;
	case TEEABI_FMT_DSTACK_RUNTIME_LOG: e = desc_rtlog(o, buf, len, quote, quote_len, detail); break;
	case TEEABI_FMT_SGX_REPORT: e = desc_sgx(o, buf, len, detail); break;
	case TEEABI_FMT_DSTACK_ATTESTATION: e = desc_att(o, buf, len, flags, detail); break;
	case TEEABI_FMT_UNKNOWN: break;
	}
	if (e == TEEABI_OK) {
		const char *s = json_object_to_json_string_ext(o, JSON_C_TO_STRING_PLAIN | JSON_C_TO_STRING_NOSLASHESCAPE);
		if (!s || fputs(s, out) == EOF || fputc('\n', out) == EOF) {
			*detail = "write failed";
			e = TEEABI_E_IO;
		}
	}
	json_object_put(o);
	return e;
}

teeabi_err teeabi_describe_json(const uint8_t *buf, size_t len, FILE *out, const char **detail)
{
	return teeabi_describe_json_ex(buf, len, 0, NULL, out, detail);
}
