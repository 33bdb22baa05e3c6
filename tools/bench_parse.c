/* SPDX-License-Identifier: Apache-2.0 */
/*
 * bench_parse - the structural parse of real evidence against the memory floor: for each
 * file, the parser its format calls for (teeabi_detect) against a memcpy of the same bytes,
 * timed interleaved in one run (tools/bench.h), so the ratio means the same on any machine.
 *
 *   bench_parse --expect FIELDS FILE...
 *
 * Per file one line: format, size, ns/op of the parse and of the memcpy, the ratio and the
 * target: 2x for TDX quotes, TDREPORTs, SGX reports, certificate tables and dstack SCALE
 * attestations (the SCALE structure and then its quote or report payload, what a client of
 * an attestation parses), 5x for SNP reports and MSG_REPORT_RSP (a fixed layout with many
 * must-be-zero ranges and bit fields to decode). JSON inputs (dstack GetQuote responses and
 * JSON-wrapped attestations) go through json-c, a tree-building parser with allocations:
 * their time is printed with the ratio, and the line says "not judged" (they have no
 * memory-floor target); they never count as a pass.
 *
 * For a SCALE attestation the line also gives the time any parser needs just to follow its
 * length fields (scale_floor below) and the time of its payload's parse, for information.
 * A broken parser must not look fast: before a file is timed, its parse must succeed and
 * give the field values vectors/MANIFEST.md states for it (FIELDS: "path<TAB>key<TAB>value"
 * lines, bench/manifest_fields.py; per format the keys of expect_fields() below, every one
 * required), and after the timing every timed call must have succeeded and one more parse
 * must give the same fields again. A file whose values are missing or differ is a FAIL.
 * Exit 0 when every judged file meets its target, 1 when one does not or a file does not
 * parse or check, 2 on usage errors or an unreadable file.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "bench.h"
#include "teeabi/detect.h"
#include "teeabi/dstack.h"
#include "teeabi/snp.h"
#include "teeabi/bytes.h"
#include "teeabi/tdx.h"

#define MAX_FILE (1 << 20)
#define BATCH_NS 5e5

struct job {
	const uint8_t *buf;
	size_t len;
	enum teeabi_format fmt;
	uint8_t *dst;
	teeabi_err last;
	unsigned long failed; /* calls that did not return TEEABI_OK */
	/* the last call's output */
	struct teeabi_dstack_att att; /* SCALE: the container; u then holds its payload's parse */
	union {
		struct teeabi_tdreport tdr;
		struct teeabi_tdx_quote q;
		struct teeabi_snp_report snp;
		struct teeabi_snp_msg_report_rsp rsp;
		struct teeabi_cert_table certs;
		struct teeabi_sgx_report sgx;
	} u;
};

static volatile uint64_t sink;

static void do_memcpy(void *arg)
{
	struct job *j = arg;
	memcpy(j->dst, j->buf, j->len);
	sink += j->dst[j->len - 1];
}

static teeabi_err parse_scale(struct job *j)
{
	struct teeabi_dstack_att *att = &j->att;
	teeabi_err e = teeabi_dstack_scale_parse(j->buf, j->len, 0, att);
	if (e)
		return e;
	if (att->variant == TEEABI_DSTACK_AMD_SEV_SNP)
		return teeabi_snp_report_parse(att->payload.p, att->payload.len, 0, &j->u.snp);
	return teeabi_tdx_quote_parse(att->payload.p, att->payload.len, TEEABI_QUOTE_DEFAULT, &j->u.q);
}

