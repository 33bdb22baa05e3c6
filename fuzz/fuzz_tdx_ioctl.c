/* SPDX-License-Identifier: Apache-2.0 */
/*
 * fuzz/fuzz_tdx_ioctl.c - the /dev/tdx_guest model's ioctl dispatch (mocks/model/tdx_guest.c)
 * driven with a simulated user address space.
 *
 * Input: a profile choice (upstream 6.2/6.16, dstack module with and without the index
 * check, Intel downstream, absent), a set of fuzzer-sized "user" buffers, then a program of
 * steps: ioctls with a command mostly from the known set (GET_REPORT0, dstack/Intel
 * EXTEND_RTMR _IOR/_IOW, VERIFY_REPORT, GET_QUOTE, their V3 forms, the DCAP tdx-attest
 * numbers, wrong sizes and directions) or a raw number, an argument pointer aimed at a
 * buffer (inside, near the end, past it), NULL or a wild value, and struct contents laid
 * out in the buffer (reportdata, extend data and index, a TDREPORT copied from an earlier
 * answer with or without a flipped byte, a GetQuote header and request); raw pokes; direct
 * RTMR extends; machine resets.
 *
 * The buffers are separate heap blocks with guard bytes on both sides; only the inner part
 * is registered with the model's in-process accessor (tm_local_ua), so an out-of-range
 * pointer must give EFAULT and nothing may be written outside the caller's buffers.
 *
 * Properties (docs/kernel-abi.md §1.2, §1.5; docs/dstack-os.md §1.2):
 *   - the return value is exactly what the documented driver of the flavour returns for
 *     that command and that memory (ENOTTY for other numbers, EFAULT for a fault, EINVAL
 *     for the documented argument checks, ENODEV without a driver);
 *   - the only bytes that change are the documented output windows (tdreport at +64,
 *     err_code at +256, the GetQuote buffer); guard bytes never change;
 *   - a successful GET_REPORT0 writes a TDREPORT that lib/tdx_report.c parses, whose hashes
 *     verify, whose REPORTDATA is the caller's 64 bytes and whose RTMRs are the shadow RTMRs;
 *   - RTMRs follow an independent SHA-384 chain (OpenSSL here): an extend that succeeds
 *     gives SHA-384(old || data), a failing one changes nothing;
 *   - VERIFY_REPORT: an untouched REPORTMACSTRUCT from an earlier report gives err_code 0,
 *     one with a flipped byte does not;
 *   - GET_QUOTE: an untouched earlier TDREPORT that fits gives status SUCCESS with a quote
 *     whose body is that report's; a TDREPORT with a byte flipped in a MAC'd or hashed
 *     range gives GET_QUOTE_ERROR; whatever succeeds parses, binds the QE to the
 *     attestation key and carries a TDREPORT whose hashes hold.
 */
#include <errno.h>
#include <stdbool.h>
#include <openssl/evp.h>
#include "fuzz.h"
#include "fz_arena.h"
#include "model.h"
#include "fz_sign.h"
#include "teeabi/abi.h"
#include "teeabi/tdx.h"

/* ---------------------------------------------------------------- profiles */
/* Negative control: build with -DFZ_FAULTS='TM_FAULT_BIT(TM_FAULT_X)' and the properties
 * must trip on the injected kernel bugs. */
#ifndef FZ_FAULTS
#define FZ_FAULTS TM_NO_FAULTS
#endif

static const char *const profiles[] = {
	"name = fz-upstream-6.2\nplatform = tdx\nkernel = 6.2.0\n",
	"name = fz-upstream-6.16\nplatform = tdx\nkernel = 6.16.0\n",
	"name = fz-dstack-0.5.3\nplatform = tdx\nkernel = 6.9.0-dstack\ntdx_guest = dstack-mod\n"
	"tdx_extend_index_check = 0\nconfigfs_tsm = 0\n",
	"name = fz-dstack-0.5.9\nplatform = tdx\nkernel = 6.9.0-dstack\ntdx_guest = dstack-mod\n"
	"tdx_extend_index_check = 1\nconfigfs_tsm = 0\n",
	"name = fz-intel\nplatform = tdx\nkernel = 6.8.0-intel\ntdx_guest = intel\nconfigfs_tsm = 0\n",
	"name = fz-absent\nplatform = snp\nkernel = 6.1.0\n", /* an SNP guest: no /dev/tdx_guest */
};
#define NPROF (sizeof(profiles) / sizeof(profiles[0]))

