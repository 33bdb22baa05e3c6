/* SPDX-License-Identifier: Apache-2.0 */
/* teeabi/detect.h - evidence format auto-detection, shared by teeabi-parse and its fuzz target. */
#ifndef TEEABI_DETECT_H
#define TEEABI_DETECT_H

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include "teeabi/err.h"

enum teeabi_format {
	TEEABI_FMT_UNKNOWN = 0,
	TEEABI_FMT_TDREPORT,
	TEEABI_FMT_TDX_QUOTE,
	TEEABI_FMT_SNP_REPORT,
	TEEABI_FMT_SNP_MSG_REPORT_RSP,
	TEEABI_FMT_SNP_MSG_KEY_RSP,
	TEEABI_FMT_SNP_CERT_TABLE,
	TEEABI_FMT_DSTACK_QUOTE_JSON,
	TEEABI_FMT_SGX_REPORT,
	/* dstack SCALE VersionedAttestation, raw or as JSON {"attestation": hex} (a GetQuote
	 * response with an empty or absent "quote" counts too); named "dstack_attestation" */
	TEEABI_FMT_DSTACK_ATTESTATION,
	/* a bare dstack event-log JSON array (first non-space byte '['), e.g. the simulator's
	 * eventlog.json; named "dstack_event_log" */
	TEEABI_FMT_DSTACK_EVENT_LOG,
	/* the agent's runtime event log file: JSON lines, TdxEventLog (v0.5.0-0.5.5) or
	 * RuntimeEvent {event, payload: base64} (v0.5.6+); named "dstack_runtime_log" */
	TEEABI_FMT_DSTACK_RUNTIME_LOG,
};
const char *teeabi_format_name(enum teeabi_format f); /* "tdreport", "tdx_quote", ... */
/* Best guess from the bytes alone (does not fully validate). */
enum teeabi_format teeabi_detect(const uint8_t *buf, size_t len);
/* Detect, parse, and write one JSON object (one line) describing buf to out.
 * On a malformed input returns the error and sets *detail to a static or thread-local
 * string naming the failing field/offset; nothing is written to out. */
teeabi_err teeabi_describe_json(const uint8_t *buf, size_t len, FILE *out, const char **detail);

/* Strict mode: SNP must-be-zero ranges fatal and no bytes after an SNP report; TDX quotes
 * with STRICT_VENDOR | STRICT_TRAILING | STRICT_CERTSIZE. Default: lenient (an SNP report
 * followed by more bytes is parsed with TEEABI_SNP_ALLOW_TRAILING). dstack attestations:
 * strict adds TEEABI_SCALE_STRICT (canonical compact integers, no bytes after the structure). */
#define TEEABI_DESCRIBE_STRICT (1u << 0)
/* As teeabi_describe_json; name (may be NULL) is emitted first as "file". */
teeabi_err teeabi_describe_json_ex(const uint8_t *buf, size_t len, unsigned flags, const char *name, FILE *out,
				   const char **detail);

/* As teeabi_describe_json_ex; quote (may be NULL) is the quote a bare event log
 * (dstack_event_log) or a runtime event log belongs to: its RTMRs are compared with the
 * replay (rtmr_match[], rtmr3_match). */
teeabi_err teeabi_describe_json_q(const uint8_t *buf, size_t len, unsigned flags, const char *name, const uint8_t *quote,
				  size_t quote_len, FILE *out, const char **detail);

#endif
