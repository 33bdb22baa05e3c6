/* SPDX-License-Identifier: Apache-2.0 */
/*
 * fuzz/fuzz_judge.c - the suite-side judges (suites/common/util.c: u_judge_tdx_quote,
 * u_judge_snp_report, u_judge_quote_vs_tdreport, u_judge_tdreport_values) fed hostile
 * device answers.
 *
 * The judges report through tst.h; this harness links its own tst_res_/tst_brk_ that
 * count results instead of printing them (the few other tst_* helpers util.c names come
 * from suites/common/stubs/judge_stubs.c), so suites/common/tst.c (fork, TAP, files) stays
 * out. tst_brk_ is noreturn: it longjmps back here, and a judge that ends in tst_brk_ is
 * itself a finding (judges report, they do not bail out).
 *
 * Input: which judge; a pristine answer made by the model (a DCAP quote for a known
 * REPORTDATA and RTMRs, or an SNP report for a known REPORT_DATA and VMPL, with the host's
 * certificate table) mutated by a list of byte flips, a truncation or extension, and wrong
 * expectations (REPORTDATA, RTMRs, VMPL) - or raw fuzzer bytes as the answer.
 *
 * Properties:
 *   - a judge never crashes, and returns exactly the number of FAILs it reported (a BROK
 *     for its own failure counts as one);
 *   - the pristine answer with the right expectations yields 0 FAILs and a PASS;
 *   - a flipped byte the signature covers (TDX: the header and body [0, 632), the
 *     signature data length, the signature, the attestation key, the certification data
 *     type/size, the QE report data and the QE auth data, all bound by the ECDSA signature
 *     or the QE binding; SNP with certificates: the signed report [0, 0x2A0) and R/S), a
 *     truncated answer, or a wrong REPORTDATA/RTMR/VMPL expectation yields >= 1 FAIL;
 *   - (TDX mode 0x20) the TDREPORT value pins (u_judge_tdreport_values) on the model's
 *     TDREPORT, mutated: 0 FAILs pristine, >= 1 when a byte they pin to zero changed.
 * An SNP judge with certificates costs an ECDSA-P384 verify per exec, a TDX one a P-256
 * verify.
 */
/* fuzz-extra-sources: suites/common/util.c suites/common/inonly.c suites/common/snp_pin.c suites/common/stubs/judge_stubs.c */
#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stdbool.h>
#include "fuzz.h"
#include "model.h"
#include "teeabi/abi.h"
#include "teeabi/snp.h"
#include "teeabi/tdx.h"
#include "../suites/common/tst.h"
#include "../suites/common/util.h"
#include "../suites/common/stubs/judge_stubs.h"

/* ---------------------------------------------------------------- tst.h, counting */
static int n_pass, n_fail, n_brok, n_skip, n_info;
static jmp_buf brk_jmp;
static bool brk_armed;

void tst_res_(enum tst_result r, const char *file, int line, const char *fmt, ...)
{
	char msg[1024];
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap); /* the judge's format arguments are exercised */
	va_end(ap);
	switch (r) {
	case TST_PASS: n_pass++; break;
	case TST_FAIL: n_fail++; break;
	case TST_BROK: n_brok++; break;
	case TST_SKIP: n_skip++; break;
	default: n_info++; break;
	}
}

void judge_stub_brk(enum tst_result r, const char *file, int line, const char *msg)
{
	FZ_CHECK(brk_armed, "tst_brk outside a judge: %s:%d %s", file, line, msg);
	longjmp(brk_jmp, 1);
}

/* judge_stubs.c: the harness must not touch files */
void judge_stub_misuse(const char *fn, const char *arg) { FZ_CHECK(0, "%s(%s) called by a judge", fn, arg); }

/* ---------------------------------------------------------------- pristine answers */
static uint8_t rd0[64];
static uint8_t *quote0;
static size_t quote0_len;
static uint8_t rtmr0[4][48];
static uint8_t tdreport0[1024]; /* the TDREPORT quote0 was made from */
static uint8_t report0[TEEABI_SNP_REPORT_LEN];
static uint8_t *certs0;
static size_t certs0_len;
#define VMPL0 1