struct machine {
	struct tm_dev *d;
	const struct teeabi_profile *p;
	size_t qlen; /* length of this machine's quotes (fixed: the PEM chain does not change) */
};
static struct machine machines[NPROF];

static struct machine *machine_get(unsigned i)
{
	struct machine *m = &machines[i];
	if (m->d)
		return m;
	struct teeabi_profile p;
	char err[256];
	FZ_CHECK(teeabi_profile_parse(profiles[i], &p, err, sizeof(err)) == 0, "profile %u: %s", i, err);
	m->d = tm_new(&p, FZ_FAULTS);
	FZ_CHECK(m->d != NULL, "tm_new(%s)", p.name);
	tm_set_fast_sign(m->d, true); /* every signature checked (fz_sign.h); real ECDSA: fuzz_sign */
	m->p = tm_profile(m->d);
	uint8_t rd[64] = { 0 }, rep[1024], *q = NULL;
	FZ_CHECK(tm_tdx_tdreport(m->d, rd, rep) == 0, "tdreport");
	FZ_CHECK(tm_tdx_quote(m->d, rep, &q, &m->qlen) == 0, "quote");
	free(q);
	tm_reset(m->d);
	return m;
}

/* ---------------------------------------------------------------- user memory */
static const size_t size_table[] = { 0, 1, 8, 16, 23, 24, 48, 49, 63, 64, 65, 255, 256, 263, 264,
				     1023, 1024, 1048, 1052, 1087, 1088, 1089, 2048, 4096, 8192, 16384 };
#define NSIZES (sizeof(size_table) / sizeof(size_table[0]))
#define RAND_LEN_MAX 20000

/* ---------------------------------------------------------------- helpers */
static void sha384_cat(const uint8_t a[48], const uint8_t b[48], uint8_t out[48])
{
	uint8_t in[96];
	unsigned n = 0;
	memcpy(in, a, 48);
	memcpy(in + 48, b, 48);
	FZ_CHECK(EVP_Digest(in, sizeof(in), out, &n, EVP_sha384(), NULL) == 1 && n == 48, "EVP_Digest");
}

static uint64_t le64(const uint8_t *p) { return teeabi_le64(p); }

#define NSTASH 4
struct state {
	struct machine *m;
	uint8_t rtmr[4][48]; /* shadow RTMRs */
	uint8_t stash[NSTASH][1024]; /* TDREPORTs the model handed out in this run */
	int nstash;
	uint64_t inj_status; /* injected TDG.MR.REPORT failures still pending */
	unsigned inj_count;
};

static void shadow_from_boot(struct state *S)
{
	/* the boot values are the baseline; every later value follows from the chain */
	for (unsigned i = 0; i < 4; i++)
		tm_tdx_rtmr_get(S->m->d, i, S->rtmr[i]);
}

static void check_rtmrs(struct state *S, const char *what)
{
	for (unsigned i = 0; i < 4; i++) {
		uint8_t v[48];
		tm_tdx_rtmr_get(S->m->d, i, v);
		FZ_CHECK(memcmp(v, S->rtmr[i], 48) == 0, "%s: RTMR%u differs from SHA-384 chain", what, i);
	}
}

static void check_tdreport(struct state *S, const uint8_t *rep, const uint8_t rd[64], const char *what)
{
	struct teeabi_tdreport t;
	teeabi_err e = teeabi_tdreport_parse(rep, 1024, &t);
	FZ_CHECK(e == TEEABI_OK, "%s: TDREPORT does not parse: %s", what, teeabi_err_name(e));
	FZ_CHECK(t.type == 0x81 && t.subtype == 0, "%s: type %02x/%02x", what, t.type, t.subtype);
	e = teeabi_tdreport_verify_hashes(rep, 1024);
	FZ_CHECK(e == TEEABI_OK, "%s: TDREPORT hashes: %s", what, teeabi_err_name(e));
	FZ_CHECK(memcmp(rep + 128, rd, 64) == 0 && t.td.report_data == rep + 128, "%s: REPORTDATA not echoed", what);
	for (int i = 0; i < 4; i++)
		FZ_CHECK(memcmp(t.td.rtmr[i], S->rtmr[i], 48) == 0, "%s: TDREPORT RTMR%d is not the shadow value", what, i);
}

