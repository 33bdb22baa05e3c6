/* SPDX-License-Identifier: Apache-2.0 */
/*
 * fuzz/fuzz_sev_ioctl.c - the /dev/sev-guest model (mocks/model/sev_guest.c) driven through
 * its ioctl with a simulated user address space.
 *
 * Input: a profile (6.1 with the early VMPCK check and BUSY -> EIO, 6.7, 6.11, dstack 0.6.0,
 * a guest running at VMPL 2), fuzzer-sized "user" buffers, then steps: ioctls with a command
 * from the SNP set (or a neighbour, or a raw number) and a header laid out in a buffer
 * (msg_version mostly 1, req/resp pointers aimed at buffers, past their ends, NULL or wild,
 * a preset exitinfo2), the request behind req_data (user_data, vmpl, rsvd; derived-key
 * fields; certs_address/certs_len from the documented edge values); raw pokes; host BUSY
 * for n answers; an armed firmware error; resets.
 *
 * Properties, docs/kernel-abi.md §2.3-§2.5 in check order:
 *   - the errno is the one the documented check order gives: header fault EFAULT;
 *     msg_version 0 EINVAL without copy-back; (6.1) VMPCK disabled ENOTTY before dispatch;
 *     unknown cmd ENOTTY; NULL req/resp EINVAL; request fault EFAULT; certs_len > 16K or
 *     not a page multiple EINVAL; access_ok EFAULT; VMPCK disabled ENOTTY; BUSY retried
 *     every 2 s for 60 s then ETIMEDOUT (6.3+) or EIO; too few certificate pages EIO with
 *     vmm_error 1 and certs_len rewritten; a firmware error EIO with its fw_error;
 *   - sticky state: any error at the host/firmware step but INVALID_LEN disables the VMPCK,
 *     and every later request reaching the send path gets ENOTTY until a reset;
 *   - copy-back: the 32-byte header is written back exactly when exitinfo2 != 0, with only
 *     exitinfo2 changed; on success the caller's exitinfo2 is untouched; nothing else is
 *     written but resp (4000 / 64 bytes), certs (certs_len bytes) and, on INVALID_LEN, the
 *     request with the new certs_len; guard bytes never change;
 *   - a report answer parses with lib/snp_msg.c + lib/snp_report.c, echoes user_data and
 *     vmpl, has status 0x16 exactly for a vmpl below the guest's or above 3; the
 *     certificate buffer parses with lib/snp_certs.c and names the VCEK; every report's
 *     signature holds (the machines sign with the fast stand-in, fz_sign.h; real ECDSA:
 *     fuzz_sign); a derived key depends exactly on the selected fields.
 */
#include <errno.h>
#include <stdbool.h>
#include "fuzz.h"
#include "fz_arena.h"
#include "model.h"
#include "sev_internal.h"
#include "teeabi/abi.h"
#include "teeabi/snp.h"
#include "fz_sign.h"

/* Negative control: build with -DFZ_FAULTS='TM_FAULT_BIT(TM_FAULT_X)' and the properties
 * must trip on the injected kernel bugs. */
#ifndef FZ_FAULTS
#define FZ_FAULTS TM_NO_FAULTS
#endif

static const char *const profiles[] = {
	"name = fz-upstream-6.1-snp\nplatform = snp\nkernel = 6.1.0\n",
	"name = fz-upstream-6.7-snp\nplatform = snp\nkernel = 6.7.0\n",
	"name = fz-upstream-6.11-snp\nplatform = snp\nkernel = 6.11.0\n",
	"name = fz-dstack-0.6.0-snp\nplatform = snp\nos_id = dstack\nos_version = 0.6.0\nkernel = 6.18.6-dstack\n"
	"tdx_guest = absent\nsev_guest = 1\nconfigfs_tsm = 1\ntsm_provider = sev_guest\n",
	"name = fz-svsm-vmpl2\nplatform = snp\nkernel = 6.11.0\nsev_vmpl = 2\n",
};
#define NPROF (sizeof(profiles) / sizeof(profiles[0]))

static struct tm_dev *machines[NPROF];

