/* SPDX-License-Identifier: Apache-2.0 */
/*
 * teeabi/dstack.h - dstack GetQuote responses and RTMR replay (docs/dstack-os.md §3.3-3.5).
 *
 * A response is {quote: hex, event_log: "<JSON string>", report_data: hex, vm_config: "..."}.
 * event_log is a JSON array of {imr, event_type, digest, event, event_payload}.
 * Runtime events (event_type 0x08000001) with an empty digest get the V1 digest:
 *   SHA384( LE32(0x08000001) || ":" || event || ":" || payload )
 * or, when marked V2, SHA384 of the JCS JSON {"name":..,"payload":<hex>,"type":134217729}.
 * Replay: RTMR[i] = 48 zero bytes; for each event RTMR[imr] = SHA384(RTMR[imr] || digest).
 * JSON is parsed with json-c.
 */
#ifndef TEEABI_DSTACK_H
#define TEEABI_DSTACK_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include "teeabi/err.h"
#include "teeabi/tdx.h"

#define TEEABI_DSTACK_EVENT_TYPE_RUNTIME 0x08000001u
#define TEEABI_DSTACK_MAX_EVENTS 4096
#define TEEABI_DSTACK_MAX_QUOTE  (128 * 1024)

enum teeabi_digest_rule { TEEABI_DIGEST_V1 = 1, TEEABI_DIGEST_V2 = 2 };

/* V1 / V2 digests of a runtime event. */
void teeabi_dstack_event_digest_v1(uint8_t out[48], const char *event, const uint8_t *payload, size_t payload_len);
teeabi_err teeabi_dstack_event_digest_v2(uint8_t out[48], const char *event, const uint8_t *payload, size_t payload_len);
/* RTMR extend: rtmr = SHA384(rtmr || digest) */
void teeabi_rtmr_extend(uint8_t rtmr[48], const uint8_t digest[48]);

struct teeabi_dstack_quote_resp {
	uint8_t *quote;          /* owned (malloc) */
	size_t quote_len;
	uint8_t report_data[64];
	bool has_report_data;
	size_t events;           /* count in the log */
	size_t events_recomputed;/* runtime entries whose digest was recomputed */
	int digest_rule;         /* rule used for recomputation */
	uint8_t replayed[4][48];
	bool quote_parsed;       /* quote parsed as a TDX quote */
	struct teeabi_tdx_quote q; /* points into .quote */
	bool rtmr_match[4];
	bool report_data_match;
	size_t events_digest_mismatch; /* runtime entries whose given digest != the recomputed one */
	size_t imr_events[4];    /* entries per IMR */
	size_t stripped_boot;    /* boot entries (imr 0..2) with an empty event_payload */
	size_t stripped_runtime; /* runtime entries with an empty digest (recomputed) */
	/* Tappd.TdxQuote responses: {quote, event_log, hash_algorithm, prefix} */
	bool tappd;
	char hash_algorithm[16];
	char prefix[64];
	char err_detail[96];     /* on an error: the failing field, e.g. "event_log[5].imr" */
};

/* One event as the parser saw it (for callers that look for a given event). digest is
 * what was extended: the given one, or the recomputed one when the entry had none. */
struct teeabi_dstack_event {
	size_t index;
	uint32_t imr, event_type;
	const char *event;           /* NUL-terminated (runtime entries never hold a NUL) */
	const uint8_t *payload;
	size_t payload_len;
	const uint8_t *digest;       /* 48 bytes */
	bool digest_given;           /* false: recomputed from event and payload */
};
typedef void (*teeabi_dstack_event_cb)(void *ctx, const struct teeabi_dstack_event *ev);