static void do_parse(void *arg)
{
	struct job *j = arg;
	switch (j->fmt) {
	case TEEABI_FMT_TDREPORT:
		j->last = teeabi_tdreport_parse(j->buf, j->len, &j->u.tdr);
		break;
	case TEEABI_FMT_TDX_QUOTE:
		j->last = teeabi_tdx_quote_parse(j->buf, j->len, TEEABI_QUOTE_DEFAULT, &j->u.q);
		break;
	case TEEABI_FMT_SNP_REPORT:
		j->last = teeabi_snp_report_parse(j->buf, j->len, TEEABI_SNP_ALLOW_TRAILING, &j->u.snp);
		break;
	case TEEABI_FMT_SNP_MSG_REPORT_RSP:
		j->last = teeabi_snp_msg_report_rsp_parse(j->buf, j->len, &j->u.rsp);
		break;
	case TEEABI_FMT_SNP_CERT_TABLE:
		j->last = teeabi_snp_cert_table_parse(j->buf, j->len, 0, &j->u.certs);
		break;
	case TEEABI_FMT_SGX_REPORT:
		j->last = teeabi_sgx_report_parse(j->buf, j->len, &j->u.sgx);
		break;
	case TEEABI_FMT_DSTACK_ATTESTATION:
		if (j->buf[0] != '{') {
			j->last = parse_scale(j);
			break;
		}
		__attribute__((fallthrough)); /* JSON-wrapped */
	default: {
		FILE *out = fopen("/dev/null", "w");
		const char *detail = NULL;
		j->last = out ? teeabi_describe_json(j->buf, j->len, out, &detail) : TEEABI_E_NOMEM;
		if (out)
			fclose(out);
		break;
	}
	}
	j->failed += j->last != TEEABI_OK;
	sink += (uint64_t)j->last;
}

/* ---------------------------------------------------------------- the chain floor */
/*
 * The least any parser of a SCALE attestation does: follow its length fields in order.
 * Each field's position is the sum of the lengths before it, so the walk is a chain of
 * loads, each waiting for the one before (memcpy has no such chain: its loads are
 * independent). This walk checks nothing but the bounds it needs to stay inside the
 * buffer, knows only the one- and two-byte compact forms (anything else: no floor), steps
 * over the quote or report without parsing it, and takes the same shortcuts as the parser
 * (a branch on the usual length byte: empty, a 48-byte digest, so the CPU need not wait for
 * it). Its helpers are inlined into it, so its offset stays in a register as a parser's would
 * (taken by address into functions gcc did not inline, it went through memory, and the walk
 * was slower than the parse it is the floor of). Printed beside the parse of TDX and SNP
 * attestations with the time of the payload's own parse, for information: it is never judged.
 */
static inline __attribute__((always_inline)) long floor_compact(const uint8_t *b, size_t len, size_t *o)
{
	if (*o >= len)
		return -1;
	uint8_t c = b[*o];
	if (c == 0) { /* the usual length: empty */
		*o += 1;
		return 0;
	}
	if ((c & 3) == 0) {
		*o += 1;
		return c >> 2;
	}
	if ((c & 3) != 1 || len - *o < 2)
		return -1;
	long v = (long)(teeabi_le16(b + *o) >> 2);
	*o += 2;
	return v;
}

/* `fields` Vecs in a row, each a compact length then its bytes; 0 or -1. */
static inline __attribute__((always_inline)) int floor_vecs(const uint8_t *b, size_t len, size_t *o, int fields)
{
	for (int k = 0; k < fields; k++) {
		long l = floor_compact(b, len, o);
		if (l < 0 || (size_t)l > len - *o)
			return -1;
		*o += (size_t)l;
	}
	return 0;
}

/* A Vec of elements, each `fixed` bytes then `fields` Vecs; 0 or -1. With fixed == 8 (TDX
 * events) the first Vec is the digest, usually 48 bytes. */
static inline __attribute__((always_inline)) int floor_vec(const uint8_t *b, size_t len, size_t *o, size_t fixed, int fields)
{
	long n = floor_compact(b, len, o);
	for (long i = 0; i < n; i++) {
		if (len - *o < fixed)
			return -1;
		*o += fixed;
		int rest = fields;
		if (fixed == 8 && len - *o > 48 && b[*o] == 48 << 2) {
			*o += 49;
			rest--;
		}
		if (floor_vecs(b, len, o, rest))
			return -1;
	}
	return n < 0 ? -1 : 0;
}