static void reset_counts(void) { n_pass = n_fail = n_brok = n_skip = n_info = 0; }

int LLVMFuzzerInitialize(int *argc, char ***argv)
{
	struct teeabi_profile p;
	char err[256];
	for (int i = 0; i < 64; i++)
		rd0[i] = (uint8_t)(0xA0 ^ i);

	FZ_CHECK(teeabi_profile_parse("name = fz-judge-tdx\nplatform = tdx\nkernel = 6.16.0\n", &p, err, sizeof(err)) == 0,
		 "%s", err);
	struct tm_dev *t = tm_new(&p, TM_NO_FAULTS);
	FZ_CHECK(t != NULL, "tm_new");
	uint8_t ext[48], rep[1024];
	memset(ext, 0x33, sizeof(ext));
	FZ_CHECK(tm_tdx_rtmr_extend(t, 3, ext) == 0, "extend");
	FZ_CHECK(tm_tdx_tdreport(t, rd0, rep) == 0, "tdreport");
	for (int i = 0; i < 4; i++)
		memcpy(rtmr0[i], rep + TDREPORT_OFF_RTMR0 + 48 * i, 48);
	FZ_CHECK(tm_tdx_quote(t, rep, &quote0, &quote0_len) == 0, "quote");
	memcpy(tdreport0, rep, sizeof(tdreport0));
	tm_free(t);

	FZ_CHECK(teeabi_profile_parse("name = fz-judge-snp\nplatform = snp\nkernel = 6.11.0\n", &p, err, sizeof(err)) == 0,
		 "%s", err);
	struct tm_dev *s = tm_new(&p, TM_NO_FAULTS);
	FZ_CHECK(s != NULL, "tm_new");
	uint8_t resp[4000];
	FZ_CHECK(tm_sev_report(s, rd0, VMPL0, resp) == 0, "SNP report");
	memcpy(report0, resp + 0x20, sizeof(report0));
	const uint8_t *c = tm_sev_certs(s, &certs0_len);
	certs0 = malloc(certs0_len);
	FZ_CHECK(certs0 != NULL, "malloc");
	memcpy(certs0, c, certs0_len);
	tm_free(s);

	/* the pristine answers pass */
	reset_counts();
	FZ_CHECK(u_judge_tdx_quote("pristine", quote0, quote0_len, rd0, (const uint8_t(*)[48])rtmr0) == 0 && !n_fail &&
			 n_pass == 1,
		 "pristine quote: %d FAILs", n_fail);
	reset_counts();
	FZ_CHECK(u_judge_snp_report("pristine", report0, sizeof(report0), rd0, VMPL0, certs0, certs0_len) == 0 &&
			 !n_fail && n_pass == 1,
		 "pristine SNP report: %d FAILs", n_fail);
	return 0;
}

/* ---------------------------------------------------------------- one judgement */
struct call {
	bool snp;
	const uint8_t *buf, *rd, *certs;
	size_t len, certs_len;
	const uint8_t (*rtmr)[48];
	long vmpl;
	const struct teeabi_tdx_quote *vs; /* set: u_judge_quote_vs_tdreport against tdreport0 */
	const uint8_t *tdr;                /* set: u_judge_tdreport_values on these 1024 bytes */
};

/* Run a judge with tst_brk_ armed; a judge that ends in tst_brk is a finding. */
static int judged(const struct call *c)
{
	volatile int fails = -1;
	brk_armed = true;
	if (setjmp(brk_jmp) == 0)
		fails = c->tdr   ? u_judge_tdreport_values("tdreport", c->tdr)
			: c->vs  ? u_judge_quote_vs_tdreport("outblob", c->vs, tdreport0, tdreport0)
			: c->snp ? u_judge_snp_report("outblob", c->buf, c->len, c->rd, c->vmpl, c->certs, c->certs_len)
				 : u_judge_tdx_quote("outblob", c->buf, c->len, c->rd, c->rtmr);
	else
		FZ_CHECK(0, "judge ended in tst_brk");
	brk_armed = false;
	return fails;
}
struct mutation {
	uint8_t *buf;
	size_t len;
	bool flipped_guarded;  /* a flip the signature/binding makes detectable */
	bool flipped;
	bool truncated;
};

