/* SPDX-License-Identifier: Apache-2.0 */
/*
 * test_dstack_scale.c - the SCALE-encoded dstack VersionedAttestation (lib/dstack_scale.c,
 * teeabi/dstack.h; docs/dstack-os.md §3.3):
 *   - the four real vectors parse strictly; payload length/SHA-256, attestation length, mrtd
 *     / measurement and report_data equal vectors/MANIFEST.md; the carved payloads equal
 *     the stand-alone copies in vectors/tdx-quote and vectors/snp-report byte for byte;
 *     the runtime events replay (V1 digests) to the quote's RTMR3, and the TDX event log's
 *     digests replay to RTMR0-3;
 *   - compact integers: published SCALE known answers, all four modes and their edges,
 *     truncation, 64-bit overflow, non-canonical forms (strict only), encode round trip;
 *   - one crafted input per strict check, with the failing field named; every variant;
 *   - every prefix of every vector is rejected with a truncation error;
 *   - element walkers, sniffing for format detection, and describe_json of the JSON forms;
 *   - the fast path and the field-by-field parse agree on every corpus input and vector and
 *     on mutations of each.
 */
#include <dirent.h>
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
#include "teeabi/detect.h"
#include "teeabi/dstack.h"
#include "teeabi/snp.h"
#include "teeabi/tdx.h"
#include "testutil.h"

#define GA   "vectors/dstack/dstack__guest-agent_attestation.bin"
#define SNPB "vectors/dstack/dstack__sev_snp_attestation.bin"
#define LITE "vectors/dstack/dstack__tdx-lite-attestation.json"
#define SNPJ "vectors/dstack/dstack__sev-snp-attestation.json"

/* vectors/MANIFEST.md */
#define GA_SHA    "35e72a05b12d9ab387c058d070c91bb401510e68431ccd7f0be0ce5b14871fec"
#define GA_MRTD   "e53236d44a074bc78e784cdfa1a2c858a5f6b53afc1b60d8f079662314978b64241b646d8498dd767d5ea48e1e115822"
#define LITE_SHA  "ce9491c22f10cefcc86ea2f20d443d7510a1ee12d7326419534fc096eace6452"
#define LITE_MRTD "fd685522ce791dfef67414614eb07d03fc07a32c5a66f36288b329dab92b724b1564c73d436ffb9ea84488c51ac5a1c5"
#define LITE_RD   "646970313a3a736563703235366b31632d706b3a41353570576d74654a494a4f" \
		  "6a385f7049372d707a654478793147327131384744763838484e526442586b51"
#define LITE_RTMR3 "6f24c170d0fd63fc2b1b53202eea47b013978437fa6982cf5e0438ff95c208994aaa0f4ebab2e3a66824b5b56869137e"
#define SNP_SHA   "a20e02a2e8198894f3c4d0158276c5ae65e63b1908dd4540e058a2ea54d88d2e"
#define SNP_MEAS  "7f51e17f72a04d5422cb2c00998166536019a217376f3aa45a630e59c805a599847ff250dbffcd07e1ba639771d6f05d"
#define SNP_RD    "6174746573742d746573742d666978747572652d323032360000000000000000" \
		  "0000000000000000000000000000000000000000000000000000000000000000"
#define ZERO64    "0000000000000000000000000000000000000000000000000000000000000000" \
		  "0000000000000000000000000000000000000000000000000000000000000000"

/* the RTMR3 events of the 0.6 fixtures (MANIFEST, dstack__tdx-lite-getquote.json) */
static const char *const rtmr3_names[] = { "system-preparing", "app-id",       "compose-hash",
					   "instance-id",      "boot-mr-done", "os-image-hash",
					   "key-provider",     "storage-fs",   "system-ready" };

/* The SCALE bytes of a vector: the file itself, or the hex of its "attestation" field. */
static uint8_t *load(const char *path, size_t *n)
{
	size_t fl;
	uint8_t *f = tu_read(path, &fl);
	if (!strstr(path, ".json")) { /* exact-size copy so ASan sees any read past n */
		uint8_t *c = malloc(fl ? fl : 1);
		assert_non_null(c);
		memcpy(c, f, fl);
		free(f);
		*n = fl;
		return c;
	}
	json_object *j = json_tokener_parse((const char *)f);
	assert_non_null(j);
	json_object *a;
	assert_true(json_object_object_get_ex(j, "attestation", &a));
	size_t hl = (size_t)json_object_get_string_len(a);
	uint8_t *b = malloc(hl / 2);
	assert_non_null(b);
	assert_int_equal(teeabi_unhex(b, hl / 2, json_object_get_string(a), hl), (long)(hl / 2));
	*n = hl / 2;
	json_object_put(j);
	free(f);
	return b;
}

static void sha256_hex(const struct teeabi_slice *s, const char *want)
{
	uint8_t h[32];
	unsigned int hl = 0;
	assert_int_equal(EVP_Digest(s->p, s->len, h, &hl, EVP_sha256(), NULL), 1);
	tu_assert_hex(h, 32, want, "payload sha256");
}

static teeabi_err parse(const uint8_t *b, size_t n, unsigned flags, struct teeabi_dstack_att *a)
{
	return teeabi_dstack_scale_parse(b, n, flags, a);
}

/* Replay the runtime events with V1 digests (RTMR3 from 48 zero bytes). */
static void replay_runtime(const struct teeabi_dstack_att *a, uint8_t rtmr[48])
{
	memset(rtmr, 0, 48);
	size_t off = 0;
	for (size_t i = 0; i < a->runtime_event_count; i++) {
		struct teeabi_dstack_scale_event ev;
		assert_int_equal(teeabi_dstack_scale_next_runtime_event(a->runtime_events, &off, &ev), TEEABI_OK);
		char name[64];
		assert_true(ev.event.len < sizeof(name));
		memcpy(name, ev.event.p, ev.event.len);
		name[ev.event.len] = 0;
		assert_string_equal(name, rtmr3_names[i]);
		uint8_t d[48];
		teeabi_dstack_event_digest_v1(d, name, ev.payload.p, ev.payload.len);
		teeabi_rtmr_extend(rtmr, d);
	}
	assert_int_equal(off, a->runtime_events.len);
}

static void check_tdx(const char *path, size_t quote_len, const char *sha, const char *mrtd, const char *rd,
		      size_t att_len, size_t n_events, const char *quote_file)
{
	size_t n;
	uint8_t *b = load(path, &n);
	assert_int_equal(n, att_len);
	struct teeabi_dstack_att a;
	teeabi_err e = parse(b, n, TEEABI_SCALE_STRICT, &a);
	if (e)
		fail_msg("%s: %s at %s (offset %zu)", path, teeabi_err_name(e), a.err_field, a.err_off);
	assert_int_equal(a.version, 0);
	assert_int_equal(a.variant, TEEABI_DSTACK_TDX);
	assert_int_equal(a.payload.len, quote_len);
	assert_int_equal(a.payload_off, 4); /* 00 00 + 2-byte compact (MANIFEST conventions) */
	assert_ptr_equal(a.payload.p, b + 4);
	sha256_hex(&a.payload, sha);
	assert_int_equal(a.scale_len, att_len);
	assert_int_equal(a.trailing.len, 0);
	assert_int_equal(a.event_log_count, n_events);
	assert_int_equal(a.runtime_event_count, 9);
	assert_int_equal(a.cert_count, 0);
	tu_assert_hex(a.report_data, 64, rd, "report_data");
	assert_true(a.config.len > 0 && a.config.p[0] == '{');

	struct teeabi_tdx_quote q;
	assert_int_equal(teeabi_tdx_quote_parse(a.payload.p, a.payload.len, TEEABI_QUOTE_DEFAULT, &q), TEEABI_OK);
	tu_assert_hex(q.td.mrtd, 48, mrtd, "quote mrtd");
	tu_assert_hex(q.td.report_data, 64, rd, "quote report_data");
	if (quote_file) {
		size_t ql;
		uint8_t *qb = tu_read(quote_file, &ql);
		assert_int_equal(ql, a.payload.len);
		assert_memory_equal(qb, a.payload.p, ql);
		free(qb);
	}

	/* runtime events: V1 replay = the quote's RTMR3 */
	uint8_t r3[48];
	replay_runtime(&a, r3);
	assert_memory_equal(r3, q.td.rtmr[3], 48);

	/* event log: boot digests replay to RTMR0-2; its RTMR3 entries are the runtime events */
	uint8_t rtmr[4][48] = { { 0 } };
	size_t off = 0, rt = 0;
	for (size_t i = 0; i < a.event_log_count; i++) {
		struct teeabi_dstack_scale_event ev;
		assert_int_equal(teeabi_dstack_scale_next_tdx_event(a.event_log, &off, &ev), TEEABI_OK);
		assert_true(ev.imr <= 3);
		if (ev.event_type == TEEABI_DSTACK_EVENT_TYPE_RUNTIME) {
			assert_int_equal(ev.imr, 3);
			char name[64];
			memcpy(name, ev.event.p, ev.event.len);
			name[ev.event.len] = 0;
			assert_string_equal(name, rtmr3_names[rt++]);
			uint8_t d[48];
			teeabi_dstack_event_digest_v1(d, name, ev.payload.p, ev.payload.len);
			if (ev.digest.len) /* full format: the stored digest is the V1 digest */
				assert_memory_equal(ev.digest.p, d, 48);
			teeabi_rtmr_extend(rtmr[3], d);
		} else {
			assert_int_equal(ev.digest.len, 48);
			teeabi_rtmr_extend(rtmr[ev.imr], ev.digest.p);
		}
	}
	assert_int_equal(off, a.event_log.len);
	assert_int_equal(rt, 9);
	for (int i = 0; i < 4; i++)
		if (i == 3 || n_events > 12) /* the lite log keeps only the ACPI entries of RTMR0 */
			assert_memory_equal(rtmr[i], q.td.rtmr[i], 48);
	free(b);
}