static void stash(struct state *S, const uint8_t *rep)
{
	memcpy(S->stash[S->nstash % NSTASH], rep, 1024);
	S->nstash++;
}

static int stash_count(const struct state *S) { return S->nstash < NSTASH ? S->nstash : NSTASH; }

/* ---------------------------------------------------------------- commands */
static const uint32_t cmds[] = {
	TEEABI_TDX_CMD_GET_REPORT0,
	TEEABI_TDX_CMD_EXTEND_RTMR,
	TEEABI_TDX_CMD_EXTEND_RTMR_IOW,
	TEEABI_TDX_CMD_VERIFY_REPORT,
	TEEABI_TDX_CMD_GET_QUOTE,
	TEEABI_TDX_CMD_VERIFY_REPORT_V3,
	TEEABI_TDX_CMD_GET_QUOTE_V3,
	TEEABI_TDX_ATTEST_CMD_GET_TDREPORT,
	TEEABI_TDX_ATTEST_CMD_GEN_QUOTE,
	TEEABI_TDX_ATTEST_CMD_EXTEND_RTMR,
	TEEABI_TDX_ATTEST_CMD_GET_EXTEND_SIZE,
	TEEABI_SNP_GET_REPORT,
	0x84405401u, /* GET_REPORT0 as _IOR */
	0xC4415401u, /* GET_REPORT0 with a 1089-byte size */
	0xC43F5401u, /* ... 1087 bytes */
	0x00005401u, /* _IO('T', 1) */
	0xC4405402u, /* nr 2 with GET_REPORT0's size */
};
#define NCMD (sizeof(cmds) / sizeof(cmds[0]))

enum kind { K_UNKNOWN, K_REPORT0, K_EXTEND_DSTACK, K_EXTEND_INTEL, K_VERIFY, K_QUOTE };

/* Which handler the documented driver of this flavour has for cmd (kernel-abi.md §1.2, §1.5,
 * dstack-os.md §1.2): the upstream driver knows GET_REPORT0 only; the dstack module adds
 * EXTEND_RTMR in both directions; Intel kernels add the _IOR VERIFY_REPORT, EXTEND_RTMR and
 * GET_QUOTE. */
static enum kind kind_of(const struct teeabi_profile *p, uint32_t cmd)
{
	if (cmd == TEEABI_TDX_CMD_GET_REPORT0)
		return K_REPORT0;
	if (p->tdx_guest == TEEABI_TDX_DSTACK_MOD &&
	    (cmd == TEEABI_TDX_CMD_EXTEND_RTMR || cmd == TEEABI_TDX_CMD_EXTEND_RTMR_IOW))
		return K_EXTEND_DSTACK;
	if (p->tdx_guest == TEEABI_TDX_INTEL) {
		if (cmd == TEEABI_TDX_CMD_EXTEND_RTMR)
			return K_EXTEND_INTEL;
		if (cmd == TEEABI_TDX_CMD_VERIFY_REPORT)
			return K_VERIFY;
		if (cmd == TEEABI_TDX_CMD_GET_QUOTE)
			return K_QUOTE;
	}
	return K_UNKNOWN;
}

/* Lay out a TDREPORT at dst: a stashed one, optionally with one flipped byte (*flip gets
 * its offset, or -1), or fuzzer bytes (*genuine = -1). */
static void put_report(struct state *S, struct fz *f, uint8_t *dst, size_t room, int *genuine, int *flip)
{
	uint8_t rep[1024];
	uint8_t how = fz_u8(f);
	*genuine = -1;
	*flip = -1;
	if (stash_count(S) && (how & 3) != 3) {
		*genuine = (how >> 2) % stash_count(S);
		memcpy(rep, S->stash[*genuine], 1024);
		if (how & 1) {
			*flip = fz_u16(f) % 1024;
			rep[*flip] ^= (uint8_t)(1u << (fz_u8(f) & 7));
		}
	} else {
		fz_bytes(f, rep, sizeof(rep));
		if (how & 0x80)
			rep[0] = 0x81, rep[1] = 0;
	}
	memcpy(dst, rep, room < 1024 ? room : 1024);
}

