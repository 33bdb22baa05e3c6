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
	char err_detail[96];     /* on an error: the failing field, e.g. "event_log[5].imr" */
};
/* A response may pick the rule itself with a top-level "event_log_version": 1 or 2. */
/* Parse a GetQuote JSON response, replay the event log and compare with the quote.
 * rule: TEEABI_DIGEST_V1 or _V2 (a response may also mark V2 itself). Does not fail on a
 * mismatch: read rtmr_match[] / report_data_match. */
teeabi_err teeabi_dstack_quote_resp_parse(const char *json, size_t len, int rule, struct teeabi_dstack_quote_resp *out);
void teeabi_dstack_quote_resp_free(struct teeabi_dstack_quote_resp *r);

#endif
