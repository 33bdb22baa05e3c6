/* SPDX-License-Identifier: Apache-2.0 */
/*
 * suites/dstack_agent - the dstack guest agent (docs/dstack-os.md §3, §6) and its agreement
 * with the native interfaces of the same machine.
 *
 * The agent is found where dstack's SDKs look (§3.1: /var/run/dstack.sock, /run/dstack.sock,
 * /var/run/dstack/dstack.sock, /run/dstack/dstack.sock; tappd.sock likewise for the legacy
 * API) and spoken to with libcurl (HTTP/1.1 over the Unix socket, JSON bodies). Verified per
 * profile (agent, agent_* keys):
 *  - endpoints present or absent as §3.2 says (EmitEvent, Attest, Version, Tappd methods);
 *    EmitEvent is probed with a request it must reject (payload not hex), never emitted;
 *  - GetQuote: report_data of 0..64 bytes zero-padded into the quote unchanged, 65 bytes
 *    rejected with an error and no quote; the quote parses and its signature chain
 *    verifies; the event log parses in the image's format (full <= 0.5.5, stripped 0.5.6+),
 *    replays to the quote's RTMR0..3, and its RTMR3 entries follow the V1 digest rule;
 *  - cross-interface: the agent's quote, a GET_REPORT0 TDREPORT and (where there is one) a
 *    configfs-tsm quote agree on MRTD, RTMR0..3, TD attributes and XFAM, and the
 *    measurements file's RTMR3 with them; Info's tcb_info equals the quote;
 *  - which event log each endpoint serves: GetQuote's and Tappd.TdxQuote's in the image's
 *    format; Info's and Tappd.Info's tcb_info.event_log the full log on every version, a JSON
 *    array, replaying to the quote's RTMR0..3 with its own digests;
 *  - Info's identity values pinned to their sources (TDX): app_id, instance_id, compose_hash
 *    and key_provider_info are the RTMR3 boot events' payloads, mr_aggregated the SHA-256 of
 *    the registers, tcb_info's copies equal the top level; Version (DstackGuest and Tappd)
 *    answers the guest-agent crate's version the profile lists (agent_crate_version);
 *  - Attest decodes (SCALE VersionedAttestation) and carries the same evidence; on SEV-SNP
 *    its report's report_data is ours and its measurement is /dev/sev-guest's;
 *  - Tappd.TdxQuote: report_data = H(prefix-or-"app-data" ":" content) zero-padded per
 *    hash_algorithm (computed here with OpenSSL), raw needs exactly 64 bytes;
 *  - every argument of every endpoint the image has, by every value class (issue 17 rule 4,
 *    table arg_rows): the legal lengths (the empty value included), upper- and mixed-case
 *    hex, GetKey's algorithm names by version ("k256" from 0.5.7, "secp256k1_prehashed" in
 *    0.5.6 only) and its ignored algorithm before 0.5.6 answered as dstack does, odd digit
 *    counts, non-hex characters, over-long values, unknown names and members of the wrong
 *    JSON type refused with an error
 *    and no evidence, by POST body and GET query; malformed EmitEvents (destructive: a broken
 *    agent would measure them) refused with the evidence unchanged;
 *  - the runtime event log file (profile path, mode 0600) replays to the native RTMR3;
 *  - (destructive) EmitEvent extends the native RTMR3 by SHA-384(old || V1 digest) (the
 *    measurements file on 0.6, the TDREPORT on 0.5.x), the event is the last RTMR3 entry of
 *    the next GetQuote log and of the runtime log file, Info follows; 8 concurrent
 *    EmitEvents leave both logs replaying to the register;
 *  - (destructive) EmitEvent on every platform that has it (TDX and SEV-SNP), with a payload,
 *    the empty payload, upper-case payload hex and event names of every class (empty, ':',
 *    non-ASCII, JSON escapes, a newline, 255 bytes): a 200 only with its effect (the event ends
 *    the runtime log file and the agent's evidence: GetQuote's log on TDX, Attest's
 *    runtime_events on SNP; RTMR3 extended on TDX), else a JSON error and no change (a
 *    refusal on TDX is a FAIL).
 */
#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <curl/curl.h>
#include <json-c/json.h>
#include <openssl/evp.h>

#include "teeabi/abi.h"
#include "teeabi/bytes.h"
#include "teeabi/dstack.h"
#include "teeabi/snp.h"
#include "teeabi/tdx.h"
#include "../common/snp_pin.h"
#include "../common/inonly.h"
#include "../common/tst.h"
#include "../common/util.h"

static const char *const dstack_socks[] = { "/var/run/dstack.sock", "/run/dstack.sock", "/var/run/dstack/dstack.sock",
					    "/run/dstack/dstack.sock", NULL };
static const char *const tappd_socks[] = { "/var/run/tappd.sock", "/run/tappd.sock", "/var/run/dstack/tappd.sock",
					   "/run/dstack/tappd.sock", NULL };

/* ------------------------------------------------------------------ profile predicates */

static const char *has_agent(const struct teeabi_profile *p) { return p->agent ? NULL : "image has no dstack guest agent"; }
static const char *agent_tdx(const struct teeabi_profile *p)
{
	return !p->agent ? "image has no dstack guest agent" : p->platform != TEEABI_PLAT_TDX ? "not TDX: no RTMRs" : NULL;
}
static const char *agent_emit(const struct teeabi_profile *p)
{
	const char *r = agent_tdx(p);
	return r ? r : p->agent_emit_event ? NULL : "image's agent has no EmitEvent";
}
static const char *agent_emit_any(const struct teeabi_profile *p)
{
	return !p->agent ? "image has no dstack guest agent" : p->agent_emit_event ? NULL : "image's agent has no EmitEvent";
}
static const char *agent_attest(const struct teeabi_profile *p)
{
	return !p->agent ? "image has no dstack guest agent" : p->agent_attest ? NULL : "image's agent has no Attest (< 0.5.6)";
}
/* GetKey's algorithm field came with Attest (0.5.6, rpc_service.rs get_key) */
static const char *agent_no_algorithm(const struct teeabi_profile *p)
{
	return !p->agent ? "image has no dstack guest agent" : p->agent_attest ? "GetKey has an algorithm field (0.5.6+)" : NULL;
}

/* GetKey's algorithm names by release (dstack guest-agent/src/rpc_service.rs get_key): "",
 * "secp256k1" and "ed25519" from 0.5.6, the field's release (agent_attest); "secp256k1_prehashed"
 * in 0.5.6 only (its match arm "secp256k1" | "secp256k1_prehashed" | ""; from v0.5.7 only Sign
 * takes it); the "k256" alias from 0.5.7 (normalize_algorithm, which came with the Version
 * endpoint: agent_version), up to the 0.6.0 pin e5f138c7. */
static const char *agent_has_version(const struct teeabi_profile *p)
{
	return !p->agent ? "image has no dstack guest agent" : !p->agent_version ? "no Version endpoint before 0.5.7" : NULL;
}
static bool from_056(const struct teeabi_profile *p) { return p->agent_attest; }
static bool only_056(const struct teeabi_profile *p) { return p->agent_attest && !p->agent_version; }
static bool from_057(const struct teeabi_profile *p) { return p->agent_version; }
/* ------------------------------------------------------------------ HTTP */

static const char *find_sock(const char *const *list)
{
	for (int i = 0; list[i]; i++) {
		struct stat st;
		if (stat(list[i], &st) == 0 && S_ISSOCK(st.st_mode))
			return list[i];
	}
	return NULL;
}

static const char *sock_or_skip(bool tappd)
{
	const char *s = find_sock(tappd ? tappd_socks : dstack_socks);
	if (!s)
		tst_brk(TST_FAIL, "the image has an agent, but no %s socket in the SDKs' search order", tappd ? "tappd" : "dstack");
	return s;
}

struct http {
	long status;
	char *body;
	size_t len;
};

static size_t on_data(char *p, size_t sz, size_t n, void *ctx)
{
	struct http *h = ctx;
	size_t add = sz * n;
	if (h->len + add > (64u << 20))
		return 0;
	char *nb = realloc(h->body, h->len + add + 1);
	if (!nb)
		return 0;
	memcpy(nb + h->len, p, add);
	h->body = nb;
	h->len += add;
	h->body[h->len] = 0;
	return add;
}

/* One request with libcurl: POST json (GET when NULL) to path on sock; *h gets the body and
 * the status. Returns curl's result (no tst_* call: also used by threads). */
static CURLcode http_do(const char *sock, const char *path, const char *json, struct http *h)
{
	memset(h, 0, sizeof(*h));
	CURL *c = curl_easy_init();
	if (!c)
		return CURLE_FAILED_INIT;
	char url[512];
	snprintf(url, sizeof(url), "http://dstack%s", path);
	struct curl_slist *hd = curl_slist_append(NULL, "Content-Type: application/json");
	curl_easy_setopt(c, CURLOPT_UNIX_SOCKET_PATH, sock);
	curl_easy_setopt(c, CURLOPT_URL, url);
	curl_easy_setopt(c, CURLOPT_WRITEFUNCTION, on_data);
	curl_easy_setopt(c, CURLOPT_WRITEDATA, h);
	curl_easy_setopt(c, CURLOPT_TIMEOUT, 20L);
	curl_easy_setopt(c, CURLOPT_NOSIGNAL, 1L);
	if (json) {
		curl_easy_setopt(c, CURLOPT_HTTPHEADER, hd);
		curl_easy_setopt(c, CURLOPT_POSTFIELDS, json);
	}
	CURLcode rc = curl_easy_perform(c);
	curl_easy_getinfo(c, CURLINFO_RESPONSE_CODE, &h->status);
	curl_slist_free_all(hd);
	curl_easy_cleanup(c);
	return rc;
}

/* http_do, FAIL (and end) when the transport fails. */
static void http(const char *sock, const char *path, const char *json, struct http *h)
{
	CURLcode rc = http_do(sock, path, json, h);
	if (rc != CURLE_OK)
		tst_brk(TST_FAIL, "%s %s on %s: %s", json ? "POST" : "GET", path, sock, curl_easy_strerror(rc));
	if (!h->body && !(h->body = strdup("")))
		tst_brk(TST_BROK, "strdup");
}

static json_object *json_or_fail(const struct http *h, const char *what)
{
	json_object *o = json_tokener_parse(h->body);
	if (!o || !json_object_is_type(o, json_type_object)) {
		json_object_put(o);
		tst_brk(TST_FAIL, "%s: HTTP %ld, body is not a JSON object: %.120s", what, h->status, h->body);
	}
	return o;
}

static const char *jstr(json_object *o, const char *k)
{
	json_object *v;
	return json_object_object_get_ex(o, k, &v) && json_object_is_type(v, json_type_string) ? json_object_get_string(v) : NULL;
}

/* POST {"report_data": hex(rd[0..n))} to /GetQuote; the HTTP answer. */
static void get_quote(const uint8_t *rd, size_t n, struct http *h)
{
	char hex[2 * 80 + 1], body[256];
	teeabi_hex(hex, rd, n);
	snprintf(body, sizeof(body), "{\"report_data\":\"%s\"}", hex);
	http(sock_or_skip(false), "/GetQuote", body, h);
}

/* GetQuote for rd (64 bytes) parsed with the library; FAIL (and end) when it does not parse. */
static void quote_resp(const uint8_t rd[64], struct teeabi_dstack_quote_resp *r, const struct teeabi_dstack_parse_opts *o)
{
	struct http h;
	get_quote(rd, 64, &h);
	if (h.status != 200)
		tst_brk(TST_FAIL, "GetQuote: HTTP %ld: %.200s", h.status, h.body);
	teeabi_err e = teeabi_dstack_quote_resp_parse_ex(h.body, h.len, o, r);
	if (e)
		tst_brk(TST_FAIL, "GetQuote response does not parse: %s (%s)", teeabi_err_name(e), r->err_detail);
	tst_save_evidence("agent-getquote.json", h.body, h.len);
	free(h.body);
	if (!r->quote_parsed)
		tst_brk(TST_FAIL, "GetQuote on TDX returned no quote");
}

/* ------------------------------------------------------------------ tests */