int LLVMFuzzerInitialize(int *argc, char ***argv)
{
	for (unsigned i = 0; i < NPROF; i++) {
		struct teeabi_profile p;
		char err[256];
		FZ_CHECK(teeabi_profile_parse(profiles[i], &p, err, sizeof(err)) == 0, "profile %u: %s", i, err);
		machines[i] = tm_new(&p, FZ_FAULTS);
		FZ_CHECK(machines[i] != NULL, "tm_new(%s)", p.name);
		tm_set_fast_sign(machines[i], true); /* the real signing: fuzz_sign */
	}
	return 0;
}

/* ---------------------------------------------------------------- user memory */
static const size_t size_table[] = { 0, 1, 8, 31, 32, 33, 63, 64, 95, 96, 111, 112, 128, 3999, 4000,
				     4001, 4096, 8191, 8192, 12288, 16384, 20480 };
#define NSIZES (sizeof(size_table) / sizeof(size_table[0]))
#define RAND_LEN_MAX 24000

static bool disjoint(const struct win *w, int n)
{
	for (int i = 0; i < n; i++)
		for (int j = i + 1; j < n; j++)
			if (w[i].a < w[j].a + w[j].n && w[j].a < w[i].a + w[i].n)
				return false;
	return true;
}

/* ---------------------------------------------------------------- state */
#define USER_END 0x00007FFFFFFFF000ULL /* TASK_SIZE_MAX, x86-64 4-level */
#define NKEYS 8

struct keymemo {
	uint8_t canon[32];
	uint8_t key[32];
};

struct state {
	struct tm_dev *d;
	const struct teeabi_profile *p;
	bool wiped;         /* VMPCK disabled */
	unsigned busy;      /* host BUSY answers pending */
	bool fw_armed;
	uint32_t fw_error;
	size_t blob_len;    /* the host's certificate buffer */
	struct keymemo keys[NKEYS];
	int nkeys;
};

static uint32_t le32(const uint8_t *p) { return teeabi_le32(p); }
static uint64_t le64(const uint8_t *p) { return teeabi_le64(p); }

static void check_certs(struct state *S, const uint8_t *c, size_t len, const char *what)
{
	size_t vl = 0;
	const uint8_t *vcek = tm_sev_vcek_der(S->d, &vl);
	struct teeabi_cert_table *t = malloc(sizeof(*t));
	FZ_CHECK(t != NULL, "malloc");
	teeabi_err e = teeabi_snp_cert_table_parse(c, len, 0, t);
	FZ_CHECK(e == TEEABI_OK, "%s: certificate buffer does not parse: %s", what, teeabi_err_name(e));
	bool have_vcek = false, have_ask = false, have_ark = false;
	for (size_t i = 0; i < t->count; i++) {
		have_vcek |= t->e[i].kind == TEEABI_CERT_VCEK && t->e[i].data.len == vl && !memcmp(t->e[i].data.p, vcek, vl);
		have_ask |= t->e[i].kind == TEEABI_CERT_ASK;
		have_ark |= t->e[i].kind == TEEABI_CERT_ARK;
	}
	FZ_CHECK(have_vcek && have_ask && have_ark, "%s: certificate table lacks VCEK/ASK/ARK", what);
	FZ_CHECK(teeabi_all_zero(c + S->blob_len, len - S->blob_len), "%s: certificate buffer not zero-filled", what);
	free(t);
}

