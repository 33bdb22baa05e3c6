/* SPDX-License-Identifier: Apache-2.0 */
/*
 * agent.c - the mock dstack guest agent (see agent.h). HTTP is libmicrohttpd's; JSON is
 * json-c's; hashes are OpenSSL's. Behaviour per image version comes from the profile:
 *   endpoints     GetQuote, Info, GetKey always; EmitEvent (agent_emit_event); Attest
 *                 (agent_attest); Version (agent_version); Tappd TdxQuote, RawQuote, Info
 *                 (+ Version with agent_version) on tappd.sock
 *   event log     GetQuote's and Tappd's: full (<= 0.5.5) or stripped (0.5.6+: boot payloads
 *                 and RTMR3 digests empty); Info's: full on every version, a JSON array
 *   runtime log   TdxEventLog lines (tdx_events.log) or {event, payload: base64} lines
 *   EmitEvent     the log line before the extend (agent_log_first, 0.5.6-0.5.11) or after;
 *                 serialised under one lock either way (so the log and the register agree,
 *                 the state dstack PR #706 fixed)
 * Errors are {"error": "..."} with status 400; an endpoint the version lacks is 404.
 */
#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/un.h>
#include <unistd.h>
#include <json-c/json.h>
#include <microhttpd.h>
#include <openssl/evp.h>
#include "agent.h"
#include "teeabi/abi.h"
#include "teeabi/bytes.h"
#include "teeabi/dstack.h"

#define MAX_BODY (1u << 20)
#define MAX_EVENTS 4096
#define SNP_REPORT_LEN 1184

struct ev {
	char *name;
	uint8_t *payload;
	size_t plen;
	uint8_t digest[48];
};

struct tm_agent {
	struct tm_dev *d;
	const struct teeabi_profile *p;
	struct MHD_Daemon *dstack, *tappd;
	int fd_dstack, fd_tappd;
	char logpath[4200];
	pthread_mutex_t lock;            /* EmitEvent and every log snapshot */
	struct ev ev[MAX_EVENTS];        /* RTMR3 events, in log order */
	size_t nev;
	struct ev held;                  /* agent-log-register-reordered: an event not yet logged */
	bool has_held;
	uint8_t rtmr3_start[48];         /* agent-tcb-info-stale */
};

/* ------------------------------------------------------------------ helpers */

static bool fault(struct tm_agent *a, enum tm_fault f) { return tm_has_fault(a->d, f); }

static char *hexs(const uint8_t *p, size_t n)
{
	char *h = malloc(2 * n + 1);
	if (h)
		teeabi_hex(h, p, n);
	return h;
}

static void put_hex(json_object *o, const char *k, const uint8_t *p, size_t n)
{
	char *h = hexs(p, n);
	json_object_object_add(o, k, json_object_new_string(h ? h : ""));
	free(h);
}

static void sha384(const void *a, size_t al, uint8_t out[48])
{
	unsigned int ol = 0;
	if (EVP_Digest(a, al, out, &ol, EVP_sha384(), NULL) != 1)
		memset(out, 0, 48);
}

/* Append one line to the runtime event log file in the profile's format. */
static void log_line(struct tm_agent *a, const struct ev *e)
{
	json_object *o = json_object_new_object();
	if (strstr(a->p->agent_runtime_log, "tdx_events")) {
		json_object_object_add(o, "imr", json_object_new_int(3));
		json_object_object_add(o, "event_type", json_object_new_int64(TEEABI_DSTACK_EVENT_TYPE_RUNTIME));
		put_hex(o, "digest", e->digest, 48);
		json_object_object_add(o, "event", json_object_new_string(e->name));
		put_hex(o, "event_payload", e->payload, e->plen);
	} else {
		unsigned char *b = malloc(4 * (e->plen / 3 + 1) + 1);
		if (b)
			EVP_EncodeBlock(b, e->payload, (int)e->plen);
		json_object_object_add(o, "event", json_object_new_string(e->name));
		json_object_object_add(o, "payload", json_object_new_string(b ? (char *)b : ""));
		free(b);
	}
	const char *s = json_object_to_json_string_ext(o, JSON_C_TO_STRING_PLAIN | JSON_C_TO_STRING_NOSLASHESCAPE);
	int fd = open(a->logpath, O_WRONLY | O_APPEND | O_CREAT | O_CLOEXEC, 0600);
	if (fd >= 0) {
		size_t n = strlen(s);
		char *line = malloc(n + 1);
		if (line) {
			memcpy(line, s, n);
			line[n] = '\n';
			if (write(fd, line, n + 1) != (ssize_t)(n + 1))
				fprintf(stderr, "mock agent: short write to %s\n", a->logpath);
			free(line);
		}
		close(fd);
	}
	json_object_put(o);
}

static void remember(struct tm_agent *a, struct ev *e)
{
	if (a->nev < MAX_EVENTS)
		a->ev[a->nev++] = *e;
	else {
		free(e->name);
		free(e->payload);
	}
}

/* One runtime event, as dstack's emit_runtime_event does it (lock held). */
static int emit(struct tm_agent *a, const char *name, const uint8_t *payload, size_t plen)
{
	struct ev e = { .name = strdup(name), .payload = malloc(plen ? plen : 1), .plen = plen };
	if (!e.name || !e.payload) {
		free(e.name);
		free(e.payload);
		return -ENOMEM;
	}
	memcpy(e.payload, payload, plen);
	teeabi_dstack_event_digest_v1(e.digest, name, payload, plen);
	uint8_t ext[48];
	memcpy(ext, e.digest, 48);
	if (fault(a, TM_FAULT_AGENT_EVENT_DIGEST_WRONG)) {
		/* SHA-384(event || payload): the type prefix and separators forgotten */
		size_t nl = strlen(name);
		uint8_t *buf = malloc(nl + plen + 1);
		if (buf) {
			memcpy(buf, name, nl);
			memcpy(buf + nl, payload, plen);
			sha384(buf, nl + plen, ext);
			free(buf);
		}
	}
	bool log_it = !fault(a, TM_FAULT_AGENT_EVENT_MISSING) || !strcmp(name, "system-ready") ||
		      a->nev < 7; /* the boot events stay */
	if (a->p->agent_log_first && log_it)
		log_line(a, &e);
	int rc = tm_tdx_rtmr_extend(a->d, 3, ext);
	if (rc) {
		free(e.name);
		free(e.payload);
		return rc;
	}
	if (!a->p->agent_log_first && log_it)
		log_line(a, &e);
	if (!log_it) {
		free(e.name);
		free(e.payload);
		return 0;
	}
	if (fault(a, TM_FAULT_AGENT_LOG_REGISTER_REORDERED) && a->nev >= 7) {
		/* the log keeps pairs in the opposite order of their extends */
		if (!a->has_held) {
			a->held = e;
			a->has_held = true;
			return 0;
		}
		remember(a, &e);
		remember(a, &a->held);
		a->has_held = false;
		return 0;
	}
	remember(a, &e);
	return 0;
}