static void check_snp(const char *path, size_t att_len, size_t certs, const char *report_file)
{
	size_t n;
	uint8_t *b = load(path, &n);
	assert_int_equal(n, att_len);
	struct teeabi_dstack_att a;
	teeabi_err e = parse(b, n, TEEABI_SCALE_STRICT, &a);
	if (e)
		fail_msg("%s: %s at %s (offset %zu)", path, teeabi_err_name(e), a.err_field, a.err_off);
	assert_int_equal(a.version, 0);
	assert_int_equal(a.variant, TEEABI_DSTACK_AMD_SEV_SNP);
	assert_int_equal(a.payload.len, 1184);
	assert_int_equal(a.payload_off, 4);
	sha256_hex(&a.payload, SNP_SHA);
	assert_int_equal(a.scale_len, att_len);
	assert_int_equal(a.trailing.len, 0);
	assert_int_equal(a.event_log_count, 0);
	assert_int_equal(a.cert_count, certs);
	tu_assert_hex(a.report_data, 64, SNP_RD, "report_data");
	struct teeabi_snp_report r;
	assert_int_equal(teeabi_snp_report_parse(a.payload.p, a.payload.len, 0, &r), TEEABI_OK);
	assert_int_equal(r.version, 3);
	tu_assert_hex(r.measurement, 48, SNP_MEAS, "measurement");
	tu_assert_hex(r.report_data, 64, SNP_RD, "report report_data");
	size_t rl;
	uint8_t *rb = tu_read(report_file, &rl);
	assert_int_equal(rl, 1184);
	assert_memory_equal(rb, a.payload.p, 1184);
	free(rb);
	/* MrConfigV3 document: JSON text whose SHA-256... is bound by HOST_DATA in dstack; here
	 * only its shape is checked */
	assert_true(a.mr_config.len > 2 && a.mr_config.p[0] == '{' && a.mr_config.p[a.mr_config.len - 1] == '}');
	assert_non_null(memmem(a.mr_config.p, a.mr_config.len, "\"app_id\"", 8));
	/* cert chain: PEM certificates (ASK, VCEK per MANIFEST) */
	size_t off = 0;
	for (size_t i = 0; i < a.cert_count; i++) {
		struct teeabi_slice c;
		assert_int_equal(teeabi_dstack_scale_next_bytes(a.cert_chain, &off, &c), TEEABI_OK);
		assert_true(c.len > 27 && !memcmp(c.p, "-----BEGIN CERTIFICATE-----", 27));
	}
	assert_int_equal(off, a.cert_chain.len);
	/* SNP attestations carry the same nine runtime events (not hardware-bound on SNP) */
	uint8_t r3[48];
	replay_runtime(&a, r3);
	free(b);
}

static void test_vector_guest_agent(void **state)
{
	(void)state;
	check_tdx(GA, 5010, GA_SHA, GA_MRTD, ZERO64, 9504, 33, "vectors/tdx-quote/dstack__guest-agent_attestation.quote.bin");
}

static void test_vector_tdx_lite(void **state)
{
	(void)state;
	check_tdx(LITE, 5006, LITE_SHA, LITE_MRTD, LITE_RD, 7305, 12, NULL);
	/* MANIFEST: the lite getquote fixture's RTMR3 (same quote) */
	size_t n;
	uint8_t *b = load(LITE, &n);
	struct teeabi_dstack_att a;
	assert_int_equal(parse(b, n, 0, &a), TEEABI_OK);
	uint8_t r3[48];
	replay_runtime(&a, r3);
	tu_assert_hex(r3, 48, LITE_RTMR3, "replayed RTMR3");
	free(b);
}

static void test_vector_snp(void **state)
{
	(void)state;
	check_snp(SNPB, 4045, 0, "vectors/snp-report/dstack__sev_snp_attestation.report.bin");
	check_snp(SNPJ, 8292, 2, "vectors/snp-report/dstack__sev_snp_attestation.report.bin");
}

/* ---------------------------------------------------------------- compact integers */
static void compact_ok(const char *hex, unsigned flags, uint64_t want, size_t want_used)
{
	uint8_t b[80];
	size_t n = strlen(hex) / 2;
	tu_unhex(b, n, hex);
	uint8_t *c = malloc(n); /* exact size */
	memcpy(c, b, n);
	uint64_t v = 12345;
	size_t used = 99;
	teeabi_err e = teeabi_scale_compact_decode(c, n, flags, &v, &used);
	if (e)
		fail_msg("compact %s: %s", hex, teeabi_err_name(e));
	assert_int_equal(v, want);
	assert_int_equal(used, want_used);
	free(c);
}

static void compact_err(const char *hex, unsigned flags, teeabi_err want)
{
	uint8_t b[80];
	size_t n = strlen(hex) / 2;
	tu_unhex(b, n, hex);
	uint8_t *c = malloc(n ? n : 1);
	memcpy(c, b, n);
	uint64_t v;
	size_t used;
	teeabi_err e = teeabi_scale_compact_decode(c, n, flags, &v, &used);
	if (e != want)
		fail_msg("compact %s: %s, want %s", hex, teeabi_err_name(e), teeabi_err_name(want));
	free(c);
}

static void test_compact_known_answers(void **state)
{
	(void)state;
	/* the SCALE codec documentation's examples (docs.substrate.io "SCALE codec") */
	compact_ok("00", TEEABI_SCALE_STRICT, 0, 1);
	compact_ok("04", TEEABI_SCALE_STRICT, 1, 1);
	compact_ok("a8", TEEABI_SCALE_STRICT, 42, 1);
	compact_ok("1501", TEEABI_SCALE_STRICT, 69, 2);
	compact_ok("feff0300", TEEABI_SCALE_STRICT, 65535, 4);
	compact_ok("0b00407a10f35a", TEEABI_SCALE_STRICT, 100000000000000ull, 7);
	/* edges of each mode */
	compact_ok("fc", TEEABI_SCALE_STRICT, 63, 1);
	compact_ok("0101", TEEABI_SCALE_STRICT, 64, 2);
	compact_ok("fdff", TEEABI_SCALE_STRICT, 16383, 2);
	compact_ok("02000100", TEEABI_SCALE_STRICT, 16384, 4);
	compact_ok("feffffff", TEEABI_SCALE_STRICT, (1u << 30) - 1, 4);
	compact_ok("0300000040", TEEABI_SCALE_STRICT, 1u << 30, 5);
	compact_ok("03ffffffff", TEEABI_SCALE_STRICT, 0xffffffffu, 5);
	compact_ok("070000000001", TEEABI_SCALE_STRICT, 1ull << 32, 6);
	compact_ok("13ffffffffffffffff", TEEABI_SCALE_STRICT, UINT64_MAX, 9);
	/* the dstack vectors' own length prefixes */
	compact_ok("494e", TEEABI_SCALE_STRICT, 5010, 2);
	compact_ok("8112", TEEABI_SCALE_STRICT, 1184, 2);
	compact_ok("394e", TEEABI_SCALE_STRICT, 5006, 2);
	/* extra input after the integer is not consumed */
	compact_ok("04ff", 0, 1, 1);
	compact_ok("1501ffff", 0, 69, 2);
}