/* The walk of a V0 TDX (variant 0) or SNP (variant 3) attestation: 0 when it ends at the
 * last byte, -1 otherwise. */
static int scale_floor(const uint8_t *b, size_t len)
{
	size_t o = 2;
	if (len < 2 || b[0] != 0 || (b[1] != TEEABI_DSTACK_TDX && b[1] != TEEABI_DSTACK_AMD_SEV_SNP))
		return -1;
	if (floor_vecs(b, len, &o, 1)) /* the quote or report */
		return -1;
	if (b[1] == TEEABI_DSTACK_TDX ? floor_vec(b, len, &o, 8, 3) /* events: imr, type; digest, event, payload */
				      : floor_vec(b, len, &o, 0, 1) || floor_vecs(b, len, &o, 1)) /* certs; mr_config */
		return -1;
	if (floor_vec(b, len, &o, 0, 2) || len - o < 64) /* runtime events: event, payload; report_data */
		return -1;
	o += 64;
	return floor_vecs(b, len, &o, 1) || o != len ? -1 : 0; /* config */
}

static void do_floor(void *arg)
{
	struct job *j = arg;
	sink += (uint64_t)scale_floor(j->buf, j->len);
}

/* The attestation's quote or report alone, parsed as in parse_scale. */
static void do_payload(void *arg)
{
	struct job *j = arg;
	const struct teeabi_slice *p = &j->att.payload;
	if (j->att.variant == TEEABI_DSTACK_AMD_SEV_SNP)
		sink += teeabi_snp_report_parse(p->p, p->len, 0, &j->u.snp);
	else
		sink += teeabi_tdx_quote_parse(p->p, p->len, TEEABI_QUOTE_DEFAULT, &j->u.q);
}

/* ---------------------------------------------------------------- expected fields */
struct field {
	char *path, *key, *value;
};
static struct field *fields;
static size_t nfields;

/* FIELDS file: one "path<TAB>key<TAB>value" a line. 0, or -1 (said on stderr). */
static int load_fields(const char *name)
{
	FILE *f = fopen(name, "r");
	if (!f) {
		fprintf(stderr, "bench_parse: cannot open %s\n", name);
		return -1;
	}
	char *line = NULL;
	size_t cap = 0;
	ssize_t n;
	int rc = 0;
	while ((n = getline(&line, &cap, f)) > 0) {
		if (line[n - 1] == '\n')
			line[--n] = '\0';
		char *k = strchr(line, '\t'), *v = k ? strchr(k + 1, '\t') : NULL;
		struct field *nf = realloc(fields, (nfields + 1) * sizeof(*fields));
		if (!k || !v || !nf) {
			fprintf(stderr, "bench_parse: %s: bad line or out of memory: %s\n", name, line);
			if (nf)
				fields = nf;
			rc = -1;
			break;
		}
		fields = nf;
		*k++ = '\0';
		*v++ = '\0';
		fields[nfields].path = strdup(line);
		fields[nfields].key = strdup(k);
		fields[nfields].value = strdup(v);
		if (!fields[nfields].path || !fields[nfields].key || !fields[nfields].value) {
			rc = -1;
			break;
		}
		nfields++;
	}
	free(line);
	fclose(f);
	return rc;
}

static const char *field_of(const char *path, const char *key)
{
	for (size_t i = 0; i < nfields; i++)
		if (!strcmp(fields[i].path, path) && !strcmp(fields[i].key, key))
			return fields[i].value;
	return NULL;
}

/* One check: the value stated for (path, key) against the parse's bytes (hex) or number
 * (decimal, or 0x... hex). Appends the reason to why[] on a mismatch; 1 when it holds. */