static void t_lookup(void)
{
	for (int t = 0; t < 2; t++) {
		const char *s = sock_or_skip(t == 1);
		struct http h;
		http(s, t ? "/prpc/Tappd.Info" : "/Info", "{}", &h);
		json_object *o = json_or_fail(&h, t ? "Tappd.Info" : "Info");
		if (h.status != 200 || !jstr(o, "tcb_info"))
			tst_fail("%s: HTTP %ld without a tcb_info string", s, h.status);
		else
			tst_pass("%s answers %s (first of the SDK search order that exists)", s, t ? "Tappd.Info" : "Info");
		json_object_put(o);
		free(h.body);
	}
}

static void expect_endpoint(bool tappd, const char *path, const char *body, bool want, const char *why)
{
	struct http h;
	http(sock_or_skip(tappd), path, body, &h);
	bool present = h.status != 404;
	if (present != want)
		tst_fail("%s %s (%s): HTTP %ld", path, want ? "missing" : "present", why, h.status);
	else
		tst_pass("%s %s (%s)", path, want ? "present" : "absent", why);
	free(h.body);
}

static void t_endpoints(void)
{
	const struct teeabi_profile *p = tst_profile;
	expect_endpoint(false, "/GetQuote", "{\"report_data\":\"00\"}", true, "every version");
	expect_endpoint(false, "/GetKey", "{\"path\":\"teeabi\"}", true, "every version");
	/* a request EmitEvent must refuse (payload is not hex): never extends anything */
	expect_endpoint(false, "/EmitEvent", "{\"event\":\"teeabi-probe\",\"payload\":\"zz\"}", p->agent_emit_event,
			"0.5.0 .. 0.6.0");
	expect_endpoint(false, "/Attest", "{\"report_data\":\"00\"}", p->agent_attest, "0.5.6+");
	expect_endpoint(false, "/Version", "{}", p->agent_version, "0.5.7+");
	expect_endpoint(true, "/prpc/Tappd.Info", "{}", true, "every version");
	expect_endpoint(true, "/prpc/Tappd.Version", "{}", p->agent_version, "0.5.7+");
	if (p->platform == TEEABI_PLAT_TDX)
		expect_endpoint(true, "/prpc/Tappd.RawQuote", "{\"report_data\":\"" /* 64 zero bytes */
				"0000000000000000000000000000000000000000000000000000000000000000"
				"0000000000000000000000000000000000000000000000000000000000000000\"}", true, "every version");
}

/* A TDX attestation's own event log (the RTMR3 entries, as into_stripped keeps them) replays
 * to its quote's RTMR3. Returns FAILs. */
static int attested_rtmr3(const char *what, const struct teeabi_dstack_att *a)
{
	struct teeabi_tdx_quote q;
	uint8_t r3[48] = { 0 }, d[48];
	size_t off = 0;
	if (teeabi_tdx_quote_parse(a->payload.p, a->payload.len, TEEABI_QUOTE_DEFAULT, &q) || !q.td.rtmr[3])
		return 1; /* u_judge_tdx_quote reported it */
	for (size_t i = 0; i < a->event_log_count; i++) {
		struct teeabi_dstack_scale_event ev;
		if (teeabi_dstack_scale_next_tdx_event(a->event_log, &off, &ev) || ev.event.len > 255) {
			tst_fail("%s: event %zu of the attestation's log does not decode", what, i);
			return 1;
		}
		if (ev.imr != 3)
			continue;
		char name[256];
		memcpy(name, ev.event.p, ev.event.len);
		name[ev.event.len] = 0;
		if (ev.digest.len == 48)
			memcpy(d, ev.digest.p, 48);
		else
			u_v1_digest(d, name, ev.payload.p, ev.payload.len);
		teeabi_rtmr_extend(r3, d);
	}
	if (memcmp(r3, q.td.rtmr[3], 48)) {
		tst_fail("%s: its %zu events replay RTMR3 to %s, its quote says %s", what, a->event_log_count, tst_hex(r3, 48),
			 tst_hex(q.td.rtmr[3], 48));
		return 1;
	}
	return 0;
}

/* The SNP report inside a GetQuote/Attest attestation hex; report_data checked. */
static void judge_attestation(const char *what, const char *hex, const uint8_t rd[64], uint8_t measurement[48])
{
	size_t hl = hex ? strlen(hex) : 0;
	uint8_t *b = malloc(hl / 2 + 1);
	if (!b)
		tst_brk(TST_BROK, "malloc");
	long n = teeabi_unhex(b, hl / 2 + 1, hex ? hex : "", hl);
	struct teeabi_dstack_att a;
	teeabi_err e = n < 0 ? TEEABI_E_HEX : teeabi_dstack_scale_parse(b, (size_t)n, 0, &a);
	if (e) {
		tst_fail("%s: attestation does not decode: %s", what, teeabi_err_name(e));
	} else if (memcmp(a.report_data, rd, 64)) {
		tst_fail("%s: attestation report_data %s is not ours %s", what, tst_hex(a.report_data, 64), tst_hex(rd, 64));
	} else if (a.variant == TEEABI_DSTACK_AMD_SEV_SNP) {
		/* the agent's report is the guest's: its lifetime fields are /dev/sev-guest's (round 4, 146) */
		if (!u_judge_snp_report(what, a.payload.p, a.payload.len, rd, -1, NULL, 0) &&
		    !u_snp_same_guest_as_dev(what, a.payload.p, a.payload.len)) {
			if (measurement)
				memcpy(measurement, a.payload.p + SNP_OFF_MEASUREMENT, 48);
			tst_pass("%s: SNP report with our report_data", what);
		}
	} else if (a.variant == TEEABI_DSTACK_TDX) {
		if (!u_judge_tdx_quote(what, a.payload.p, a.payload.len, rd, NULL) && !attested_rtmr3(what, &a))
			tst_pass("%s: TDX quote with our report_data, signature chain valid, its RTMR3 events replay", what);
	} else {
		tst_fail("%s: unexpected attestation variant %u", what, a.variant);
	}
	free(b);
}

/* One GetQuote answer (h, consumed) for the 64 bytes rd: HTTP 200, the evidence (TDX quote or
 * SNP attestation) carries rd unchanged and verifies, and the answer's report_data field is
 * hex(rd). */
static void judge_quote_answer(const char *what, struct http *h, const uint8_t rd[64])
{
	json_object *o = json_or_fail(h, what);
	const char *qh = jstr(o, "quote"), *rf = jstr(o, "report_data");
	char want[129];
	teeabi_hex(want, rd, 64);
	if (h->status == 200 && (!rf || strcasecmp(rf, want)))
		tst_fail("%s: the answer's report_data is %.40s..., want %.40s... (the request's, zero-padded)", what,
			 rf ? rf : "(none)", want);
	if (h->status != 200) {
		tst_fail("%s: HTTP %ld: %.120s", what, h->status, h->body);
	} else if (tst_profile->platform == TEEABI_PLAT_SNP) {
		judge_attestation(what, jstr(o, "attestation"), rd, NULL);
	} else {
		size_t ql = qh ? strlen(qh) / 2 : 0;
		uint8_t *q = malloc(ql + 1);
		if (!q || !qh || teeabi_unhex(q, ql, qh, strlen(qh)) < 0)
			tst_fail("%s: quote is not hex", what);
		else if (!u_judge_tdx_quote(what, q, ql, rd, NULL))
			tst_pass("%s: zero-padded into the quote unchanged, signature chain valid", what);
		free(q);
	}
	json_object_put(o);
	free(h->body);
}

static void t_report_data(void)
{
	static const size_t lens[] = { 0, 1, 32, 63, 64 };
	for (size_t i = 0; i < sizeof(lens) / sizeof(lens[0]); i++) {
		uint8_t rd[64] = { 0 };
		u_fill_pattern(rd, lens[i]);
		memset(rd + lens[i], 0, 64 - lens[i]);
		struct http h;
		get_quote(rd, lens[i], &h);
		char what[64];
		snprintf(what, sizeof(what), "GetQuote with %zu bytes of report_data", lens[i]);
		judge_quote_answer(what, &h, rd);
	}
	uint8_t big[65];
	u_fill_pattern(big, sizeof(big));
	struct http h;
	get_quote(big, sizeof(big), &h);
	json_object *o = json_tokener_parse(h.body);
	const char *q = o ? jstr(o, "quote") : NULL, *att = o ? jstr(o, "attestation") : NULL;
	if (h.status == 200 || (q && *q) || (att && *att) || !o || !jstr(o, "error"))
		tst_fail("GetQuote with 65 bytes of report_data: HTTP %ld, want an error and no quote: %.120s", h.status, h.body);
	else
		tst_pass("65 bytes of report_data rejected (HTTP %ld: %s)", h.status, jstr(o, "error"));
	json_object_put(o);
	free(h.body);
}

/* Which event log an endpoint serves, per version (issue 17 rule 1, every endpoint that
 * serves one): GetQuote and Tappd.TdxQuote / RawQuote the stripped log from 0.5.6 (boot
 * payloads and RTMR3 digests empty: GetQuote get_tdx_event_log_string, Tappd tdx_quote
 * e.stripped(), dstack guest-agent/src/rpc_service.rs @ v0.5.6; quote_response @ v0.5.11) and
 * the full one before; Info and Tappd.Info (the same get_info) the full log on every version
 * (t_info_log). A full log has every RTMR3 digest and not every boot payload empty (CCEL
 * events carry their data). Returns FAILs. */
static int judge_log_form(const char *what, const struct teeabi_dstack_quote_resp *r, bool stripped)
{
	size_t boot = r->events - r->imr_events[3];
	if (stripped && (r->stripped_runtime != r->imr_events[3] || r->stripped_boot != boot)) {
		tst_fail("%s: stripped format expected (0.5.6+): %zu of %zu RTMR3 digests empty, %zu of %zu boot payloads "
			 "empty", what, r->stripped_runtime, r->imr_events[3], r->stripped_boot, boot);
		return 1;
	}
	if (!stripped && (r->stripped_runtime || r->stripped_boot == boot)) {
		tst_fail("%s: full format expected: %zu of %zu RTMR3 digests empty, %zu of %zu boot payloads empty", what,
			 r->stripped_runtime, r->imr_events[3], r->stripped_boot, boot);
		return 1;
	}
	return 0;
}

static void t_event_log(void)
{
	uint8_t rd[64];
	u_fill_pattern(rd, 64);
	struct teeabi_dstack_quote_resp r;
	quote_resp(rd, &r, NULL);
	for (int i = 0; i < 4; i++)
		if (!r.rtmr_match[i])
			tst_fail("event log (%zu events) replays RTMR%d to %s, the quote says %s", r.events, i,
				 tst_hex(r.replayed[i], 48), tst_hex(r.q.td.rtmr[i], 48));
	if (r.events_digest_mismatch)
		tst_fail("%zu RTMR3 entries carry a digest that is not the V1 digest of their event and payload",
			 r.events_digest_mismatch);
	judge_log_form("GetQuote's event log", &r, tst_profile->agent_evlog_stripped);
	if (!r.report_data_match)
		tst_fail("GetQuote's report_data field differs from the quote's");
	if (!tst_fail_count())
		tst_pass("%s event log, %zu events (%zu RTMR3), replays to RTMR0..3 of the quote",
			 tst_profile->agent_evlog_stripped ? "stripped" : "full", r.events, r.imr_events[3]);
	teeabi_dstack_quote_resp_free(&r);
}

static void same48(const char *what, const uint8_t *a, const uint8_t *b)
{
	if (memcmp(a, b, 48))
		tst_fail("%s: agent %s, native %s", what, tst_hex(a, 48), tst_hex(b, 48));
}

/* The agent's quote against GET_REPORT0 TDREPORTs taken right before and after it (every
 * field the quote copies from a TDREPORT, u_judge_quote_vs_tdreport; issue 17 rule 1) and
 * against a configfs-tsm quote and the measurements file: same TD. */