static void test_compact_errors(void **state)
{
	(void)state;
	/* truncated in every mode */
	compact_err("", 0, TEEABI_E_SCALE_COMPACT_SHORT);
	compact_err("01", 0, TEEABI_E_SCALE_COMPACT_SHORT);
	compact_err("02", 0, TEEABI_E_SCALE_COMPACT_SHORT);
	compact_err("020000", 0, TEEABI_E_SCALE_COMPACT_SHORT);
	compact_err("03", 0, TEEABI_E_SCALE_COMPACT_SHORT);
	compact_err("03000000", 0, TEEABI_E_SCALE_COMPACT_SHORT);
	compact_err("13ffffffffffffff", 0, TEEABI_E_SCALE_COMPACT_SHORT);
	/* 67 value bytes announced (0xff), 66 present */
	char h[2 * 68 + 1] = "ff";
	for (int i = 0; i < 66; i++)
		strcat(h, "00");
	compact_err(h, 0, TEEABI_E_SCALE_COMPACT_SHORT);
	strcat(h, "00");
	compact_ok(h, 0, 0, 68); /* all zero: value 0, accepted leniently */
	compact_err(h, TEEABI_SCALE_STRICT, TEEABI_E_SCALE_NONCANONICAL);
	/* more than 64 bits */
	compact_err("170000000000000000" "01", 0, TEEABI_E_SCALE_COMPACT);
	compact_err("17ffffffffffffffff" "ff", TEEABI_SCALE_STRICT, TEEABI_E_SCALE_COMPACT);
	h[2 * 67] = '1'; /* top byte of 67 */
	compact_err(h, 0, TEEABI_E_SCALE_COMPACT);
	compact_ok("17ffffffffffffffff00", 0, UINT64_MAX, 10); /* zero 9th byte */
	compact_err("17ffffffffffffffff00", TEEABI_SCALE_STRICT, TEEABI_E_SCALE_NONCANONICAL);
	/* non-canonical: lenient accepts, strict rejects */
	compact_ok("0100", 0, 0, 2);
	compact_err("0100", TEEABI_SCALE_STRICT, TEEABI_E_SCALE_NONCANONICAL);
	compact_err("fd00", TEEABI_SCALE_STRICT, TEEABI_E_SCALE_NONCANONICAL); /* 63 */
	compact_ok("02000000", 0, 0, 4);
	compact_err("feff0000", TEEABI_SCALE_STRICT, TEEABI_E_SCALE_NONCANONICAL); /* 16383 */
	compact_ok("03ffffff3f", 0, (1u << 30) - 1, 5);
	compact_err("03ffffff3f", TEEABI_SCALE_STRICT, TEEABI_E_SCALE_NONCANONICAL);
	compact_ok("070000004000", 0, 1u << 30, 6); /* zero top byte */
	compact_err("070000004000", TEEABI_SCALE_STRICT, TEEABI_E_SCALE_NONCANONICAL);
	/* arguments */
	uint64_t v;
	size_t u;
	uint8_t z = 0;
	assert_int_equal(teeabi_scale_compact_decode(&z, 1, 0, NULL, &u), TEEABI_E_NULL);
	assert_int_equal(teeabi_scale_compact_decode(&z, 1, 0, &v, NULL), TEEABI_E_NULL);
	assert_int_equal(teeabi_scale_compact_decode(NULL, 1, 0, &v, &u), TEEABI_E_NULL);
	assert_int_equal(teeabi_scale_compact_decode(NULL, 0, 0, &v, &u), TEEABI_E_SCALE_COMPACT_SHORT);
}

static void test_compact_encode(void **state)
{
	(void)state;
	static const struct { uint64_t v; const char *hex; } ka[] = {
		{ 0, "00" }, { 1, "04" }, { 42, "a8" }, { 63, "fc" }, { 64, "0101" }, { 69, "1501" },
		{ 16383, "fdff" }, { 16384, "02000100" }, { 65535, "feff0300" }, { (1u << 30) - 1, "feffffff" },
		{ 1u << 30, "0300000040" }, { 100000000000000ull, "0b00407a10f35a" },
		{ UINT64_MAX, "13ffffffffffffffff" },
	};
	for (size_t i = 0; i < sizeof(ka) / sizeof(ka[0]); i++) {
		uint8_t out[9], want[9];
		size_t n = teeabi_scale_compact_encode(out, ka[i].v);
		assert_int_equal(n, strlen(ka[i].hex) / 2);
		tu_unhex(want, n, ka[i].hex);
		assert_memory_equal(out, want, n);
	}
	/* round trip through the strict decoder around every power of two */
	for (int s = 0; s < 64; s++)
		for (int d = -1; d <= 1; d++) {
			uint64_t v = (1ull << s) + (uint64_t)(int64_t)d;
			uint8_t out[9];
			size_t n = teeabi_scale_compact_encode(out, v), used;
			uint64_t got;
			assert_int_equal(teeabi_scale_compact_decode(out, n, TEEABI_SCALE_STRICT, &got, &used), TEEABI_OK);
			assert_int_equal(got, v);
			assert_int_equal(used, n);
		}
}

/* ---------------------------------------------------------------- crafted attestations */
struct buf {
	uint8_t b[4096];
	size_t n;
};
static void put(struct buf *b, const void *p, size_t n)
{
	assert_true(b->n + n <= sizeof(b->b));
	memcpy(b->b + b->n, p, n);
	b->n += n;
}
static void put8(struct buf *b, uint8_t v) { put(b, &v, 1); }
static void put32(struct buf *b, uint32_t v)
{
	uint8_t t[4] = { (uint8_t)v, (uint8_t)(v >> 8), (uint8_t)(v >> 16), (uint8_t)(v >> 24) };
	put(b, t, 4);
}
/* compact, written by hand here (one- and two-byte modes suffice) */
static void putc_(struct buf *b, size_t v)
{
	assert_true(v < 16384);
	if (v < 64) {
		put8(b, (uint8_t)(v << 2));
	} else {
		put8(b, (uint8_t)((v << 2) | 1));
		put8(b, (uint8_t)(v >> 6));
	}
}
static void putv(struct buf *b, const void *p, size_t n)
{
	putc_(b, n);
	put(b, p, n);
}
static void puts_(struct buf *b, const char *s) { putv(b, s, strlen(s)); }

/* common tail: runtime events, report_data, config */
static void tail(struct buf *b, size_t *rd_off)
{
	putc_(b, 2);
	puts_(b, "app-id");
	putv(b, "\x01\x02", 2);
	puts_(b, "system-ready");
	putv(b, "", 0);
	*rd_off = b->n;
	for (int i = 0; i < 64; i++)
		put8(b, (uint8_t)i);
	puts_(b, "{\"x\":1}");
}

/* variant 0 with a fake 10-byte quote and two events; records offsets */
struct tdx_offs { size_t quote, log, rd; };
static void build_tdx(struct buf *b, struct tdx_offs *o)
{
	b->n = 0;
	put8(b, 0);
	put8(b, 0);
	putc_(b, 10);
	o->quote = b->n;
	put(b, "QUOTEBYTES", 10);
	putc_(b, 2);
	o->log = b->n;
	put32(b, 0); /* imr */
	put32(b, 4); /* type */
	uint8_t d[48];
	memset(d, 0xab, 48);
	putv(b, d, 48);
	puts_(b, "");
	putv(b, "\0\0\0\0", 4);
	put32(b, 3);
	put32(b, TEEABI_DSTACK_EVENT_TYPE_RUNTIME);
	putv(b, "", 0);
	puts_(b, "app-id");
	putv(b, "\x01\x02", 2);
	tail(b, &o->rd);
}

/* Parse an exact-size copy of the first len bytes (ASan sees any over-read). The copy
 * stays alive until the next run() (or run_done()); OFF(p) is p's offset in it. */
static uint8_t *last;
#define OFF(p) ((size_t)((p) - last))
static void run_done(void)
{
	free(last);
	last = NULL;
}
static int run_teardown(void **state)
{
	(void)state;
	run_done();
	return 0;
}
static teeabi_err run(const struct buf *b, size_t len, unsigned flags, struct teeabi_dstack_att *a)
{
	run_done();
	last = malloc(len ? len : 1);
	assert_non_null(last);
	memcpy(last, b->b, len);
	teeabi_err e = teeabi_dstack_scale_parse(last, len, flags, a);
	if (!e) { /* every slice lies inside the input, and the parts add up */
		const struct teeabi_slice *s[] = { &a->payload, &a->event_log, &a->cert_chain, &a->mr_config,
						   &a->runtime_events, &a->config, &a->trailing, &a->tpm.message,
						   &a->tpm.signature, &a->tpm.ak_cert, &a->tpm.pcr_values,
						   &a->tpm.event_log };
		for (size_t i = 0; i < sizeof(s) / sizeof(s[0]); i++)
			assert_true(!s[i]->len || (OFF(s[i]->p) <= len && s[i]->len <= len - OFF(s[i]->p)));
		assert_true(OFF(a->report_data) + 64 <= len);
		assert_int_equal(a->scale_len + a->trailing.len, len);
	}
	return e;
}

static void expect_err(const struct buf *b, unsigned flags, teeabi_err want, const char *field)
{
	struct teeabi_dstack_att a;
	teeabi_err e = run(b, b->n, flags, &a);
	if (e != want)
		fail_msg("got %s (%s), want %s", teeabi_err_name(e), a.err_field, teeabi_err_name(want));
	if (field)
		assert_string_equal(a.err_field, field);
}