static int check(const char *path, const char *key, const uint8_t *p, size_t n, uint64_t num, char *why, size_t wn)
{
	const char *want = field_of(path, key);
	char got[2 * 64 + 1];
	if (p)
		teeabi_hex(got, p, n);
	else
		snprintf(got, sizeof(got), want && !strncmp(want, "0x", 2) ? "0x%llx" : "%llu", (unsigned long long)num);
	if (want && !strcmp(want, got))
		return 1;
	size_t used = strlen(why);
	snprintf(why + used, wn - used, "%s%s: parsed %.20s%s, MANIFEST %.20s%s", used ? "; " : "", key, got,
		 strlen(got) > 20 ? "..." : "", want ? want : "(none stated)", want && strlen(want) > 20 ? "..." : "");
	return 0;
}

/* The fields each format's parse is checked on (every one must be stated for the file).
 * Returns how many were checked and held; *all how many there were, 0 when the format has
 * no field check (such a file is not judged as passing). */
static int expect_fields(const struct job *j, const char *path, int *all, char *why, size_t wn)
{
	int ok = 0;
	why[0] = '\0';
	*all = 0;
#define CHECK(key, p, n, num) (++*all, ok += check(path, key, p, n, num, why, wn))
	switch (j->fmt) {
	case TEEABI_FMT_TDX_QUOTE:
		CHECK("quote_len", NULL, 0, j->u.q.quote_len);
		CHECK("mrtd", j->u.q.td.mrtd, 48, 0);
		CHECK("report_data", j->u.q.td.report_data, 64, 0);
		break;
	case TEEABI_FMT_TDREPORT:
		CHECK("mrtd", j->u.tdr.td.mrtd, 48, 0);
		CHECK("reportdata", j->u.tdr.td.report_data, 64, 0);
		break;
	case TEEABI_FMT_SNP_REPORT:
		CHECK("version", NULL, 0, j->u.snp.version);
		CHECK("measurement", j->u.snp.measurement, 48, 0);
		CHECK("report_data", j->u.snp.report_data, 64, 0);
		CHECK("chip_id", j->u.snp.chip_id, 64, 0);
		break;
	case TEEABI_FMT_DSTACK_ATTESTATION:
		if (j->buf[0] == '{')
			break; /* JSON: not judged */
		CHECK("payload_len", NULL, 0, j->att.payload.len);
		CHECK("attestation_len", NULL, 0, j->att.scale_len);
		CHECK("runtime_event_count", NULL, 0, j->att.runtime_event_count);
		CHECK("config_len", NULL, 0, j->att.config.len);
		if (j->att.variant == TEEABI_DSTACK_AMD_SEV_SNP) {
			CHECK("cert_count", NULL, 0, j->att.cert_count);
			CHECK("mr_config_len", NULL, 0, j->att.mr_config.len);
			CHECK("snp_version", NULL, 0, j->u.snp.version);
			CHECK("measurement", j->u.snp.measurement, 48, 0);
			CHECK("report_data", j->u.snp.report_data, 64, 0);
		} else {
			CHECK("event_log_count", NULL, 0, j->att.event_log_count);
			CHECK("quote_mrtd", j->u.q.td.mrtd, 48, 0);
			CHECK("quote_report_data", j->u.q.td.report_data, 64, 0);
		}
		break;
	default:
		break;
	}
#undef CHECK
	return ok;
}

/* Target ratio for a format; 0 = not judged (JSON). */
static double target_of(const struct job *j)
{
	switch (j->fmt) {
	case TEEABI_FMT_SNP_REPORT:
	case TEEABI_FMT_SNP_MSG_REPORT_RSP:
		return 5.0;
	case TEEABI_FMT_TDREPORT:
	case TEEABI_FMT_TDX_QUOTE:
	case TEEABI_FMT_SNP_CERT_TABLE:
	case TEEABI_FMT_SGX_REPORT:
		return 2.0;
	case TEEABI_FMT_DSTACK_ATTESTATION:
		return j->buf[0] == '{' ? 0 : 2.0;
	default:
		return 0;
	}
}