/* The GetQuote / Tappd event log as a JSON string (lock held). */
static char *event_log_json(struct tm_agent *a, bool stripped)
{
	json_object *arr = json_object_new_array();
	for (unsigned i = 0; i < 3; i++)
		for (unsigned j = 0; j < TM_TDX_BOOT_EVENTS; j++) {
			uint8_t dg[48], pl[16];
			tm_tdx_boot_digest(a->d, i, j, dg);
			snprintf((char *)pl, sizeof(pl), "boot-%u-%u", i, j);
			json_object *o = json_object_new_object();
			json_object_object_add(o, "imr", json_object_new_int((int)i));
			json_object_object_add(o, "event_type", json_object_new_int64(0x80000001)); /* EV_EFI_VARIABLE_DRIVER_CONFIG */
			put_hex(o, "digest", dg, 48);
			json_object_object_add(o, "event", json_object_new_string(""));
			put_hex(o, "event_payload", pl, stripped ? 0 : strlen((char *)pl));
			json_object_array_add(arr, o);
		}
	for (size_t k = 0; k < a->nev; k++) {
		json_object *o = json_object_new_object();
		json_object_object_add(o, "imr", json_object_new_int(3));
		json_object_object_add(o, "event_type", json_object_new_int64(TEEABI_DSTACK_EVENT_TYPE_RUNTIME));
		put_hex(o, "digest", a->ev[k].digest, stripped ? 0 : 48);
		json_object_object_add(o, "event", json_object_new_string(a->ev[k].name));
		put_hex(o, "event_payload", a->ev[k].payload, a->ev[k].plen);
		json_object_array_add(arr, o);
	}
	char *s = strdup(json_object_to_json_string_ext(arr, JSON_C_TO_STRING_PLAIN | JSON_C_TO_STRING_NOSLASHESCAPE));
	json_object_put(arr);
	return s;
}

static const char vm_config[] = "{\"image\":\"teeabi-mock\",\"os_image_hash\":\"\"}";

/* ------------------------------------------------------------------ requests */

struct req {
	char *body;
	size_t len;
	bool too_big;
};

struct resp {
	unsigned status;
	json_object *o;  /* the body; NULL for an error */
	char err[200];
};

static void fail(struct resp *r, unsigned status, const char *msg)
{
	r->status = status;
	snprintf(r->err, sizeof(r->err), "%s", msg);
}

/* A request argument: the JSON body's field, else the query parameter of a GET. Every argument
 * of the agent's API is a protobuf string or bytes field, decoded from JSON by serde_json
 * (prpc-build server.rs generate_unary: serde_json::from_slice; bytes through prpc's
 * serde_helpers bytes_as_hex_str, String::deserialize then hex::decode): a member of another
 * JSON type (number, boolean, array, object, null) fails the whole request, which ra-rpc's
 * rocket_helper answers 400 with the error (PrpcHandler::handle). Such an answer is recorded
 * in *r and NULL returned; the handler checks r->err once it has read its arguments. */
static const char *arg_in(struct tm_agent *a, struct MHD_Connection *c, json_object *body, const char *k, struct resp *r)
{
	json_object *v;
	if (body && json_object_object_get_ex(body, k, &v)) {
		if (json_object_is_type(v, json_type_string))
			return json_object_get_string(v);
		/* agent-wrong-json-type-ignored: a member of the wrong type read as if absent */
		if (!fault(a, TM_FAULT_AGENT_WRONG_JSON_TYPE_IGNORED)) {
			char m[120];
			snprintf(m, sizeof(m), "invalid type for %s: expected a string", k);
			fail(r, 400, m);
			return NULL;
		}
	}
	return MHD_lookup_connection_value(c, MHD_GET_ARGUMENT_KIND, k);
}

/* Hex argument into a malloc'd buffer; false on bad hex (dstack: hex::decode, which fails on an
 * odd number of digits with OddLength and on any other character with InvalidHexCharacter). */
static bool unhex_arg(struct tm_agent *a, const char *h, uint8_t **out, size_t *len)
{
	size_t hl = h ? strlen(h) : 0;
	*out = malloc(hl / 2 + 1);
	*len = 0;
	if (!*out)
		return false;
	/* agent-odd-hex-accepted: pairs decoded, a trailing nibble dropped */
	if (hl % 2 && fault(a, TM_FAULT_AGENT_ODD_HEX_ACCEPTED))
		hl--;
	long n = teeabi_unhex(*out, hl / 2 + 1, h ? h : "", hl);
	/* agent-hex-uppercase-refused: a decoder that knows [0-9a-f] only (dstack's hex::decode
	 * takes both cases, mixed too) */
	if (n >= 0 && h && strpbrk(h, "ABCDEF") && fault(a, TM_FAULT_AGENT_HEX_UPPERCASE_REFUSED))
		n = -1;
	if (n < 0) {
		free(*out);
		*out = NULL;
		return false;
	}
	*len = (size_t)n;
	return true;
}

/* In a request handler, where the agent a and the answer r are in scope. */
#define arg(c, body, k) arg_in(a, c, body, k, r)
#define hex_arg(h, out, len) unhex_arg(a, h, out, len)