static void check_report_resp(struct state *S, const uint8_t *resp, const uint8_t *req, const char *what)
{
	uint32_t vmpl = le32(req + 64);
	bool bad_vmpl = vmpl < S->p->sev_vmpl || vmpl > 3;
	struct teeabi_snp_msg_report_rsp m;
	teeabi_err e = teeabi_snp_msg_report_rsp_parse(resp, 4000, &m);
	if (bad_vmpl) {
		/* the firmware refuses in band; the ioctl itself succeeded */
		FZ_CHECK(e == TEEABI_E_SNP_MSG_STATUS && m.status == TEEABI_SEV_RET_INVALID_PARAM,
			 "%s: vmpl %u gives %s status 0x%x", what, vmpl, teeabi_err_name(e), m.status);
		return;
	}
	FZ_CHECK(e == TEEABI_OK, "%s: MSG_REPORT_RSP: %s", what, teeabi_err_name(e));
	struct teeabi_snp_report r;
	e = teeabi_snp_report_parse(m.report.p, m.report.len, TEEABI_SNP_STRICT_MBZ, &r);
	FZ_CHECK(e == TEEABI_OK, "%s: report: %s", what, teeabi_err_name(e));
	FZ_CHECK(memcmp(r.report_data, req, 64) == 0, "%s: REPORT_DATA is not user_data", what);
	FZ_CHECK(r.vmpl == vmpl, "%s: report vmpl %u, requested %u", what, r.vmpl, vmpl);
	FZ_CHECK(teeabi_all_zero(resp + 8, 24) && teeabi_all_zero(resp + 0x20 + 0x4A0, 4000 - 0x20 - 0x4A0),
		 "%s: MSG_REPORT_RSP reserved/tail not zero", what);
	e = fz_snp_report_sig(S->d, m.report.p, m.report.len);
	FZ_CHECK(e == TEEABI_OK, "%s: report signature: %s", what, teeabi_err_name(e));
}

/* MSG_KEY_REQ: the key depends on root_key_select bit 0, vmpl, guest_field_select (bits
 * 0..5) and the fields it selects that come from the request (guest_svn bit 4, tcb_version
 * bit 5); the others (policy, image id, family id, measurement) are fixed per guest. */
static void check_key_resp(struct state *S, const uint8_t *resp, const uint8_t *req, const char *what)
{
	uint32_t vmpl = le32(req + 16), svn = le32(req + 20);
	/* guest_svn above the launch SVN (the model's guest: 2, its reports' GUEST_SVN) is refused
	 * too, and so is a tcb_version with a byte above the committed TCB's (56860 MSG_KEY_REQ) */
	uint64_t tcb = le64(req + 24), committed = tm_snp_product_of(S->d)->tcb;
	bool tcb_above = false;
	for (int i = 0; i < 64; i += 8)
		tcb_above |= ((tcb >> i) & 0xFF) > ((committed >> i) & 0xFF);
	if (vmpl < S->p->sev_vmpl || vmpl > 3 || svn > 2 || tcb_above) {
		FZ_CHECK(le32(resp) == TEEABI_SEV_RET_INVALID_PARAM && teeabi_all_zero(resp + 4, 60),
			 "%s: key request with vmpl %u, guest_svn %u, tcb_version 0x%016llx: status 0x%x", what, vmpl, svn,
			 (unsigned long long)tcb, le32(resp));
		return;
	}
	FZ_CHECK(le32(resp) == 0 && teeabi_all_zero(resp + 4, 28), "%s: MSG_KEY_RSP status 0x%x", what, le32(resp));
	uint8_t canon[32];
	uint64_t fs = le64(req + 8) & 0x3f;
	memset(canon, 0, sizeof(canon));
	canon[0] = req[0] & 1;
	teeabi_put_le32(canon + 4, vmpl);
	teeabi_put_le64(canon + 8, fs);
	if (fs & (1u << 4))
		memcpy(canon + 16, req + 20, 4);
	if (fs & (1u << 5))
		memcpy(canon + 24, req + 24, 8);
	for (int i = 0; i < S->nkeys && i < NKEYS; i++) {
		bool same = memcmp(S->keys[i].canon, canon, 32) == 0;
		bool same_key = memcmp(S->keys[i].key, resp + 0x20, 32) == 0;
		FZ_CHECK(same == same_key, "%s: derived key %s for %s selected fields", what, same_key ? "equal" : "differs",
			 same ? "the same" : "different");
	}
	struct keymemo *k = &S->keys[S->nkeys++ % NKEYS];
	memcpy(k->canon, canon, 32);
	memcpy(k->key, resp + 0x20, 32);
}