/* Copy base (len n) with up to 8 single-byte flips, then truncation or extension. */
static void mutate(struct fz *f, const uint8_t *base, size_t n, bool (*guarded)(size_t, void *), void *ctx,
		   struct mutation *m)
{
	uint8_t nflip = fz_u8(f) % 9, shape = fz_u8(f);
	size_t len = n;
	if ((shape & 3) == 1)
		len = n - 1 - fz_u16(f) % n; /* shorter */
	else if ((shape & 3) == 2)
		len = n + 1 + fz_u16(f) % 4096; /* trailing bytes */
	m->buf = malloc(len ? len : 1);
	FZ_CHECK(m->buf != NULL, "malloc");
	memcpy(m->buf, base, len < n ? len : n);
	if (len > n) {
		if (shape & 4)
			fz_bytes(f, m->buf + n, len - n);
		else
			memset(m->buf + n, 0, len - n);
	}
	m->len = len;
	m->truncated = len < n;
	m->flipped = m->flipped_guarded = false;
	for (unsigned i = 0; i < nflip; i++) {
		size_t pos = fz_u16(f) % n;
		uint8_t x = fz_u8(f);
		if (!x || pos >= len)
			continue;
		m->buf[pos] ^= x;
		m->flipped = true;
		if (guarded(pos, ctx) && base[pos] != m->buf[pos])
			m->flipped_guarded = true;
	}
	/* a later flip may undo an earlier one at the same position */
	if (m->flipped_guarded) {
		bool still = false;
		for (size_t i = 0; i < (len < n ? len : n) && !still; i++)
			still = m->buf[i] != base[i] && guarded(i, ctx);
		m->flipped_guarded = still;
	}
}

static bool tdx_guarded(size_t pos, void *ctx)
{
	const size_t sd = 632 + 4;        /* signature data */
	const size_t cd = sd + 134;       /* certification data: QE report, sig, auth size, auth */
	(void)ctx;
	return pos < cd ||                               /* header, body, length, sig, key, type, size */
	       (pos >= cd + 320 && pos < cd + 384) ||   /* QE report data: SHA-256(AK || auth) || 0 */
	       (pos >= cd + 450 && pos < cd + 450 + 32); /* QE auth data */
}

/* TDREPORT bytes whose pristine value (zero) u_judge_tdreport_values pins whatever the rest
 * says: the reserved ranges outside TEE_TCB_INFO, TEE_TCB_SVN's reserved bytes 3..15,
 * MRSIGNERSEAM and SEAM_ATTRIBUTES (the VALID-dependent chunks are not listed: a flip of
 * VALID may legally make them judged differently) */
static bool tdr_guarded(size_t pos, void *ctx)
{
	(void)ctx;
	return (pos >= 0x003 && pos < 0x010) || (pos >= 0x0C0 && pos < 0x0E0) || (pos >= 0x10B && pos < 0x118) ||
	       (pos >= 0x148 && pos < 0x180) || (pos >= 0x1EF && pos < 0x200) || (pos >= 0x3C0 && pos < 0x400);
}

/* ctx: the judge gets the pristine certificate table, so it verifies the signature */
static bool snp_guarded(size_t pos, void *ctx)
{
	bool verifies = *(bool *)ctx;
	/* REPORT_DATA and VMPL flips count through `wrong` (the expectation may be flipped too) */
	if (pos >= SNP_OFF_SIG_ALGO && pos < SNP_OFF_SIG_ALGO + 4)
		return true; /* anything but 1 does not parse */
	return verifies && pos < SNP_OFF_SIGNATURE + 144; /* the signed report and R/S */
}