static void t_cross(void)
{
	uint8_t rd[64], before[1024], rep[1024];
	u_fill_pattern(rd, 64);
	int rc = u_tdx_report(rd, before);
	if (rc)
		tst_brk(TST_FAIL, "GET_REPORT0 before GetQuote failed: %s", tst_errno_name(-rc));
	struct teeabi_dstack_quote_resp r;
	quote_resp(rd, &r, NULL);
	rc = u_tdx_report(rd, rep);
	if (rc)
		tst_brk(TST_FAIL, "GET_REPORT0 failed: %s", tst_errno_name(-rc));
	u_judge_quote_vs_tdreport("agent GetQuote quote", &r.q, before, rep);
	const char *also = "";
	if (tst_profile->tsm_mr) {
		uint8_t m[48];
		ssize_t n = u_mr_read("rtmr3:sha384", m, sizeof(m));
		if (n != 48)
			tst_fail("measurements/rtmr3:sha384: %s", n < 0 ? tst_errno_name((int)-n) : "not 48 bytes");
		else
			same48("RTMR3 vs measurements/rtmr3:sha384", r.q.td.rtmr[3], m);
		also = ", measurements file";
	}
	if (tst_profile->tsm_provider == TEEABI_TSM_TDX && tst_exists(TEEABI_TSM_REPORT_ROOT)) {
		char e[512];
		rc = u_tsm_mkentry(e, sizeof(e));
		uint8_t *q = malloc(256 * 1024);
		ssize_t n = -ENOMEM;
		if (!rc && q && !(rc = u_tsm_write(e, "inblob", rd, 64, NULL)))
			n = u_tsm_read(e, "outblob", q, 256 * 1024);
		if (!rc)
			u_tsm_rmentry(e);
		struct teeabi_tdx_quote cq;
		if (rc || n < 0 || teeabi_tdx_quote_parse(q, (size_t)n, TEEABI_QUOTE_DEFAULT, &cq)) {
			tst_fail("configfs-tsm quote for the comparison failed (%s)", tst_errno_name(rc ? -rc : (int)-n));
		} else {
			same48("MRTD vs configfs-tsm quote", r.q.td.mrtd, cq.td.mrtd);
			for (int i = 0; i < 4; i++)
				same48("RTMR vs configfs-tsm quote", r.q.td.rtmr[i], cq.td.rtmr[i]);
			also = tst_profile->tsm_mr ? ", measurements file, configfs-tsm quote" : ", configfs-tsm quote";
		}
		free(q);
	}
	if (!tst_fail_count())
		tst_pass("agent quote = TDREPORT (every field it copies)%s", also);
	teeabi_dstack_quote_resp_free(&r);
}

/* Info's tcb_info against a quote taken right after it; returns FAILs. */
static int check_tcb_info(const char *when)
{
	struct http h;
	http(sock_or_skip(false), "/Info", "{}", &h);
	json_object *o = json_or_fail(&h, "Info");
	const char *ti = jstr(o, "tcb_info");
	json_object *t = ti ? json_tokener_parse(ti) : NULL;
	int fails = 0;
	if (!t) {
		tst_fail("Info (%s): tcb_info is not a JSON string", when);
		fails++;
	}
	uint8_t rd[64];
	u_fill_pattern(rd, 64);
	struct teeabi_dstack_quote_resp r;
	quote_resp(rd, &r, NULL);
	static const char *const k[] = { "mrtd", "rtmr0", "rtmr1", "rtmr2", "rtmr3" };
	for (int i = 0; t && i < 5; i++) {
		const uint8_t *want = i == 0 ? r.q.td.mrtd : r.q.td.rtmr[i - 1];
		const char *got = jstr(t, k[i]);
		char wh[97];
		teeabi_hex(wh, want, 48);
		if (!got || strcasecmp(got, wh)) {
			tst_fail("Info (%s): tcb_info.%s = %.24s..., the quote says %.24s...", when, k[i], got ? got : "(none)", wh);
			fails++;
		}
	}
	teeabi_dstack_quote_resp_free(&r);
	json_object_put(t);
	json_object_put(o);
	free(h.body);
	return fails;
}

static void t_tcb_info(void)
{
	if (!check_tcb_info("at rest"))
		tst_pass("Info's tcb_info: MRTD and RTMR0..3 equal the quote's");
}

/* Info's app identity is not the agent's to choose (value pinning): get_info answers what
 * decode_app_info reads from the attestation (guest-agent/src/rpc_service.rs get_info and
 * ra-tls/src/attestation.rs @ v0.5.0-v0.5.5, dstack-attest/src/attestation.rs @ v0.5.6-v0.5.11
 * and the 0.6.0 pin e5f138c7; find_event stops at system-ready):
 *  - app_id, instance_id, compose_hash: hex of the payload of the first RTMR3 event of that
 *    name (compose-hash: or upgraded-app-id on old images) before system-ready, none = "";
 *  - key_provider_info: the key-provider payload as text (String::from_utf8, else "");
 *  - mr_aggregated: SHA-256(MRTD || RTMR0..3 [|| MRCONFIGID || MROWNER || MROWNERCONFIG when
 *    not all three are zero]) over the attested registers (tcb_info's, which info.tcb_info
 *    holds to the quote's; the config registers are static, taken from a fresh quote);
 *  - tcb_info.compose_hash, .device_id, .mr_aggregated (every version) and .os_image_hash
 *    (0.5.3+: checked where present) repeat the top-level values;
 *  - os_image_hash: vm_config's os_image_hash where vm_config is JSON that carries one.
 * Free: app_name (the compose file's), app_cert, vm_config (host-supplied), cloud_*. */
struct idev { const char *name; char hex[2 * 256 + 1]; char text[257]; bool found, utf8, nul; };

static void on_id_ev(void *ctx, const struct teeabi_dstack_event *ev)
{
	struct idev *w = ctx; /* w[0..3]; w[4].found: system-ready seen */
	if (ev->imr != 3 || w[4].found)
		return;
	if (!strcmp(ev->event, "system-ready")) {
		w[4].found = true;
		return;
	}
	for (int i = 0; i < 4; i++) {
		bool alias = i == 2 && !strcmp(ev->event, "upgraded-app-id");
		if (w[i].found || (strcmp(ev->event, w[i].name) && !alias) || ev->payload_len > 256)
			continue;
		w[i].found = true;
		teeabi_hex(w[i].hex, ev->payload, ev->payload_len);
		memcpy(w[i].text, ev->payload, ev->payload_len);
		w[i].text[ev->payload_len] = 0;
		w[i].nul = memchr(ev->payload, 0, ev->payload_len) != NULL;
		w[i].utf8 = teeabi_utf8_valid(ev->payload, ev->payload_len);
	}
}

/* hex values compare in either letter case, text exactly */
static void expect_field(const char *what, const char *got, const char *want, const char *why)
{
	bool text = !strcmp(what, "Info.key_provider_info");
	if (!got)
		tst_fail("%s is missing (%s)", what, why);
	else if (text ? strcmp(got, want) : strcasecmp(got, want))
		tst_fail("%s is \"%.80s\", want \"%.80s\" (%s)", what, got, want, why);
}

static void t_info_app(void)
{
	int fails = tst_fail_count();
	struct http h;
	http(sock_or_skip(false), "/Info", "{}", &h);
	json_object *o = json_or_fail(&h, "Info");
	const char *ti = jstr(o, "tcb_info");
	json_object *t = ti ? json_tokener_parse(ti) : NULL, *log = NULL;
	if (!t || !json_object_object_get_ex(t, "event_log", &log))
		tst_brk(TST_FAIL, "Info: tcb_info is not JSON with an event_log (see info.event_log)");
	struct idev w[5] = { { .name = "app-id" }, { .name = "instance-id" }, { .name = "compose-hash" }, { .name = "key-provider" } };
	struct teeabi_dstack_parse_opts po = { .on_event = on_id_ev, .ctx = w };
	struct teeabi_dstack_quote_resp r, q;
	const char *txt = json_object_to_json_string_ext(log, JSON_C_TO_STRING_PLAIN);
	teeabi_err e = teeabi_dstack_evlog_parse(txt, strlen(txt), &po, &r);
	if (e)
		tst_brk(TST_FAIL, "Info: tcb_info.event_log does not parse: %s (%s)", teeabi_err_name(e), r.err_detail);
	teeabi_dstack_quote_resp_free(&r);
	static const char *const top[] = { "app_id", "instance_id", "compose_hash" };
	for (int i = 0; i < 3; i++) {
		char what[64];
		snprintf(what, sizeof(what), "Info.%s", top[i]);
		expect_field(what, jstr(o, top[i]), w[i].found ? w[i].hex : "",
			     w[i].found ? "the payload of its RTMR3 event" : "no such RTMR3 event before system-ready");
	}
	if (w[3].nul)
		tst_info("the key-provider payload holds a NUL byte: key_provider_info not compared");
	else
		expect_field("Info.key_provider_info", jstr(o, "key_provider_info"), w[3].found && w[3].utf8 ? w[3].text : "",
			     "the key-provider event's payload as text");
	/* mr_aggregated over tcb_info's registers, the static config registers from a quote */
	uint8_t rd[64], reg[5][48], agg[32];
	static const char *const k[] = { "mrtd", "rtmr0", "rtmr1", "rtmr2", "rtmr3" };
	bool regs = true;
	for (int i = 0; i < 5; i++) {
		const char *x = jstr(t, k[i]);
		regs = regs && x && strlen(x) == 96 && teeabi_unhex(reg[i], 48, x, 96) == 48;
	}
	u_fill_pattern(rd, 64);
	quote_resp(rd, &q, NULL);
	if (!regs) {
		tst_fail("Info: tcb_info lacks MRTD or RTMR0..3 as 96 hex digits (see info.tcb_info)");
	} else {
		static const uint8_t zero[48];
		bool cfg = memcmp(q.q.td.mrconfigid, zero, 48) || memcmp(q.q.td.mrowner, zero, 48) ||
			   memcmp(q.q.td.mrownerconfig, zero, 48);
		EVP_MD_CTX *c = EVP_MD_CTX_new();
		unsigned int n = 0;
		if (!c || !EVP_DigestInit_ex(c, EVP_sha256(), NULL) || !EVP_DigestUpdate(c, reg, sizeof(reg)) ||
		    (cfg && (!EVP_DigestUpdate(c, q.q.td.mrconfigid, 48) || !EVP_DigestUpdate(c, q.q.td.mrowner, 48) ||
			     !EVP_DigestUpdate(c, q.q.td.mrownerconfig, 48))) ||
		    !EVP_DigestFinal_ex(c, agg, &n))
			tst_brk(TST_BROK, "SHA-256 failed");
		EVP_MD_CTX_free(c);
		char want[65];
		teeabi_hex(want, agg, 32);
		expect_field("Info.mr_aggregated", jstr(o, "mr_aggregated"), want,
			     cfg ? "SHA-256(MRTD || RTMR0..3 || MRCONFIGID || MROWNER || MROWNERCONFIG)" : "SHA-256(MRTD || RTMR0..3)");
	}
	teeabi_dstack_quote_resp_free(&q);
	static const char *const again[] = { "compose_hash", "device_id", "mr_aggregated", "os_image_hash" };
	for (int i = 0; i < 4; i++) {
		char what[64];
		const char *v = jstr(o, again[i]), *tv = jstr(t, again[i]);
		snprintf(what, sizeof(what), "Info tcb_info.%s", again[i]);
		if (i < 3 || tv)
			expect_field(what, tv, v ? v : "(none)", "the top-level value");
	}
	const char *dev = jstr(o, "device_id");
	if (!dev || strlen(dev) != 64)
		tst_fail("Info.device_id is \"%.80s\", want 64 hex digits (a SHA-256)", dev ? dev : "(none)");
	const char *vc = jstr(o, "vm_config");
	json_object *vcj = vc && *vc ? json_tokener_parse(vc) : NULL;
	const char *vh = vcj ? jstr(vcj, "os_image_hash") : NULL;
	if (vh)
		expect_field("Info.os_image_hash", jstr(o, "os_image_hash"), vh, "vm_config's os_image_hash");
	json_object_put(vcj);
	if (tst_fail_count() == fails)
		tst_pass("Info: app_id, instance_id, compose_hash, key_provider_info from the RTMR3 log, mr_aggregated from "
			 "the registers, tcb_info's copies equal");
	json_object_put(t);
	json_object_put(o);
	free(h.body);
}