struct teeabi_dstack_parse_opts {
	int rule;                    /* TEEABI_DIGEST_V1 or _V2 (0 = V1) */
	teeabi_dstack_event_cb on_event; /* called once per entry in order (may be NULL) */
	void *ctx;
	/* teeabi_dstack_evlog_parse: the quote the log belongs to (may be NULL) */
	const uint8_t *quote;
	size_t quote_len;
};
/* A response may pick the rule itself with a top-level "event_log_version": 1 or 2. */
/* Parse a GetQuote JSON response, replay the event log and compare with the quote.
 * rule: TEEABI_DIGEST_V1 or _V2 (a response may also mark V2 itself). Does not fail on a
 * mismatch: read rtmr_match[] / report_data_match. */
teeabi_err teeabi_dstack_quote_resp_parse(const char *json, size_t len, int rule, struct teeabi_dstack_quote_resp *out);
void teeabi_dstack_quote_resp_free(struct teeabi_dstack_quote_resp *r);
/* As teeabi_dstack_quote_resp_parse, with the options above (opts may be NULL). Accepts the
 * GetQuote object and the Tappd.TdxQuote object (same fields plus hash_algorithm and
 * prefix; no report_data). */
teeabi_err teeabi_dstack_quote_resp_parse_ex(const char *json, size_t len, const struct teeabi_dstack_parse_opts *opts,
					     struct teeabi_dstack_quote_resp *out);
/* A bare event-log JSON array (dstack's simulator ships eventlog.json beside quote.hex),
 * replayed; with opts->quote the quote is parsed and compared like a GetQuote response's
 * (has_report_data stays false: a bare log names no report data). */
teeabi_err teeabi_dstack_evlog_parse(const char *json, size_t len, const struct teeabi_dstack_parse_opts *opts,
				     struct teeabi_dstack_quote_resp *out);

/* ---------------------------------------------------------------- runtime event log file
 * The agent's append-only record of RTMR3 events (docs/dstack-os.md §3.4), one JSON object
 * per line (blank lines ignored, the last line may lack its newline):
 *   v0.5.0-0.5.5  /run/log/tdx_mr3/tdx_events.log: TdxEventLog lines
 *                 {imr: 3, event_type, digest: hex(48), event, event_payload: hex}
 *   v0.5.6+       /run/log/dstack/runtime_events.log: RuntimeEvent lines
 *                 {event: string, payload: base64[, version: 1|2]}
 * A file holds one format. RTMR3 is replayed from 48 zero bytes with each line's digest
 * (given, or V1 / V2 computed). */
enum teeabi_dstack_rtlog_format { TEEABI_RTLOG_TDX_EVENT_LOG = 1, TEEABI_RTLOG_RUNTIME_EVENT = 2 };
struct teeabi_dstack_rtlog {
	int format;                  /* enum teeabi_dstack_rtlog_format; 0 for an empty file */
	size_t events;
	size_t events_digest_mismatch; /* TdxEventLog lines whose digest is not the V1 digest */
	uint8_t rtmr3[48];
	char err_detail[96];         /* on an error: "line 3: ..." */
};
teeabi_err teeabi_dstack_runtime_log_parse(const char *text, size_t len, const struct teeabi_dstack_parse_opts *opts,
					   struct teeabi_dstack_rtlog *out);
/* Does text look like a runtime event log (its first JSON value an object with a string
 * "event" and no "quote")? Cheap, used by format detection. */
bool teeabi_dstack_runtime_log_sniff(const char *text, size_t len);

/* ---------------------------------------------------------------- Tappd.TdxQuote report data
 * report_data = H(tag || ":" || content) zero-padded to 64 bytes, tag = prefix or "app-data"
 * when prefix is empty; alg "" = "sha512"; sha256, sha384, sha512, sha3-256/384/512 and the
 * keccak256/384/512 names; "raw" = content itself, exactly 64 bytes (dstack-attest
 * QuoteContentType::to_report_data_with_hash). Errors: E_DSTACK_HASH_ALG for an unknown name
 * or one this OpenSSL lacks (Keccak before OpenSSL 3.2), E_DSTACK_REPORT_DATA for raw content
 * that is not 64 bytes. */