static void judge_tdx(struct fz *f)
{
	uint8_t mode = fz_u8(f);
	uint8_t rd[64];
	uint8_t rt[4][48];
	const uint8_t (*rtp)[48] = NULL;
	struct mutation m;
	bool raw = (mode & 3) == 3;
	bool wrong = false;

	memcpy(rd, rd0, 64);
	memcpy(rt, rtmr0, sizeof(rt));
	if (raw) {
		size_t n = fz_u16(f) % 8192;
		m.buf = malloc(n ? n : 1);
		FZ_CHECK(m.buf != NULL, "malloc");
		m.len = fz_bytes(f, m.buf, n);
		m.flipped = m.flipped_guarded = m.truncated = false;
		fz_bytes(f, rd, 64);
	} else {
		mutate(f, quote0, quote0_len, tdx_guarded, NULL, &m);
	}
	if (mode & 4) {
		rtp = (const uint8_t(*)[48])rt;
		if (mode & 8) {
			rt[fz_u8(f) % 4][fz_u8(f) % 48] ^= 0x01;
			wrong = true;
		}
	}
	if (mode & 0x10) {
		rd[fz_u8(f) % 64] ^= 0x80;
		wrong = true;
	}

	reset_counts();
	int fails = judged(&(struct call){ .snp = false, .buf = m.buf, .len = m.len, .rd = rd, .rtmr = rtp });
	FZ_CHECK(fails == n_fail + n_brok, "u_judge_tdx_quote returned %d, reported %d FAIL + %d BROK", fails, n_fail, n_brok);
	FZ_CHECK(n_pass == (fails == 0), "%d PASS with %d FAILs", n_pass, fails);
	if (!raw) {
		if (!m.flipped && !m.truncated && m.len == quote0_len && !wrong)
			FZ_CHECK(fails == 0, "pristine quote: %d FAILs", fails);
		if (m.flipped_guarded || m.truncated || wrong)
			FZ_CHECK(fails >= 1, "quote with a %s judged good", m.truncated ? "truncation" : wrong ? "wrong expectation"
										: "flipped signed byte");
	}
	/* whatever parses as a quote is also judged against the TDREPORT quote0 was made from: a
	 * v4 quote whose TD10 body [48, 632) and QE report CPUSVN [770, 786) are quote0's has no
	 * FAIL, one that differs there at least one */
	struct teeabi_tdx_quote tq;
	if (teeabi_tdx_quote_parse(m.buf, m.len, TEEABI_QUOTE_DEFAULT, &tq) == TEEABI_OK) {
		reset_counts();
		fails = judged(&(struct call){ .vs = &tq });
		FZ_CHECK(fails == n_fail && !n_brok, "u_judge_quote_vs_tdreport returned %d, reported %d FAIL + %d BROK", fails,
			 n_fail, n_brok);
		FZ_CHECK(n_pass == (fails == 0), "%d PASS with %d FAILs", n_pass, fails);
		if (tq.version == 4 && tq.body_offset == 48 && tq.qe_report == m.buf + 770) {
			bool differs = memcmp(m.buf + 48, quote0 + 48, 584) || memcmp(m.buf + 770, quote0 + 770, 16);
			FZ_CHECK(differs == (fails > 0), "quote vs TDREPORT: %d FAILs, the compared bytes %s", fails,
				 differs ? "differ" : "are the TDREPORT's");
		}
	}
	free(m.buf);
	/* mode 0x20: the TDREPORT value pins on the TDREPORT quote0 was made from, mutated: the
	 * count is the FAILs reported, never a PASS (the judge leaves that to its test), none on
	 * the pristine report, at least one when a pinned byte changed */
	if (mode & 0x20) {
		mutate(f, tdreport0, sizeof(tdreport0), tdr_guarded, NULL, &m);
		if (m.len == sizeof(tdreport0)) {
			reset_counts();
			fails = judged(&(struct call){ .tdr = m.buf });
			FZ_CHECK(fails == n_fail && !n_brok && !n_pass, "u_judge_tdreport_values returned %d, reported %d FAIL + %d BROK + %d PASS",
				 fails, n_fail, n_brok, n_pass);
			if (!m.flipped)
				FZ_CHECK(fails == 0, "pristine TDREPORT: %d FAILs", fails);
			if (m.flipped_guarded)
				FZ_CHECK(fails >= 1, "TDREPORT with a pinned byte changed judged good");
		}
		free(m.buf);
	}
}