/* Version answers CARGO_PKG_VERSION of guest-agent (rpc_service.rs version, on DstackGuest and
 * Tappd from 0.5.7): the workspace version, which is the tag on v0.5.7-v0.5.11 and 0.5.11 at
 * every 0.6.0 pin (8f86e430, f1ba0a22, e5f138c7), so not the image's VERSION_ID there. The
 * profile's agent_crate_version lists what the image may answer. */
static void t_version(void)
{
	const char *list = tst_profile->agent_crate_version;
	if (!*list || !strcmp(list, "any")) {
		tst_skip("profile records no agent crate version (agent_crate_version %s)", *list ? "any" : "unset");
		return;
	}
	for (int tappd = 0; tappd < 2; tappd++) {
		const char *what = tappd ? "Tappd.Version" : "Version";
		struct http h;
		http(sock_or_skip(tappd), tappd ? "/prpc/Tappd.Version" : "/Version", "{}", &h);
		json_object *o = json_or_fail(&h, what);
		const char *v = jstr(o, "version");
		bool ok = false;
		size_t vl = v ? strlen(v) : 0;
		for (const char *p = list; v && *p;) {
			size_t l = strcspn(p, "|");
			ok = ok || (l == vl && !strncmp(p, v, l));
			p += l + (p[l] == '|');
		}
		if (!ok)
			tst_fail("%s answers version \"%s\", want one of %s (the guest-agent crate's version; the image is %s)", what,
				 v ? v : "(none)", list, tst_profile->os_version);
		else
			tst_pass("%s answers version %s (agent_crate_version %s)", what, v, list);
		json_object_put(o);
		free(h.body);
	}
}

/* Info's tcb_info.event_log (dstack.sock Info and tappd.sock Tappd.Info, both get_info): a
 * JSON array inside the tcb_info JSON (get_info puts the attestation's events into
 * json!{"event_log": ...}: guest-agent/src/rpc_service.rs @ v0.5.3, v0.5.6, v0.5.11 and the
 * 0.6.0 pin e5f138c7; the SDKs' TcbInfo.event_log is a List[EventLog] / EventLog[]), the full
 * log on every version, even where GetQuote's is stripped: every entry with its digest, which
 * a verifier replays, so the replay uses the log's own digests and must give the RTMRs of a
 * quote taken right after; its RTMR3 digests follow the V1 rule. */
static void info_log_one(bool tappd)
{
	const char *what = tappd ? "Tappd.Info tcb_info.event_log" : "Info tcb_info.event_log";
	int fails = tst_fail_count();
	struct http h;
	http(sock_or_skip(tappd), tappd ? "/prpc/Tappd.Info" : "/Info", "{}", &h);
	json_object *o = json_or_fail(&h, what);
	const char *ti = jstr(o, "tcb_info");
	json_object *t = ti ? json_tokener_parse(ti) : NULL, *log = NULL;
	if (!t || !json_object_object_get_ex(t, "event_log", &log) || !json_object_is_type(log, json_type_array)) {
		tst_fail("%s is %s, want a JSON array of events (dstack's get_info serialises them into tcb_info)", what,
			 !t ? "missing (tcb_info is not JSON)" : !log ? "missing" : json_type_to_name(json_object_get_type(log)));
	} else {
		const char *txt = json_object_to_json_string_ext(log, JSON_C_TO_STRING_PLAIN);
		uint8_t rd[64];
		struct teeabi_dstack_quote_resp r, q;
		teeabi_err e = teeabi_dstack_evlog_parse(txt, strlen(txt), NULL, &r);
		if (e) {
			tst_fail("%s does not parse: %s (%s)", what, teeabi_err_name(e), r.err_detail);
		} else {
			judge_log_form(what, &r, false);
			if (r.events_digest_mismatch)
				tst_fail("%s: %zu RTMR3 entries carry a digest that is not the V1 digest of their event and "
					 "payload", what, r.events_digest_mismatch);
			u_fill_pattern(rd, 64);
			quote_resp(rd, &q, NULL);
			for (int i = 0; i < 4; i++)
				if (memcmp(r.replayed[i], q.q.td.rtmr[i], 48))
					tst_fail("%s (%zu events) replays RTMR%d to %s with its own digests, the quote says %s",
						 what, r.events, i, tst_hex(r.replayed[i], 48), tst_hex(q.q.td.rtmr[i], 48));
			if (tst_fail_count() == fails)
				tst_pass("%s: full log, %zu events (%zu RTMR3), each with its digest, replays to the quote's "
					 "RTMR0..3", what, r.events, r.imr_events[3]);
			teeabi_dstack_quote_resp_free(&q);
			teeabi_dstack_quote_resp_free(&r);
		}
	}
	json_object_put(t);
	json_object_put(o);
	free(h.body);
}

static void t_info_log(void)
{
	info_log_one(false);
	info_log_one(true);
}

/* First 48 bytes of an SNP report for rd from /dev/sev-guest: the measurement. */
static int sev_measurement(const uint8_t rd[64], uint8_t m[48])
{
	int fd = open(TEEABI_DEV_SEV_GUEST, O_RDWR | O_CLOEXEC);
	if (fd < 0)
		return -errno;
	struct teeabi_snp_report_req req = { 0 };
	struct teeabi_snp_report_resp resp;
	memcpy(req.user_data, rd, 64);
	struct teeabi_snp_guest_request_ioctl io = { .msg_version = 1, .req_data = (uintptr_t)&req,
						      .resp_data = (uintptr_t)&resp };
	int rc = u_sev_ioctl(fd, TEEABI_SNP_GET_REPORT, &io) < 0 ? -errno : 0;
	close(fd);
	if (!rc)
		memcpy(m, resp.data + 0x20 + SNP_OFF_MEASUREMENT, 48);
	return rc;
}

/* POST {"report_data": hex(rd)} to /Attest: the JSON answer (FAIL and end when it is not one),
 * the HTTP answer in *h. */
static json_object *attest_call(const uint8_t rd[64], struct http *h)
{
	char hex[129], body[200];
	teeabi_hex(hex, rd, 64);
	snprintf(body, sizeof(body), "{\"report_data\":\"%s\"}", hex);
	http(sock_or_skip(false), "/Attest", body, h);
	return json_or_fail(h, "Attest");
}

static void t_attest(void)
{
	uint8_t rd[64], m[48], nm[48];
	u_fill_pattern(rd, 64);
	struct http h;
	json_object *o = attest_call(rd, &h);
	if (h.status != 200)
		tst_brk(TST_FAIL, "Attest: HTTP %ld: %.120s", h.status, h.body);
	memset(m, 0, 48);
	judge_attestation("Attest", jstr(o, "attestation"), rd, m);
	if (tst_profile->platform == TEEABI_PLAT_SNP && !tst_fail_count()) {
		int rc = sev_measurement(rd, nm);
		if (rc)
			tst_fail("SNP_GET_REPORT for the comparison: %s", tst_errno_name(-rc));
		else
			same48("MEASUREMENT vs /dev/sev-guest", m, nm);
		if (!tst_fail_count())
			tst_pass("Attest's SNP report has /dev/sev-guest's measurement");
	}
	json_object_put(o);
	free(h.body);
}

/* One GetKey answer: the key (32 bytes) and the signature chain's entries, hex-decoded.
 * GET with query parameters when get, else POST with a JSON body. FAIL (and end) when the
 * answer is not a 32-byte key with a chain of two entries. */
struct key_ans {
	uint8_t key[32];
	uint8_t sig[2][80];
	long siglen[2];
};

static void get_key_ans(const char *path, const char *purpose, const char *alg, bool get, struct key_ans *k)
{
	char req[400], a[80] = "";
	struct http h;
	if (get) {
		if (alg)
			snprintf(a, sizeof(a), "&algorithm=%s", alg);
		snprintf(req, sizeof(req), "/GetKey?path=%s&purpose=%s%s", path, purpose, a);
		http(sock_or_skip(false), req, NULL, &h);
	} else {
		if (alg)
			snprintf(a, sizeof(a), ",\"algorithm\":\"%s\"", alg);
		snprintf(req, sizeof(req), "{\"path\":\"%s\",\"purpose\":\"%s\"%s}", path, purpose, a);
		http(sock_or_skip(false), "/GetKey", req, &h);
	}
	json_object *o = json_or_fail(&h, "GetKey");
	const char *key = jstr(o, "key");
	json_object *ch = NULL;
	memset(k, 0, sizeof(*k));
	if (h.status != 200 || !key || teeabi_unhex(k->key, 32, key, strlen(key)) != 32 ||
	    !json_object_object_get_ex(o, "signature_chain", &ch) || !json_object_is_type(ch, json_type_array) ||
	    json_object_array_length(ch) != 2)
		tst_brk(TST_FAIL, "GetKey %s (path %s, purpose %s, algorithm %s): HTTP %ld, want a 32-byte hex key and a "
			"signature chain of 2: %.160s", get ? "GET" : "POST", path, purpose, alg ? alg : "(none)", h.status, h.body);
	for (int i = 0; i < 2; i++) {
		const char *e = json_object_get_string(json_object_array_get_idx(ch, (size_t)i));
		k->siglen[i] = e ? teeabi_unhex(k->sig[i], sizeof(k->sig[i]), e, strlen(e)) : -1;
	}
	json_object_put(o);
	free(h.body);
}

/* GetKey's outputs against each other (dstack guest-agent/src/rpc_service.rs get_key, v0.5.0 ..
 * HEAD; dstack-os.md §5.2): the key is derived from the app key with the path as the only
 * domain separator, so the same path gives the same key whatever the purpose, another path
 * another key; signature_chain[0] is the app key's 65-byte recoverable secp256k1 signature
 * (r || s || recovery id 0..3) over "purpose:" + the derived public key, deterministic (RFC
 * 6979), so it changes with the purpose and with the path; signature_chain[1] is the KMS's
 * signature of the app key, the same for every request. */