/* Expected GetQuote outcome for a request of the documented shape. */
struct quote_plan {
	bool planned;
	int genuine, flip;
	uint64_t buf, len;
};

/* Fill the struct at arg the way a caller of cmd would; returns false when nothing fits. */
static void prepare(struct state *S, struct arena *A, struct fz *f, uint32_t cmd, uint64_t arg, struct quote_plan *qp)
{
	memset(qp, 0, sizeof(*qp));
	qp->genuine = qp->flip = -1;
	struct region *r = reach(A, arg, 0);
	if (!r)
		return;
	uint8_t *p = (uint8_t *)(uintptr_t)arg;
	size_t room = r->len - (size_t)(arg - uaddr(r));
	uint8_t tmp[264];
	size_t n;
	switch (cmd) {
	case TEEABI_TDX_CMD_GET_REPORT0:
		fz_bytes(f, tmp, 64);
		memcpy(p, tmp, room < 64 ? room : 64);
		break;
	case TEEABI_TDX_CMD_EXTEND_RTMR:
	case TEEABI_TDX_CMD_EXTEND_RTMR_IOW:
		fz_bytes(f, tmp, 49);
		if (!(tmp[48] & 0xF0))
			tmp[48] &= 7; /* mostly a plausible index */
		memcpy(p, tmp, room < 49 ? room : 49);
		break;
	case TEEABI_TDX_CMD_VERIFY_REPORT:
	case TEEABI_TDX_CMD_VERIFY_REPORT_V3: {
		uint8_t rep[1024];
		int g, fl;
		put_report(S, f, rep, sizeof(rep), &g, &fl);
		memcpy(tmp, rep, 256);
		fz_bytes(f, tmp + 256, 8);
		memcpy(p, tmp, room < 264 ? room : 264);
		break;
	}
	case TEEABI_TDX_CMD_GET_QUOTE:
	case TEEABI_TDX_CMD_GET_QUOTE_V3: {
		static const uint64_t lens[] = { 0, 23, 24, 25, 1047, 1048, 1052, 4096, 8192, 16384, 16385 };
		uint64_t qbuf = fz_ptr(f, A);
		uint8_t ls = fz_u8(f);
		uint64_t qlen_req = ls < 0xE0 ? lens[ls % (sizeof(lens) / sizeof(lens[0]))]
					      : ls < 0xF0 ? fz_u16(f) : fz_u64(f);
		teeabi_put_le64(tmp, qbuf);
		teeabi_put_le64(tmp + 8, qlen_req);
		memcpy(p, tmp, room < 16 ? room : 16);
		/* the GetQuote buffer: tdx_quote_hdr, then the TDREPORT (optionally with the QGS
		 * 4-byte big-endian length in front) */
		struct region *qr = reach(A, qbuf, 0);
		if (!qr)
			break;
		uint8_t *q = (uint8_t *)(uintptr_t)qbuf;
		size_t qroom = qr->len - (size_t)(qbuf - uaddr(qr));
		uint8_t hdr[24 + 4 + 1024];
		uint8_t shape = fz_u8(f);
		memset(hdr, 0, sizeof(hdr));
		teeabi_put_le64(hdr, (shape & 0x10) ? fz_u8(f) : 1);
		teeabi_put_le64(hdr + 8, (shape & 0x20) ? fz_u64(f) : 0);
		uint32_t in_len = (shape & 1) ? 1028 : 1024;
		if (shape & 0x40)
			in_len = fz_u16(f);
		teeabi_put_le32(hdr + 16, in_len);
		teeabi_put_le32(hdr + 20, (shape & 0x80) ? fz_u32(f) : 0);
		size_t off = 24;
		if (shape & 1) {
			hdr[24] = 0, hdr[25] = 0, hdr[26] = 4, hdr[27] = 0; /* BE 1024 */
			if (shape & 2)
				hdr[26] = 3;
			off = 28;
		}
		put_report(S, f, hdr + off, 1024, &qp->genuine, &qp->flip);
		n = off + 1024;
		memcpy(q, hdr, qroom < n ? qroom : n);
		qp->planned = !(shape & 0xF2) && cmd == TEEABI_TDX_CMD_GET_QUOTE;
		qp->buf = qbuf;
		qp->len = qlen_req;
		break;
	}
	default:
		n = fz_u8(f) % 64;
		fz_bytes(f, tmp, n);
		memcpy(p, tmp, room < n ? room : n);
		break;
	}
}