/* agent-empty-report-data-refused: the SDKs' client-side check ("report_data must not be
 * empty") done by the agent on every report_data path; dstack's pad64("") is 64 zero bytes and
 * Tappd hashes "app-data:" alone. True (answer in *r, b freed) when it refuses. */
static bool empty_refused(struct tm_agent *a, struct resp *r, uint8_t *b, size_t n)
{
	if (n || !fault(a, TM_FAULT_AGENT_EMPTY_REPORT_DATA_REFUSED))
		return false;
	free(b);
	fail(r, 400, "report_data must not be empty");
	return true;
}

/* A quote (TDX) for 64 bytes of report data, with the event log, lock held. */
static bool tdx_quote(struct tm_agent *a, const uint8_t rd[64], struct resp *r, uint8_t **q, size_t *ql)
{
	uint8_t rep[1024];
	if (tm_tdx_tdreport(a->d, rd, rep) || tm_tdx_quote(a->d, rep, q, ql)) {
		fail(r, 500, "Failed to get quote");
		return false;
	}
	return true;
}

/* SCALE helpers for the Attest response (teeabi/dstack.h layout). */
struct sbuf { uint8_t *p; size_t n, cap; bool oom; };
static void sb_put(struct sbuf *b, const void *p, size_t n)
{
	if (b->oom)
		return;
	if (b->n + n > b->cap) {
		size_t nc = (b->n + n) * 2 + 64;
		uint8_t *np = realloc(b->p, nc);
		if (!np) {
			b->oom = true;
			return;
		}
		b->p = np;
		b->cap = nc;
	}
	memcpy(b->p + b->n, p, n);
	b->n += n;
}
static void sb_compact(struct sbuf *b, uint64_t v)
{
	uint8_t c[9];
	sb_put(b, c, teeabi_scale_compact_encode(c, v));
}
static void sb_vec(struct sbuf *b, const void *p, size_t n)
{
	sb_compact(b, n);
	sb_put(b, p, n);
}
static void sb_u32(struct sbuf *b, uint32_t v)
{
	uint8_t c[4];
	teeabi_put_le32(c, v);
	sb_put(b, c, 4);
}

/* VersionedAttestation V0 for report data rd: TDX quote + event log, or the SNP report. */
static bool attestation(struct tm_agent *a, const uint8_t rd[64], struct resp *r, struct sbuf *b)
{
	uint8_t v0 = 0;
	sb_put(b, &v0, 1);
	if (a->p->platform == TEEABI_PLAT_SNP) {
		uint8_t var = TEEABI_DSTACK_AMD_SEV_SNP, resp[4000];
		if (tm_sev_report(a->d, rd, 0, resp)) {
			fail(r, 500, "Failed to get the SNP report");
			return false;
		}
		sb_put(b, &var, 1);
		sb_vec(b, resp + 0x20, SNP_REPORT_LEN);
		sb_compact(b, 0); /* cert_chain */
		sb_vec(b, "{}", 2); /* mr_config */
	} else {
		uint8_t var = TEEABI_DSTACK_TDX, *q = NULL;
		size_t ql = 0;
		if (!tdx_quote(a, rd, r, &q, &ql))
			return false;
		sb_put(b, &var, 1);
		sb_vec(b, q, ql);
		free(q);
		sb_compact(b, a->nev); /* the RTMR3 events only, as into_stripped keeps */
		for (size_t k = 0; k < a->nev; k++) {
			sb_u32(b, 3);
			sb_u32(b, TEEABI_DSTACK_EVENT_TYPE_RUNTIME);
			sb_vec(b, a->ev[k].digest, 48);
			sb_vec(b, a->ev[k].name, strlen(a->ev[k].name));
			sb_vec(b, a->ev[k].payload, a->ev[k].plen);
		}
	}
	sb_compact(b, a->p->platform == TEEABI_PLAT_SNP ? a->nev : 0); /* runtime_events */
	if (a->p->platform == TEEABI_PLAT_SNP)
		for (size_t k = 0; k < a->nev; k++) {
			sb_vec(b, a->ev[k].name, strlen(a->ev[k].name));
			sb_vec(b, a->ev[k].payload, a->ev[k].plen);
		}
	sb_put(b, rd, 64);
	sb_vec(b, vm_config, strlen(vm_config));
	if (b->oom) {
		fail(r, 500, "out of memory");
		return false;
	}
	return true;
}

/* report_data of GetQuote / Attest: <= 64 bytes, zero-padded, unchanged (faults aside). */
static bool report_data(struct tm_agent *a, const char *hex, uint8_t rd[64], struct resp *r)
{
	uint8_t *b;
	size_t n;
	if (!hex_arg(hex, &b, &n)) {
		fail(r, 400, "Invalid report_data: not hex");
		return false;
	}
	memset(rd, 0, 64);
	if (n > 64 && !fault(a, TM_FAULT_AGENT_OVERSIZE_REPORTDATA_ACCEPTED)) {
		free(b);
		fail(r, 400, "Report data is too long");
		return false;
	}
	memcpy(rd, b, n > 64 ? 64 : n);
	if (fault(a, TM_FAULT_AGENT_REPORTDATA_HASHED)) {
		unsigned int ol = 0;
		EVP_Digest(rd, 64, rd, &ol, EVP_sha512(), NULL);
	} else if (fault(a, TM_FAULT_AGENT_REPORTDATA_PREFIXED)) {
		uint8_t t[64] = "app-data:";
		memcpy(t + 9, b, n > 55 ? 55 : n);
		memcpy(rd, t, 64);
	}
	/* report_data of the wrong JSON type (r->err), or refused empty */
	bool refused = r->err[0] || empty_refused(a, r, NULL, n);
	free(b);
	return !refused;
}