static void t_getkey(void)
{
	struct key_ans a1, a2, b, p2, e;
	get_key_ans("teeabi/a", "signing", NULL, false, &a1);
	get_key_ans("teeabi/a", "signing", NULL, false, &a2);
	get_key_ans("teeabi/b", "signing", NULL, false, &b);
	get_key_ans("teeabi/a", "encryption", NULL, false, &p2);
	get_key_ans("teeabi/a", "", NULL, false, &e);
	if (teeabi_all_zero(a1.key, 32))
		tst_fail("GetKey: the key is all zero");
	if (a1.siglen[0] != 65 || a1.sig[0][64] > 3)
		tst_fail("GetKey: signature_chain[0] is %ld bytes (recovery id %u), want 65 (r || s || recovery id 0..3)",
			 a1.siglen[0], a1.siglen[0] == 65 ? a1.sig[0][64] : 0);
	if (memcmp(&a1, &a2, sizeof(a1)))
		tst_fail("GetKey twice with the same path and purpose: different answers (the derivation and the signature "
			 "are deterministic)");
	if (!memcmp(a1.key, b.key, 32))
		tst_fail("GetKey: paths teeabi/a and teeabi/b gave the same key (the path is the key's domain separator)");
	if (a1.siglen[0] == b.siglen[0] && !memcmp(a1.sig[0], b.sig[0], sizeof(a1.sig[0])))
		tst_fail("GetKey: two paths gave the same signature_chain[0] (it signs the derived public key)");
	if (memcmp(a1.key, p2.key, 32) || memcmp(a1.key, e.key, 32))
		tst_fail("GetKey: one path, purposes \"signing\", \"encryption\" and \"\" gave different keys (the purpose "
			 "enters only the signature chain)");
	if (!memcmp(a1.sig[0], p2.sig[0], sizeof(a1.sig[0])) || !memcmp(a1.sig[0], e.sig[0], sizeof(a1.sig[0])) ||
	    !memcmp(p2.sig[0], e.sig[0], sizeof(p2.sig[0])))
		tst_fail("GetKey: purposes \"signing\", \"encryption\" and \"\" do not give three different "
			 "signature_chain[0] (it signs \"purpose:\" + the public key)");
	struct key_ans *all[] = { &b, &p2, &e };
	for (int i = 0; i < 3; i++)
		if (all[i]->siglen[1] != a1.siglen[1] || memcmp(all[i]->sig[1], a1.sig[1], sizeof(a1.sig[1])))
			tst_fail("GetKey: signature_chain[1] (the KMS's signature of the app key) differs between requests");
	/* algorithm (0.5.6+, the release of Attest): the same 32 bytes for every algorithm, "secp256k1"
	 * is the default, ed25519's public key differs so signature_chain[0] does; anything else is
	 * an error (rpc_service.rs get_key, v0.5.6 .. HEAD) */
	const char *alg_note = "";
	if (tst_profile->agent_attest) {
		struct key_ans k1, ed;
		get_key_ans("teeabi/a", "signing", "secp256k1", false, &k1);
		get_key_ans("teeabi/a", "signing", "ed25519", false, &ed);
		if (memcmp(&k1, &a1, sizeof(k1)))
			tst_fail("GetKey: algorithm \"secp256k1\" and no algorithm gave different answers (secp256k1 is the default)");
		if (memcmp(ed.key, a1.key, 32))
			tst_fail("GetKey: algorithm ed25519 gave another key than secp256k1 for one path (the algorithm only "
				 "reinterprets the same 32 bytes)");
		if (!memcmp(ed.sig[0], a1.sig[0], sizeof(ed.sig[0])))
			tst_fail("GetKey: ed25519 and secp256k1 gave the same signature_chain[0] (it signs the algorithm's "
				 "public key, which differs)");
		struct http h;
		http(sock_or_skip(false), "/GetKey", "{\"path\":\"teeabi/a\",\"purpose\":\"signing\",\"algorithm\":\"rsa4096\"}", &h);
		json_object *o = json_tokener_parse(h.body);
		if (h.status == 200 || !o || !jstr(o, "error") || jstr(o, "key"))
			tst_fail("GetKey with algorithm rsa4096: HTTP %ld, want an error and no key: %.120s", h.status, h.body);
		json_object_put(o);
		free(h.body);
		alg_note = "; algorithm: ed25519 the same key, another signature, an unknown one an error";
		if (from_057(tst_profile)) { /* "k256" is an alias (normalize_algorithm, 0.5.7+) */
			struct key_ans k2;
			get_key_ans("teeabi/a", "signing", "k256", false, &k2);
			if (memcmp(&k2, &k1, sizeof(k2)))
				tst_fail("GetKey: algorithm \"k256\" and \"secp256k1\" gave different answers (k256 is its alias "
					 "from 0.5.7)");
			alg_note = "; algorithm: ed25519 the same key, another signature, k256 = secp256k1, an unknown one an "
				   "error";
		}
	}
	if (!tst_fail_count())
		tst_pass("GetKey: the key depends on the path only, signature_chain[0] on path and purpose, "
			 "signature_chain[1] on neither; both deterministic%s", alg_note);
}

/* The GET form of the API (dstack-os.md §3.1: "GET requests take arguments as query
 * parameters", §5.2: GetQuote "POST, or GET ?report_data=<hex>", GetKey "POST, or GET with
 * query"; ra-rpc's rocket_helper passes the query string as the call's payload): the same
 * arguments by query string give what the JSON body gives. */
static void t_get_query(void)
{
	uint8_t rd[64];
	u_fill_pattern(rd, 32);
	memset(rd + 32, 0, 32);
	char hex[65], path[120];
	teeabi_hex(hex, rd, 32);
	snprintf(path, sizeof(path), "/GetQuote?report_data=%s", hex);
	struct http h;
	http(sock_or_skip(false), path, NULL, &h);
	judge_quote_answer("GET /GetQuote?report_data=<32 bytes>", &h, rd);
	struct key_ans g, p;
	get_key_ans("teeabi/query", "signing", NULL, true, &g);
	get_key_ans("teeabi/query", "signing", NULL, false, &p);
	if (memcmp(&g, &p, sizeof(g)))
		tst_fail("GetKey by GET query and by POST body (path teeabi/query, purpose signing): different answers");
	else
		tst_pass("GetKey by GET query = by POST body");
}

/* Tappd report data computed here: H(tag ":" content) zero-padded; raw = content. */
static bool tappd_ref(const char *alg, const char *prefix, const uint8_t *c, size_t n, uint8_t out[64])
{
	memset(out, 0, 64);
	if (!strcmp(alg, "raw")) {
		memcpy(out, c, 64);
		return true;
	}
	static const struct { const char *a, *o; } names[] = {
		{ "", "SHA512" }, { "sha256", "SHA256" }, { "sha384", "SHA384" }, { "sha512", "SHA512" },
		{ "sha3-256", "SHA3-256" }, { "sha3-384", "SHA3-384" }, { "sha3-512", "SHA3-512" },
		{ "keccak256", "KECCAK-256" }, { "keccak384", "KECCAK-384" }, { "keccak512", "KECCAK-512" },
	};
	for (size_t i = 0; i < sizeof(names) / sizeof(names[0]); i++) {
		if (strcmp(alg, names[i].a))
			continue;
		EVP_MD *md = EVP_MD_fetch(NULL, names[i].o, NULL);
		if (!md)
			return false;
		const char *tag = *prefix ? prefix : "app-data";
		EVP_MD_CTX *x = EVP_MD_CTX_new();
		unsigned int l = 0;
		bool ok = x && EVP_DigestInit_ex(x, md, NULL) && EVP_DigestUpdate(x, tag, strlen(tag)) &&
			  EVP_DigestUpdate(x, ":", 1) && EVP_DigestUpdate(x, c, n) && EVP_DigestFinal_ex(x, out, &l);
		EVP_MD_CTX_free(x);
		EVP_MD_free(md);
		return ok;
	}
	return false;
}

static void t_tappd(void)
{
	static const struct { const char *alg, *prefix; } cases[] = {
		{ "", "" }, { "sha256", "" }, { "sha384", "" }, { "sha512", "" }, { "sha3-256", "" },
		{ "sha3-384", "" }, { "sha3-512", "" }, { "sha256", "teeabi-tag" }, { "raw", "" },
		{ "keccak256", "" }, { "keccak512", "" },
	};
	const char *s = sock_or_skip(true);
	uint8_t content[64], want[64];
	u_fill_pattern(content, 64);
	char hex[129];
	teeabi_hex(hex, content, 64);
	int checked = 0;
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		if (!tappd_ref(cases[i].alg, cases[i].prefix, content, 64, want)) {
			tst_info("hash_algorithm %s: no implementation in this OpenSSL (Keccak needs 3.2): not checked",
				 cases[i].alg);
			continue;
		}
		char body[400];
		snprintf(body, sizeof(body), "{\"report_data\":\"%s\",\"hash_algorithm\":\"%s\",\"prefix\":\"%s\"}", hex,
			 cases[i].alg, cases[i].prefix);
		struct http h;
		http(s, "/prpc/Tappd.TdxQuote", body, &h);
		struct teeabi_dstack_quote_resp r;
		teeabi_err e = h.status == 200 ? teeabi_dstack_quote_resp_parse_ex(h.body, h.len, NULL, &r) : TEEABI_E_JSON;
		if (e) {
			tst_fail("TdxQuote %s/%s: HTTP %ld, %s: %.120s", cases[i].alg, cases[i].prefix, h.status, teeabi_err_name(e), h.body);
		} else {
			const char *ea = *cases[i].alg ? cases[i].alg : "sha512";
			char what[96];
			snprintf(what, sizeof(what), "TdxQuote %s, prefix \"%s\"", ea, cases[i].prefix);
			if (!r.quote_parsed || memcmp(r.q.td.report_data, want, 64))
				tst_fail("%s: quote report_data %s, want %s", what,
					 r.quote_parsed ? tst_hex(r.q.td.report_data, 64) : "(no quote)", tst_hex(want, 64));
			/* the whole quote as on every other path: signatures, QE constants, the pinned
			 * TD values (u_judge_tdx_quote) */
			else if (u_judge_tdx_quote(what, r.quote, r.quote_len, want, NULL))
				;
			else if (strcmp(r.hash_algorithm, ea) || strcmp(r.prefix, strcmp(ea, "raw") ? "app-data" : ""))
				tst_fail("TdxQuote %s: response says hash_algorithm \"%s\", prefix \"%s\"", ea, r.hash_algorithm, r.prefix);
			else if (!r.rtmr_match[3])
				tst_fail("TdxQuote %s: its event log does not replay to the quote's RTMR3", ea);
			else
				judge_log_form("Tappd.TdxQuote's event log", &r, tst_profile->agent_evlog_stripped);
			checked++;
			teeabi_dstack_quote_resp_free(&r);
		}
		free(h.body);
	}
	/* raw needs exactly 64 bytes */
	struct http h;
	http(s, "/prpc/Tappd.TdxQuote", "{\"report_data\":\"0102\",\"hash_algorithm\":\"raw\"}", &h);
	json_object *o = json_tokener_parse(h.body);
	if (h.status == 200 || !o || !jstr(o, "error"))
		tst_fail("TdxQuote raw with 2 bytes: HTTP %ld, want an error: %.120s", h.status, h.body);
	json_object_put(o);
	free(h.body);
	if (!tst_fail_count())
		tst_pass("Tappd.TdxQuote: %d hash/prefix rules give H(tag:content) zero-padded, raw needs 64 bytes", checked);
}

/* ------------------------------------------------------------------ argument value classes */

/* Issue 17 rule 4 for the agent: every argument of every endpoint the image has gets every
 * class of value, legal and illegal, by each transport (a POST JSON body; the GET query for
 * GetQuote, Attest, the Tappd quotes and the EmitEvent payload). What dstack answers:
 *  - every argument is a protobuf string or bytes field that serde_json decodes (prpc,
 *    prpc-build/src/server.rs generate_unary: serde_json::from_slice), bytes as hex through
 *    prpc/src/serde_helpers.rs bytes_as_hex_str (String::deserialize, then hex::decode): a
 *    member of another JSON type, an odd number of hex digits (hex's OddLength) or a non-hex
 *    character (InvalidHexCharacter) fails the call, and dstack's ra-rpc/src/rocket_helper.rs
 *    PrpcHandler::handle answers a failed call 400 with the error (every version);
 *  - GetQuote, Attest: pad64(report_data) ("Report data is too long" above 64 bytes); "" is
 *    64 zero bytes (dstack guest-agent/src/rpc_service.rs get_quote, attest);
 *  - Tappd.TdxQuote hashes content of any length, "" included, and refuses an unknown
 *    hash_algorithm (to_report_data_with_hash); RawQuote takes exactly 64 bytes;
 *  - EmitEvent: event a string, payload any hex; the empty payload is legal, its effect is
 *    checked by the destructive emit.effect_or_error;
 *  - GetKey: path, purpose and (0.5.6+, the profile's agent_attest) algorithm are strings;
 *    before 0.5.6 there is no algorithm field and serde ignores the unknown member, whatever
 *    its value or type (a key is answered).
 * A refusal is an answer other than 200 with a JSON {"error": ...} and no quote, attestation
 * or key; a refused EmitEvent also leaves the agent's evidence as it was. Not sent: hex with
 * a "0x" prefix (prpc trims it, the older pins' decoders are not all known) and JSON null. */
enum vclass { V_LEN, V_ODD, V_NONHEX, V_TYPE, V_UNKNOWN, V_CASE, V_NAME };
static const char *const vclass_name[] = { "length", "odd digit count", "non-hex", "wrong JSON type", "unknown name",
					   "letter case", "name by version" };

/* Which values of a row's argument are legal, and what a legal one gives. */
enum arg_rule {
	R_PAD64,        /* report_data of GetQuote: 0..64 bytes zero-padded into the quote, 65 refused */
	R_PAD64_ATTEST, /* the same for Attest's attestation */
	R_TAPPD_SHA512, /* TdxQuote content, any length: sha512("app-data:" content) zero-padded */
	R_RAW64,        /* RawQuote: exactly 64 bytes, quoted unchanged */
	R_EMIT,         /* EmitEvent payload: any hex (legal ones are measured: not sent here) */
	R_KEY,          /* a GetKey string: "" legal (a 32-byte key) */
	R_IGNORED,      /* a member the version does not have: every value ignored (a 32-byte key) */
	R_STRING,       /* a string argument: no legal value sent here */
};