/* ---------------------------------------------------------------- one ioctl */
static void do_ioctl(struct state *S, struct arena *A, struct fz *f)
{
	const struct teeabi_profile *p = S->m->p;
	uint8_t sel = fz_u8(f);
	uint32_t cmd = sel < 0xF0 ? cmds[sel % NCMD] : fz_u32(f);
	uint64_t arg = fz_ptr(f, A);
	struct quote_plan qp;
	if (fz_u8(f) & 1)
		prepare(S, A, f, cmd, arg, &qp);
	else
		memset(&qp, 0, sizeof(qp));

	snap(A);
	long rc = tm_tdx_ioctl(S->m->d, cmd, arg, &A->ua.ua);
	enum kind k = p->tdx_guest == TEEABI_TDX_ABSENT ? K_UNKNOWN : kind_of(p, cmd);
	struct win w[2];
	int nw = 0;
	char what[96];
	snprintf(what, sizeof(what), "%s cmd 0x%08x", p->name, cmd);

	if (p->tdx_guest == TEEABI_TDX_ABSENT) {
		FZ_CHECK(rc == -ENODEV, "%s: no driver but rc %ld", what, rc);
		check_writes(A, w, 0, what);
		return;
	}
	switch (k) {
	case K_UNKNOWN:
		FZ_CHECK(rc == -ENOTTY, "%s: unknown command gives %ld, not -ENOTTY", what, rc);
		break;
	case K_REPORT0: {
		const uint8_t *rd = before(A, arg, 64);
		bool out_ok = arg <= UINT64_MAX - 64 && reach(A, arg + 64, 1024);
		long want = rd && out_ok ? 0 : -EFAULT;
		if (rd && S->inj_count) {
			/* reportdata copied in, then (6.16+) the interruptible buffer mutex, then
			 * TDG.MR.REPORT: its failure is mapped per kernel-abi.md §1.2 and nothing is
			 * copied out */
			uint64_t code = S->inj_status >> 32;
			bool k616 = p->tdx_report_errnos_616;
			S->inj_count--;
			if (S->inj_status == 0)
				want = k616 ? -EINTR : want; /* no mutex before 6.16: a normal call */
			else if (code == TM_TDCALL_INVALID_OPERAND)
				want = k616 ? -ENXIO : -EINVAL;
			else if (code == TM_TDCALL_OPERAND_BUSY && k616)
				want = -EBUSY;
			else
				want = -EIO;
		}
		FZ_CHECK(rc == want, "%s: GET_REPORT0 rc %ld, want %ld", what, rc, want);
		if (!rc) {
			w[nw++] = (struct win){ arg + 64, 1024 };
			check_tdreport(S, host(A, arg + 64, 1024), rd, what);
			stash(S, host(A, arg + 64, 1024));
		}
		break;
	}
	case K_EXTEND_DSTACK:
	case K_EXTEND_INTEL: {
		const uint8_t *req = before(A, arg, 49);
		long want;
		if (!req)
			want = -EFAULT;
		else if (k == K_EXTEND_INTEL)
			want = req[48] < 2 || req[48] > 3 ? -EINVAL : 0;
		else if (req[48] > 3)
			want = p->tdx_extend_index_check ? -EINVAL : -EIO; /* raw TDCALL status before 0.5.9 */
		else
			want = 0;
		FZ_CHECK(rc == want, "%s: EXTEND_RTMR rc %ld, want %ld", what, rc, want);
		if (!rc)
			sha384_cat(S->rtmr[req[48]], req, S->rtmr[req[48]]);
		break;
	}
	case K_VERIFY: {
		const uint8_t *req = before(A, arg, 264);
		long want = req ? 0 : -EFAULT;
		FZ_CHECK(rc == want, "%s: VERIFY_REPORT rc %ld, want %ld", what, rc, want);
		if (!rc) {
			w[nw++] = (struct win){ arg + 256, 8 };
			uint64_t err = le64(host(A, arg + 256, 8));
			/* a REPORTMACSTRUCT the model itself made verifies; a changed one does not */
			for (int i = 0; i < stash_count(S); i++) {
				bool same_body = memcmp(req, S->stash[i], 0xE0) == 0;
				bool same_mac = memcmp(req + 0xE0, S->stash[i] + 0xE0, 32) == 0;
				if (same_body && same_mac)
					FZ_CHECK(err == 0, "%s: genuine REPORTMACSTRUCT gives err_code 0x%llx", what,
						 (unsigned long long)err);
				else if (same_body != same_mac)
					FZ_CHECK(err != 0, "%s: REPORTMACSTRUCT with a changed %s verifies", what,
						 same_mac ? "body" : "MAC");
			}
		}
		break;
	}
	case K_QUOTE: {
		const uint8_t *req = before(A, arg, 16);
		long want;
		uint64_t qbuf = 0, qlen = 0;
		if (!req) {
			want = -EFAULT;
		} else {
			qbuf = le64(req);
			qlen = le64(req + 8);
			if (qlen < 24 || qlen > 16384)
				want = -EINVAL; /* "Use 16K as MAX size" (Intel downstream) */
			else
				want = reach(A, qbuf, qlen) ? 0 : -EFAULT;
		}
		FZ_CHECK(rc == want, "%s: GET_QUOTE rc %ld, want %ld", what, rc, want);
		if (rc)
			break;
		w[nw++] = (struct win){ qbuf, qlen };
		const uint8_t *old = before(A, qbuf, qlen);
		const uint8_t *now = host(A, qbuf, qlen);
		uint64_t status = le64(now + 8);
		uint32_t in_len = teeabi_le32(old + 16), out_len = teeabi_le32(now + 20);
		FZ_CHECK(le64(now) == le64(old) && teeabi_le32(now + 16) == in_len, "%s: GetQuote header changed", what);
		FZ_CHECK(status == TEEABI_GETQUOTE_SUCCESS || status == TEEABI_GETQUOTE_ERROR,
			 "%s: GetQuote status 0x%llx", what, (unsigned long long)status);
		if (status == TEEABI_GETQUOTE_ERROR) {
			FZ_CHECK(out_len == 0, "%s: GetQuote error with out_len %u", what, out_len);
			FZ_CHECK(memcmp(now + 24, old + 24, qlen - 24) == 0, "%s: GetQuote error changed the data", what);
		}
		if (qp.planned && qp.buf == qbuf && qp.len == qlen && qp.genuine >= 0) {
			bool fits = 24 + 4 + S->m->qlen <= qlen && in_len + 24 <= qlen;
			bool hashed = qp.flip >= 0 && (qp.flip < 0x1EF || qp.flip >= 0x200);
			if (qp.flip < 0 && fits)
				FZ_CHECK(status == TEEABI_GETQUOTE_SUCCESS, "%s: genuine TDREPORT refused by the QE", what);
			if (hashed)
				FZ_CHECK(status == TEEABI_GETQUOTE_ERROR,
					 "%s: TDREPORT with byte 0x%x flipped was quoted", what, qp.flip);
		}
		if (status == TEEABI_GETQUOTE_SUCCESS) {
			/* request: version 1, the report right after the header or behind a BE length */
			FZ_CHECK(le64(old) == 1, "%s: version %llu served", what, (unsigned long long)le64(old));
			const uint8_t *rep = in_len == 1024 ? old + 24 : old + 28;
			FZ_CHECK(in_len == 1024 || (in_len == 1028 && old[24] == 0 && old[25] == 0 && old[26] == 4 && old[27] == 0),
				 "%s: malformed GetQuote request served (in_len %u)", what, in_len);
			FZ_CHECK(teeabi_tdreport_verify_hashes(rep, 1024) == TEEABI_OK,
				 "%s: QE quoted a TDREPORT whose TEE_TCB_INFO/TDINFO hashes do not hold", what);
			uint32_t ql = (uint32_t)now[24] << 24 | (uint32_t)now[25] << 16 | (uint32_t)now[26] << 8 | now[27];
			FZ_CHECK(out_len == ql + 4 && ql == S->m->qlen && 24 + (uint64_t)out_len <= qlen,
				 "%s: out_len %u, BE length %u", what, out_len, ql);
			struct teeabi_tdx_quote tq;
			teeabi_err e = teeabi_tdx_quote_parse(now + 28, ql, TEEABI_QUOTE_DEFAULT, &tq);
			FZ_CHECK(e == TEEABI_OK, "%s: GetQuote answer does not parse: %s", what, teeabi_err_name(e));
			FZ_CHECK(memcmp(tq.td.report_data, rep + 128, 64) == 0 &&
					 memcmp(tq.td.rtmr[0], rep + TDREPORT_OFF_RTMR0, 192) == 0 &&
					 memcmp(tq.td.mrtd, rep + TDREPORT_OFF_MRTD, 48) == 0 &&
					 tq.td.td_attributes == le64(rep + TDREPORT_OFF_ATTRIBUTES),
				 "%s: quote body is not the submitted TDREPORT", what);
			FZ_CHECK(teeabi_tdx_quote_verify_qe_binding(&tq) == TEEABI_OK, "%s: QE binding", what);
			FZ_CHECK(fz_quote_sigs(S->m->d, now + 28, &tq) == TEEABI_OK, "%s: quote signatures", what);
			FZ_CHECK(memcmp(now + 28 + ql, old + 28 + ql, qlen - 28 - ql) == 0,
				 "%s: bytes after the quote changed", what);
		}
		break;
	}
	}
	check_writes(A, w, nw, what);
	check_rtmrs(S, what);
}