static void test_crafted_tdx(void **state)
{
	(void)state;
	struct buf b;
	struct tdx_offs o;
	build_tdx(&b, &o);
	struct teeabi_dstack_att a;
	assert_int_equal(run(&b, b.n, TEEABI_SCALE_STRICT, &a), TEEABI_OK);
	assert_int_equal(a.variant, 0);
	assert_int_equal(a.payload_off, o.quote);
	assert_int_equal(a.payload.len, 10);
	assert_memory_equal(a.payload.p, "QUOTEBYTES", 10);
	assert_int_equal(a.event_log_count, 2);
	assert_int_equal(OFF(a.event_log.p), o.log);
	assert_int_equal(a.runtime_event_count, 2);
	assert_int_equal(OFF(a.report_data), o.rd);
	assert_int_equal(a.config.len, 7);
	assert_memory_equal(a.config.p, "{\"x\":1}", 7);
	assert_int_equal(a.scale_len, b.n);
	size_t off = 0;
	struct teeabi_dstack_scale_event ev;
	assert_int_equal(teeabi_dstack_scale_next_tdx_event(a.event_log, &off, &ev), TEEABI_OK);
	assert_int_equal(ev.imr, 0);
	assert_int_equal(ev.event_type, 4);
	assert_int_equal(ev.digest.len, 48);
	assert_int_equal(ev.event.len, 0);
	assert_int_equal(ev.payload.len, 4);
	assert_int_equal(teeabi_dstack_scale_next_tdx_event(a.event_log, &off, &ev), TEEABI_OK);
	assert_int_equal(ev.imr, 3);
	assert_int_equal(ev.event_type, TEEABI_DSTACK_EVENT_TYPE_RUNTIME);
	assert_int_equal(ev.digest.len, 0);
	assert_memory_equal(ev.event.p, "app-id", 6);
	assert_int_equal(off, a.event_log.len);
	/* past the end */
	assert_int_equal(teeabi_dstack_scale_next_tdx_event(a.event_log, &off, &ev), TEEABI_E_SCALE_SHORT);
	off = a.event_log.len + 1;
	assert_int_equal(teeabi_dstack_scale_next_tdx_event(a.event_log, &off, &ev), TEEABI_E_SCALE_BOUNDS);
	assert_int_equal(teeabi_dstack_scale_next_tdx_event(a.event_log, NULL, &ev), TEEABI_E_NULL);

	/* trailing bytes: lenient reports them, strict rejects */
	put(&b, "xyz", 3);
	assert_int_equal(run(&b, b.n, 0, &a), TEEABI_OK);
	assert_int_equal(a.trailing.len, 3);
	assert_memory_equal(a.trailing.p, "xyz", 3);
	assert_int_equal(a.scale_len, b.n - 3);
	expect_err(&b, TEEABI_SCALE_STRICT, TEEABI_E_SCALE_TRAILING, "trailing");
}

static void test_strict_checks(void **state)
{
	(void)state;
	struct buf b;
	struct tdx_offs o;
	struct teeabi_dstack_att a;

	/* prefix */
	b.n = 0;
	expect_err(&b, 0, TEEABI_E_SCALE_SHORT, "version");
	put8(&b, 0);
	expect_err(&b, 0, TEEABI_E_SCALE_SHORT, "variant");
	build_tdx(&b, &o);
	b.b[0] = 1;
	expect_err(&b, 0, TEEABI_E_SCALE_VERSION, "version");
	b.b[0] = 0x85; /* msgpack fixmap: dstack's V1 wire format, not SCALE */
	expect_err(&b, 0, TEEABI_E_SCALE_VERSION, "version");
	b.b[0] = 0;
	b.b[1] = 5;
	expect_err(&b, 0, TEEABI_E_SCALE_VARIANT, "variant");
	b.b[1] = 0xff;
	expect_err(&b, 0, TEEABI_E_SCALE_VARIANT, "variant");
	assert_int_equal(run(&b, b.n, 0, &a), TEEABI_E_SCALE_VARIANT);
	assert_int_equal(a.err_off, 1);

	/* payload length */
	build_tdx(&b, &o);
	b.b[2] = 0x01; /* two-byte mode, second byte missing */
	assert_int_equal(run(&b, 3, 0, &a), TEEABI_E_SCALE_COMPACT_SHORT);
	assert_string_equal(a.err_field, "quote");
	assert_int_equal(a.err_off, 2);
	{
		struct buf c = b;
		c.n = 2;
		putc_(&c, 200);
		put(&c, "short", 5);
		expect_err(&c, 0, TEEABI_E_SCALE_BOUNDS, "quote");
		c.n = 2;
		put(&c, "\x17\x00\x00\x00\x00\x00\x00\x00\x00\x01", 10); /* 2^64 */
		expect_err(&c, 0, TEEABI_E_SCALE_COMPACT, "quote");
		c.n = 2;
		put(&c, "\x03\xff\xff\xff\xff", 5); /* 4 GiB - 1 */
		expect_err(&c, 0, TEEABI_E_SCALE_BOUNDS, "quote");
	}
	/* non-canonical length of the quote: strict only */
	build_tdx(&b, &o);
	{
		struct buf c;
		c.n = 0;
		put(&c, b.b, 2);
		put8(&c, (10 << 2) | 1); /* 10 in two-byte mode */
		put8(&c, 0);
		put(&c, b.b + 3, b.n - 3);
		assert_int_equal(run(&c, c.n, 0, &a), TEEABI_OK);
		assert_int_equal(a.payload.len, 10);
		assert_int_equal(a.payload_off, 4);
		expect_err(&c, TEEABI_SCALE_STRICT, TEEABI_E_SCALE_NONCANONICAL, "quote");
	}
	/* event log count larger than the bytes can hold */
	build_tdx(&b, &o);
	b.b[o.log - 1] = 0xfc; /* 63 events */
	expect_err(&b, 0, TEEABI_E_SCALE_COUNT, "event_log");
	/* an event's digest length past the end of the input */
	build_tdx(&b, &o);
	b.b[o.log + 8] = (uint8_t)(60 << 2); /* digest 60 bytes; 48 + rest follow */
	{
		struct buf c = b;
		c.n = o.log + 8 + 1 + 50;
		expect_err(&c, 0, TEEABI_E_SCALE_BOUNDS, "event_log[0].digest");
	}
	/* cut with 2 bytes left for 2 events: the count check comes first */
	build_tdx(&b, &o);
	{
		struct buf c = b;
		c.n = o.log + 2;
		expect_err(&c, 0, TEEABI_E_SCALE_COUNT, "event_log");
		/* the second event's u32 imr cut short (event 0 is 4+4+1+48+1+1+4 = 63 bytes) */
		c.n = o.log + 63 + 2;
		expect_err(&c, 0, TEEABI_E_SCALE_SHORT, "event_log[1].imr");
		c.n = o.log + 63 + 4 + 3;
		expect_err(&c, 0, TEEABI_E_SCALE_SHORT, "event_log[1].event_type");
	}
	/* invalid UTF-8 in an event name, in a runtime event, in the config */
	static const char *const bad_utf8[] = { "\xff", "\xc0\x80", "\xed\xa0\x80", "\xf4\x90\x80\x80", "\xe2\x82",
						"a\x80", "\xf5\x80\x80\x80" };
	for (size_t i = 0; i < sizeof(bad_utf8) / sizeof(bad_utf8[0]); i++) {
		struct buf c;
		c.n = 0;
		put8(&c, 0);
		put8(&c, 0);
		putv(&c, "Q", 1);
		putc_(&c, 1);
		put32(&c, 3);
		put32(&c, TEEABI_DSTACK_EVENT_TYPE_RUNTIME);
		putv(&c, "", 0);
		puts_(&c, bad_utf8[i]);
		putv(&c, "", 0);
		size_t rd;
		tail(&c, &rd);
		expect_err(&c, 0, TEEABI_E_SCALE_UTF8, "event_log[0].event");
	}
	build_tdx(&b, &o);
	{
		struct buf c = b;
		c.n = o.rd + 64;
		puts_(&c, "{\"x\":\"\xc3\x28\"}");
		expect_err(&c, 0, TEEABI_E_SCALE_UTF8, "config");
		c.n = o.rd + 64;
		puts_(&c, "{\"x\":\"\xc3\xa9\xe2\x82\xac\xf0\x9f\xa6\x80\"}"); /* é € 🦀: valid */
		assert_int_equal(run(&c, c.n, TEEABI_SCALE_STRICT, &a), TEEABI_OK);
		c.n = o.rd + 10;
		expect_err(&c, 0, TEEABI_E_SCALE_SHORT, "report_data");
		c.n = o.rd + 64;
		expect_err(&c, 0, TEEABI_E_SCALE_COMPACT_SHORT, "config");
	}
	/* runtime event name: find it after the event log */
	{
		struct buf c;
		c.n = 0;
		put8(&c, 0);
		put8(&c, 0);
		putv(&c, "", 0);
		putc_(&c, 0);
		putc_(&c, 2);
		puts_(&c, "ok");
		putv(&c, "", 0);
		putv(&c, "\xfe", 1);
		putv(&c, "", 0);
		expect_err(&c, 0, TEEABI_E_SCALE_UTF8, "runtime_events[1].event");
		c.n -= 1; /* payload length gone */
		expect_err(&c, 0, TEEABI_E_SCALE_UTF8, "runtime_events[1].event");
		c.n = 4;
		put8(&c, 0x08); /* 2 runtime events, none present */
		expect_err(&c, 0, TEEABI_E_SCALE_COUNT, "runtime_events");
	}
	/* arguments */
	assert_int_equal(teeabi_dstack_scale_parse(b.b, b.n, 0, NULL), TEEABI_E_NULL);
	assert_int_equal(teeabi_dstack_scale_parse(NULL, 5, 0, &a), TEEABI_E_NULL);
	assert_int_equal(teeabi_dstack_scale_parse(NULL, 0, 0, &a), TEEABI_E_SCALE_SHORT);
}