/* A name a string argument takes on some versions only (issue 17 rule 5: what a version table
 * dates to release N is refused on N-1, not only present from N on). */
struct vname {
	const char *name;
	bool (*legal)(const struct teeabi_profile *);
};

/* GetKey's algorithm names by release: from_056, only_056, from_057 above. */
static const struct vname getkey_algorithms[] = {
	{ "secp256k1", from_056 }, { "ed25519", from_056 }, { "k256", from_057 }, { "secp256k1_prehashed", only_056 },
	{ NULL, NULL },
};

struct arg_row {
	const char *path;       /* the endpoint */
	bool tappd;             /* on tappd.sock */
	const char *arg;        /* the argument varied */
	const char *rest;       /* the request's other members, each followed by a comma */
	const char *get;        /* also sent as a GET query (the values that are strings) after
				 * these other parameters ("" none, each followed by '&'); NULL: POST only */
	enum arg_rule rule;
	const char *unknown;    /* a name the string argument does not accept, or NULL */
	const char *(*needs)(const struct teeabi_profile *);
	const struct vname *names; /* names legal on some versions (NULL none) */
};

static const struct arg_row arg_rows[] = {
	{ "/GetQuote", false, "report_data", "", "", R_PAD64, NULL, has_agent, NULL },
	{ "/Attest", false, "report_data", "", "", R_PAD64_ATTEST, NULL, agent_attest, NULL },
	{ "/prpc/Tappd.TdxQuote", true, "report_data", "", "", R_TAPPD_SHA512, NULL, agent_tdx, NULL },
	{ "/prpc/Tappd.TdxQuote", true, "hash_algorithm", "\"report_data\":\"00\",", NULL, R_STRING, "md5", agent_tdx, NULL },
	{ "/prpc/Tappd.RawQuote", true, "report_data", "", "", R_RAW64, NULL, agent_tdx, NULL },
	{ "/GetKey", false, "path", "\"purpose\":\"signing\",", NULL, R_KEY, NULL, has_agent, NULL },
	{ "/GetKey", false, "purpose", "\"path\":\"teeabi/args\",", NULL, R_KEY, NULL, has_agent, NULL },
	{ "/GetKey", false, "algorithm", "\"path\":\"teeabi/args\",", NULL, R_KEY, "rsa4096", agent_attest,
	  getkey_algorithms },
	{ "/GetKey", false, "algorithm", "\"path\":\"teeabi/args\",", NULL, R_IGNORED, "rsa4096", agent_no_algorithm,
	  getkey_algorithms },
	/* EmitEvent: only its refusals are sent, and only by the destructive test */
	{ "/EmitEvent", false, "payload", "\"event\":\"teeabi-args\",", "event=teeabi-args&", R_EMIT, NULL, agent_emit_any, NULL },
	{ "/EmitEvent", false, "event", "\"payload\":\"00\",", NULL, R_STRING, NULL, agent_emit_any, NULL },
};

struct aval {
	enum vclass cls;
	bool legal;
	size_t len;             /* V_LEN: that many bytes of a fresh pattern, in b */
	uint8_t b[100];
	char json[260];
};

struct vlen {
	int len;
	bool legal;
};

/* 64 bytes of a fresh pattern in upper-case hex digits (mixed: every other letter), legal on
 * every hex argument: dstack decodes with the hex crate, whose decode() takes both cases and
 * mixed ones (hex's FromHex; prpc serde_helpers bytes_as_hex_str). */
static void hex_upper(char *h, bool mixed)
{
	for (size_t k = 0; *h; h++)
		if (*h >= 'a' && *h <= 'f' && (!mixed || k++ % 2 == 0))
			*h = (char)(*h - 'a' + 'A');
}

static void case_value(struct aval *v, bool mixed)
{
	*v = (struct aval){ V_CASE, true, 64, { 0 }, "\"" };
	u_fill_pattern(v->b, 64);
	v->b[0] |= 0xa0; /* a letter first, whatever the pattern */
	teeabi_hex(v->json + 1, v->b, 64);
	hex_upper(v->json + 1, mixed);
	strcat(v->json, "\"");
}

/* The values of a row's argument, as JSON; returns how many. */
static size_t arg_values(const struct arg_row *w, struct aval *v)
{
	static const struct { enum vclass c; const char *j; } hexv[] = {
		{ V_ODD, "\"a\"" }, { V_ODD, "\"abc\"" }, { V_NONHEX, "\"zz\"" }, { V_NONHEX, "\"0g\"" },
		{ V_NONHEX, "\"g0\"" }, { V_NONHEX, "\"00zz\"" }, { V_TYPE, "0" }, { V_TYPE, "true" },
		{ V_TYPE, "[\"00\"]" }, { V_TYPE, "{\"x\":\"00\"}" },
	}, strv[] = { { V_TYPE, "0" }, { V_TYPE, "true" }, { V_TYPE, "[\"x\"]" } };
	/* lengths in bytes, legal or not, per rule; terminated by -1 */
	static const struct vlen pad64[] = { { 0, true }, { 1, true }, { 63, true }, { 64, true },
								  { 65, false }, { -1, 0 } },
		tappd[] = { { 0, true }, { 1, true }, { 64, true }, { 65, true }, { 100, true }, { -1, 0 } },
		raw64[] = { { 64, true }, { 0, false }, { 63, false }, { 65, false }, { -1, 0 } }, none[] = { { -1, 0 } };
	bool hex = w->rule <= R_EMIT;
	const struct vlen *lens = w->rule <= R_PAD64_ATTEST ? pad64 : w->rule == R_TAPPD_SHA512 ? tappd :
					   w->rule == R_RAW64 ? raw64 : none;
	size_t n = 0;
	for (; lens->len >= 0; lens++, n++) {
		v[n] = (struct aval){ V_LEN, lens->legal, (size_t)lens->len, { 0 }, "\"" };
		u_fill_pattern(v[n].b, v[n].len);
		teeabi_hex(v[n].json + 1, v[n].b, v[n].len);
		strcat(v[n].json, "\"");
	}
	if (w->rule == R_KEY)
		v[n++] = (struct aval){ V_LEN, true, 0, { 0 }, "\"\"" };
	for (int m = 0; w->rule <= R_RAW64 && m < 2; m++) /* the hex rows whose legal values are sent */
		case_value(&v[n++], m);
	for (size_t i = 0; hex && i < sizeof(hexv) / sizeof(hexv[0]); i++, n++) {
		v[n] = (struct aval){ hexv[i].c, false, 0, { 0 }, "" };
		snprintf(v[n].json, sizeof(v[0].json), "%s", hexv[i].j);
	}
	for (size_t i = 0; !hex && i < sizeof(strv) / sizeof(strv[0]); i++, n++) {
		v[n] = (struct aval){ strv[i].c, false, 0, { 0 }, "" };
		snprintf(v[n].json, sizeof(v[0].json), "%s", strv[i].j);
	}
	if (hex) { /* 127 digits (a decoder dropping the last nibble sees 63 bytes) */
		v[n] = (struct aval){ V_ODD, false, 0, { 0 }, "\"" };
		memset(v[n].json + 1, '5', 127);
		memcpy(v[n++].json + 128, "\"", 2);
	}
	if (w->unknown) {
		v[n] = (struct aval){ V_UNKNOWN, false, 0, { 0 }, "" };
		snprintf(v[n++].json, sizeof(v[0].json), "\"%s\"", w->unknown);
	}
	for (const struct vname *nm = w->names; nm && nm->name; nm++, n++) {
		v[n] = (struct aval){ V_NAME, nm->legal(tst_profile), 0, { 0 }, "" };
		snprintf(v[n].json, sizeof(v[0].json), "\"%s\"", nm->name);
	}
	for (size_t i = 0; w->rule == R_IGNORED && i < n; i++)
		v[i].legal = true;
	return n;
}

static void arg_request(const struct arg_row *w, const struct aval *v, bool get, struct http *h)
{
	char req[640];
	const char *s = sock_or_skip(w->tappd);
	if (get) { /* the JSON string's text as the query value (the values are URL-safe) */
		snprintf(req, sizeof(req), "%s?%s%s=%.*s", w->path, w->get, w->arg, (int)strlen(v->json) - 2, v->json + 1);
		http(s, req, NULL, h);
	} else {
		snprintf(req, sizeof(req), "{%s\"%s\":%s}", w->rest, w->arg, v->json);
		http(s, w->path, req, h);
	}
}

/* A refusal: not 200, a JSON error, no evidence or key. h consumed; false (and FAIL) if not. */
static bool judge_refused(const char *what, struct http *h)
{
	json_object *o = json_tokener_parse(h->body);
	bool obj = o && json_object_is_type(o, json_type_object);
	const char *q = obj ? jstr(o, "quote") : NULL, *att = obj ? jstr(o, "attestation") : NULL;
	bool ok = h->status != 200 && obj && jstr(o, "error") && !(q && *q) && !(att && *att) &&
		  !json_object_object_get_ex(o, "key", NULL);
	if (!ok)
		tst_fail("%s: HTTP %ld, want a refusal (an error, no quote, attestation or key): %.120s", what, h->status,
			 h->body);
	json_object_put(o);
	free(h->body);
	return ok;
}

/* A legal value's answer on row w (h consumed): the evidence carries the report data the
 * rule gives for the value's bytes, or GetKey a 32-byte key. */
static void judge_legal(const char *what, const struct arg_row *w, const struct aval *v, struct http *h)
{
	uint8_t want[64] = { 0 };
	if (w->rule == R_TAPPD_SHA512 && !tappd_ref("sha512", "", v->b, v->len, want))
		tst_brk(TST_BROK, "SHA-512 unavailable");
	if (w->rule != R_TAPPD_SHA512)
		memcpy(want, v->b, v->len > 64 ? 64 : v->len);
	if (w->rule == R_PAD64) {
		judge_quote_answer(what, h, want);
		return;
	}
	json_object *o = json_or_fail(h, what);
	const char *key = jstr(o, "key");
	uint8_t k[32];
	if (h->status != 200) {
		tst_fail("%s: HTTP %ld: %.120s", what, h->status, h->body);
	} else if (w->rule == R_PAD64_ATTEST) {
		judge_attestation(what, jstr(o, "attestation"), want, NULL);
	} else if (w->rule == R_KEY || w->rule == R_IGNORED) {
		if (!key || teeabi_unhex(k, sizeof(k), key, strlen(key)) != 32)
			tst_fail("%s: want a 32-byte hex key: %.120s", what, h->body);
	} else { /* a Tappd quote */
		struct teeabi_dstack_quote_resp r;
		teeabi_err e = teeabi_dstack_quote_resp_parse_ex(h->body, h->len, NULL, &r);
		if (e || !r.quote_parsed)
			tst_fail("%s: the answer does not parse as a quote: %.120s", what, h->body);
		else if (memcmp(r.q.td.report_data, want, 64))
			tst_fail("%s: quote report_data %s, want %s", what, tst_hex(r.q.td.report_data, 64), tst_hex(want, 64));
		else
			u_judge_tdx_quote(what, r.quote, r.quote_len, want, NULL);
		if (!e)
			teeabi_dstack_quote_resp_free(&r);
	}
	json_object_put(o);
	free(h->body);
}

/* Every value of every argument of the rows the profile has (the EmitEvent rows when emit);
 * returns the number of requests judged. */