static void get_quote(struct tm_agent *a, struct MHD_Connection *c, json_object *body, struct resp *r)
{
	uint8_t rd[64], *q = NULL;
	size_t ql = 0;
	if (!report_data(a, arg(c, body, "report_data"), rd, r))
		return;
	bool stripped = a->p->agent_evlog_stripped != fault(a, TM_FAULT_AGENT_EVLOG_FORMAT_WRONG);
	r->o = json_object_new_object();
	if (a->p->platform == TEEABI_PLAT_SNP) {
		struct sbuf b = { 0 };
		if (!attestation(a, rd, r, &b)) {
			free(b.p);
			json_object_put(r->o);
			r->o = NULL;
			return;
		}
		json_object_object_add(r->o, "quote", json_object_new_string(""));
		json_object_object_add(r->o, "event_log", json_object_new_string(""));
		put_hex(r->o, "attestation", b.p, b.n);
		free(b.p);
	} else {
		if (!tdx_quote(a, rd, r, &q, &ql)) {
			json_object_put(r->o);
			r->o = NULL;
			return;
		}
		put_hex(r->o, "quote", q, ql);
		free(q);
		char *log = event_log_json(a, stripped);
		json_object_object_add(r->o, "event_log", json_object_new_string(log ? log : "[]"));
		free(log);
	}
	put_hex(r->o, "report_data", rd, 64);
	json_object_object_add(r->o, "vm_config", json_object_new_string(vm_config));
}

static void attest(struct tm_agent *a, struct MHD_Connection *c, json_object *body, struct resp *r)
{
	uint8_t rd[64];
	struct sbuf b = { 0 };
	const char *hex = arg(c, body, "report_data");
	/* agent-attest-requires-64-bytes: Attest takes the report data as a [u8; 64] (try_into)
	 * instead of pad64, so anything but 64 bytes (128 digits) is refused */
	if (fault(a, TM_FAULT_AGENT_ATTEST_REQUIRES_64_BYTES) && (!hex || strlen(hex) != 128)) {
		fail(r, 400, "Invalid report data length");
		return;
	}
	if (!report_data(a, hex, rd, r))
		return;
	if (attestation(a, rd, r, &b)) {
		r->o = json_object_new_object();
		put_hex(r->o, "attestation", b.p, b.n);
	}
	free(b.p);
}

static void emit_event(struct tm_agent *a, struct MHD_Connection *c, json_object *body, struct resp *r)
{
	const char *name = arg(c, body, "event");
	uint8_t *pl;
	size_t n;
	if (r->err[0])
		return;
	/* any name, "" included (dstack's emit_runtime_event and cc-eventlog's RuntimeEvent check
	 * none; canonical_event_json_v2 even has a test for ""); a missing member is refused */
	if (!name || (!*name && fault(a, TM_FAULT_AGENT_EMIT_EMPTY_NAME_REFUSED))) {
		fail(r, 400, "event name is required");
		return;
	}
	/* agent-emit-colon-name-refused: a name holding the digest input's separator refused
	 * (dstack measures any name: emit_runtime_event, RuntimeEvent::new check nothing) */
	if (strchr(name, ':') && fault(a, TM_FAULT_AGENT_EMIT_COLON_NAME_REFUSED)) {
		fail(r, 400, "Invalid event name");
		return;
	}
	if (!hex_arg(arg(c, body, "payload"), &pl, &n)) {
		fail(r, 400, "Invalid payload: not hex");
		return;
	}
	/* a payload of the wrong JSON type; agent-emit-empty-payload-refused: "" refused as not hex
	 * (dstack's hex::decode("") is Ok(vec![]); events such as system-ready have no payload) */
	if (r->err[0] || (!n && fault(a, TM_FAULT_AGENT_EMIT_EMPTY_PAYLOAD_REFUSED))) {
		free(pl);
		if (!r->err[0])
			fail(r, 400, "Invalid payload: not hex");
		return;
	}
	if (a->p->platform != TEEABI_PLAT_TDX)
		fail(r, 400, "EmitEvent is only supported on TDX");
	else if (emit(a, name, pl, n))
		fail(r, 500, "Failed to extend RTMR3");
	else
		r->o = json_object_new_object();
	/* agent-emit-on-snp-silently-ok: where there is no RTMR the request is accepted (200 {})
	 * and dropped: nothing logged, nothing in the attestation's runtime_events */
	if (a->p->platform != TEEABI_PLAT_TDX && fault(a, TM_FAULT_AGENT_EMIT_ON_SNP_SILENTLY_OK)) {
		r->status = 200;
		r->err[0] = 0;
		r->o = json_object_new_object();
	}
	free(pl);
}

/* The first RTMR3 event called name before system-ready (find_event), or NULL (lock held). */
static const struct ev *ev_payload(const struct tm_agent *a, const char *name)
{
	for (size_t k = 0; k < a->nev; k++) {
		if (!strcmp(a->ev[k].name, "system-ready"))
			break;
		if (!strcmp(a->ev[k].name, name))
			return &a->ev[k];
	}
	return NULL;
}

/* dstack's mr_aggregated over a TDREPORT's registers (decode_mr_tdx). */
static void mr_aggregated(const uint8_t rep[1024], uint8_t out[32])
{
	static const uint8_t zero[3 * 48];
	unsigned int n = 0;
	EVP_MD_CTX *c = EVP_MD_CTX_new();
	if (!c || !EVP_DigestInit_ex(c, EVP_sha256(), NULL) || !EVP_DigestUpdate(c, rep + TDREPORT_OFF_MRTD, 48) ||
	    !EVP_DigestUpdate(c, rep + TDREPORT_OFF_RTMR0, 4 * 48) ||
	    (memcmp(rep + TDREPORT_OFF_MRCONFIGID, zero, sizeof(zero)) &&
	     !EVP_DigestUpdate(c, rep + TDREPORT_OFF_MRCONFIGID, sizeof(zero))) ||
	    !EVP_DigestFinal_ex(c, out, &n))
		memset(out, 0, 32);
	EVP_MD_CTX_free(c);
}