/* ---------------------------------------------------------------- one ioctl */
static const uint32_t cmds[] = {
	TEEABI_SNP_GET_REPORT, TEEABI_SNP_GET_DERIVED_KEY, TEEABI_SNP_GET_EXT_REPORT,
	0xC0205303u,                  /* nr 3 */
	0x80205300u,                  /* GET_REPORT as _IOR */
	0xC0185300u,                  /* GET_REPORT with a 24-byte size */
	TEEABI_TDX_CMD_GET_REPORT0,   /* the wrong device */
};
#define NCMD (sizeof(cmds) / sizeof(cmds[0]))

static void prepare(struct arena *A, struct fz *f, uint32_t cmd, uint64_t arg)
{
	struct region *r = reach(A, arg, 0);
	if (!r)
		return;
	uint8_t hdr[32];
	size_t room = r->len - (size_t)(arg - uaddr(r));
	uint8_t mv = fz_u8(f);
	memset(hdr, 0, sizeof(hdr));
	hdr[0] = mv < 0xD0 ? 1 : mv < 0xE0 ? 0 : mv < 0xF0 ? 2 : fz_u8(f);
	uint64_t req = fz_ptr(f, A), resp = fz_ptr(f, A);
	teeabi_put_le64(hdr + 8, req);
	teeabi_put_le64(hdr + 16, resp);
	teeabi_put_le64(hdr + 24, fz_u64(f)); /* whatever the caller left in exitinfo2 */
	if (mv & 1)
		memset(hdr + 1, fz_u8(f), 7); /* padding */
	memcpy(ubase(r) + (arg - uaddr(r)), hdr, room < 32 ? room : 32);

	struct region *qr = reach(A, req, 0);
	if (!qr)
		return;
	uint8_t q[112];
	size_t qroom = qr->len - (size_t)(req - uaddr(qr));
	memset(q, 0, sizeof(q));
	uint8_t shape = fz_u8(f);
	if (cmd == TEEABI_SNP_GET_DERIVED_KEY) {
		teeabi_put_le32(q, shape & 0x80 ? fz_u32(f) : (shape & 1));
		if (shape & 0x40)
			teeabi_put_le32(q + 4, fz_u32(f));
		teeabi_put_le64(q + 8, shape & 0x20 ? fz_u64(f) : fz_u8(f) & 0x3f);
		teeabi_put_le32(q + 16, shape & 0x10 ? fz_u32(f) : (shape >> 1) & 3);
		teeabi_put_le32(q + 20, fz_u8(f) & 3);
		teeabi_put_le64(q + 24, fz_u8(f) & 1 ? fz_u64(f) : 0);
	} else {
		fz_bytes(f, q, 64);
		teeabi_put_le32(q + 64, shape & 0x10 ? fz_u32(f) : (shape >> 1) & 3);
		if (shape & 0x20)
			fz_bytes(f, q + 68, 28);
		if (cmd == TEEABI_SNP_GET_EXT_REPORT) {
			static const uint32_t lens[] = { 0, 1, 100, 4095, 4096, 4097, 8192, 12288, 16384, 16385, 20480 };
			uint8_t ls = fz_u8(f);
			teeabi_put_le64(q + 96, fz_ptr(f, A));
			teeabi_put_le32(q + 104, ls < 0xF0 ? lens[ls % (sizeof(lens) / sizeof(lens[0]))] : fz_u32(f));
			if (shape & 0x40)
				teeabi_put_le32(q + 108, fz_u32(f)); /* struct padding */
		}
	}
	memcpy(ubase(qr) + (req - uaddr(qr)), q, qroom < 112 ? qroom : 112);
}