teeabi_err teeabi_dstack_tappd_report_data(const uint8_t *content, size_t len, const char *alg, const char *prefix,
					   uint8_t out[64]);

/* ---------------------------------------------------------------- SCALE VersionedAttestation
 * The Attest response (and GetQuote "attestation" from 0.6) is a SCALE-encoded
 * VersionedAttestation (dstack `dstack-attest/src/attestation.rs`, checked against the four
 * fixtures in vectors/dstack/). V0 layout, all integers little-endian, "Vec" = SCALE
 * compact length then the elements, "String" = Vec<u8> holding UTF-8:
 *
 *   u8 0x00                         version (LegacyVersionedAttestation::V0)
 *   u8 variant                      AttestationQuote: 0 DstackTdx, 1 DstackGcpTdx,
 *                                   2 DstackNitroEnclave, 3 DstackAmdSevSnp, 4 DstackAwsNitroTpm
 *   variant 0  TdxQuote   { quote: Vec<u8>, event_log: Vec<TdxEvent> }
 *   variant 1  TdxQuote, TpmQuote { message: Vec<u8>, signature: Vec<u8>,
 *                 pcr_values: Vec<{u32 index, String algorithm, Vec<u8> value}>,
 *                 ak_cert: Vec<u8>, platform: u8 (enum), event_log: Vec<{u32 pcr, Vec<u8> digest}>}
 *   variant 2  { nsm_quote: Vec<u8> }          (COSE_Sign1 NSM document)
 *   variant 3  SnpQuote   { report: Vec<u8>, cert_chain: Vec<Vec<u8>>, mr_config: String }
 *   variant 4  { attestation_doc: Vec<u8> }    (NitroTPM COSE document)
 *   then       runtime_events: Vec<RuntimeEvent { event: String, payload: Vec<u8> }>,
 *              report_data: [u8; 64], config: String
 *   TdxEvent = { imr: u32, event_type: u32, digest: Vec<u8>, event: String, event_payload: Vec<u8> }
 *
 * Compact integers: low 2 bits select the mode: 0b00 one byte (v = b >> 2), 0b01 two bytes,
 * 0b10 four bytes (v = LE >> 2), 0b11 big integer in (b >> 2) + 4 following LE bytes.
 * Variant 1 follows the dstack source; no real GCP vector was available to check it.
 * msgpack-encoded V1 attestations (first byte 0x80..0x8f, 0xde, 0xdf) are not decoded.
 */
enum teeabi_dstack_variant {
	TEEABI_DSTACK_TDX = 0,
	TEEABI_DSTACK_GCP_TDX = 1,
	TEEABI_DSTACK_NITRO_ENCLAVE = 2,
	TEEABI_DSTACK_AMD_SEV_SNP = 3,
	TEEABI_DSTACK_AWS_NITRO_TPM = 4,
};
#define TEEABI_DSTACK_VARIANT_MAX 4
/* "DstackTdx" ... "DstackAwsNitroTpm"; NULL for an unknown value. */
const char *teeabi_dstack_variant_name(unsigned variant);
/* "tdx", "gcp-tdx", "nitro-enclave", "amd-sev-snp", "aws-nitro-tpm"; NULL if unknown. */
const char *teeabi_dstack_platform_name(unsigned variant);

#define TEEABI_SCALE_STRICT (1u << 0) /* reject non-canonical compact integers and trailing bytes */
/* Take the field-by-field parse even for the inputs a faster path would take (the result is
 * the same; for the tests that compare the two). */
#define TEEABI_SCALE_CHECKED (1u << 1)

/* Decode one compact integer from [p, p+len): *val, *used = bytes consumed (1, 2, 4 or
 * 1 + (b >> 2) + 4). Errors: E_SCALE_COMPACT_SHORT, E_SCALE_COMPACT (value over 64 bits),
 * E_SCALE_NONCANONICAL (strict only: a shorter form exists, or the big integer has a
 * zero top byte). */