static void info(struct tm_agent *a, struct resp *r)
{
	uint8_t zero[64] = { 0 }, rep[1024] = { 0 }, h[32];
	unsigned int hl = 0;
	json_object *t = json_object_new_object();
	if (a->p->platform == TEEABI_PLAT_TDX && tm_tdx_tdreport(a->d, zero, rep) == 0) {
		put_hex(t, "mrtd", rep + TDREPORT_OFF_MRTD, 48);
		for (int i = 0; i < 4; i++) {
			char k[16];
			snprintf(k, sizeof(k), "rtmr%d", i);
			const uint8_t *v = rep + TDREPORT_OFF_RTMR0 + 48 * i;
			if (i == 3 && fault(a, TM_FAULT_AGENT_TCB_INFO_STALE))
				v = a->rtmr3_start;
			put_hex(t, k, v, 48);
		}
	}
	/* tcb_info.event_log: the full log (every digest, the boot payloads) on every version, even
	 * where GetQuote's is stripped, as a JSON array: dstack's get_info puts the attestation's
	 * events into json!{"event_log": ...} (guest-agent/src/rpc_service.rs get_info: v0.5.3
	 * attestation.event_log, v0.5.6 tdx_quote().event_log, v0.5.11 and the 0.6.0 pin e5f138c7
	 * tdx_event_log(); the SDKs' TcbInfo.event_log: List[EventLog]); an empty array off TDX
	 * (tdx_event_log() is None there: unwrap_or_default) */
	bool strip = a->p->agent_evlog_stripped && fault(a, TM_FAULT_AGENT_INFO_LOG_STRIPPED);
	char *log = a->p->platform == TEEABI_PLAT_TDX ? event_log_json(a, strip) : NULL;
	json_object *evlog = log ? json_tokener_parse(log) : NULL;
	/* agent-info-log-json-string: the array served as a JSON string that holds it */
	if (fault(a, TM_FAULT_AGENT_INFO_LOG_JSON_STRING)) {
		json_object_put(evlog);
		evlog = json_object_new_string(log ? log : "[]");
	}
	json_object_object_add(t, "event_log", evlog ? evlog : json_object_new_array());
	free(log);
	json_object_object_add(t, "app_compose", json_object_new_string("{}"));
	EVP_Digest(a->p->name, strlen(a->p->name), h, &hl, EVP_sha256(), NULL);
	r->o = json_object_new_object();
	/* On TDX, dstack's get_info answers what decode_app_info reads from the RTMR3 log
	 * (dstack-attest/src/attestation.rs @ v0.5.11, ra-tls/src/attestation.rs @ v0.5.0-v0.5.5):
	 * app_id, instance_id, compose_hash = the payloads of the first such event before
	 * system-ready, key_provider_info = the key-provider payload as UTF-8 text, mr_aggregated =
	 * SHA-256(MRTD || RTMR0..3 [|| MRCONFIGID || MROWNER || MROWNERCONFIG when not all zero]);
	 * tcb_info repeats compose_hash, device_id, mr_aggregated and os_image_hash. Off TDX
	 * (no RTMR3 log) the fields stay the mock's own. */
	const struct ev *app = ev_payload(a, "app-id"), *inst = ev_payload(a, "instance-id");
	const struct ev *comp = ev_payload(a, "compose-hash"), *kp = ev_payload(a, "key-provider");
	if (fault(a, TM_FAULT_AGENT_INFO_IDS_SWAPPED)) {
		const struct ev *x = app;
		app = inst;
		inst = x;
	}
	uint8_t agg[32];
	bool tdx = a->p->platform == TEEABI_PLAT_TDX;
	if (tdx)
		mr_aggregated(rep, agg);
	put_hex(r->o, "app_id", app ? app->payload : h, app ? app->plen : 20);
	put_hex(r->o, "instance_id", inst ? inst->payload : h + 12, inst ? inst->plen : 20);
	put_hex(r->o, "compose_hash", comp ? comp->payload : h, comp ? comp->plen : 32);
	put_hex(r->o, "device_id", h, 32);
	put_hex(r->o, "mr_aggregated", tdx ? agg : h, 32);
	json_object_object_add(r->o, "os_image_hash", json_object_new_string(""));
	json_object_object_add(r->o, "key_provider_info",
			       kp ? json_object_new_string_len((const char *)kp->payload, (int)kp->plen) : json_object_new_string(""));
	if (tdx) {
		static const char *const again[] = { "compose_hash", "device_id", "mr_aggregated", "os_image_hash" };
		for (size_t i = 0; i < sizeof(again) / sizeof(again[0]); i++) {
			json_object *v = NULL;
			json_object_object_get_ex(r->o, again[i], &v);
			json_object_object_add(t, again[i], json_object_get(v));
		}
	}
	json_object_object_add(r->o, "app_cert", json_object_new_string(""));
	json_object_object_add(r->o, "tcb_info", json_object_new_string(json_object_to_json_string_ext(t, JSON_C_TO_STRING_PLAIN)));
	json_object_object_add(r->o, "app_name", json_object_new_string("teeabi-mock"));
	json_object_object_add(r->o, "vm_config", json_object_new_string(vm_config));
	json_object_put(t);
}

/* GetKey as dstack's get_key (guest-agent/src/rpc_service.rs, v0.5.0 .. HEAD): the key is
 * derived from the app key with the path as the only domain separator; purpose only enters
 * signature_chain[0], the app key's recoverable secp256k1 signature (r || s || recovery id,
 * 65 bytes) over "purpose:" + the derived public key; signature_chain[1] is the KMS's
 * signature of the app key, the same for every request. From 0.5.6 (agent_attest) the
 * algorithm argument picks how the same 32 bytes are used: "" or "secp256k1" (and "k256"
 * from 0.5.7, agent_version; "secp256k1_prehashed" in 0.5.6 only) or "ed25519", whose public
 * key, and so signature_chain[0], differs; anything else is "Unsupported algorithm". Before
 * 0.5.6 the argument does not exist (ignored). The mock's "signatures" are deterministic
 * hashes of what dstack signs (k256 signs deterministically, RFC 6979). */