static void test_crafted_variants(void **state)
{
	(void)state;
	struct buf b;
	struct teeabi_dstack_att a;
	size_t rd;

	/* 3: SNP report, cert chain of two, mr_config */
	b.n = 0;
	put8(&b, 0);
	put8(&b, 3);
	putv(&b, "REPORT", 6);
	putc_(&b, 2);
	size_t certs = b.n;
	putv(&b, "CERT-A", 6);
	putv(&b, "", 0);
	puts_(&b, "{\"app_id\":\"x\"}");
	tail(&b, &rd);
	assert_int_equal(run(&b, b.n, TEEABI_SCALE_STRICT, &a), TEEABI_OK);
	assert_int_equal(a.variant, TEEABI_DSTACK_AMD_SEV_SNP);
	assert_int_equal(a.payload.len, 6);
	assert_int_equal(a.cert_count, 2);
	assert_int_equal(OFF(a.cert_chain.p), certs);
	assert_int_equal(a.cert_chain.len, 8);
	assert_int_equal(a.mr_config.len, 14);
	assert_int_equal(OFF(a.report_data), rd);
	size_t off = 0;
	struct teeabi_slice c;
	assert_int_equal(teeabi_dstack_scale_next_bytes(a.cert_chain, &off, &c), TEEABI_OK);
	assert_memory_equal(c.p, "CERT-A", 6);
	assert_int_equal(teeabi_dstack_scale_next_bytes(a.cert_chain, &off, &c), TEEABI_OK);
	assert_int_equal(c.len, 0);
	assert_int_equal(off, 8);
	/* a certificate's length past the end */
	b.b[certs + 7] = 40 << 2;
	{
		struct buf t = b;
		t.n = certs + 8 + 10;
		expect_err(&t, 0, TEEABI_E_SCALE_BOUNDS, "cert_chain[1]");
	}
	b.b[certs + 7] = 0;
	b.b[certs + 9] = 0xff; /* mr_config's first byte */
	expect_err(&b, 0, TEEABI_E_SCALE_UTF8, "mr_config");

	/* 2 and 4: one document */
	for (uint8_t v = 2; v <= 4; v += 2) {
		b.n = 0;
		put8(&b, 0);
		put8(&b, v);
		putv(&b, "\x84\x44\xa1\x01\x38\x22", 6); /* a COSE_Sign1-looking prefix */
		tail(&b, &rd);
		assert_int_equal(run(&b, b.n, TEEABI_SCALE_STRICT, &a), TEEABI_OK);
		assert_int_equal(a.variant, v);
		assert_int_equal(a.payload.len, 6);
		assert_int_equal(a.payload_off, 3);
		assert_int_equal(a.runtime_event_count, 2);
		assert_int_equal(OFF(a.report_data), rd);
		b.n = 4;
		expect_err(&b, 0, TEEABI_E_SCALE_BOUNDS, v == 2 ? "nsm_quote" : "attestation_doc");
	}

	/* 1: TdxQuote then TpmQuote */
	b.n = 0;
	put8(&b, 0);
	put8(&b, 1);
	putv(&b, "QUOTE", 5);
	putc_(&b, 0);          /* no TDX events */
	putv(&b, "MSG", 3);    /* message */
	putv(&b, "SIG!", 4);   /* signature */
	putc_(&b, 2);          /* pcr_values */
	put32(&b, 0);
	puts_(&b, "sha256");
	putv(&b, "01234567890123456789012345678901", 32);
	put32(&b, 2);
	puts_(&b, "sha256");
	putv(&b, "", 0);
	putv(&b, "AKCERT", 6); /* ak_cert */
	put8(&b, 1);           /* platform */
	putc_(&b, 1);          /* event_log */
	put32(&b, 14);
	putv(&b, "D", 1);
	tail(&b, &rd);
	assert_int_equal(run(&b, b.n, TEEABI_SCALE_STRICT, &a), TEEABI_OK);
	assert_int_equal(a.variant, TEEABI_DSTACK_GCP_TDX);
	assert_int_equal(a.payload.len, 5);
	assert_int_equal(a.tpm.message.len, 3);
	assert_int_equal(a.tpm.signature.len, 4);
	assert_int_equal(a.tpm.pcr_count, 2);
	assert_int_equal(a.tpm.ak_cert.len, 6);
	assert_memory_equal(a.tpm.ak_cert.p, "AKCERT", 6);
	assert_int_equal(a.tpm.platform, 1);
	assert_int_equal(a.tpm.event_count, 1);
	assert_int_equal(OFF(a.report_data), rd);
	/* a PCR algorithm that is not UTF-8 */
	uint8_t *alg = memmem(b.b, b.n, "sha256", 6);
	assert_non_null(alg);
	alg[0] = 0xc1;
	expect_err(&b, 0, TEEABI_E_SCALE_UTF8, "tpm_quote.pcr_values[0].algorithm");
}

/* ---------------------------------------------------------------- truncation sweep */
static void sweep(const char *path)
{
	size_t n;
	uint8_t *b = load(path, &n);
	size_t counts[TEEABI_ERR_COUNT] = { 0 };
	for (size_t len = 0; len < n; len++) {
		uint8_t *c = malloc(len ? len : 1);
		memcpy(c, b, len);
		for (unsigned flags = 0; flags <= TEEABI_SCALE_STRICT; flags++) {
			struct teeabi_dstack_att a;
			teeabi_err e = teeabi_dstack_scale_parse(c, len, flags, &a);
			if (e != TEEABI_E_SCALE_SHORT && e != TEEABI_E_SCALE_COMPACT_SHORT && e != TEEABI_E_SCALE_BOUNDS &&
			    e != TEEABI_E_SCALE_COUNT)
				fail_msg("%s: prefix of %zu bytes: %s", path, len, teeabi_err_name(e));
			assert_true(a.err_field[0] != 0);
			assert_true(a.err_off <= len);
			counts[e]++;
		}
		free(c);
	}
	/* the sweep reached every kind of truncation the format has */
	assert_true(counts[TEEABI_E_SCALE_SHORT] > 0);   /* version, variant, u32s, report_data */
	assert_true(counts[TEEABI_E_SCALE_BOUNDS] > 0);  /* inside the payload and the strings */
	assert_true(counts[TEEABI_E_SCALE_COMPACT_SHORT] > 0);
	free(b);
}

static void test_truncation_sweep(void **state)
{
	(void)state;
	sweep(GA);
	sweep(SNPB);
	sweep(LITE);
	sweep(SNPJ);
	/* cut inside the payload: the payload's length is what fails */
	size_t n;
	uint8_t *b = load(GA, &n);
	struct teeabi_dstack_att a;
	assert_int_equal(teeabi_dstack_scale_parse(b, 4 + 5009, 0, &a), TEEABI_E_SCALE_BOUNDS);
	assert_string_equal(a.err_field, "quote");
	assert_int_equal(a.err_off, 2);
	assert_int_equal(teeabi_dstack_scale_parse(b, n - 1, 0, &a), TEEABI_E_SCALE_BOUNDS);
	assert_string_equal(a.err_field, "config");
	free(b);
	b = load(SNPB, &n);
	assert_int_equal(teeabi_dstack_scale_parse(b, 1000, 0, &a), TEEABI_E_SCALE_BOUNDS);
	assert_string_equal(a.err_field, "report");
	free(b);
}

/* ---------------------------------------------------------------- fast paths */
/* The parser's fast paths (lib/dstack_scale.c): a length byte that is the usual one (a
 * 48-byte digest, an empty Vec or String) is taken without decoding, and short strings
 * are checked for ASCII inline before the full UTF-8 validator. Each is checked at its
 * edges against what the general path must give: digest lengths around 48 and the
 * one/two-byte compact edge, names of every UTF-8 class around the 32-byte inline limit,
 * and every truncation inside the event (the fast path must not take a length byte whose
 * bytes are not all there). */
static size_t build_one_event(struct buf *b, size_t dlen, const void *name, size_t nlen, size_t *digest_off,
			      size_t *name_off)
{
	uint8_t d[100];
	assert_true(dlen <= sizeof(d));
	for (size_t i = 0; i < dlen; i++)
		d[i] = (uint8_t)(0xC0 + i); /* digest bytes that look like length bytes */
	b->n = 0;
	put8(b, 0);
	put8(b, 0);
	putv(b, "Q", 1);
	putc_(b, 1);
	size_t log = b->n;
	put32(b, 1);
	put32(b, 7);
	*digest_off = b->n;
	putv(b, d, dlen);
	*name_off = b->n;
	putv(b, name, nlen);
	putv(b, "", 0);
	size_t rd;
	tail(b, &rd);
	return log;
}