static int arg_value_rows(bool emit)
{
	int sent = 0;
	for (size_t i = 0; i < sizeof(arg_rows) / sizeof(arg_rows[0]); i++) {
		const struct arg_row *w = &arg_rows[i];
		if (w->needs(tst_profile) || (!strcmp(w->path, "/EmitEvent")) != emit)
			continue;
		struct aval v[24];
		size_t n = arg_values(w, v);
		for (size_t j = 0; j < n; j++)
			for (int get = 0; get <= (w->get && v[j].cls != V_TYPE); get++) {
				char what[360], cls[40];
				struct http h;
				if (v[j].cls == V_LEN)
					snprintf(cls, sizeof(cls), "%zu bytes, %s", v[j].len, v[j].legal ? "legal" : "illegal");
				else if (v[j].cls == V_NAME)
					snprintf(cls, sizeof(cls), "%s, %s here", vclass_name[v[j].cls], v[j].legal ? "legal" : "illegal");
				else
					snprintf(cls, sizeof(cls), "%s", vclass_name[v[j].cls]);
				snprintf(what, sizeof(what), "%s %s %s (%s) %.40s", get ? "GET" : "POST", w->path, w->arg, cls,
					 v[j].json);
				arg_request(w, &v[j], get, &h);
				if (v[j].legal)
					judge_legal(what, w, &v[j], &h);
				else
					judge_refused(what, &h);
				sent++;
			}
	}
	return sent;
}

static void t_arg_values(void)
{
	int n = arg_value_rows(false);
	tst_info("%d requests judged", n);
	if (!tst_fail_count())
		tst_pass("%d requests: every argument's empty value, upper- and mixed-case hex and each version's names "
			 "answered as dstack does, every odd-length, non-hex, over-long, wrongly typed or unknown value "
			 "refused with an error and no evidence", n);
}

/* RTMR3 as the image's native interface shows it: measurements file on 0.6, TDREPORT else. */
static void native_rtmr3(uint8_t out[48])
{
	if (tst_profile->tsm_mr) {
		ssize_t n = u_mr_read("rtmr3:sha384", out, 48);
		if (n != 48)
			tst_brk(TST_FAIL, "measurements/rtmr3:sha384: %s", n < 0 ? tst_errno_name((int)-n) : "not 48 bytes");
		return;
	}
	uint8_t rd[64] = { 0 }, rep[1024];
	int rc = u_tdx_report(rd, rep);
	if (rc)
		tst_brk(TST_FAIL, "GET_REPORT0: %s", tst_errno_name(-rc));
	memcpy(out, rep + TDREPORT_OFF_RTMR0 + 3 * 48, 48);
}

static const char *native_name(void) { return tst_profile->tsm_mr ? "measurements/rtmr3:sha384" : "the TDREPORT"; }

/* The runtime event log file replayed; FAIL (returns false) unless it equals rtmr3. */
static bool check_runtime_file(const uint8_t rtmr3[48], struct teeabi_dstack_rtlog *rl, const struct teeabi_dstack_parse_opts *o)
{
	const char *path = tst_profile->agent_runtime_log;
	struct stat st;
	if (stat(path, &st) < 0) {
		tst_fail("runtime event log %s: %s", path, tst_errno_name(errno));
		return false;
	}
	if ((st.st_mode & 07777) != 0600)
		tst_fail("runtime event log %s has mode %04o, want 0600 (dstack #557)", path, (unsigned)(st.st_mode & 07777));
	size_t cap = (size_t)st.st_size + 4096;
	char *b = malloc(cap);
	if (!b)
		tst_brk(TST_BROK, "malloc");
	ssize_t n = tst_read_file(path, b, cap);
	teeabi_err e = n < 0 ? TEEABI_E_IO : teeabi_dstack_runtime_log_parse(b, (size_t)n, o, rl);
	free(b);
	if (e) {
		tst_fail("runtime event log %s does not parse: %s (%s)", path, teeabi_err_name(e), rl->err_detail);
		return false;
	}
	int want = strstr(path, "tdx_events") ? TEEABI_RTLOG_TDX_EVENT_LOG : TEEABI_RTLOG_RUNTIME_EVENT;
	if (rl->events && rl->format != want)
		tst_fail("runtime event log %s: lines of the other format", path);
	if (memcmp(rl->rtmr3, rtmr3, 48)) {
		tst_fail("runtime event log %s (%zu events) replays to %s, %s says %s", path, rl->events, tst_hex(rl->rtmr3, 48),
			 native_name(), tst_hex(rtmr3, 48));
		return false;
	}
	return true;
}

static void t_runtime_file(void)
{
	uint8_t r3[48];
	native_rtmr3(r3);
	struct teeabi_dstack_rtlog rl;
	if (check_runtime_file(r3, &rl, NULL) && !tst_fail_count())
		tst_pass("%s: %zu events, replays to the RTMR3 of %s", tst_profile->agent_runtime_log, rl.events, native_name());
}

/* The last RTMR3 event a parser saw. */
struct last { char name[300]; uint8_t payload[64]; size_t plen; size_t n; };
static void on_ev(void *ctx, const struct teeabi_dstack_event *ev)
{
	struct last *l = ctx;
	if (ev->imr != 3)
		return;
	snprintf(l->name, sizeof(l->name), "%s", ev->event);
	l->plen = ev->payload_len < sizeof(l->payload) ? ev->payload_len : sizeof(l->payload);
	memcpy(l->payload, ev->payload, l->plen);
	l->n++;
}

static void emit_or_fail(const char *name, const uint8_t *pl, size_t n)
{
	char hex[2 * 64 + 1], body[300];
	teeabi_hex(hex, pl, n);
	snprintf(body, sizeof(body), "{\"event\":\"%s\",\"payload\":\"%s\"}", name, hex);
	struct http h;
	http(sock_or_skip(false), "/EmitEvent", body, &h);
	if (h.status != 200)
		tst_brk(TST_FAIL, "EmitEvent %s: HTTP %ld: %.120s", name, h.status, h.body);
	free(h.body);
}


static void t_emit(void)
{
	uint8_t old[48], now[48], d[48], want[48], pl[24], rd[64];
	char name[64];
	snprintf(name, sizeof(name), "teeabi-emit-%d", (int)getpid());
	u_fill_pattern(pl, sizeof(pl));
	native_rtmr3(old);
	emit_or_fail(name, pl, sizeof(pl));
	native_rtmr3(now);
	u_v1_digest(d, name, pl, sizeof(pl));
	u_sha384_extend(want, old, d);
	if (memcmp(now, want, 48))
		tst_fail("after EmitEvent, %s RTMR3 is %s, want SHA-384(old || V1 digest) = %s", native_name(), tst_hex(now, 48),
			 tst_hex(want, 48));
	struct last l = { 0 };
	struct teeabi_dstack_parse_opts o = { .on_event = on_ev, .ctx = &l };
	struct teeabi_dstack_quote_resp r;
	u_fill_pattern(rd, 64);
	quote_resp(rd, &r, &o);
	if (strcmp(l.name, name) || l.plen != sizeof(pl) || memcmp(l.payload, pl, sizeof(pl)))
		tst_fail("the next GetQuote log's last RTMR3 event is \"%s\", not the emitted \"%s\"", l.name, name);
	if (!r.rtmr_match[3])
		tst_fail("after EmitEvent the GetQuote log replays RTMR3 to %s, the quote says %s", tst_hex(r.replayed[3], 48),
			 tst_hex(r.q.td.rtmr[3], 48));
	same48("quote RTMR3 vs native after EmitEvent", r.q.td.rtmr[3], now);
	teeabi_dstack_quote_resp_free(&r);
	struct last lf = { 0 };
	struct teeabi_dstack_rtlog rl;
	o.ctx = &lf;
	if (check_runtime_file(now, &rl, &o) && strcmp(lf.name, name))
		tst_fail("the runtime event log's last event is \"%s\", not the emitted \"%s\"", lf.name, name);
	check_tcb_info("after EmitEvent");
	if (!tst_fail_count())
		tst_pass("EmitEvent: %s RTMR3 = SHA-384(old || V1 digest); the event ends the GetQuote log and %s; Info follows",
			 native_name(), tst_profile->agent_runtime_log);
}

static void *emit_thread(void *arg)
{
	char name[64], body[200];
	snprintf(name, sizeof(name), "teeabi-concurrent-%d-%d", (int)getpid(), (int)(intptr_t)arg);
	snprintf(body, sizeof(body), "{\"event\":\"%s\",\"payload\":\"%02x\"}", name, (int)(intptr_t)arg);
	struct http *h = malloc(sizeof(*h));
	if (h && http_do(find_sock(dstack_socks), "/EmitEvent", body, h) != CURLE_OK)
		h->status = 0;
	return h;
}

static void t_concurrent(void)
{
	enum { N = 8 };
	pthread_t th[N];
	sock_or_skip(false);
	for (intptr_t i = 0; i < N; i++)
		if (pthread_create(&th[i], NULL, emit_thread, (void *)i))
			tst_brk(TST_BROK, "pthread_create");
	int ok = 0;
	for (int i = 0; i < N; i++) {
		struct http *h = NULL;
		pthread_join(th[i], (void **)&h);
		ok += h && h->status == 200;
		if (h)
			free(h->body);
		free(h);
	}
	if (ok != N)
		tst_brk(TST_FAIL, "%d of %d concurrent EmitEvents answered 200", ok, N);
	uint8_t now[48], rd[64];
	native_rtmr3(now);
	struct teeabi_dstack_quote_resp r;
	u_fill_pattern(rd, 64);
	quote_resp(rd, &r, NULL);
	if (!r.rtmr_match[3] || memcmp(r.replayed[3], now, 48))
		tst_fail("after %d concurrent EmitEvents the GetQuote log replays RTMR3 to %s; quote %s, %s %s", N,
			 tst_hex(r.replayed[3], 48), tst_hex(r.q.td.rtmr[3], 48), native_name(), tst_hex(now, 48));
	teeabi_dstack_quote_resp_free(&r);
	struct teeabi_dstack_rtlog rl;
	check_runtime_file(now, &rl, NULL);
	if (!tst_fail_count())
		tst_pass("%d concurrent EmitEvents: the GetQuote log and %s replay to the register (same order)", N,
			 tst_profile->agent_runtime_log);
}

/* The RTMR3 events of the runtime event log file (profile path; absent = none yet) into *l. */
static void runtime_file_tail(struct last *l)
{
	memset(l, 0, sizeof(*l));
	const char *path = tst_profile->agent_runtime_log;
	struct stat st;
	if (stat(path, &st) < 0) {
		if (errno != ENOENT)
			tst_brk(TST_FAIL, "runtime event log %s: %s", path, tst_errno_name(errno));
		return;
	}
	size_t cap = (size_t)st.st_size + 4096;
	char *b = malloc(cap);
	if (!b)
		tst_brk(TST_BROK, "malloc");
	struct teeabi_dstack_parse_opts o = { .on_event = on_ev, .ctx = l };
	struct teeabi_dstack_rtlog rl;
	ssize_t n = tst_read_file(path, b, cap);
	teeabi_err e = n < 0 ? TEEABI_E_IO : teeabi_dstack_runtime_log_parse(b, (size_t)n, &o, &rl);
	free(b);
	if (e)
		tst_brk(TST_FAIL, "runtime event log %s does not parse: %s (%s)", path, teeabi_err_name(e), rl.err_detail);
}

/* The runtime events the agent's own evidence carries, into *l: on TDX the RTMR3 entries of the
 * GetQuote event log, elsewhere the runtime_events of an Attest attestation (SNP has no
 * register: dstack-os.md §3.3, §4, the runtime events ride in the VersionedAttestation). */
static void evidence_tail(struct last *l)
{
	memset(l, 0, sizeof(*l));
	uint8_t rd[64];
	u_fill_pattern(rd, 64);
	if (tst_profile->platform == TEEABI_PLAT_TDX) {
		struct teeabi_dstack_parse_opts o = { .on_event = on_ev, .ctx = l };
		struct teeabi_dstack_quote_resp r;
		quote_resp(rd, &r, &o);
		teeabi_dstack_quote_resp_free(&r);
		return;
	}
	struct http h;
	json_object *o = attest_call(rd, &h);
	const char *ah = jstr(o, "attestation");
	size_t hl = ah ? strlen(ah) : 0;
	uint8_t *b = malloc(hl / 2 + 1);
	if (!b)
		tst_brk(TST_BROK, "malloc");
	long n = h.status == 200 ? teeabi_unhex(b, hl / 2 + 1, ah ? ah : "", hl) : -1;
	struct teeabi_dstack_att a;
	memset(&a, 0, sizeof(a));
	teeabi_err e = n < 0 ? TEEABI_E_HEX : teeabi_dstack_scale_parse(b, (size_t)n, 0, &a);
	size_t off = 0;
	for (size_t i = 0; !e && i < a.runtime_event_count; i++) {
		struct teeabi_dstack_scale_event ev;
		if ((e = teeabi_dstack_scale_next_runtime_event(a.runtime_events, &off, &ev)))
			break;
		snprintf(l->name, sizeof(l->name), "%.*s", (int)ev.event.len, (const char *)ev.event.p);
		l->plen = ev.payload.len < sizeof(l->payload) ? ev.payload.len : sizeof(l->payload);
		memcpy(l->payload, ev.payload.p, l->plen);
		l->n++;
	}
	json_object_put(o);
	free(h.body);
	free(b);
	if (e)
		tst_brk(TST_FAIL, "Attest (HTTP %ld): the attestation or its runtime_events do not decode: %s", h.status,
			teeabi_err_name(e));
}