static void judge_snp(struct fz *f)
{
	uint8_t mode = fz_u8(f);
	uint8_t rd[64];
	struct mutation m, c;
	bool with_certs = (mode & 0xC0) == 0xC0; /* an ECDSA-P384 verify: only when asked */
	bool verifies = with_certs && !(mode & 0x38); /* the pristine table goes along */
	bool raw = (mode & 3) == 3;
	bool wrong = false;
	long vmpl = VMPL0;

	memcpy(rd, rd0, 64);
	if (raw) {
		size_t n = fz_u8(f) & 1 ? TEEABI_SNP_REPORT_LEN : fz_u16(f) % 4096;
		m.buf = malloc(n ? n : 1);
		FZ_CHECK(m.buf != NULL, "malloc");
		m.len = n;
		fz_bytes(f, m.buf, n);
		m.flipped = m.flipped_guarded = m.truncated = false;
		fz_bytes(f, rd, 64);
	} else {
		mutate(f, report0, sizeof(report0), snp_guarded, &verifies, &m);
	}
	c.buf = NULL;
	c.len = 0;
	c.flipped_guarded = false;
	if (with_certs) {
		if (mode & 0x20) {
			size_t n = fz_u16(f) % 9000;
			c.buf = malloc(n ? n : 1);
			FZ_CHECK(c.buf != NULL, "malloc");
			c.len = fz_bytes(f, c.buf, n);
		} else {
			c.buf = malloc(certs0_len);
			FZ_CHECK(c.buf != NULL, "malloc");
			memcpy(c.buf, certs0, certs0_len);
			c.len = certs0_len;
			if (mode & 0x10) {
				/* the VCEK entry's GUID: the table then names no VCEK/VLEK */
				c.buf[fz_u8(f) % 16] ^= 0x01;
				c.flipped_guarded = true;
			}
			if (mode & 0x08)
				c.buf[fz_u16(f) % c.len] ^= fz_u8(f) | 1; /* anywhere: no promise */
			c.flipped_guarded = memcmp(c.buf, certs0, 16) != 0; /* unless it undid the first */
		}
	}
	if (mode & 4) {
		uint8_t v = fz_u8(f);
		vmpl = v < 0xF0 ? (long)(v % 6) - 1 : (long)fz_u32(f);
	}
	if ((mode & 0x30) == 0x30 && !with_certs)
		rd[fz_u8(f) % 64] ^= 0x01;
	/* the expectation differs from what the (possibly flipped) report says */
	if (m.len == sizeof(report0))
		wrong = memcmp(m.buf + SNP_OFF_REPORT_DATA, rd, 64) != 0 ||
			(vmpl >= 0 && teeabi_le32(m.buf + SNP_OFF_VMPL) != (uint64_t)vmpl);

	reset_counts();
	int fails = judged(&(struct call){ .snp = true, .buf = m.buf, .len = m.len, .rd = rd, .vmpl = vmpl,
					   .certs = c.buf, .certs_len = c.len });
	FZ_CHECK(fails == n_fail + n_brok, "u_judge_snp_report returned %d, reported %d FAIL + %d BROK", fails, n_fail,
		 n_brok);
	FZ_CHECK(n_pass == (fails == 0), "%d PASS with %d FAILs", n_pass, fails);
	if (!raw) {
		bool certs_pristine = !with_certs || (!(mode & 0x20) && !(mode & 0x18));
		if (!m.flipped && !m.truncated && m.len == sizeof(report0) && !wrong && certs_pristine)
			FZ_CHECK(fails == 0, "pristine SNP report: %d FAILs", fails);
		if (m.flipped_guarded || m.len != sizeof(report0) || wrong || c.flipped_guarded)
			FZ_CHECK(fails >= 1, "SNP report with a %s judged good",
				 m.len != sizeof(report0) ? "wrong length" : wrong ? "wrong expectation" :
				 c.flipped_guarded ? "VCEK GUID flip" : "flipped signed byte");
	}
	free(m.buf);
	free(c.buf);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct fz f = { data, size };
	if (fz_u8(&f) & 1)
		judge_snp(&f);
	else
		judge_tdx(&f);
	return 0;
}