/* ---------------------------------------------------------------- entry */
int LLVMFuzzerInitialize(int *argc, char ***argv)
{
	/* every machine up front (key generation), so runs do not differ by first use */
	for (unsigned i = 0; i < NPROF; i++)
		machine_get(i);
	return 0;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct fz f = { data, size };
	struct state S;
	struct arena A;
	memset(&S, 0, sizeof(S));
	S.m = machine_get(fz_u8(&f) % NPROF);
	tm_reset(S.m->d);
	shadow_from_boot(&S);
	arena_init(&A, &f, size_table, NSIZES, RAND_LEN_MAX);

	for (int step = 0; step < 32 && !fz_empty(&f); step++) {
		uint8_t op = fz_u8(&f);
		switch (op % 8) {
		default:
			do_ioctl(&S, &A, &f);
			break;
		case 5: { /* poke bytes */
			struct region *r = &A.r[fz_u8(&f) % A.n];
			size_t off = r->len ? fz_u16(&f) % r->len : 0;
			size_t n = fz_u8(&f) % 64;
			if (n > r->len - off)
				n = r->len - off;
			fz_bytes(&f, ubase(r) + off, n);
			break;
		}
		case 6: { /* the TDX module's own extend (the measurement-file path) */
			uint8_t dat[48];
			unsigned idx = fz_u8(&f) % 6;
			fz_bytes(&f, dat, 48);
			int rc = tm_tdx_rtmr_extend(S.m->d, idx, dat);
			FZ_CHECK(rc == (idx < 4 ? 0 : -EINVAL), "tm_tdx_rtmr_extend(%u) = %d", idx, rc);
			if (!rc)
				sha384_cat(S.rtmr[idx], dat, S.rtmr[idx]);
			check_rtmrs(&S, "tm_tdx_rtmr_extend");
			break;
		}
		case 7:
			if (op & 0x80) {
				tm_reset(S.m->d);
				shadow_from_boot(&S);
				S.inj_count = 0;
			} else if (op & 0x40) {
				/* TDG.MR.REPORT failures for the next GET_REPORT0 calls */
				static const uint64_t st[] = { 0, TM_TDCALL_INVALID_OPERAND << 32,
							       TM_TDCALL_OPERAND_BUSY << 32, 0x8000000000000000ULL };
				uint8_t c = fz_u8(&f);
				S.inj_status = c < 0xF0 ? st[c % 4] : fz_u64(&f);
				S.inj_count = 1 + (c >> 2) % 3;
				tm_tdx_inject_tdcall(S.m->d, S.inj_status, S.inj_count);
			}
			break;
		}
	}
	arena_free(&A);
	tm_reset(S.m->d);
	return 0;
}