static void get_key(struct tm_agent *a, struct MHD_Connection *c, json_object *body, struct resp *r)
{
	/* algorithm is a field from 0.5.6 (agent_attest); before, serde ignores the unknown member */
	const char *path = arg(c, body, "path"), *purpose = arg(c, body, "purpose");
	/* agent-getkey-algorithm-checked-early: the field (and its check) before 0.5.6 */
	bool has_alg = a->p->agent_attest || fault(a, TM_FAULT_AGENT_GETKEY_ALGORITHM_CHECKED_EARLY);
	const char *alg = has_alg ? arg(c, body, "algorithm") : NULL;
	bool ed25519 = false;
	if (r->err[0])
		return;
	if (alg && *alg) {
		/* agent-getkey-k256-before-0.5.7: the alias (normalize_algorithm, 0.5.7) backported */
		bool alias = a->p->agent_version || fault(a, TM_FAULT_AGENT_GETKEY_K256_BEFORE_0_5_7);
		bool k256 = !strcmp(alg, "secp256k1") || (alias && !strcmp(alg, "k256")) ||
			    (!a->p->agent_version && !strcmp(alg, "secp256k1_prehashed"));
		ed25519 = !strcmp(alg, "ed25519");
		if (!k256 && !ed25519) {
			fail(r, 400, "Unsupported algorithm");
			return;
		}
		/* agent-getkey-algorithm-ignored: every algorithm served as secp256k1 */
		if (fault(a, TM_FAULT_AGENT_GETKEY_ALGORITHM_IGNORED))
			ed25519 = false;
	}
	/* agent-getkey-ignores-purpose: a KDF/signing context without the purpose */
	if (fault(a, TM_FAULT_AGENT_GETKEY_IGNORES_PURPOSE))
		purpose = "";
	uint8_t key[32], sig[65], kms[65];
	char kbuf[600];
	unsigned int kl = 0;
	snprintf(kbuf, sizeof(kbuf), "teeabi-mock-app-key|%s|%s", a->p->name, path ? path : "");
	EVP_Digest(kbuf, strlen(kbuf), key, &kl, EVP_sha256(), NULL);
	/* signature_chain[0]: over the app (profile), the derived key (path) and the purpose */
	uint8_t k[32], s1[32];
	unsigned int l = 0;
	char buf[600];
	snprintf(buf, sizeof(buf), "teeabi-mock-key|%s|%s|%s", a->p->name, path ? path : "", purpose ? purpose : "");
	EVP_Digest(buf, strlen(buf), k, &l, EVP_sha256(), NULL);
	EVP_Digest(k, 32, s1, &l, EVP_sha256(), NULL);
	r->o = json_object_new_object();
	memcpy(sig, k, 32);
	memcpy(sig + 32, s1, 32);
	if (ed25519) { /* another public key of the same 32 bytes: another signed message */
		memcpy(kbuf, "ed25519", 7);
		memcpy(kbuf + 7, sig, 64);
		EVP_Digest(kbuf, 71, sig, &kl, EVP_sha256(), NULL);
		EVP_Digest(sig, 32, sig + 32, &kl, EVP_sha256(), NULL);
	}
	sig[64] = sig[63] & 1;
	snprintf(kbuf, sizeof(kbuf), "teeabi-mock-kms-signature|%s", a->p->name);
	EVP_Digest(kbuf, strlen(kbuf), kms, &kl, EVP_sha256(), NULL);
	EVP_Digest(kms, 32, kms + 32, &kl, EVP_sha256(), NULL);
	kms[64] = kms[0] & 1;
	put_hex(r->o, "key", key, 32);
	json_object *ch = json_object_new_array();
	char *h0 = hexs(sig, sizeof(sig)), *h1 = hexs(kms, sizeof(kms));
	json_object_array_add(ch, json_object_new_string(h0 ? h0 : ""));
	json_object_array_add(ch, json_object_new_string(h1 ? h1 : ""));
	free(h0);
	free(h1);
	json_object_object_add(r->o, "signature_chain", ch);
}

static void version(struct tm_agent *a, struct resp *r)
{
	r->o = json_object_new_object();
	/* CARGO_PKG_VERSION of guest-agent (rpc_service.rs version): the profile's first
	 * agent_crate_version; agent-version-is-os-version: the image's VERSION_ID instead */
	char v[sizeof(a->p->agent_crate_version)];
	snprintf(v, sizeof(v), "%s", a->p->agent_crate_version);
	v[strcspn(v, "|")] = 0;
	if (!*v || !strcmp(v, "any") || fault(a, TM_FAULT_AGENT_VERSION_IS_OS_VERSION))
		snprintf(v, sizeof(v), "%s", a->p->os_version);
	json_object_object_add(r->o, "version", json_object_new_string(v));
	json_object_object_add(r->o, "rev", json_object_new_string("teeabi-mock"));
}

static void tdx_quote_tappd(struct tm_agent *a, struct MHD_Connection *c, json_object *body, struct resp *r, bool rawq)
{
	uint8_t *content, rd[64], *q = NULL;
	size_t n, ql = 0;
	if (a->p->platform != TEEABI_PLAT_TDX) {
		fail(r, 400, "TdxQuote is only supported on TDX");
		return;
	}
	if (!hex_arg(arg(c, body, "report_data"), &content, &n)) {
		fail(r, 400, "Invalid report_data: not hex");
		return;
	}
	const char *alg = rawq ? "raw" : arg(c, body, "hash_algorithm");
	const char *prefix = rawq ? "" : arg(c, body, "prefix");
	if (!alg || !*alg)
		alg = "sha512";
	teeabi_err e = teeabi_dstack_tappd_report_data(content, n, alg, prefix ? prefix : "", rd);
	if (r->err[0]) { /* an argument of the wrong JSON type */
		free(content);
		return;
	}
	if (empty_refused(a, r, content, n))
		return;
	/* agent-tappd-long-content-refused: GetQuote's pad64 length check applied to the content
	 * TdxQuote hashes (dstack hashes content of any length) */
	if (!rawq && n > 64 && fault(a, TM_FAULT_AGENT_TAPPD_LONG_CONTENT_REFUSED)) {
		free(content);
		fail(r, 400, "Report data is too long");
		return;
	}
	/* agent-tappd-unknown-hash-default: an unknown hash_algorithm served as the default sha512
	 * (dstack's to_report_data_with_hash answers it with an error) */
	if (e && e != TEEABI_E_DSTACK_REPORT_DATA && fault(a, TM_FAULT_AGENT_TAPPD_UNKNOWN_HASH_DEFAULT))
		e = teeabi_dstack_tappd_report_data(content, n, "sha512", prefix ? prefix : "", rd);
	free(content);
	if (e) {
		fail(r, 400, e == TEEABI_E_DSTACK_REPORT_DATA ? "invalid content length" : "invalid hash algorithm");
		return;
	}
	if (!tdx_quote(a, rd, r, &q, &ql))
		return;
	r->o = json_object_new_object();
	put_hex(r->o, "quote", q, ql);
	free(q);
	char *log = event_log_json(a, a->p->agent_evlog_stripped);
	json_object_object_add(r->o, "event_log", json_object_new_string(log ? log : "[]"));
	free(log);
	if (!rawq) {
		json_object_object_add(r->o, "hash_algorithm", json_object_new_string(alg));
		/* dstack answers "app-data" for every hashed request, "" for raw */
		json_object_object_add(r->o, "prefix", json_object_new_string(strcmp(alg, "raw") ? "app-data" : ""));
	}
}