static void test_fast_paths(void **state)
{
	(void)state;
	struct buf b;
	struct teeabi_dstack_att a;
	struct teeabi_dstack_scale_event ev;
	size_t doff, noff;
	static const size_t dlens[] = { 0, 1, 47, 48, 49, 63, 64, 100 };
	for (size_t i = 0; i < sizeof(dlens) / sizeof(dlens[0]); i++) {
		size_t log = build_one_event(&b, dlens[i], "boot", 4, &doff, &noff);
		assert_int_equal(run(&b, b.n, TEEABI_SCALE_STRICT, &a), TEEABI_OK);
		assert_int_equal(OFF(a.event_log.p), log);
		size_t off = 0;
		assert_int_equal(teeabi_dstack_scale_next_tdx_event(a.event_log, &off, &ev), TEEABI_OK);
		assert_int_equal(ev.digest.len, dlens[i]);
		assert_int_equal(OFF(ev.digest.p), doff + (dlens[i] < 64 ? 1 : 2));
		assert_int_equal(ev.event.len, 4);
		assert_memory_equal(ev.event.p, "boot", 4);
		assert_int_equal(ev.payload.len, 0);
		assert_int_equal(off, a.event_log.len);
		/* cut anywhere inside the digest (its length byte present, some bytes not): the
		 * digest's bounds error at the length byte (the event count's error while fewer
		 * bytes remain than the smallest event, 11) */
		for (size_t cut = doff + 1; cut < noff; cut++) {
			teeabi_err e = run(&b, cut, 0, &a);
			if (cut - log < 11) {
				assert_int_equal(e, TEEABI_E_SCALE_COUNT);
				assert_string_equal(a.err_field, "event_log");
				continue;
			}
			assert_int_equal(e, cut == doff + 1 && dlens[i] >= 64 ? TEEABI_E_SCALE_COMPACT_SHORT : TEEABI_E_SCALE_BOUNDS);
			assert_string_equal(a.err_field, "event_log[0].digest");
			assert_int_equal(a.err_off, doff);
		}
	}
	/* the empty name as the last byte: the name is read, the payload's length is missing */
	build_one_event(&b, 48, "", 0, &doff, &noff);
	assert_int_equal(run(&b, noff + 1, 0, &a), TEEABI_E_SCALE_COMPACT_SHORT);
	assert_string_equal(a.err_field, "event_log[0].event_payload");
	assert_int_equal(a.err_off, noff + 1);
	assert_int_equal(run(&b, noff, 0, &a), TEEABI_E_SCALE_COMPACT_SHORT);
	assert_string_equal(a.err_field, "event_log[0].event");

	/* names: every class, at the end of strings of 0..40 ASCII bytes (the inline check
	 * takes strings below 32 bytes, the validator the rest) */
	static const struct { const char *what; const char *s; size_t n; bool ok; } names[] = {
		{ "ASCII", "a", 1, true },
		{ "NUL", "\0", 1, true },
		{ "DEL", "\x7f", 1, true },
		{ "U+00E9", "\xc3\xa9", 2, true },
		{ "U+10FFFF", "\xf4\x8f\xbf\xbf", 4, true },
		{ "overlong C0 80", "\xc0\x80", 2, false },
		{ "overlong E0 80 80", "\xe0\x80\x80", 3, false },
		{ "surrogate U+D800", "\xed\xa0\x80", 3, false },
		{ "above U+10FFFF", "\xf4\x90\x80\x80", 4, false },
		{ "truncated C3", "\xc3", 1, false },
		{ "stray 80", "\x80", 1, false },
	};
	for (size_t k = 0; k < sizeof(names) / sizeof(names[0]); k++) {
		for (size_t pre = 0; pre <= 40; pre++) {
			char nm[48];
			memset(nm, 'n', pre);
			memcpy(nm + pre, names[k].s, names[k].n);
			build_one_event(&b, 48, nm, pre + names[k].n, &doff, &noff);
			teeabi_err e = run(&b, b.n, 0, &a);
			if (e != (names[k].ok ? TEEABI_OK : TEEABI_E_SCALE_UTF8))
				fail_msg("name %s after %zu ASCII bytes: %s", names[k].what, pre, teeabi_err_name(e));
			if (!names[k].ok) {
				assert_string_equal(a.err_field, "event_log[0].event");
				assert_int_equal(a.err_off, noff);
			}
		}
	}
}

/* ---------------------------------------------------------------- fast vs checked */
/* The parse has two paths (lib/dstack_scale.c): a fast one for the attestations dstack
 * produces, and the field-by-field one (TEEABI_SCALE_CHECKED), which decides everything
 * the fast one does not take. They must agree on every input, result and struct byte for
 * byte: over every corpus input and SCALE vector, lenient and strict, each whole and with
 * deterministic mutations (a byte set to a random value or to a length byte of every
 * compact form, a non-canonical two-byte compact, a cut at a random length). Each mutant is an exact-size copy, so ASan sees
 * a read past its end. Returns how many inputs the fast path took (it returned OK). */
static unsigned long fast_vs_checked(const uint8_t *b, size_t n)
{
	unsigned long took = 0;
	uint8_t *c = malloc(n ? n : 1);
	assert_non_null(c);
	memcpy(c, b, n);
	for (unsigned flags = 0; flags <= TEEABI_SCALE_STRICT; flags++) {
		struct teeabi_dstack_att fast, checked;
		teeabi_err ef = teeabi_dstack_scale_parse(c, n, flags, &fast);
		teeabi_err ec = teeabi_dstack_scale_parse(c, n, flags | TEEABI_SCALE_CHECKED, &checked);
		if (ef != ec || memcmp(&fast, &checked, sizeof(fast)))
			fail_msg("%zu bytes, flags %u: fast %s (%s at %zu), checked %s (%s at %zu)", n, flags,
				 teeabi_err_name(ef), fast.err_field, fast.err_off, teeabi_err_name(ec), checked.err_field,
				 checked.err_off);
		took += ef == TEEABI_OK;
	}
	free(c);
	return took;
}

static uint64_t xorshift(uint64_t *x)
{
	*x ^= *x << 13;
	*x ^= *x >> 7;
	*x ^= *x << 17;
	return *x;
}

static void fast_vs_checked_mutants(const uint8_t *b, size_t n, unsigned long *inputs, unsigned long *took)
{
	static const uint8_t lens[] = { 0x00, 0x01, 0x02, 0x03, 0xC0, 0xC1, 0xFC, 0xFD, 0xFE, 0xFF, 0x04, 0x05 };
	uint64_t x = 0x9E3779B97F4A7C15ull ^ n;
	*took += fast_vs_checked(b, n);
	++*inputs;
	if (!n)
		return;
	uint8_t *m = malloc(n);
	assert_non_null(m);
	for (int k = 0; k < 3000; k++) {
		memcpy(m, b, n);
		size_t len = n;
		uint64_t r = xorshift(&x);
		size_t at = (size_t)((r >> 8) % n);
		switch (r % 5) {
		case 0: /* one byte: a random value */
			m[at] = (uint8_t)(r >> 40);
			break;
		case 1: /* one byte: a length byte of some compact form */
			m[at] = lens[(r >> 40) % sizeof(lens)];
			break;
		case 2: /* a cut */
			len = at;
			break;
		case 3: /* a two-byte compact of a value below 64 (non-canonical: strict mode's error) */
			m[at] = (uint8_t)(((r >> 40) % 64) << 2 | 1);
			if (at + 1 < n)
				m[at + 1] = 0;
			break;
		default: /* two bytes, one of them near the start (the headers, the payload length) */
			m[(r >> 8) % (n < 16 ? n : 16)] = (uint8_t)(r >> 40);
			m[(r >> 16) % n] = lens[(r >> 48) % sizeof(lens)];
			break;
		}
		*took += fast_vs_checked(m, len);
		++*inputs;
	}
	free(m);
}

/* Random attestations of the shape the fast path takes, with the deviations it must hand
 * on: a compact in every form (canonical one- and two-byte, non-canonical two-byte,
 * four-byte, big), a digest of another length than 48, strings with multi-byte and
 * invalid UTF-8, other variants, trailing bytes, counts larger than the elements. */
static void gen_compact(struct buf *b, size_t v, uint64_t *x)
{
	uint64_t r = xorshift(x) % 48;
	if (r == 0 && v < 64) { /* two-byte, non-canonical */
		put8(b, (uint8_t)(v << 2 | 1));
		put8(b, 0);
	} else if (r == 1) { /* four-byte */
		put32(b, (uint32_t)(v << 2 | 2));
	} else if (r == 2) { /* big integer, four value bytes */
		put8(b, 3);
		put32(b, (uint32_t)v);
	} else {
		putc_(b, v);
	}
}

static void gen_bytes(struct buf *b, size_t n, bool text, uint64_t *x)
{
	/* valid fragments, then the invalid ones (a stray continuation, a surrogate, a lead
	 * byte without its continuation), one fragment in 400 */
	static const char *const frag[] = { "a", "key-provider", "\xc3\xa9", "\xf0\x9f\x98\x80", "{\"k\":1}",
					    "\x80", "\xed\xa0\x80", "\xc3" };
	gen_compact(b, n, x);
	size_t end = b->n + n;
	while (b->n < end) {
		uint64_t r = xorshift(x);
		const char *f = !text ? NULL : r % 400 == 0 ? frag[5 + (r >> 8) % 3] : frag[(r >> 8) % 5];
		if (f && strlen(f) <= end - b->n)
			put(b, f, strlen(f));
		else
			put8(b, text ? 'z' : (uint8_t)(r >> 16));
	}
}

static size_t gen_len(uint64_t *x)
{
	uint64_t r = xorshift(x);
	return r % 3 == 0 ? 0 : r % 5 ? (size_t)((r >> 8) % 40) : (size_t)((r >> 8) % 300);
}