teeabi_err teeabi_scale_compact_decode(const uint8_t *p, size_t len, unsigned flags, uint64_t *val, size_t *used);
/* Canonical encoding of v into out (up to 9 bytes); returns the length. */
size_t teeabi_scale_compact_encode(uint8_t out[9], uint64_t v);

struct teeabi_dstack_att {
	uint8_t version;             /* 0 */
	uint8_t variant;             /* enum teeabi_dstack_variant */
	struct teeabi_slice payload; /* quote (0, 1), NSM document (2), SNP report (3), NitroTPM document (4) */
	size_t payload_off;          /* offset of payload.p in the input */
	/* variants 0 and 1: the elements of Vec<TdxEvent> (count prefix excluded) */
	struct teeabi_slice event_log;
	size_t event_log_count;
	/* variant 3 */
	struct teeabi_slice cert_chain;  /* the elements of Vec<Vec<u8>> (count prefix excluded) */
	size_t cert_count;
	struct teeabi_slice mr_config;   /* UTF-8 (an MrConfigV3 JSON document) */
	/* variant 1 */
	struct {
		struct teeabi_slice message, signature, ak_cert;
		struct teeabi_slice pcr_values, event_log; /* elements, count prefixes excluded */
		size_t pcr_count, event_count;
		uint8_t platform;
	} tpm;
	/* common tail */
	struct teeabi_slice runtime_events; /* elements of Vec<RuntimeEvent> */
	size_t runtime_event_count;
	const uint8_t *report_data;  /* 64 */
	struct teeabi_slice config;  /* UTF-8 (vm_config JSON) */
	size_t scale_len;            /* bytes the structure occupies (from 0) */
	struct teeabi_slice trailing;/* bytes after it (non-empty only in lenient mode) */
	/* on an error: the field that failed ("quote", "event_log[3].digest", "cert_chain[1]",
	 * "tpm_quote.pcr_values[0].algorithm", "trailing", ...) and the offset of its first byte
	 * (for a Vec/String: of its compact length prefix; for E_SCALE_COUNT: of the count) */
	char err_field[48];
	size_t err_off;
};

/* Strict, zero-copy parse of a SCALE V0 VersionedAttestation; every slice points into buf.
 * Checks in order: version, variant, then each field's length against the remaining bytes,
 * UTF-8 of strings, and (TEEABI_SCALE_STRICT) canonical compacts and no trailing bytes.
 * Does not parse the payload itself (see teeabi_tdx_quote_parse / teeabi_snp_report_parse). */
teeabi_err teeabi_dstack_scale_parse(const uint8_t *buf, size_t len, unsigned flags, struct teeabi_dstack_att *out);

/* Walk the elements of an already parsed vector: start with *off = 0 and call once per
 * element (event_log_count / runtime_event_count / cert_count times). Each call re-checks
 * bounds, so a slice that was not produced by the parser cannot be over-read. */
struct teeabi_dstack_scale_event {
	uint32_t imr, event_type;        /* 0 for runtime events */
	struct teeabi_slice digest;      /* empty for runtime events */
	struct teeabi_slice event, payload;
};
teeabi_err teeabi_dstack_scale_next_tdx_event(struct teeabi_slice elems, size_t *off, struct teeabi_dstack_scale_event *ev);
teeabi_err teeabi_dstack_scale_next_runtime_event(struct teeabi_slice elems, size_t *off, struct teeabi_dstack_scale_event *ev);
teeabi_err teeabi_dstack_scale_next_bytes(struct teeabi_slice elems, size_t *off, struct teeabi_slice *item);

/* Cheap test used by format detection: version 0, variant 0..4, the payload's compact length
 * fits, and the payload parses as a TDX quote (variants 0, 1) or an SNP report (3).
 * Nitro variants (2, 4) are not claimed. */
bool teeabi_dstack_scale_sniff(const uint8_t *buf, size_t len);

#endif