/* EmitEvent on every platform shape that has the endpoint (issue 17 rules 4 and 5): an answer
 * counts only with its effect. HTTP 200 means the event was measured: it is the next entry of
 * the runtime event log file and of the agent's own evidence (GetQuote's log on TDX, Attest's
 * runtime_events on SEV-SNP, which has no register for it), and on TDX the native RTMR3 moved by
 * SHA-384(old || V1 digest). Anything else must be an error answer ({"error": ...}) that changed
 * nothing: same events, same RTMR3; on TDX, where dstack measures every event (0.5.0+), a
 * refusal is itself a FAIL. A 200 with no effect anywhere (an agent that drops events where
 * there is no RTMR) is a FAIL. Each value class: a payload of bytes; the empty payload, which
 * dstack's hex::decode("") takes as no bytes (events such as system-ready have none; its V1
 * digest is SHA384(LE32(0x08000001) ":" name ":"), dstack-os.md §3.5); the empty event name,
 * which nothing in dstack refuses (guest-agent emit_event, dstack-attest emit_runtime_event,
 * cc-eventlog RuntimeEvent: no check; dstack-os.md §3.3 "Event names are not restricted"). Destructive on a real guest: a
 * measured event stays until reboot. */
static void emit_effect_one(const char *kind, const char *event, const uint8_t *pl, size_t pn, bool upper)
{
	bool tdx = tst_profile->platform == TEEABI_PLAT_TDX;
	uint8_t r3a[48] = { 0 }, r3b[48] = { 0 }, d[48], want[48];
	struct last fa, ea, fb, eb;
	char name[300], hex[2 * 24 + 1];
	int fails = tst_fail_count();
	if (event)
		snprintf(name, sizeof(name), "%s", event);
	else
		snprintf(name, sizeof(name), "teeabi-effect-%s-%d", kind, (int)getpid());
	if (tdx)
		native_rtmr3(r3a);
	runtime_file_tail(&fa);
	evidence_tail(&ea);
	teeabi_hex(hex, pl, pn);
	if (upper)
		hex_upper(hex, false);
	json_object *req = json_object_new_object();
	json_object_object_add(req, "event", json_object_new_string(name));
	json_object_object_add(req, "payload", json_object_new_string(hex));
	struct http h;
	http(sock_or_skip(false), "/EmitEvent", json_object_to_json_string_ext(req, JSON_C_TO_STRING_PLAIN), &h);
	json_object_put(req);
	if (tdx)
		native_rtmr3(r3b);
	runtime_file_tail(&fb);
	evidence_tail(&eb);
	const char *where = tdx ? "the GetQuote event log" : "Attest's runtime_events";
	if (h.status == 200) {
		const struct { const char *what; const struct last *a, *b; } v[] = {
			{ tst_profile->agent_runtime_log, &fa, &fb }, { where, &ea, &eb },
		};
		for (int i = 0; i < 2; i++)
			if (v[i].b->n != v[i].a->n + 1 || strcmp(v[i].b->name, name) || v[i].b->plen != pn ||
			    memcmp(v[i].b->payload, pl, pn))
				tst_fail("EmitEvent (%s) answered 200, but %s went from %zu to %zu events ending \"%s\" "
					 "(%zu payload bytes), want one more ending \"%s\" with our %zu bytes (a success without "
					 "its effect)", kind, v[i].what, v[i].a->n, v[i].b->n, v[i].b->name, v[i].b->plen, name, pn);
		u_v1_digest(d, name, pl, pn);
		u_sha384_extend(want, r3a, d);
		if (tdx && memcmp(r3b, want, 48))
			tst_fail("EmitEvent (%s) answered 200, but %s RTMR3 is %s, want SHA-384(old || V1 digest) = %s",
				 kind, native_name(), tst_hex(r3b, 48), tst_hex(want, 48));
		if (tst_fail_count() == fails)
			tst_pass("EmitEvent (%s) 200 on %s: the event ends %s and %s%s", kind, tdx ? "TDX" : "SEV-SNP",
				 tst_profile->agent_runtime_log, where, tdx ? ", RTMR3 extended" : "");
	} else {
		json_object *o = json_tokener_parse(h.body);
		if (!o || !jstr(o, "error"))
			tst_fail("EmitEvent (%s) answered HTTP %ld without a JSON error: %.120s", kind, h.status, h.body);
		if (tdx)
			tst_fail("EmitEvent (%s) refused on TDX (HTTP %ld: %.120s): dstack measures every event into "
				 "RTMR3 there", kind, h.status, h.body);
		if (fb.n != fa.n || eb.n != ea.n || (tdx && memcmp(r3a, r3b, 48)))
			tst_fail("EmitEvent (%s) answered HTTP %ld (refused), yet something changed: %s %zu -> %zu "
				 "events, %s %zu -> %zu%s", kind, h.status, tst_profile->agent_runtime_log, fa.n, fb.n, where,
				 ea.n, eb.n, tdx && memcmp(r3a, r3b, 48) ? ", RTMR3 moved" : "");
		if (tst_fail_count() == fails)
			tst_pass("EmitEvent (%s) refused on SEV-SNP (HTTP %ld: %s), nothing logged or measured", kind,
				 h.status, jstr(o, "error"));
		json_object_put(o);
	}
	free(h.body);
}

/* The legal values of EmitEvent's arguments (issue 17 rule 4), each judged by its effect: the
 * payload of bytes, empty, and in upper-case hex (the hex crate takes both cases); names with
 * no restriction (none in dstack: guest-agent emit_event, dstack-attest emit_runtime_event,
 * cc-eventlog RuntimeEvent::new @ v0.5.11 and e5f138c7; tdx-attest extend_rtmr3 @ v0.5.0),
 * chosen for what they mean elsewhere: empty, ':' (the separator of the V1 digest's input),
 * only colons, non-ASCII UTF-8, blanks, '/', a quote and a backslash (JSON escapes), a tab and a
 * newline (the runtime log file is one JSON object a line), 255 bytes. */
static void t_emit_effect(void)
{
	char longname[256];
	memset(longname, 'n', 255);
	longname[255] = 0;
	static const struct { const char *kind, *event; size_t pn; bool upper; } cases[] = {
		{ "24-byte payload", NULL, 24, false },
		{ "empty payload", NULL, 0, false },
		{ "upper-case payload hex", NULL, 24, true },
		{ "empty name", "", 24, false },
		{ "name with ':'", "teeabi-app:ready", 24, false },
		{ "name of colons", ":teeabi::", 24, false },
		{ "non-ASCII name", "teeabi-\xc3\xa9v\xc3\xa9nement-\xe2\x98\x83", 24, false },
		{ "name with blanks, '/', '\"' and '\\'", "teeabi event/\"q\"\\x", 24, false },
		{ "name with a tab and a newline", "teeabi\tline\nbreak", 24, false },
		{ "255-byte name", "", 24, false }, /* longname */
	};
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		uint8_t pl[24];
		u_fill_pattern(pl, sizeof(pl));
		pl[0] |= 0xa0; /* a letter digit first, for the upper-case case */
		const char *ev = strcmp(cases[i].kind, "255-byte name") ? cases[i].event : longname;
		emit_effect_one(cases[i].kind, ev, pl, cases[i].pn, cases[i].upper);
	}
}

/* The EmitEvent rows of the argument value classes (arg_rows): each malformed payload or
 * event refused, and none of them changed the agent's evidence (its runtime events; on TDX
 * the quote's RTMR3). Destructive on a real guest only if the agent is broken: an accepted
 * malformed event would be measured. */
static void t_emit_arg_values(void)
{
	bool tdx = tst_profile->platform == TEEABI_PLAT_TDX;
	struct last a, b;
	uint8_t rd[64], qa[48] = { 0 }, qb[48] = { 0 };
	struct teeabi_dstack_quote_resp r;
	u_fill_pattern(rd, 64);
	evidence_tail(&a);
	if (tdx) {
		quote_resp(rd, &r, NULL);
		memcpy(qa, r.q.td.rtmr[3], 48);
		teeabi_dstack_quote_resp_free(&r);
	}
	int n = arg_value_rows(true);
	tst_info("%d malformed EmitEvents sent", n);
	evidence_tail(&b);
	if (tdx) {
		quote_resp(rd, &r, NULL);
		memcpy(qb, r.q.td.rtmr[3], 48);
		teeabi_dstack_quote_resp_free(&r);
	}
	if (a.n != b.n || memcmp(qa, qb, 48))
		tst_fail("%d malformed EmitEvents: the agent's runtime events went from %zu to %zu (last \"%s\")%s", n, a.n,
			 b.n, b.name, memcmp(qa, qb, 48) ? ", the quote's RTMR3 moved" : "");
	if (!tst_fail_count())
		tst_pass("%d malformed EmitEvents (odd, non-hex, wrongly typed payload or event) refused, the evidence "
			 "unchanged", n);
}

static void setup_curl(void)
{
	static bool done;
	if (!done && curl_global_init(CURL_GLOBAL_DEFAULT) == CURLE_OK)
		done = true;
}

#define T(n, f, pred, ...) { .name = "dstack_agent." n, .fn = f, .needs_profile = pred, __VA_ARGS__ }
static const struct tst_test tests[] = {
	T("socket.lookup", t_lookup, has_agent),
	T("endpoints.by_version", t_endpoints, has_agent),
	T("getquote.report_data", t_report_data, has_agent, .timeout = 120), /* quotes take ~1 s on 0.5.x (vsock QGS) */
	T("getquote.event_log", t_event_log, agent_tdx),
	T("getkey.derivation", t_getkey, has_agent),
	T("transport.get_query", t_get_query, has_agent, .timeout = 60),
	T("args.value_classes", t_arg_values, has_agent, .timeout = 120),
	T("cross.native", t_cross, agent_tdx, .needs_dev = TEEABI_DEV_TDX_GUEST, .needs_root = true),
	T("info.tcb_info", t_tcb_info, agent_tdx),
	T("info.event_log", t_info_log, agent_tdx, .timeout = 60),
	T("info.app_identity", t_info_app, agent_tdx, .timeout = 60),
	T("version.crate_version", t_version, agent_has_version),
	T("attest.evidence", t_attest, agent_attest),
	T("tappd.tdxquote_hash", t_tappd, agent_tdx, .timeout = 180),
	T("runtime_log.replay", t_runtime_file, agent_tdx, .needs_root = true, .needs_dev = TEEABI_DEV_TDX_GUEST),
	T("emit.native_rtmr3", t_emit, agent_emit, .destructive = true, .needs_root = true, .needs_dev = TEEABI_DEV_TDX_GUEST),
	T("emit.concurrent_order", t_concurrent, agent_emit, .destructive = true, .needs_root = true,
	  .needs_dev = TEEABI_DEV_TDX_GUEST, .timeout = 60),
	T("emit.effect_or_error", t_emit_effect, agent_emit_any, .destructive = true, .needs_root = true, .timeout = 60),
	T("emit.arg_value_classes", t_emit_arg_values, agent_emit_any, .destructive = true, .timeout = 60),
	{ 0 },
};

int main(int argc, char **argv)
{
	setup_curl();
	return tst_main(argc, argv, "dstack_agent", tests);
}