int main(int argc, char **argv)
{
	if (argc < 4 || strcmp(argv[1], "--expect")) {
		fprintf(stderr, "usage: bench_parse --expect FIELDS FILE...\n");
		return 2;
	}
	if (load_fields(argv[2]))
		return 2;
	static uint8_t buf[MAX_FILE], dst[MAX_FILE];
	static struct job j;
	int judged = 0, missed = 0, broken = 0, info = 0;
	for (int a = 3; a < argc; a++) {
		FILE *f = fopen(argv[a], "rb");
		if (!f) {
			fprintf(stderr, "bench_parse: cannot open %s\n", argv[a]);
			return 2;
		}
		size_t len = fread(buf, 1, sizeof(buf), f);
		int big = !feof(f) && fgetc(f) != EOF;
		fclose(f);
		if (len == 0 || big) {
			fprintf(stderr, "bench_parse: %s: empty or larger than %d bytes\n", argv[a], MAX_FILE);
			return 2;
		}
		memset(&j, 0, sizeof(j));
		j.buf = buf, j.len = len, j.fmt = teeabi_detect(buf, len), j.dst = dst;
		do_parse(&j);
		if (j.last != TEEABI_OK) {
			printf("%s: %s: does not parse: %s: FAIL\n", argv[a], teeabi_format_name(j.fmt),
			       teeabi_err_name(j.last));
			broken++;
			continue;
		}
		double target = target_of(&j);
		char why[512];
		int all, ok = expect_fields(&j, argv[a], &all, why, sizeof(why));
		if (target && (all == 0 || ok != all)) {
			printf("%s: %s: %s: FAIL\n", argv[a], teeabi_format_name(j.fmt),
			       all ? why : "no field check for this format");
			broken++;
			continue;
		}
		struct bench_result r;
		bench_pair(do_parse, &j, do_memcpy, &j, BATCH_NS, &r);
		/* every timed call succeeded, and the parse still gives the stated fields */
		unsigned long failed = j.failed;
		do_parse(&j);
		if (target && (failed || j.last != TEEABI_OK || expect_fields(&j, argv[a], &all, why, sizeof(why)) != all)) {
			printf("%s: %s: %lu timed parses failed, last %s%s%s: FAIL\n", argv[a], teeabi_format_name(j.fmt),
			       failed, teeabi_err_name(j.last), why[0] ? "; " : "", why);
			broken++;
			continue;
		}
		const char *verdict;
		if (target == 0) {
			verdict = "not judged (JSON through json-c)";
			info++;
		} else {
			judged++;
			verdict = r.ratio < target ? "PASS" : "FAIL";
			missed += r.ratio >= target;
		}
		char tgt[32] = "-";
		if (target)
			snprintf(tgt, sizeof(tgt), "< %.0fx", target);
		char checked[192] = "";
		if (target)
			snprintf(checked, sizeof(checked), "  %d fields ok", all);
		if (target && j.fmt == TEEABI_FMT_DSTACK_ATTESTATION && scale_floor(buf, len) == 0) {
			struct bench_result fl, pl;
			bench_pair(do_floor, &j, do_memcpy, &j, BATCH_NS, &fl);
			bench_pair(do_payload, &j, do_memcpy, &j, BATCH_NS, &pl);
			size_t used = strlen(checked);
			snprintf(checked + used, sizeof(checked) - used,
				 "; length walk %.0f ns = %.2fx memcpy, payload parse %.0f ns = %.2fx", fl.a_ns, fl.ratio,
				 pl.a_ns, pl.ratio);
		}
		printf("%-62s %-18s %6zu B  parse %8.0f ns  memcpy %5.0f ns  ratio %6.2fx  target %-5s %s%s\n", argv[a],
		       teeabi_format_name(j.fmt), len, r.a_ns, r.b_ns, r.ratio, tgt, verdict, checked);
	}
	printf("bench_parse: %d judged, %d missed the target, %d did not parse or check, %d not judged\n", judged, missed,
	       broken, info);
	return missed || broken ? 1 : 0;
}