/* Dispatch one request of either service. */
static void dispatch(struct tm_agent *a, bool tappd, const char *url, struct MHD_Connection *c, json_object *body,
		     struct resp *r)
{
	bool wrong = fault(a, TM_FAULT_AGENT_ENDPOINT_WRONG_VERSION);
	bool has_version = a->p->agent_version != wrong, has_attest = a->p->agent_attest != wrong;
	const char *m = url;
	if (tappd) {
		if (strncmp(m, "/prpc/", 6)) {
			fail(r, 404, "Not found");
			return;
		}
		m += 6;
		if (!strncmp(m, "Tappd.", 6))
			m += 6;
	} else {
		m += *m == '/';
	}
	pthread_mutex_lock(&a->lock);
	if (!tappd && !strcmp(m, "GetQuote")) {
		/* agent-getquote-get-query-ignored: arguments are taken from a JSON body only; a GET
		 * (no body) is served as if report_data were empty */
		json_object *none = NULL;
		if (!body && fault(a, TM_FAULT_AGENT_GETQUOTE_GET_QUERY_IGNORED)) {
			none = json_object_new_object();
			json_object_object_add(none, "report_data", json_object_new_string(""));
		}
		get_quote(a, c, none ? none : body, r);
		json_object_put(none);
	}
	else if (!tappd && !strcmp(m, "Attest") && has_attest)
		attest(a, c, body, r);
	else if (!tappd && !strcmp(m, "EmitEvent") && a->p->agent_emit_event)
		emit_event(a, c, body, r);
	else if (!strcmp(m, "Info"))
		info(a, r);
	else if (!tappd && !strcmp(m, "GetKey"))
		get_key(a, c, body, r);
	else if (!strcmp(m, "Version") && has_version)
		version(a, r);
	else if (tappd && !strcmp(m, "TdxQuote"))
		tdx_quote_tappd(a, c, body, r, false);
	else if (tappd && !strcmp(m, "RawQuote"))
		tdx_quote_tappd(a, c, body, r, true);
	else
		fail(r, 404, "Method not found");
	pthread_mutex_unlock(&a->lock);
}

static enum MHD_Result send_json(struct MHD_Connection *c, unsigned status, const char *s)
{
	struct MHD_Response *resp = MHD_create_response_from_buffer(strlen(s), (void *)s, MHD_RESPMEM_MUST_COPY);
	if (!resp)
		return MHD_NO;
	MHD_add_response_header(resp, "Content-Type", "application/json");
	enum MHD_Result ret = MHD_queue_response(c, status, resp);
	MHD_destroy_response(resp);
	return ret;
}

static enum MHD_Result handle(struct tm_agent *a, bool tappd, struct MHD_Connection *c, const char *url,
			      const char *method, const char *upload, size_t *upload_size, void **cls)
{
	struct req *q = *cls;
	if (!q) {
		q = calloc(1, sizeof(*q));
		if (!q)
			return MHD_NO;
		*cls = q;
		return MHD_YES;
	}
	if (*upload_size) {
		if (q->len + *upload_size > MAX_BODY)
			q->too_big = true;
		else {
			char *nb = realloc(q->body, q->len + *upload_size + 1);
			if (!nb)
				return MHD_NO;
			q->body = nb;
			memcpy(q->body + q->len, upload, *upload_size);
			q->len += *upload_size;
			q->body[q->len] = 0;
		}
		*upload_size = 0;
		return MHD_YES;
	}
	struct resp r = { .status = 200 };
	json_object *body = NULL;
	if (strcmp(method, "GET") && strcmp(method, "POST")) {
		fail(&r, 405, "Method not allowed");
	} else if (q->too_big) {
		fail(&r, 400, "request body too large");
	} else if (q->len) {
		json_tokener *t = json_tokener_new();
		body = t ? json_tokener_parse_ex(t, q->body, (int)q->len) : NULL;
		if (!body || json_tokener_get_error(t) != json_tokener_success || !json_object_is_type(body, json_type_object))
			fail(&r, 400, "Invalid JSON request body");
		json_tokener_free(t);
	}
	if (!r.err[0])
		dispatch(a, tappd, url, c, body, &r);
	json_object_put(body);
	enum MHD_Result ret;
	if (r.o) {
		ret = send_json(c, r.status, json_object_to_json_string_ext(r.o, JSON_C_TO_STRING_PLAIN | JSON_C_TO_STRING_NOSLASHESCAPE));
		json_object_put(r.o);
	} else {
		json_object *e = json_object_new_object();
		json_object_object_add(e, "error", json_object_new_string(r.err));
		ret = send_json(c, r.status == 200 ? 500 : r.status, json_object_to_json_string_ext(e, JSON_C_TO_STRING_PLAIN));
		json_object_put(e);
	}
	return ret;
}

static enum MHD_Result on_dstack(void *cls, struct MHD_Connection *c, const char *url, const char *method,
				 const char *version_, const char *upload, size_t *upload_size, void **con_cls)
{
	return handle(cls, false, c, url, method, upload, upload_size, con_cls);
}

