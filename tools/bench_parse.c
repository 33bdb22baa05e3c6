/* SPDX-License-Identifier: Apache-2.0 */
/*
 * bench_parse - the structural parse of real evidence against the memory floor: for each
 * file, the parser its format calls for (teeabi_detect) against a memcpy of the same bytes,
 * timed interleaved in one run (tools/bench.h), so the ratio means the same on any machine.
 *
 *   bench_parse FILE...
 *
 * Per file one line: format, size, ns/op of the parse and of the memcpy, the ratio and the
 * target: 2x for TDX quotes, TDREPORTs, SGX reports, certificate tables and dstack SCALE
 * attestations (the SCALE structure and then its quote or report payload, what a client of
 * an attestation parses), 5x for SNP reports and MSG_REPORT_RSP (a fixed layout with many
 * must-be-zero ranges and bit fields to decode). JSON inputs (dstack GetQuote responses and
 * JSON-wrapped attestations) go through json-c, a tree-building parser with allocations:
 * their time is printed with the ratio, and the line says "not judged" (they have no
 * memory-floor target); they never count as a pass.
 * Exit 0 when every judged file meets its target, 1 when one does not or a file does not
 * parse, 2 on usage errors or an unreadable file.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "bench.h"
#include "teeabi/detect.h"
#include "teeabi/dstack.h"
#include "teeabi/snp.h"
#include "teeabi/tdx.h"

#define MAX_FILE (1 << 20)
#define BATCH_NS 5e5

struct job {
	const uint8_t *buf;
	size_t len;
	enum teeabi_format fmt;
	uint8_t *dst;
	teeabi_err last;
};

static volatile uint64_t sink;

static void do_memcpy(void *arg)
{
	struct job *j = arg;
	memcpy(j->dst, j->buf, j->len);
	sink += j->dst[j->len - 1];
}

static teeabi_err parse_scale(const uint8_t *buf, size_t len)
{
	struct teeabi_dstack_att att;
	teeabi_err e = teeabi_dstack_scale_parse(buf, len, 0, &att);
	if (e)
		return e;
	if (att.variant == 3) {
		struct teeabi_snp_report r;
		return teeabi_snp_report_parse(att.payload.p, att.payload.len, 0, &r);
	}
	struct teeabi_tdx_quote q;
	return teeabi_tdx_quote_parse(att.payload.p, att.payload.len, TEEABI_QUOTE_DEFAULT, &q);
}

static void do_parse(void *arg)
{
	struct job *j = arg;
	union {
		struct teeabi_tdreport tdr;
		struct teeabi_tdx_quote q;
		struct teeabi_snp_report snp;
		struct teeabi_snp_msg_report_rsp rsp;
		struct teeabi_cert_table certs;
		struct teeabi_sgx_report sgx;
	} u;
	switch (j->fmt) {
	case TEEABI_FMT_TDREPORT:
		j->last = teeabi_tdreport_parse(j->buf, j->len, &u.tdr);
		break;
	case TEEABI_FMT_TDX_QUOTE:
		j->last = teeabi_tdx_quote_parse(j->buf, j->len, TEEABI_QUOTE_DEFAULT, &u.q);
		break;
	case TEEABI_FMT_SNP_REPORT:
		j->last = teeabi_snp_report_parse(j->buf, j->len, TEEABI_SNP_ALLOW_TRAILING, &u.snp);
		break;
	case TEEABI_FMT_SNP_MSG_REPORT_RSP:
		j->last = teeabi_snp_msg_report_rsp_parse(j->buf, j->len, &u.rsp);
		break;
	case TEEABI_FMT_SNP_CERT_TABLE:
		j->last = teeabi_snp_cert_table_parse(j->buf, j->len, 0, &u.certs);
		break;
	case TEEABI_FMT_SGX_REPORT:
		j->last = teeabi_sgx_report_parse(j->buf, j->len, &u.sgx);
		break;
	case TEEABI_FMT_DSTACK_ATTESTATION:
		if (j->buf[0] != '{') {
			j->last = parse_scale(j->buf, j->len);
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
	sink += (uint64_t)j->last;
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
	if (argc < 2) {
		fprintf(stderr, "usage: bench_parse FILE...\n");
		return 2;
	}
	static uint8_t buf[MAX_FILE], dst[MAX_FILE];
	int judged = 0, missed = 0, broken = 0, info = 0;
	for (int a = 1; a < argc; a++) {
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
		struct job j = { .buf = buf, .len = len, .fmt = teeabi_detect(buf, len), .dst = dst };
		do_parse(&j);
		if (j.last != TEEABI_OK) {
			printf("%s: %s: does not parse: %s: FAIL\n", argv[a], teeabi_format_name(j.fmt),
			       teeabi_err_name(j.last));
			broken++;
			continue;
		}
		struct bench_result r;
		bench_pair(do_parse, &j, do_memcpy, &j, BATCH_NS, &r);
		double target = target_of(&j);
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
		printf("%-62s %-18s %6zu B  parse %8.0f ns  memcpy %5.0f ns  ratio %6.2fx  target %-5s %s\n", argv[a],
		       teeabi_format_name(j.fmt), len, r.a_ns, r.b_ns, r.ratio, tgt, verdict);
	}
	printf("bench_parse: %d judged, %d missed the target, %d did not parse, %d not judged\n", judged, missed, broken,
	       info);
	return missed || broken ? 1 : 0;
}