static void do_ioctl(struct state *S, struct arena *A, struct fz *f)
{
	const struct teeabi_profile *p = S->p;
	uint8_t sel = fz_u8(f);
	uint32_t cmd = sel < 0xF0 ? cmds[sel % NCMD] : fz_u32(f);
	uint64_t arg = fz_ptr(f, A);
	uint8_t flags = fz_u8(f);
	if (flags & 1)
		prepare(A, f, cmd, arg);

	snap(A);
	long rc = tm_sev_ioctl(S->d, cmd, arg, &A->ua.ua);

	char what[96];
	snprintf(what, sizeof(what), "%s cmd 0x%08x", p->name, cmd);
	struct win w[4];
	int nw = 0;
	long want;
	bool copy_back = false;
	uint64_t exitinfo2 = TEEABI_SNP_EXITINFO2_EARLY;
	const uint8_t *hdr = before(A, arg, 32);
	bool known = cmd == TEEABI_SNP_GET_REPORT || cmd == TEEABI_SNP_GET_DERIVED_KEY || cmd == TEEABI_SNP_GET_EXT_REPORT;
	size_t qsize = cmd == TEEABI_SNP_GET_DERIVED_KEY ? 32 : cmd == TEEABI_SNP_GET_REPORT ? 96 : 112;
	size_t rsize = cmd == TEEABI_SNP_GET_DERIVED_KEY ? 64 : 4000;
	uint64_t req = 0, resp = 0, certs_addr = 0;
	const uint8_t *q = NULL;
	unsigned npages = 0;
	enum { NONE, RESP_OK } out = NONE;

	if (!hdr) {
		want = -EFAULT;
		goto judge;
	}
	req = le64(hdr + 8);
	resp = le64(hdr + 16);
	if (hdr[0] == 0) {
		want = -EINVAL;
		goto judge;
	}
	if (p->sev_vmpck_check_early && S->wiped) {
		want = -ENOTTY;
		goto judge;
	}
	copy_back = true; /* from here on the header is copied back when exitinfo2 != 0 */
	if (!known) {
		want = -ENOTTY;
		goto judge;
	}
	if (!req || !resp) {
		want = -EINVAL;
		goto judge;
	}
	q = before(A, req, qsize);
	if (!q) {
		want = -EFAULT;
		goto judge;
	}
	if (cmd == TEEABI_SNP_GET_EXT_REPORT) {
		certs_addr = le64(q + 96);
		uint32_t clen = le32(q + 104);
		if (clen && certs_addr) {
			if (clen > TEEABI_SNP_CERTS_MAX || clen % TEEABI_SNP_PAGE_SIZE) {
				want = -EINVAL;
				goto judge;
			}
			if (certs_addr > USER_END || clen > USER_END - certs_addr) {
				want = -EFAULT;
				goto judge;
			}
			npages = clen / TEEABI_SNP_PAGE_SIZE;
		}
	}
	/* the send path */
	if (S->wiped) {
		want = -ENOTTY;
		goto judge;
	}
	if (p->sev_throttle)
		exitinfo2 = TEEABI_SNP_EXITINFO2_NO_FW_CALL;
	if (S->busy) {
		exitinfo2 = (uint64_t)TEEABI_SNP_VMM_ERR_BUSY << 32;
		if (!p->sev_throttle) {
			S->busy--;
			S->wiped = true;
			want = -EIO;
			goto judge;
		}
		/* retried every 2 s until more than 60 s have passed (jiffies - start > 60 * HZ;
		 * later time_after()): with exact 2 s sleeps the 32nd BUSY answer, at 62 s,
		 * ends the request with ETIMEDOUT */
		if (S->busy >= 32) {
			S->busy -= 32;
			S->wiped = true;
			want = -ETIMEDOUT;
			goto judge;
		}
		S->busy = 0;
		exitinfo2 = TEEABI_SNP_EXITINFO2_NO_FW_CALL;
	}
	if (cmd == TEEABI_SNP_GET_EXT_REPORT && S->blob_len > (size_t)npages * TEEABI_SNP_PAGE_SIZE) {
		/* INVALID_LEN: certs_len rewritten in the caller's request, the key stays */
		unsigned need = (unsigned)((S->blob_len + TEEABI_SNP_PAGE_SIZE - 1) / TEEABI_SNP_PAGE_SIZE);
		exitinfo2 = (uint64_t)TEEABI_SNP_VMM_ERR_INVALID_LEN << 32;
		want = reach(A, req, 112) ? -EIO : -EFAULT;
		w[nw++] = (struct win){ req, 112 };
		if (want == -EIO && disjoint((struct win[]){ { arg, 32 }, { req, 112 } }, 2)) {
			const uint8_t *nq = host(A, req, 112);
			FZ_CHECK(le32(nq + 104) == need * TEEABI_SNP_PAGE_SIZE, "%s: certs_len rewritten to %u, need %u pages",
				 what, le32(nq + 104), need);
			FZ_CHECK(memcmp(nq, q, 104) == 0 && memcmp(nq + 108, q + 108, 4) == 0,
				 "%s: INVALID_LEN changed more of the request than certs_len", what);
		}
		goto judge;
	}
	if (S->fw_armed || hdr[0] > 1) {
		exitinfo2 = S->fw_armed ? S->fw_error : TEEABI_SEV_RET_INVALID_PARAM;
		S->fw_armed = false;
		S->wiped = true;
		want = -EIO;
		goto judge;
	}
	/* the firmware answered */
	exitinfo2 = 0;
	want = 0;
	if (npages) {
		w[nw++] = (struct win){ certs_addr, (uint64_t)npages * TEEABI_SNP_PAGE_SIZE };
		if (!reach(A, certs_addr, (uint64_t)npages * TEEABI_SNP_PAGE_SIZE)) {
			want = -EFAULT;
			goto judge;
		}
	}
	if (!reach(A, resp, rsize)) {
		want = -EFAULT;
		goto judge;
	}
	w[nw++] = (struct win){ resp, rsize };
	out = RESP_OK;
judge:
	FZ_CHECK(rc == want, "%s: rc %ld, want %ld", what, rc, want);
	if (copy_back && exitinfo2) { /* the header goes back exactly when exitinfo2 != 0 */
		w[nw++] = (struct win){ arg, 32 };
		const uint8_t *nh = host(A, arg, 32);
		if (disjoint(w, nw)) {
			FZ_CHECK(memcmp(nh, hdr, 24) == 0, "%s: copy-back changed more than exitinfo2", what);
			FZ_CHECK(le64(nh + 24) == exitinfo2, "%s: exitinfo2 0x%llx, want 0x%llx", what,
				 (unsigned long long)le64(nh + 24), (unsigned long long)exitinfo2);
		}
	}
	check_writes(A, w, nw, what);
	FZ_CHECK(tm_sev_vmpck_disabled(S->d) == S->wiped, "%s: VMPCK disabled %d, expected %d", what,
		 tm_sev_vmpck_disabled(S->d), S->wiped);
	if (out == RESP_OK && disjoint(w, nw) && !(req < resp + rsize && resp < req + qsize)) {
		const uint8_t *r = host(A, resp, rsize);
		if (cmd == TEEABI_SNP_GET_DERIVED_KEY)
			check_key_resp(S, r, q, what);
		else
			check_report_resp(S, r, q, what);
		if (npages)
			check_certs(S, host(A, certs_addr, (uint64_t)npages * TEEABI_SNP_PAGE_SIZE),
				    (size_t)npages * TEEABI_SNP_PAGE_SIZE, what);
	}
}

/* ---------------------------------------------------------------- entry */
static void reset(struct state *S)
{
	tm_reset(S->d);
	S->wiped = false;
	S->busy = 0;
	S->fw_armed = false;
	S->nkeys = 0;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct fz f = { data, size };
	struct state S;
	struct arena A;
	memset(&S, 0, sizeof(S));
	S.d = machines[fz_u8(&f) % NPROF];
	S.p = tm_profile(S.d);
	tm_sev_certs(S.d, &S.blob_len);
	reset(&S);
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
		case 6: { /* the host answers BUSY for the next n requests */
			static const unsigned ns[] = { 1, 2, 29, 30, 31, 32, 33, 62 };
			S.busy = ns[fz_u8(&f) % 8];
			tm_sev_set_host_busy(S.d, S.busy);
			break;
		}
		case 7:
			if (op & 0x80) {
				reset(&S);
			} else {
				S.fw_armed = true;
				S.fw_error = op & 0x40 ? fz_u32(&f) : TEEABI_SEV_RET_INVALID_KEY;
				tm_sev_set_fw_error(S.d, S.fw_error);
			}
			break;
		}
	}
	arena_free(&A);
	reset(&S);
	return 0;
}