static enum MHD_Result on_tappd(void *cls, struct MHD_Connection *c, const char *url, const char *method,
				const char *version_, const char *upload, size_t *upload_size, void **con_cls)
{
	return handle(cls, true, c, url, method, upload, upload_size, con_cls);
}

static void on_done(void *cls, struct MHD_Connection *c, void **con_cls, enum MHD_RequestTerminationCode toe)
{
	struct req *q = *con_cls;
	if (q) {
		free(q->body);
		free(q);
		*con_cls = NULL;
	}
}

/* ------------------------------------------------------------------ lifecycle */

static int listen_unix(const char *dir, const char *name, char *err, size_t errlen)
{
	struct sockaddr_un sa = { .sun_family = AF_UNIX };
	if ((size_t)snprintf(sa.sun_path, sizeof(sa.sun_path), "%s/%s", dir, name) >= sizeof(sa.sun_path)) {
		snprintf(err, errlen, "socket path %s/%s too long", dir, name);
		return -1;
	}
	unlink(sa.sun_path);
	int fd = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);
	if (fd < 0 || bind(fd, (struct sockaddr *)&sa, sizeof(sa)) < 0 || chmod(sa.sun_path, 0777) < 0 || listen(fd, 64) < 0) {
		snprintf(err, errlen, "listen on %s: %s", sa.sun_path, strerror(errno));
		if (fd >= 0)
			close(fd);
		return -1;
	}
	return fd;
}

static struct MHD_Daemon *serve(struct tm_agent *a, int fd, MHD_AccessHandlerCallback cb)
{
	return MHD_start_daemon(MHD_USE_INTERNAL_POLLING_THREAD | MHD_USE_THREAD_PER_CONNECTION | MHD_USE_ITC, 0, NULL,
				NULL, cb, a, MHD_OPTION_LISTEN_SOCKET, fd, MHD_OPTION_NOTIFY_COMPLETED, on_done, a,
				MHD_OPTION_CONNECTION_TIMEOUT, (unsigned)30, MHD_OPTION_END);
}

/* mkdir -p of the directory part of path */
static void mkdirs(const char *path)
{
	char b[4200];
	snprintf(b, sizeof(b), "%s", path);
	for (char *s = b + 1; *s; s++)
		if (*s == '/') {
			*s = 0;
			mkdir(b, 0755);
			*s = '/';
		}
}

struct tm_agent *tm_agent_start(struct tm_dev *d, const char *dir, char *err, size_t errlen)
{
	const struct teeabi_profile *p = tm_profile(d);
	struct tm_agent *a = calloc(1, sizeof(*a));
	if (!a) {
		snprintf(err, errlen, "out of memory");
		return NULL;
	}
	a->d = d;
	a->p = p;
	a->fd_dstack = a->fd_tappd = -1;
	pthread_mutex_init(&a->lock, NULL);
	const char *rel = strncmp(p->agent_runtime_log, "/run/log/", 9) ? NULL : p->agent_runtime_log + 9;
	if (!rel || !*rel) {
		snprintf(err, errlen, "agent_runtime_log %s is not under /run/log/", p->agent_runtime_log);
		goto fail;
	}
	snprintf(a->logpath, sizeof(a->logpath), "%s/log/%s", dir, rel);
	mkdirs(a->logpath);
	/* dstack-util's boot events, extended and logged before any application runs */
	static const char *const boot[] = { "system-preparing", "app-id", "compose-hash", "instance-id",
					    "boot-mr-done", "key-provider", "system-ready" };
	if (p->platform == TEEABI_PLAT_TDX) {
		for (size_t i = 0; i < sizeof(boot) / sizeof(boot[0]); i++) {
			/* payloads as dstack-util logs them: app-id and instance-id 20 bytes, compose-hash
			 * a SHA-256 (32), key-provider a JSON text (Info's key_provider_info), the
			 * markers empty */
			uint8_t pl[64], h[48];
			size_t plen = 20;
			sha384(boot[i], strlen(boot[i]), h);
			memcpy(pl, h, 32);
			if (!strcmp(boot[i], "compose-hash"))
				plen = 32;
			else if (!strcmp(boot[i], "key-provider"))
				plen = (size_t)snprintf((char *)pl, sizeof(pl), "{\"type\":\"kms\",\"id\":\"%02x%02x%02x%02x\"}", h[0], h[1],
							h[2], h[3]);
			else if (!strcmp(boot[i], "system-preparing") || !strcmp(boot[i], "boot-mr-done") ||
				 !strcmp(boot[i], "system-ready"))
				plen = 0;
			if (emit(a, boot[i], pl, plen)) {
				snprintf(err, errlen, "boot event %s: RTMR3 extend failed", boot[i]);
				goto fail;
			}
		}
		tm_tdx_rtmr_get(d, 3, a->rtmr3_start);
	}
	if ((a->fd_dstack = listen_unix(dir, "dstack.sock", err, errlen)) < 0 ||
	    (a->fd_tappd = listen_unix(dir, "tappd.sock", err, errlen)) < 0)
		goto fail;
	a->dstack = serve(a, a->fd_dstack, on_dstack);
	a->tappd = serve(a, a->fd_tappd, on_tappd);
	if (!a->dstack || !a->tappd) {
		snprintf(err, errlen, "libmicrohttpd could not serve the agent sockets");
		goto fail;
	}
	return a;
fail:
	tm_agent_stop(a);
	return NULL;
}

void tm_agent_stop(struct tm_agent *a)
{
	if (!a)
		return;
	if (a->dstack)
		MHD_stop_daemon(a->dstack);
	if (a->tappd)
		MHD_stop_daemon(a->tappd);
	if (a->fd_dstack >= 0)
		close(a->fd_dstack);
	if (a->fd_tappd >= 0)
		close(a->fd_tappd);
	for (size_t k = 0; k < a->nev; k++) {
		free(a->ev[k].name);
		free(a->ev[k].payload);
	}
	if (a->has_held) {
		free(a->held.name);
		free(a->held.payload);
	}
	pthread_mutex_destroy(&a->lock);
	free(a);
}