static void gen_attestation(struct buf *b, uint64_t *x)
{
	b->n = 0;
	uint64_t r = xorshift(x);
	unsigned variant = r % 10 == 0 ? (unsigned)(r >> 8) % 6 : r % 2 ? TEEABI_DSTACK_TDX : TEEABI_DSTACK_AMD_SEV_SNP;
	put8(b, 0);
	put8(b, (uint8_t)variant);
	gen_bytes(b, gen_len(x), false, x); /* quote or report */
	size_t k = xorshift(x) % 6, extra = xorshift(x) % 20 == 0; /* extra: a count one too high */
	if (variant == TEEABI_DSTACK_TDX) {
		gen_compact(b, k + extra, x);
		for (size_t i = 0; i < k; i++) {
			put32(b, (uint32_t)i);
			put32(b, 0x80000001);
			gen_bytes(b, xorshift(x) % 10 ? 48 : gen_len(x), false, x);
			gen_bytes(b, gen_len(x), true, x);
			gen_bytes(b, gen_len(x), false, x);
		}
	} else if (variant == TEEABI_DSTACK_AMD_SEV_SNP) {
		gen_compact(b, k % 3 + extra, x);
		for (size_t i = 0; i < k % 3; i++)
			gen_bytes(b, gen_len(x), false, x);
		gen_bytes(b, gen_len(x), true, x); /* mr_config */
	}
	k = xorshift(x) % 5;
	gen_compact(b, k + (xorshift(x) % 20 == 0), x);
	for (size_t i = 0; i < k; i++) {
		gen_bytes(b, gen_len(x), true, x);
		gen_bytes(b, gen_len(x), false, x);
	}
	for (int i = 0; i < 64; i++)
		put8(b, (uint8_t)i);
	gen_bytes(b, gen_len(x), true, x); /* config */
	if (xorshift(x) % 8 == 0)
		put8(b, 0); /* a trailing byte */
}

static void test_fast_vs_checked(void **state)
{
	(void)state;
	unsigned long inputs = 0, took = 0;
	static const char *const vecs[] = { GA, SNPB, LITE, SNPJ };
	for (size_t i = 0; i < sizeof(vecs) / sizeof(vecs[0]); i++) {
		size_t n;
		uint8_t *b = load(vecs[i], &n);
		unsigned long before = took;
		fast_vs_checked_mutants(b, n, &inputs, &took);
		assert_true(took > before); /* the fast path takes the real vectors */
		free(b);
	}
	static const char *const dirs[] = { "corpus/dstack_scale", "corpus/regress/dstack_scale" };
	for (size_t d = 0; d < sizeof(dirs) / sizeof(dirs[0]); d++) {
		DIR *dir = opendir(tu_src_path(dirs[d]));
		if (!dir) {
			assert_int_not_equal(d, 0); /* the corpus itself must be there */
			continue;
		}
		struct dirent *de;
		while ((de = readdir(dir))) {
			if (de->d_name[0] == '.')
				continue;
			char rel[512];
			snprintf(rel, sizeof(rel), "%s/%s", dirs[d], de->d_name);
			size_t n;
			uint8_t *b = tu_read(rel, &n);
			fast_vs_checked_mutants(b, n, &inputs, &took);
			free(b);
		}
		closedir(dir);
	}
	/* generated inputs, each whole, cut in its last 8 bytes and cut at 4 random lengths */
	uint64_t x = 0x2545F4914F6CDD1Dull;
	unsigned long gen = 0, gen_took = 0;
	for (int i = 0; i < 20000; i++) {
		static struct buf b;
		gen_attestation(&b, &x);
		for (size_t cut = 0; cut <= 8 && cut <= b.n; cut++, gen++)
			gen_took += fast_vs_checked(b.b, b.n - cut);
		for (int k = 0; k < 4; k++, gen++)
			gen_took += fast_vs_checked(b.b, (size_t)(xorshift(&x) % b.n));
	}
	print_message("fast vs checked: %lu inputs and %lu generated ones x 2 modes agree, the fast path took %lu and %lu\n",
		      inputs, gen, took, gen_took);
	assert_true(inputs > 20 * 3000);
	assert_true(gen_took > 1000 && gen_took < gen); /* both paths were reached */
}

/* ---------------------------------------------------------------- names, sniffing, describe */
static void test_names(void **state)
{
	(void)state;
	assert_string_equal(teeabi_dstack_variant_name(0), "DstackTdx");
	assert_string_equal(teeabi_dstack_variant_name(1), "DstackGcpTdx");
	assert_string_equal(teeabi_dstack_variant_name(2), "DstackNitroEnclave");
	assert_string_equal(teeabi_dstack_variant_name(3), "DstackAmdSevSnp");
	assert_string_equal(teeabi_dstack_variant_name(4), "DstackAwsNitroTpm");
	assert_null(teeabi_dstack_variant_name(5));
	assert_string_equal(teeabi_dstack_platform_name(0), "tdx");
	assert_string_equal(teeabi_dstack_platform_name(3), "amd-sev-snp");
	assert_null(teeabi_dstack_platform_name(255));
	assert_string_equal(teeabi_err_name(TEEABI_E_SCALE_NONCANONICAL), "E_SCALE_NONCANONICAL");
	assert_string_equal(teeabi_format_name(TEEABI_FMT_DSTACK_ATTESTATION), "dstack_attestation");
}

static void test_sniff(void **state)
{
	(void)state;
	size_t n;
	uint8_t *b = tu_read(GA, &n);
	assert_true(teeabi_dstack_scale_sniff(b, n));
	assert_int_equal(teeabi_detect(b, n), TEEABI_FMT_DSTACK_ATTESTATION);
	/* only the prefix matters: a truncated tail is still claimed (describe then fails) */
	assert_true(teeabi_dstack_scale_sniff(b, 4 + 5010));
	assert_false(teeabi_dstack_scale_sniff(b, 4 + 5009));
	b[1] = 2; /* Nitro: not claimed */
	assert_false(teeabi_dstack_scale_sniff(b, n));
	b[1] = 1; /* GCP TDX: same payload check */
	assert_true(teeabi_dstack_scale_sniff(b, n));
	b[1] = 3; /* an SNP variant whose payload is a TDX quote */
	assert_false(teeabi_dstack_scale_sniff(b, n));
	b[1] = 0;
	b[0] = 1;
	assert_false(teeabi_dstack_scale_sniff(b, n));
	b[0] = 0;
	b[4] = 9; /* quote version 9: the payload no longer parses */
	assert_false(teeabi_dstack_scale_sniff(b, n));
	free(b);
	b = tu_read(SNPB, &n);
	assert_true(teeabi_dstack_scale_sniff(b, n));
	assert_int_equal(teeabi_detect(b, n), TEEABI_FMT_DSTACK_ATTESTATION);
	free(b);
	/* other formats keep their detection */
	static const struct { const char *path; enum teeabi_format f; } others[] = {
		{ "vectors/tdx-quote/dstack__guest-agent_attestation.quote.bin", TEEABI_FMT_TDX_QUOTE },
		{ "vectors/snp-report/dstack__sev_snp_attestation.report.bin", TEEABI_FMT_SNP_REPORT },
		{ "vectors/dstack/dstack__tdx-lite-getquote.json", TEEABI_FMT_DSTACK_QUOTE_JSON },
		{ "vectors/dstack/dstack__quote-report.json", TEEABI_FMT_DSTACK_QUOTE_JSON },
		{ LITE, TEEABI_FMT_DSTACK_ATTESTATION },
		{ SNPJ, TEEABI_FMT_DSTACK_ATTESTATION },
	};
	for (size_t i = 0; i < sizeof(others) / sizeof(others[0]); i++) {
		b = tu_read(others[i].path, &n);
		assert_false(teeabi_dstack_scale_sniff(b, n));
		if (teeabi_detect(b, n) != others[i].f)
			fail_msg("%s detected as %s", others[i].path, teeabi_format_name(teeabi_detect(b, n)));
		free(b);
	}
	uint8_t z[4000] = { 0 };
	teeabi_put_le32(z + 4, 0x4A0); /* MSG_REPORT_RSP with status 0: 00 00 00 00 ... */
	assert_false(teeabi_dstack_scale_sniff(z, sizeof(z)));
	assert_int_equal(teeabi_detect(z, sizeof(z)), TEEABI_FMT_SNP_MSG_REPORT_RSP);
	assert_false(teeabi_dstack_scale_sniff(z, 2));
	assert_false(teeabi_dstack_scale_sniff(NULL, 100));
}

static json_object *describe(const char *s, size_t len, unsigned flags, teeabi_err want, const char **detail)
{
	char *mem = NULL;
	size_t ml = 0;
	FILE *f = open_memstream(&mem, &ml);
	assert_non_null(f);
	char *c = malloc(len ? len : 1);
	memcpy(c, s, len);
	const char *d = "";
	teeabi_err e = teeabi_describe_json_ex((const uint8_t *)c, len, flags, NULL, f, &d);
	fclose(f);
	free(c);
	if (e != want)
		fail_msg("describe: %s (%s), want %s", teeabi_err_name(e), d, teeabi_err_name(want));
	if (detail)
		*detail = d;
	json_object *j = ml ? json_tokener_parse(mem) : NULL;
	if (e)
		assert_int_equal(ml, 0);
	else
		assert_non_null(j);
	free(mem);
	return j;
}

static const char *jstr(json_object *o, const char *path)
{
	char k[64];
	snprintf(k, sizeof(k), "%s", path);
	char *save, *tok = strtok_r(k, ".", &save);
	json_object *v = o;
	while (tok) {
		if (!json_object_object_get_ex(v, tok, &v))
			fail_msg("no %s", path);
		tok = strtok_r(NULL, ".", &save);
	}
	return json_object_get_string(v);
}

static void test_describe(void **state)
{
	(void)state;
	size_t n;
	char *s = (char *)tu_read(LITE, &n);
	json_object *j = describe(s, n, TEEABI_DESCRIBE_STRICT, TEEABI_OK, NULL);
	assert_string_equal(jstr(j, "format"), "dstack_attestation");
	assert_string_equal(jstr(j, "container"), "json");
	assert_string_equal(jstr(j, "version"), "0");
	assert_string_equal(jstr(j, "variant"), "0");
	assert_string_equal(jstr(j, "platform"), "tdx");
	assert_string_equal(jstr(j, "payload_len"), "5006");
	assert_string_equal(jstr(j, "payload_sha256"), LITE_SHA);
	assert_string_equal(jstr(j, "attestation_len"), "7305");
	assert_string_equal(jstr(j, "quote.format"), "tdx_quote");
	assert_string_equal(jstr(j, "quote.mrtd"), LITE_MRTD);
	assert_string_equal(jstr(j, "quote.report_data"), LITE_RD);
	assert_string_equal(jstr(j, "report_data_match"), "true");
	assert_string_equal(jstr(j, "getquote_form"), "false");
	json_object_put(j);

	/* GetQuote form as on SNP (dstack 0.6): empty quote and event_log plus attestation */
	json_object *src = json_tokener_parse(s);
	free(s);
	json_object *att;
	assert_true(json_object_object_get_ex(src, "attestation", &att));
	json_object *gq = json_object_new_object();
	json_object_object_add(gq, "quote", json_object_new_string(""));
	json_object_object_add(gq, "event_log", json_object_new_string(""));
	json_object_object_add(gq, "report_data", json_object_new_string(LITE_RD));
	json_object_object_add(gq, "attestation", json_object_get(att));
	const char *t = json_object_to_json_string_ext(gq, JSON_C_TO_STRING_PLAIN);
	assert_int_equal(teeabi_detect((const uint8_t *)t, strlen(t)), TEEABI_FMT_DSTACK_ATTESTATION);
	j = describe(t, strlen(t), 0, TEEABI_OK, NULL);
	assert_string_equal(jstr(j, "getquote_form"), "true");
	assert_string_equal(jstr(j, "quote.mrtd"), LITE_MRTD);
	json_object_put(j);
	/* a non-empty quote: a GetQuote response (parsed by the quote-JSON parser) */
	json_object_object_add(gq, "quote", json_object_new_string("0400"));
	t = json_object_to_json_string_ext(gq, JSON_C_TO_STRING_PLAIN);
	assert_int_equal(teeabi_detect((const uint8_t *)t, strlen(t)), TEEABI_FMT_DSTACK_QUOTE_JSON);
	/* bad hex */
	json_object_object_del(gq, "quote");
	json_object_object_add(gq, "attestation", json_object_new_string("00000"));
	t = json_object_to_json_string_ext(gq, JSON_C_TO_STRING_PLAIN);
	assert_int_equal(teeabi_detect((const uint8_t *)t, strlen(t)), TEEABI_FMT_DSTACK_ATTESTATION);
	describe(t, strlen(t), 0, TEEABI_E_HEX, NULL);
	/* hex of a bad attestation: the failing field is named */
	json_object_object_add(gq, "attestation", json_object_new_string("0007"));
	t = json_object_to_json_string_ext(gq, JSON_C_TO_STRING_PLAIN);
	const char *d;
	describe(t, strlen(t), 0, TEEABI_E_SCALE_VARIANT, &d);
	assert_non_null(strstr(d, "variant"));
	json_object_object_add(gq, "attestation", json_object_new_string("000014414243"));
	t = json_object_to_json_string_ext(gq, JSON_C_TO_STRING_PLAIN);
	describe(t, strlen(t), 0, TEEABI_E_SCALE_BOUNDS, &d);
	assert_non_null(strstr(d, "quote"));
	/* dstack's msgpack V1 wire format is named in the detail */
	json_object_object_add(gq, "attestation", json_object_new_string("85a776657273696f6e01"));
	t = json_object_to_json_string_ext(gq, JSON_C_TO_STRING_PLAIN);
	describe(t, strlen(t), 0, TEEABI_E_SCALE_VERSION, &d);
	assert_non_null(strstr(d, "msgpack"));
	/* attestation is not a string: not this format */
	json_object_object_add(gq, "attestation", json_object_new_int(5));
	t = json_object_to_json_string_ext(gq, JSON_C_TO_STRING_PLAIN);
	assert_int_equal(teeabi_detect((const uint8_t *)t, strlen(t)), TEEABI_FMT_DSTACK_QUOTE_JSON);
	json_object_put(gq);
	json_object_put(src);

	/* raw SNP, strict */
	s = (char *)tu_read(SNPB, &n);
	j = describe(s, n, TEEABI_DESCRIBE_STRICT, TEEABI_OK, NULL);
	assert_string_equal(jstr(j, "container"), "scale");
	assert_string_equal(jstr(j, "variant_name"), "DstackAmdSevSnp");
	assert_string_equal(jstr(j, "report.measurement"), SNP_MEAS);
	assert_string_equal(jstr(j, "report.report_data"), SNP_RD);
	assert_string_equal(jstr(j, "report_data"), SNP_RD);
	assert_string_equal(jstr(j, "cert_chain_count"), "0");
	assert_string_equal(jstr(j, "mr_config_len"), "428");
	json_object_put(j);
	/* a truncated raw attestation is still detected and fails with the SCALE error */
	describe(s, n - 100, 0, TEEABI_E_SCALE_BOUNDS, &d);
	assert_non_null(strstr(d, "config"));
	free(s);

	/* the guest-agent vector made into a GCP TDX attestation: variant 1 and an (empty)
	 * TpmQuote after the event log */
	s = (char *)tu_read(GA, &n);
	struct teeabi_dstack_att a;
	assert_int_equal(teeabi_dstack_scale_parse((const uint8_t *)s, n, 0, &a), TEEABI_OK);
	size_t cut = (size_t)(a.event_log.p + a.event_log.len - (const uint8_t *)s);
	static const uint8_t tpm[] = { 0x0c, 'M', 'S', 'G', 0x00, 0x04, 0, 0, 0, 0, 0x00, 0x00, 0x04, 'A', 0x01, 0x00 };
	/* message "MSG", empty signature, one PCR (index 0, "", empty), ak_cert "A", platform 1, no events */
	char *g = malloc(n + sizeof(tpm));
	memcpy(g, s, cut);
	memcpy(g + cut, tpm, sizeof(tpm));
	memcpy(g + cut + sizeof(tpm), s + cut, n - cut);
	g[1] = 1;
	assert_int_equal(teeabi_detect((const uint8_t *)g, n + sizeof(tpm)), TEEABI_FMT_DSTACK_ATTESTATION);
	j = describe(g, n + sizeof(tpm), TEEABI_DESCRIBE_STRICT, TEEABI_OK, NULL);
	assert_string_equal(jstr(j, "variant"), "1");
	assert_string_equal(jstr(j, "platform"), "gcp-tdx");
	assert_string_equal(jstr(j, "quote.mrtd"), GA_MRTD);
	assert_string_equal(jstr(j, "tpm_quote.message_len"), "3");
	assert_string_equal(jstr(j, "tpm_quote.pcr_count"), "1");
	assert_string_equal(jstr(j, "tpm_quote.ak_cert_len"), "1");
	assert_string_equal(jstr(j, "tpm_quote.platform"), "1");
	assert_string_equal(jstr(j, "runtime_event_count"), "9");
	json_object_put(j);
	free(g);
	/* an embedded quote with a non-Intel QE vendor: lenient describes it, strict fails
	 * with the quote parser's own error */
	s[4 + 12] ^= 0xff;
	j = describe(s, n, 0, TEEABI_OK, NULL);
	json_object_put(j);
	describe(s, n, TEEABI_DESCRIBE_STRICT, TEEABI_E_QUOTE_QE_VENDOR, &d);
	free(s);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_vector_guest_agent),
		cmocka_unit_test(test_vector_tdx_lite),
		cmocka_unit_test(test_vector_snp),
		cmocka_unit_test(test_compact_known_answers),
		cmocka_unit_test(test_compact_errors),
		cmocka_unit_test(test_compact_encode),
		cmocka_unit_test_teardown(test_crafted_tdx, run_teardown),
		cmocka_unit_test_teardown(test_strict_checks, run_teardown),
		cmocka_unit_test_teardown(test_crafted_variants, run_teardown),
		cmocka_unit_test(test_truncation_sweep),
		cmocka_unit_test_teardown(test_fast_paths, run_teardown),
		cmocka_unit_test(test_fast_vs_checked),
		cmocka_unit_test(test_names),
		cmocka_unit_test(test_sniff),
		cmocka_unit_test(test_describe),
	};
	return cmocka_run_group_tests_name("dstack_scale", tests, NULL, NULL);
}
