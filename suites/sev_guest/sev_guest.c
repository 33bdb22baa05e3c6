/* SPDX-License-Identifier: Apache-2.0 */
/*
 * suites/sev_guest - /dev/sev-guest conformance (docs/kernel-abi.md §2.2-§2.5,
 * Documentation/virt/coco/sev-guest.rst).
 *
 * Verified:
 *  - SNP_GET_REPORT: ioctl 0, MSG_REPORT_RSP status 0 / report_size 1184, the report
 *    parses, REPORT_DATA echoes user_data, VMPL is the requested one;
 *  - every command answers the same on an fd opened O_RDONLY, O_WRONLY or O_RDWR (no
 *    driver checks f_mode): the three requests, valid, at the guest's VMPL, and an unknown one;
 *  - the node's only file operation is the ioctl: read, pread, write and pwrite are EINVAL
 *    (vfs_read()/vfs_write() without FMODE_CAN_READ/WRITE) and a refused read writes nothing;
 *  - copy-back: on success the caller's exitinfo2 is untouched; on early driver errors the
 *    header comes back with exitinfo2 = 0xff; msg_version 0 is EINVAL with no copy-back;
 *  - error order: header EFAULT before anything, msg_version 0 (EINVAL) before an unknown
 *    command (ENOTTY), null req/resp EINVAL, bad request pointer EFAULT;
 *  - SNP_GET_DERIVED_KEY: same fields -> same key, different guest_field_select -> a
 *    different key (only fields the firmware always accepts are selected);
 *  - SNP_GET_EXT_REPORT: certs_len must be a page multiple <= 16 KiB (EINVAL otherwise),
 *    the table parses, names a VCEK or VLEK whose key verifies the report (and a plain
 *    SNP_GET_REPORT's), and SIGNER_INFO.SIGNING_KEY names that key (0 VCEK, 1 VLEK); bytes
 *    past the table's end are zero; the certificate-size protocol: certs_len 0 (or one page for a
 *    larger blob) gives EIO, exitinfo2 = 1<<32 (vmm_error INVALID_LEN), certs_len rewritten
 *    to the required size, resp untouched, and the device keeps working; certs_address 0
 *    with a non-zero certs_len is the same "no certificates" request;
 *  - SNP_GET_DERIVED_KEY request fields: guest_field_select bits 0-3 each give their own key,
 *    the requested vmpl changes the key, guest_svn (bit 4) and tcb_version (bit 5) change it
 *    at two legal values each when selected and not when not selected; the key is 32 bytes
 *    at 0x20;
 *  - every report (all paths, the shared judge): POLICY.MIGRATE_MA clear => REPORT_ID_MA all
 *    0xFF; the values the ABI and the profile pin (suites/common/snp_pin.c: reserved ranges
 *    of the VERSION's layout, CPUID on v3+, POLICY bit 17 and DEBUG, COMMITTED <= CURRENT);
 *  - the guest's lifetime fields (REPORT_ID, MEASUREMENT, ...) equal across two GET_REPORTs,
 *    every vmpl and an EXT_REPORT;
 *  - every command with an unmapped req_data, a read-only or unmapped resp_data (and EXT's
 *    certificate buffer read-only or unmapped): EFAULT, exitinfo2 as the kernel leaves it,
 *    no response after a failed certificate copy, the device still works;
 *  - a report at each vmpl from the running one to 3 carries the requested VMPL; a successful
 *    EXT_REPORT leaves the request's certs_len alone;
 *  - (destructive) a VMPL above 3, or below the one the guest runs at (under an SVSM), is
 *    rejected in-band on GET_REPORT and GET_EXT_REPORT: ioctl 0, MSG_REPORT_RSP status 0x16;
 *    on GET_DERIVED_KEY so are those, a guest_svn above the launch SVN and a tcb_version above the
 *    committed TCB: MSG_KEY_RSP 0x16;
 *  - (destructive) a non-zero rsvd byte is not checked by the kernel: ioctl 0, in-band answer;
 *  - every command at every vmpl from the running one to 3, three times with the response
 *    (and EXT's certificate buffer) pre-filled with a different canary: every byte written,
 *    nothing behind the buffers, MSG_REPORT_RSP 0x08..0x1F / MSG_KEY_RSP 0x04..0x1F zero, zero
 *    after the report; the in-band refusals (destructive tests) keep their reserved bytes zero.
 *
 * Safety (§2.3 step 10): any request the firmware rejects out-of-band wipes the VMPCK
 * until reboot. Only requests the kernel rejects itself, valid requests, and the
 * documented INVALID_LEN certificate path (which does not wipe) run by default. No test
 * here sends msg_version != 1 to the firmware: the wipe and what it does to every command is
 * the vmpck suite's, the last of a run.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <unistd.h>

#include "teeabi/abi.h"
#include "teeabi/genuine.h"
#include "teeabi/snp.h"
#include "../common/node.h"
#include "../common/snp_pin.h"
#include "../common/inonly.h"
#include "../common/tst.h"
#include "../common/util.h"

#define DEV TEEABI_DEV_SEV_GUEST
#define SENTINEL 0x1122334455667788ULL

static int open_dev(void)
{
	int fd = open(DEV, O_RDWR | O_CLOEXEC);
	if (fd < 0)
		tst_brk(TST_FAIL, "open(%s, O_RDWR) failed: %s", DEV, tst_errno_name(errno));
	return fd;
}

static void hdr_init(struct teeabi_snp_guest_request_ioctl *h, void *req, void *resp)
{
	memset(h, 0, sizeof(*h));
	h->msg_version = 1;
	h->req_data = (uint64_t)(uintptr_t)req;
	h->resp_data = (uint64_t)(uintptr_t)resp;
	h->exitinfo2 = SENTINEL;
}

/* GET_REPORT at the requested vmpl; fills resp; returns ioctl errno (0 ok). */
static int get_report_at(int fd, const uint8_t ud[64], uint32_t vmpl, struct teeabi_snp_report_resp *resp,
			 struct teeabi_snp_guest_request_ioctl *h)
{
	static struct teeabi_snp_report_req req;
	memset(&req, 0, sizeof(req));
	memcpy(req.user_data, ud, 64);
	req.vmpl = vmpl;
	memset(resp, 0, sizeof(*resp));
	hdr_init(h, &req, resp);
	errno = 0;
	return u_sev_ioctl(fd, TEEABI_SNP_GET_REPORT, h) < 0 ? errno : 0;
}

/* GET_REPORT at the guest's own VMPL. */
static int get_report(int fd, const uint8_t ud[64], struct teeabi_snp_report_resp *resp,
		      struct teeabi_snp_guest_request_ioctl *h)
{
	return get_report_at(fd, ud, tst_profile->sev_vmpl, resp, h);
}

static struct teeabi_snp_report_resp *resp_or_brk(void)
{
	struct teeabi_snp_report_resp *resp = calloc(1, sizeof(*resp));
	if (!resp)
		tst_brk(TST_BROK, "calloc");
	return resp;
}

/* The guest's own report (GET_REPORT at its VMPL) parsed into *r (pointing into resp).
 * Returns 0, or -1 when the call fails or the report does not parse (reported by the caller). */
static int own_report(int fd, struct teeabi_snp_report_resp *resp, struct teeabi_snp_report *r)
{
	uint8_t ud[64];
	struct teeabi_snp_guest_request_ioctl h;
	struct teeabi_snp_msg_report_rsp m;
	u_fill_pattern(ud, 64);
	if (get_report(fd, ud, resp, &h) || teeabi_snp_msg_report_rsp_parse(resp->data, sizeof(resp->data), &m) != TEEABI_OK ||
	    teeabi_snp_report_parse(m.report.p, m.report.len, 0, r) != TEEABI_OK)
		return -1;
	return 0;
}

static void t_report(void)
{
	int fd = open_dev();
	uint8_t ud[64];
	struct teeabi_snp_report_resp *resp = resp_or_brk();
	struct teeabi_snp_guest_request_ioctl h;
	u_fill_pattern(ud, 64);
	int e = get_report(fd, ud, resp, &h);
	close(fd);
	if (e)
		tst_brk(TST_FAIL, "SNP_GET_REPORT failed: %s (exitinfo2 0x%llx)", tst_errno_name(e), (unsigned long long)h.exitinfo2);
	if (h.exitinfo2 != SENTINEL)
		tst_fail("successful SNP_GET_REPORT overwrote the caller's exitinfo2 with 0x%llx (header copied back on success)",
			 (unsigned long long)h.exitinfo2);
	struct teeabi_snp_msg_report_rsp m;
	teeabi_err pe = teeabi_snp_msg_report_rsp_parse(resp->data, sizeof(resp->data), &m);
	if (pe != TEEABI_OK) {
		tst_fail("MSG_REPORT_RSP does not parse: %s (status 0x%x, report_size %u)", teeabi_err_name(pe),
			 teeabi_le32(resp->data), teeabi_le32(resp->data + 4));
	} else {
		u_judge_snp_report("SNP_GET_REPORT report", m.report.p, m.report.len, ud, tst_profile->sev_vmpl, NULL, 0);
		tst_save_evidence("sev-report.bin", m.report.p, m.report.len);
	}
	free(resp);
}

static void t_no_copyback_success(void)
{
	int fd = open_dev();
	static struct teeabi_snp_derived_key_req kreq;
	static struct teeabi_snp_derived_key_resp kresp;
	static struct teeabi_snp_ext_report_req ereq;
	static struct teeabi_snp_report_resp rresp;
	struct teeabi_snp_guest_request_ioctl h;
	memset(&kreq, 0, sizeof(kreq));
	kreq.vmpl = tst_profile->sev_vmpl;
	hdr_init(&h, &kreq, &kresp);
	if (u_sev_ioctl(fd, TEEABI_SNP_GET_DERIVED_KEY, &h) < 0)
		tst_fail("SNP_GET_DERIVED_KEY failed: %s", tst_errno_name(errno));
	else if (h.exitinfo2 != SENTINEL)
		tst_fail("successful SNP_GET_DERIVED_KEY rewrote exitinfo2 to 0x%llx (header copied back on success)",
			 (unsigned long long)h.exitinfo2);
	memset(&ereq, 0, sizeof(ereq));
	u_fill_pattern(ereq.data.user_data, 64);
	ereq.data.vmpl = tst_profile->sev_vmpl;
	static uint8_t certs[TEEABI_SNP_CERTS_MAX]; /* the maximum: never INVALID_LEN */
	ereq.certs_address = (uint64_t)(uintptr_t)certs;
	ereq.certs_len = sizeof(certs);
	hdr_init(&h, &ereq, &rresp);
	if (u_sev_ioctl(fd, TEEABI_SNP_GET_EXT_REPORT, &h) < 0)
		tst_fail("SNP_GET_EXT_REPORT with a 16 KiB certificate buffer failed: %s", tst_errno_name(errno));
	else if (h.exitinfo2 != SENTINEL)
		tst_fail("successful SNP_GET_EXT_REPORT rewrote exitinfo2 to 0x%llx (header copied back on success)",
			 (unsigned long long)h.exitinfo2);
	/* only the INVALID_LEN answer writes certs_len back into the request (§2.3 step 8) */
	if (ereq.certs_len != sizeof(certs))
		tst_fail("successful SNP_GET_EXT_REPORT rewrote the request's certs_len %zu -> %u (only INVALID_LEN writes it back)",
			 sizeof(certs), ereq.certs_len);
	close(fd);
	if (!tst_fail_count())
		tst_pass("successful DERIVED_KEY and EXT_REPORT leave exitinfo2 and the request untouched");
}

/* Early driver errors: msg_version 0, unknown command, null pointers, faults. */
static void t_errors(void)
{
	int fd = open_dev();
	static struct teeabi_snp_report_req req;
	static struct teeabi_snp_report_resp resp;
	struct teeabi_snp_guest_request_ioctl h;
	const unsigned long unknown = _IOWR('S', 0x3, struct teeabi_snp_guest_request_ioctl);
	static const struct { unsigned long cmd; const char *name; } cmds[] = {
		{ TEEABI_SNP_GET_REPORT, "GET_REPORT" }, { TEEABI_SNP_GET_DERIVED_KEY, "GET_DERIVED_KEY" },
		{ TEEABI_SNP_GET_EXT_REPORT, "GET_EXT_REPORT" },
	};
	static struct teeabi_snp_ext_report_req ereq; /* large enough for every request type */
	memset(&req, 0, sizeof(req));
	memset(&ereq, 0, sizeof(ereq));
	req.vmpl = ereq.data.vmpl = tst_profile->sev_vmpl;

	/* 1. msg_version 0: EINVAL, returned at once, header not copied back. */
	for (size_t i = 0; i < 3; i++) {
		hdr_init(&h, &ereq, &resp);
		h.msg_version = 0;
		errno = 0;
		int rc = u_sev_ioctl(fd, cmds[i].cmd, &h);
		int e = errno;
		if (rc == 0 || e != EINVAL)
			tst_fail("%s with msg_version 0 returned %s, want EINVAL", cmds[i].name, rc == 0 ? "success" : tst_errno_name(e));
		else if (h.exitinfo2 != SENTINEL)
			tst_fail("%s with msg_version 0 copied the header back (exitinfo2 0x%llx); the kernel returns before that",
				 cmds[i].name, (unsigned long long)h.exitinfo2);
	}
	/* 2. Unknown command: ENOTTY with exitinfo2 = 0xff copied back. */
	hdr_init(&h, &req, &resp);
	errno = 0;
	int rc = u_sev_ioctl(fd, unknown, &h);
	int e = errno;
	if (rc == 0 || e != ENOTTY)
		tst_fail("unknown command 0x%08lx returned %s, want ENOTTY", unknown, rc == 0 ? "success" : tst_errno_name(e));
	else if (h.exitinfo2 != TEEABI_SNP_EXITINFO2_EARLY)
		tst_fail("unknown command: exitinfo2 is 0x%llx, want 0xff copied back", (unsigned long long)h.exitinfo2);
	/* 3. msg_version 0 wins over an unknown command. */
	hdr_init(&h, &req, &resp);
	h.msg_version = 0;
	errno = 0;
	rc = u_sev_ioctl(fd, unknown, &h);
	e = errno;
	if (rc == 0 || e != EINVAL)
		tst_fail("unknown command with msg_version 0 returned %s, want EINVAL (msg_version is checked before the command)",
			 rc == 0 ? "success" : tst_errno_name(e));
	/* 4. The header itself faults: EFAULT before the command is examined. */
	errno = 0;
	rc = ioctl(fd, unknown, NULL);
	e = errno;
	if (rc == 0 || e != EFAULT)
		tst_fail("unknown command with a NULL header returned %s, want EFAULT", rc == 0 ? "success" : tst_errno_name(e));
	errno = 0;
	rc = ioctl(fd, TEEABI_SNP_GET_REPORT, NULL);
	e = errno;
	if (rc == 0 || e != EFAULT)
		tst_fail("GET_REPORT with a NULL header returned %s, want EFAULT", rc == 0 ? "success" : tst_errno_name(e));
	/* 5. Null req_data / resp_data: EINVAL, exitinfo2 0xff. */
	for (size_t i = 0; i < 3; i++) {
		for (int which = 0; which < 2; which++) {
			hdr_init(&h, which ? (void *)&ereq : NULL, which ? NULL : (void *)&resp);
			errno = 0;
			rc = u_sev_ioctl(fd, cmds[i].cmd, &h);
			e = errno;
			if (rc == 0 || e != EINVAL)
				tst_fail("%s with a null %s returned %s, want EINVAL", cmds[i].name, which ? "resp_data" : "req_data",
					 rc == 0 ? "success" : tst_errno_name(e));
			else if (h.exitinfo2 != TEEABI_SNP_EXITINFO2_EARLY)
				tst_fail("%s with a null %s: exitinfo2 0x%llx, want 0xff copied back", cmds[i].name,
					 which ? "resp_data" : "req_data", (unsigned long long)h.exitinfo2);
		}
	}
	/* 6. Unmapped request: EFAULT. */
	void *page = mmap(NULL, 4096, PROT_NONE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	if (page == MAP_FAILED)
		tst_brk(TST_BROK, "mmap");
	hdr_init(&h, page, &resp);
	errno = 0;
	rc = u_sev_ioctl(fd, TEEABI_SNP_GET_REPORT, &h);
	e = errno;
	if (rc == 0 || e != EFAULT)
		tst_fail("GET_REPORT with an unmapped req_data returned %s, want EFAULT", rc == 0 ? "success" : tst_errno_name(e));
	munmap(page, 4096);
	close(fd);
	if (!tst_fail_count())
		tst_pass("EFAULT > msg_version 0 (EINVAL, no copy-back) > unknown cmd (ENOTTY) > null pointers (EINVAL), exitinfo2 0xff");
}

/* Round 5, 205 (issue 17 rules 4 and 6): snp_guest_ioctl() (drivers/virt/coco/sev-guest/
 * sev-guest.c, 6.12 and 7.3) switches on the whole command number, so 'S' 0, 1 and 2 with
 * any other direction or size than _IOWR(32 bytes) are unknown commands: the 32-byte header
 * is read (it does not depend on the size bits), exitinfo2 = 0xff, msg_version checked,
 * then the switch's default: ENOTTY, with the header copied back (exitinfo2 != 0). Each
 * request here is valid for the command of that number, so a driver that matches by number
 * answers it (status 0 in resp_data) instead; resp_data keeps its canary otherwise. Safe on
 * a real guest: none of them reaches the firmware on a conforming kernel, and a valid one on
 * a non-conforming kernel. */
static void t_cmd_size_dir(void)
{
	int fd = open_dev();
	static struct teeabi_snp_ext_report_req ereq; /* a valid GET_REPORT (its first 96 bytes) or EXT request */
	static struct teeabi_snp_derived_key_req kreq;
	static struct teeabi_snp_report_resp resp;
	struct teeabi_snp_guest_request_ioctl h;
	static const struct { unsigned dir; const char *name; } dirs[] = {
		{ _IOC_READ | _IOC_WRITE, "_IOWR" }, { _IOC_READ, "_IOR" }, { _IOC_WRITE, "_IOW" }, { _IOC_NONE, "_IO" },
	};
	static const unsigned sizes[] = { 0, 8, 24, 31, 32, 33, 40, 64 };
	int n = 0;
	for (unsigned nr = 0; nr < 3; nr++)
		for (size_t di = 0; di < sizeof(dirs) / sizeof(dirs[0]); di++)
			for (size_t si = 0; si < sizeof(sizes) / sizeof(sizes[0]); si++) {
				unsigned long cmd = _IOC(dirs[di].dir, 'S', nr, sizes[si]);
				if (cmd == TEEABI_SNP_GET_REPORT + nr)
					continue; /* the command itself */
				memset(&ereq, 0, sizeof(ereq));
				memset(&kreq, 0, sizeof(kreq));
				ereq.data.vmpl = kreq.vmpl = tst_profile->sev_vmpl;
				memset(&resp, 0xA5, sizeof(resp));
				hdr_init(&h, nr == 1 ? (void *)&kreq : (void *)&ereq, &resp);
				errno = 0;
				int rc = u_sev_ioctl(fd, cmd, &h);
				int e = errno;
				n++;
				if (rc == 0 || e != ENOTTY)
					tst_fail("%s('S', %u, %u bytes) = 0x%08lx returned %s, want ENOTTY (the kernel matches the whole "
						 "command number, not its number bits)", dirs[di].name, nr, sizes[si], cmd,
						 rc == 0 ? "success" : tst_errno_name(e));
				else if (h.exitinfo2 != TEEABI_SNP_EXITINFO2_EARLY)
					tst_fail("%s('S', %u, %u bytes): ENOTTY with exitinfo2 0x%llx, want 0xff copied back", dirs[di].name,
						 nr, sizes[si], (unsigned long long)h.exitinfo2);
				else if (resp.data[0] != 0xA5 || memcmp(resp.data, resp.data + 1, sizeof(resp.data) - 1))
					tst_fail("%s('S', %u, %u bytes): ENOTTY, but resp_data was written", dirs[di].name, nr, sizes[si]);
			}
	/* the real commands still work after all of them (no VMPCK wiped) */
	uint8_t ud[64];
	u_fill_pattern(ud, 64);
	int e = get_report(fd, ud, &resp, &h);
	if (e)
		tst_fail("GET_REPORT after the unknown commands failed: %s", tst_errno_name(e));
	close(fd);
	if (!tst_fail_count())
		tst_pass("%d commands of type 'S' and number 0..2 with another direction or size: ENOTTY, exitinfo2 0xff, no "
			 "response written", n);
}

static int derive(int fd, uint64_t gfs, uint8_t key[32])
{
	static struct teeabi_snp_derived_key_req req;
	static struct teeabi_snp_derived_key_resp resp;
	struct teeabi_snp_guest_request_ioctl h;
	memset(&req, 0, sizeof(req));
	memset(&resp, 0, sizeof(resp));
	req.root_key_select = 0; /* VCEK */
	req.guest_field_select = gfs;
	req.vmpl = tst_profile->sev_vmpl;
	hdr_init(&h, &req, &resp);
	if (u_sev_ioctl(fd, TEEABI_SNP_GET_DERIVED_KEY, &h) < 0) {
		tst_fail("SNP_GET_DERIVED_KEY (field_select 0x%llx) failed: %s", (unsigned long long)gfs, tst_errno_name(errno));
		return -1;
	}
	struct teeabi_snp_msg_key_rsp k;
	teeabi_err pe = teeabi_snp_msg_key_rsp_parse(resp.data, sizeof(resp.data), &k);
	if (pe != TEEABI_OK) {
		tst_fail("MSG_KEY_RSP does not parse: %s (status 0x%x)", teeabi_err_name(pe), teeabi_le32(resp.data));
		return -1;
	}
	memcpy(key, k.derived_key, 32);
	return 0;
}

static void t_derived_key(void)
{
	int fd = open_dev();
	uint8_t a[32], b[32], c[32], d[32];
	/* bits 0-3 (policy, image_id, family_id, measurement): always accepted by firmware. */
	if (derive(fd, 0x8, a) || derive(fd, 0x8, b) || derive(fd, 0x0, c) || derive(fd, 0x1, d)) {
		close(fd);
		return;
	}
	close(fd);
	if (teeabi_all_zero(a, 32))
		tst_fail("derived key is all zero");
	if (memcmp(a, b, 32))
		tst_fail("the same request gave two different keys (%s vs %s)", tst_hex(a, 32), tst_hex(b, 32));
	if (!memcmp(a, c, 32))
		tst_fail("guest_field_select 0x8 (measurement) and 0x0 gave the same key %s: fields ignored", tst_hex(a, 32));
	if (!memcmp(c, d, 32))
		tst_fail("guest_field_select 0x0 and 0x1 (policy) gave the same key: fields ignored");
	if (!tst_fail_count())
		tst_pass("same fields -> same key; different field selection -> different keys");
}

/* One SNP_GET_DERIVED_KEY; key gets the 32 bytes at MSG_KEY_RSP 0x20. Returns 0 or -1 (FAIL
 * reported). Every request here is one the firmware accepts: vmpl >= the running VMPL,
 * guest_svn at most the report's GUEST_SVN, tcb_version 0 or the committed TCB. root is
 * ROOT_KEY_SELECT; with refused non-NULL an in-band status other than 0 is no FAIL: *refused
 * gets the status and the call returns -1. */
static int derive_root(int fd, uint32_t root, uint64_t gfs, uint32_t vmpl, uint32_t svn, uint64_t tcb, uint8_t key[32],
		       const char *what, uint32_t *refused)
{
	static struct teeabi_snp_derived_key_req req;
	static struct teeabi_snp_derived_key_resp resp;
	struct teeabi_snp_guest_request_ioctl h;
	memset(&req, 0, sizeof(req));
	memset(&resp, 0, sizeof(resp));
	req.root_key_select = root;
	req.guest_field_select = gfs;
	req.vmpl = vmpl;
	req.guest_svn = svn;
	req.tcb_version = tcb;
	hdr_init(&h, &req, &resp);
	if (u_sev_ioctl(fd, TEEABI_SNP_GET_DERIVED_KEY, &h) < 0) {
		tst_fail("SNP_GET_DERIVED_KEY (%s) failed: %s", what, tst_errno_name(errno));
		return -1;
	}
	if (refused && teeabi_le32(resp.data) != 0) {
		*refused = teeabi_le32(resp.data);
		return -1;
	}
	struct teeabi_snp_msg_key_rsp k;
	teeabi_err pe = teeabi_snp_msg_key_rsp_parse(resp.data, sizeof(resp.data), &k);
	if (pe != TEEABI_OK) {
		tst_fail("MSG_KEY_RSP (%s) does not parse: %s (status 0x%x)", what, teeabi_err_name(pe), teeabi_le32(resp.data));
		return -1;
	}
	/* A 32-byte key at 0x20 fills the response to its end (64 bytes): a zero half means the
	 * key sits elsewhere in the response. */
	if (teeabi_all_zero(resp.data + 0x20, 16) || teeabi_all_zero(resp.data + 0x30, 16)) {
		tst_fail("MSG_KEY_RSP (%s): derived_key at 0x20 has an all-zero half (%s); the key is 32 bytes at 0x20..0x3F", what,
			 tst_hex(resp.data + 0x20, 32));
		return -1;
	}
	memcpy(key, k.derived_key, 32);
	return 0;
}

static int derive_req(int fd, uint64_t gfs, uint32_t vmpl, uint32_t svn, uint64_t tcb, uint8_t key[32], const char *what)
{
	return derive_root(fd, 0, gfs, vmpl, svn, tcb, key, what, NULL);
}

/* ROOT_KEY_SELECT bit 0 chooses the root the key is derived from (kernel-abi.md §2.2
 * snp_derived_key_req: 0 = VCEK, 1 = VMRK; SNP firmware ABI 56860 MSG_KEY_REQ): for each
 * field selection of k (sel[], the VCEK-rooted keys) the VMRK-rooted key differs from the
 * VCEK-rooted one and from the other VMRK-rooted keys, and the same VMRK request twice gives
 * one key. The kernel passes the field through (get_derived_key() copies the request);
 * a firmware that refuses ROOT_KEY_SELECT 1 in-band is reported, not judged (the ABI text
 * the project holds does not say when a VMRK exists). */
static void key_roots(int fd, const uint64_t *sel, const char *const *names, uint8_t (*k)[32], size_t n, unsigned own)
{
	uint8_t km[5][32], again[32];
	uint32_t st = 0;
	char w[64];
	for (size_t i = 0; i < n && i < 5; i++) {
		snprintf(w, sizeof(w), "root_key_select 1, %s", names[i]);
		if (derive_root(fd, 1, sel[i], own, 0, 0, km[i], w, &st)) {
			if (st)
				tst_info("ROOT_KEY_SELECT 1 (VMRK) refused in-band with status 0x%x: VCEK and VMRK keys not compared", st);
			return;
		}
		if (!memcmp(km[i], k[i], 32))
			tst_fail("root_key_select 0 (VCEK) and 1 (VMRK) gave the same key for %s (%s): the root key select is ignored",
				 names[i], tst_hex(km[i], 32));
		for (size_t j = 0; j < i; j++)
			if (!memcmp(km[i], km[j], 32))
				tst_fail("root_key_select 1: %s and %s gave the same key", names[j], names[i]);
	}
	if (derive_root(fd, 1, sel[0], own, 0, 0, again, "root_key_select 1 again", NULL) == 0 && memcmp(again, km[0], 32))
		tst_fail("the same root_key_select 1 request gave two different keys (%s vs %s)", tst_hex(km[0], 32), tst_hex(again, 32));
}

/* The request fields the firmware mixes into the key (kernel-abi.md §2.2 snp_derived_key_req,
 * §2.4 MSG_KEY_RSP): each guest_field_select bit 0-3 on its own gives its own key, the
 * requested vmpl (any from the running one to 3) changes the key, with bit 5 the tcb_version
 * changes it, and the key is the 32 bytes at 0x20. */
static void t_key_request_fields(void)
{
	int fd = open_dev();
	unsigned own = tst_profile->sev_vmpl;
	static const uint64_t sel[] = { 0x0, 0x1, 0x2, 0x4, 0x8 };
	static const char *names[] = { "no field", "policy", "image_id", "family_id", "measurement" };
	uint8_t k[5][32], kv[32], t0[32], t1[32];
	for (size_t i = 0; i < 5; i++)
		if (derive_req(fd, sel[i], own, 0, 0, k[i], names[i])) {
			close(fd);
			return;
		}
	for (size_t i = 0; i < 5; i++)
		for (size_t j = i + 1; j < 5; j++)
			if (!memcmp(k[i], k[j], 32))
				tst_fail("guest_field_select 0x%llx (%s) and 0x%llx (%s) gave the same key", (unsigned long long)sel[i],
					 names[i], (unsigned long long)sel[j], names[j]);
	key_roots(fd, sel, names, k, 5, own);
	if (own < 3) {
		if (derive_req(fd, 0, 3, 0, 0, kv, "vmpl 3") == 0 && !memcmp(kv, k[0], 32))
			tst_fail("vmpl 3 and vmpl %u gave the same key: the request's vmpl is not used", own);
	} else {
		tst_info("guest runs at VMPL3: no other vmpl to compare");
	}
	/* The two value fields, guest_svn (bit 4) and tcb_version (bit 5), each at two values the
	 * firmware accepts (guest_svn up to the launch SVN the report's GUEST_SVN shows, tcb_version
	 * up to the committed TCB): selected, the two values give two keys; not selected, the field
	 * is not mixed in and both give one key (56860 MSG_KEY_REQ GUEST_FIELD_SELECT). */
	struct teeabi_snp_report_resp *resp = resp_or_brk();
	struct teeabi_snp_report r;
	if (own_report(fd, resp, &r)) {
		tst_fail("SNP_GET_REPORT for the GUEST_SVN and committed TCB failed (or the report does not parse)");
		goto out;
	}
	const struct { const char *name; uint64_t bit, hi; } vf[] = {
		{ "guest_svn", 0x10, r.guest_svn }, { "tcb_version", 0x20, r.committed_tcb.raw },
	};
	for (size_t i = 0; i < 2; i++) {
		if (vf[i].hi == 0) {
			tst_info("%s: the only legal value is 0 (report's %s is 0): not compared", vf[i].name,
				 i ? "COMMITTED_TCB" : "GUEST_SVN");
			continue;
		}
		for (int sel_on = 0; sel_on < 2; sel_on++) {
			uint64_t gfs = sel_on ? vf[i].bit : 0;
			char w0[80], w1[80];
			snprintf(w0, sizeof(w0), "%s 0, field_select 0x%llx", vf[i].name, (unsigned long long)gfs);
			snprintf(w1, sizeof(w1), "%s 0x%llx, field_select 0x%llx", vf[i].name, (unsigned long long)vf[i].hi,
				 (unsigned long long)gfs);
			if (derive_req(fd, gfs, own, 0, 0, t0, w0) ||
			    derive_req(fd, gfs, own, i ? 0 : (uint32_t)vf[i].hi, i ? vf[i].hi : 0, t1, w1))
				continue;
			if (sel_on && !memcmp(t0, t1, 32))
				tst_fail("guest_field_select bit %d (%s) set: %s 0 and 0x%llx gave the same key (%s not mixed in)",
					 i ? 5 : 4, vf[i].name, vf[i].name, (unsigned long long)vf[i].hi, vf[i].name);
			if (!sel_on && memcmp(t0, t1, 32))
				tst_fail("guest_field_select bit %d (%s) clear: %s 0 and 0x%llx gave different keys (an unselected "
					 "field is mixed in)", i ? 5 : 4, vf[i].name, vf[i].name, (unsigned long long)vf[i].hi);
		}
	}
out:
	free(resp);
	close(fd);
	if (!tst_fail_count())
		tst_pass("root_key_select, field bits 0-3, vmpl, guest_svn and tcb_version change the key (only when selected); key at 0x20");
}

/* EXT_REPORT with a certs buffer of len bytes. Returns errno (0 = ok). */
static int ext_report(int fd, uint8_t *certs, uint32_t len, const uint8_t ud[64], struct teeabi_snp_ext_report_req *req,
		      struct teeabi_snp_report_resp *resp, struct teeabi_snp_guest_request_ioctl *h)
{
	memset(req, 0, sizeof(*req));
	memcpy(req->data.user_data, ud, 64);
	req->data.vmpl = tst_profile->sev_vmpl;
	req->certs_address = (uint64_t)(uintptr_t)certs;
	req->certs_len = len;
	hdr_init(h, req, resp);
	return u_sev_ioctl(fd, TEEABI_SNP_GET_EXT_REPORT, h) < 0 ? errno : 0;
}

/* Round 5, 166 (issue 17 rule 3 on the error paths): after a failed SNP_GET_EXT_REPORT the
 * certificate buffer holds what the caller put there. The kernel's get_ext_report()
 * (drivers/virt/coco/sev-guest/sev-guest.c, 6.12 and 7.3) returns before
 * copy_to_sockptr(certs_address, ...) (and before the response copy) when the request
 * fails, INVALID_LEN included, where it writes back only the request with certs_len set. So
 * every byte keeps its canary: a partial table there is what a caller that ignores the errno
 * would parse. (The request and the header, input-only but for certs_len and exitinfo2, are
 * judged on every call by u_sev_ioctl(), suites/common/inonly.c.) One FAIL. */
static void ext_error_untouched(const char *what, const uint8_t *certs, size_t clen, uint8_t canary)
{
	for (size_t i = 0; i < clen; i++)
		if (certs[i] != canary) {
			tst_fail("%s: the certificate buffer was written on the error path (byte %zu is 0x%02x, canary 0x%02x): "
				 "the kernel copies certificates only after a successful request", what, i, certs[i], canary);
			return;
		}
}

/* One SNP_GET_EXT_REPORT with a 16 KiB certificate buffer set to `fill` before the call and
 * report data u_fill_pattern: the parsed MSG_REPORT_RSP in x->m (into x->resp). A failed call
 * or an unparsable response ends the test FAIL; ext_full_free releases the buffers. */
struct ext_full {
	uint8_t ud[64];
	uint8_t *certs;
	struct teeabi_snp_report_resp *resp;
	struct teeabi_snp_ext_report_req req;
	struct teeabi_snp_guest_request_ioctl h;
	struct teeabi_snp_msg_report_rsp m;
};

static void ext_full_get(struct ext_full *x, int fill)
{
	int fd = open_dev();
	x->certs = mmap(NULL, TEEABI_SNP_CERTS_MAX, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	x->resp = calloc(1, sizeof(*x->resp));
	if (x->certs == MAP_FAILED || !x->resp)
		tst_brk(TST_BROK, "allocation failed");
	memset(x->certs, fill, TEEABI_SNP_CERTS_MAX);
	u_fill_pattern(x->ud, 64);
	int e = ext_report(fd, x->certs, TEEABI_SNP_CERTS_MAX, x->ud, &x->req, x->resp, &x->h);
	close(fd);
	if (e)
		tst_brk(TST_FAIL, "SNP_GET_EXT_REPORT with a 16 KiB certificate buffer failed: %s (exitinfo2 0x%llx, certs_len %u)",
			tst_errno_name(e), (unsigned long long)x->h.exitinfo2, x->req.certs_len);
	teeabi_err pe = teeabi_snp_msg_report_rsp_parse(x->resp->data, sizeof(x->resp->data), &x->m);
	if (pe != TEEABI_OK)
		tst_brk(TST_FAIL, "EXT_REPORT MSG_REPORT_RSP does not parse: %s", teeabi_err_name(pe));
}

static void ext_full_free(struct ext_full *x)
{
	munmap(x->certs, TEEABI_SNP_CERTS_MAX);
	free(x->resp);
}

static void t_ext_certs(void)
{
	struct ext_full x;
	ext_full_get(&x, 0xA5);
	uint8_t *certs = x.certs;
	if (teeabi_all_zero(certs, 24)) {
		tst_info("host supplied no certificates (first entry is the terminator)");
		u_judge_snp_report("EXT_REPORT report", x.m.report.p, x.m.report.len, x.ud, tst_profile->sev_vmpl, NULL, 0);
	} else {
		struct teeabi_cert_table *ct = calloc(1, sizeof(*ct));
		if (!ct)
			tst_brk(TST_BROK, "calloc");
		size_t end = 0;
		if (teeabi_snp_cert_table_parse(certs, TEEABI_SNP_CERTS_MAX, 0, ct) == TEEABI_OK)
			end = ct->end;
		free(ct);
		u_judge_snp_report("EXT_REPORT report", x.m.report.p, x.m.report.len, x.ud, tst_profile->sev_vmpl, certs,
				   TEEABI_SNP_CERTS_MAX);
		/* a plain SNP_GET_REPORT of the same machine: signed by the same key, which its
		 * SIGNER_INFO must name too (issue 17 rule 1, every path) */
		struct teeabi_snp_report_resp *presp = resp_or_brk();
		struct teeabi_snp_guest_request_ioctl ph;
		uint8_t pud[64];
		u_fill_pattern(pud, 64);
		pud[0] ^= 0x3c;
		int fd = open_dev();
		int e = get_report(fd, pud, presp, &ph);
		close(fd);
		struct teeabi_snp_msg_report_rsp pm;
		if (e)
			tst_fail("SNP_GET_REPORT failed: %s", tst_errno_name(e));
		else if (teeabi_snp_msg_report_rsp_parse(presp->data, sizeof(presp->data), &pm) != TEEABI_OK)
			tst_fail("SNP_GET_REPORT MSG_REPORT_RSP does not parse");
		else
			u_judge_snp_report("SNP_GET_REPORT report (checked with the EXT_REPORT's certificate table)", pm.report.p,
					   pm.report.len, pud, tst_profile->sev_vmpl, certs, TEEABI_SNP_CERTS_MAX);
		free(presp);
		if (end) {
			tst_save_evidence("sev-certs.bin", certs, end);
			/* The kernel copies the full certs_len; what the host did not fill is zero. */
			if (!teeabi_all_zero(certs + end, TEEABI_SNP_CERTS_MAX - end))
				tst_fail("certificate buffer bytes after the blob's end (%zu) are not zero: the kernel copies all of certs_len",
					 end);
		}
	}
	ext_full_free(&x);
}

/* The genuineness line from SNP_GET_EXT_REPORT's report and the host's certificates (the
 * only source on kernels without configfs-tsm; elsewhere it agrees with tsm_report's) */
static void t_ext_genuine(void)
{
	struct ext_full x;
	struct teeabi_genuineness g;
	ext_full_get(&x, 0);
	teeabi_snp_report_genuine(x.m.report.p, x.m.report.len, teeabi_all_zero(x.certs, 24) ? NULL : x.certs,
				  TEEABI_SNP_CERTS_MAX, NULL, 0, &g);
	u_report_genuineness(&g);
	ext_full_free(&x);
}

static void t_ext_len_checks(void)
{
	int fd = open_dev();
	uint8_t ud[64];
	uint8_t *certs = mmap(NULL, 5 * 4096, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	struct teeabi_snp_report_resp *resp = calloc(1, sizeof(*resp));
	struct teeabi_snp_ext_report_req req;
	struct teeabi_snp_guest_request_ioctl h;
	if (certs == MAP_FAILED || !resp)
		tst_brk(TST_BROK, "allocation failed");
	u_fill_pattern(ud, 64);
	static const uint32_t bad[] = { 100, 4095, 4097, 6000, 5 * 4096 };
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		memset(certs, 0x5A, 5 * 4096);
		memset(resp, 0xAA, sizeof(*resp));
		int e = ext_report(fd, certs, bad[i], ud, &req, resp, &h);
		const char *why = bad[i] > TEEABI_SNP_CERTS_MAX ? "above 16 KiB" : "not a multiple of 4096";
		char what[64];
		snprintf(what, sizeof(what), "EXT_REPORT certs_len %u", bad[i]);
		ext_error_untouched(what, certs, 5 * 4096, 0x5A);
		if (resp->data[0] != 0xAA || memcmp(resp->data, resp->data + 1, sizeof(resp->data) - 1))
			tst_fail("%s: resp_data was written; the kernel returns EINVAL before the request", what);
		if (e != EINVAL)
			tst_fail("EXT_REPORT with certs_len %u (%s) returned %s, want EINVAL", bad[i], why, e ? tst_errno_name(e) : "success");
		else if (h.exitinfo2 != TEEABI_SNP_EXITINFO2_EARLY)
			tst_fail("EXT_REPORT certs_len %u: exitinfo2 0x%llx, want 0xff", bad[i], (unsigned long long)h.exitinfo2);
	}
	close(fd);
	munmap(certs, 5 * 4096);
	free(resp);
	if (!tst_fail_count())
		tst_pass("certs_len must be a page multiple <= 16 KiB, else EINVAL with exitinfo2 0xff");
}

/* The certificate-size protocol: certs_len 0 ("no buffer") is still sent to the host. A
 * host with certificates answers INVALID_LEN: EIO, exitinfo2 = 1<<32, the required size
 * written back into certs_len, resp untouched, and the VMPCK is NOT wiped (§2.3 step 8/10).
 * A one-page buffer for a blob larger than a page takes the same path. */
static uint32_t check_invalid_len(int fd, uint32_t offer, size_t end, const uint8_t ud[64], struct teeabi_snp_report_resp *resp)
{
	struct teeabi_snp_ext_report_req req;
	struct teeabi_snp_guest_request_ioctl h;
	static uint8_t buf[4096];
	uint32_t min_need = (uint32_t)((end + 4095) / 4096 * 4096); /* the host may pad its blob */
	memset(resp, 0xAA, sizeof(*resp));
	memset(buf, 0xC3, sizeof(buf));
	int e = ext_report(fd, offer ? buf : NULL, offer, ud, &req, resp, &h);
	char what[64];
	snprintf(what, sizeof(what), "INVALID_LEN (offer %u)", offer);
	ext_error_untouched(what, buf, offer ? sizeof(buf) : 0, 0xC3);
	if (e != EIO) {
		tst_fail("EXT_REPORT offering %u bytes for a %zu-byte certificate blob returned %s, want EIO (INVALID_LEN)", offer, end,
			 e ? tst_errno_name(e) : "success");
		return 0;
	}
	if (h.exitinfo2 != (1ULL << TEEABI_SNP_VMM_ERR_SHIFT))
		tst_fail("INVALID_LEN (offer %u): exitinfo2 0x%llx, want 0x100000000 (vmm_error 1, fw_error 0)", offer,
			 (unsigned long long)h.exitinfo2);
	if (req.certs_len < min_need || req.certs_len % 4096 || req.certs_len > TEEABI_SNP_CERTS_MAX)
		tst_fail("INVALID_LEN (offer %u): certs_len is %u after the call, want the required page multiple >= %u written back",
			 offer, req.certs_len, min_need);
	else
		tst_info("offer %u -> EIO, certs_len rewritten to %u", offer, req.certs_len);
	bool untouched = true;
	for (size_t i = 0; i < sizeof(resp->data); i++)
		if (resp->data[i] != 0xAA)
			untouched = false;
	if (!untouched)
		tst_fail("INVALID_LEN (offer %u): resp_data was written; the kernel leaves it alone", offer);
	return req.certs_len;
}

/* What the EXT_REPORT tests start from: the device open, a 16 KiB certificate buffer and the
 * end of the host's certificate table, from one EXT_REPORT with that buffer (0: the host has
 * no certificates). A failing first request ends the test as a FAIL. */
struct ext_ctx {
	int fd;
	uint8_t ud[64];
	uint8_t *certs;
	struct teeabi_snp_report_resp *resp;
	struct teeabi_snp_ext_report_req req;
	struct teeabi_snp_guest_request_ioctl h;
	size_t end;
};

static void ext_begin(struct ext_ctx *c)
{
	c->fd = open_dev();
	c->certs = mmap(NULL, TEEABI_SNP_CERTS_MAX, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	c->resp = calloc(1, sizeof(*c->resp));
	if (c->certs == MAP_FAILED || !c->resp)
		tst_brk(TST_BROK, "allocation failed");
	u_fill_pattern(c->ud, 64);
	int e = ext_report(c->fd, c->certs, TEEABI_SNP_CERTS_MAX, c->ud, &c->req, c->resp, &c->h);
	if (e)
		tst_brk(TST_FAIL, "EXT_REPORT with 16 KiB failed: %s", tst_errno_name(e));
	struct teeabi_cert_table *ct = calloc(1, sizeof(*ct));
	if (!ct)
		tst_brk(TST_BROK, "calloc");
	c->end = teeabi_snp_cert_table_parse(c->certs, TEEABI_SNP_CERTS_MAX, 0, ct) == TEEABI_OK ? ct->end : 0;
	free(ct);
}

static void ext_done(struct ext_ctx *c)
{
	close(c->fd);
	munmap(c->certs, TEEABI_SNP_CERTS_MAX);
	free(c->resp);
}

static void t_ext_size_protocol(void)
{
	static struct ext_ctx c;
	ext_begin(&c);
	int fd = c.fd, e;
	uint8_t *ud = c.ud, *certs = c.certs;
	struct teeabi_snp_report_resp *resp = c.resp;
	size_t end = c.end;
	if (end == 0) {
		/* No certificates: a zero-length offer is a plain report request. */
		e = ext_report(fd, NULL, 0, ud, &c.req, resp, &c.h);
		if (e)
			tst_fail("EXT_REPORT with certs_len 0 on a host without certificates failed: %s", tst_errno_name(e));
		else
			tst_pass("host has no certificates: certs_len 0 is a plain report request");
		goto out;
	}
	uint32_t need = check_invalid_len(fd, 0, end, ud, resp);
	if (need > 4096)
		check_invalid_len(fd, 4096, end, ud, resp);
	if (need < 4096 || need > TEEABI_SNP_CERTS_MAX || need % 4096)
		goto out;
	/* The documented path does not disable the VMPCK: a request with that size works. */
	e = ext_report(fd, certs, need, ud, &c.req, resp, &c.h);
	if (e)
		tst_fail("EXT_REPORT with the required certs_len failed after INVALID_LEN: %s (device disabled?)", tst_errno_name(e));
	if (!tst_fail_count())
		tst_pass("certificate-size protocol: EIO, exitinfo2 1<<32, certs_len rewritten, resp untouched, device keeps working");
out:
	ext_done(&c);
}

/* certs_address 0 with a non-zero certs_len means "no certificates", like certs_len 0
 * (kernel-abi.md §2.3 step 6, checklist "certs_len 0 or address 0 means no certs"): a plain
 * ext request with 0 pages. A host that has certificates answers INVALID_LEN (EIO,
 * exitinfo2 1<<32, the required certs_len written back; the VMPCK stays), a host without
 * certificates gives a report. Never EINVAL/EFAULT for the null address. */
static void t_ext_null_certs_address(void)
{
	static struct ext_ctx c;
	ext_begin(&c);
	size_t end = c.end;
	struct teeabi_snp_ext_report_req req;
	struct teeabi_snp_guest_request_ioctl h;
	int e = ext_report(c.fd, NULL, TEEABI_SNP_CERTS_MAX, c.ud, &req, c.resp, &h);
	if (end == 0) {
		if (e)
			tst_fail("EXT_REPORT with certs_address 0, certs_len %u on a host without certificates failed: %s, want a "
				 "report (a null address means no certificates)", TEEABI_SNP_CERTS_MAX, tst_errno_name(e));
		else
			tst_pass("certs_address 0: no certificates requested, report returned");
		goto out;
	}
	if (e != EIO) {
		tst_fail("EXT_REPORT with certs_address 0, certs_len %u returned %s, want EIO (INVALID_LEN: a null address means "
			 "no certificate buffer, and the host has %zu bytes of certificates)", TEEABI_SNP_CERTS_MAX,
			 e ? tst_errno_name(e) : "success", end);
		goto out;
	}
	if (h.exitinfo2 != (1ULL << TEEABI_SNP_VMM_ERR_SHIFT))
		tst_fail("certs_address 0: exitinfo2 0x%llx, want 0x100000000 (vmm_error INVALID_LEN)", (unsigned long long)h.exitinfo2);
	if (req.certs_len < end || req.certs_len % 4096 || req.certs_len > TEEABI_SNP_CERTS_MAX)
		tst_fail("certs_address 0: certs_len is %u after INVALID_LEN, want the required page multiple >= %zu", req.certs_len, end);
	/* INVALID_LEN does not disable the VMPCK */
	e = ext_report(c.fd, c.certs, TEEABI_SNP_CERTS_MAX, c.ud, &req, c.resp, &h);
	if (e)
		tst_fail("EXT_REPORT with 16 KiB failed after the null-address request: %s (device disabled?)", tst_errno_name(e));
	if (!tst_fail_count())
		tst_pass("certs_address 0 with certs_len %u is a request without certificates (INVALID_LEN, certs_len rewritten)",
			 TEEABI_SNP_CERTS_MAX);
out:
	ext_done(&c);
}

/* The report is made at the requested VMPL: any vmpl from the running one to 3 is valid and
 * the report's VMPL field (0x30) says which (kernel-abi.md §2.2 snp_report_req.vmpl, §2.3
 * step 6: the kernel passes vmpl to the firmware; §2.6 privlevel becomes vmpl). */
static void t_vmpl_echo(void)
{
	int fd = open_dev();
	uint8_t ud[64];
	struct teeabi_snp_report_resp *resp = resp_or_brk();
	struct teeabi_snp_guest_request_ioctl h;
	u_fill_pattern(ud, 64);
	for (unsigned v = tst_profile->sev_vmpl; v <= 3; v++) {
		int e = get_report_at(fd, ud, v, resp, &h);
		if (e) {
			tst_fail("SNP_GET_REPORT at vmpl %u failed: %s", v, tst_errno_name(e));
			continue;
		}
		struct teeabi_snp_msg_report_rsp m;
		teeabi_err pe = teeabi_snp_msg_report_rsp_parse(resp->data, sizeof(resp->data), &m);
		if (pe != TEEABI_OK) {
			tst_fail("SNP_GET_REPORT at vmpl %u: MSG_REPORT_RSP does not parse: %s (status 0x%x)", v, teeabi_err_name(pe),
				 teeabi_le32(resp->data));
			continue;
		}
		u_judge_snp_report(v == 3 ? "report at vmpl 3" : "report at a requested vmpl", m.report.p, m.report.len, ud, v,
				   NULL, 0);
	}
	close(fd);
	free(resp);
	if (!tst_fail_count())
		tst_pass("reports at vmpl %u..3 each carry the requested VMPL", tst_profile->sev_vmpl);
}

/* The fields that are the guest's for its lifetime (snp_pin.h u_snp_same_guest: REPORT_ID,
 * REPORT_ID_MA, MEASUREMENT, HOST_DATA, FAMILY_ID, IMAGE_ID, the key digests, CHIP_ID,
 * GUEST_SVN, POLICY, LAUNCH_TCB, CPUID) are equal in every report the guest gets: two
 * SNP_GET_REPORTs in a row, one at each other vmpl up to 3, and an SNP_GET_EXT_REPORT
 * (issue 17 rule 1, across calls; blind audit round 4, 146). */
static void t_same_guest(void)
{
	struct teeabi_snp_report_resp *resp = resp_or_brk();
	static uint8_t first[1184];
	struct teeabi_snp_report ref, r;
	struct teeabi_snp_guest_request_ioctl h;
	struct teeabi_snp_msg_report_rsp m;
	uint8_t ud[64];
	int fd = open_dev();
	if (own_report(fd, resp, &r))
		tst_brk(TST_FAIL, "SNP_GET_REPORT at the guest's vmpl failed or does not parse");
	memcpy(first, resp->data + TEEABI_SNP_MSG_REPORT_RSP_HDR, sizeof(first));
	if (teeabi_snp_report_parse(first, sizeof(first), 0, &ref) != TEEABI_OK)
		tst_brk(TST_BROK, "the copy of a parsed report does not parse");
	u_fill_pattern(ud, 64);
	/* the same request again, then one at each vmpl above the guest's */
	for (unsigned v = tst_profile->sev_vmpl; v <= 3; v++) {
		char what[64];
		snprintf(what, sizeof(what), "SNP_GET_REPORT at vmpl %u (%s)", v, v == tst_profile->sev_vmpl ? "again" : "other");
		int e = get_report_at(fd, ud, v, resp, &h);
		if (e || teeabi_snp_msg_report_rsp_parse(resp->data, sizeof(resp->data), &m) != TEEABI_OK ||
		    teeabi_snp_report_parse(m.report.p, m.report.len, 0, &r) != TEEABI_OK) {
			tst_fail("%s failed or does not parse: %s", what, tst_errno_name(e));
			continue;
		}
		u_snp_same_guest(what, &ref, &r);
	}
	close(fd);
	free(resp);
	struct ext_full x;
	ext_full_get(&x, 0);
	if (teeabi_snp_report_parse(x.m.report.p, x.m.report.len, 0, &r) != TEEABI_OK)
		tst_fail("SNP_GET_EXT_REPORT report does not parse");
	else
		u_snp_same_guest("SNP_GET_EXT_REPORT report", &ref, &r);
	ext_full_free(&x);
	if (!tst_fail_count())
		tst_pass("REPORT_ID, REPORT_ID_MA, MEASUREMENT, HOST_DATA, FAMILY_ID, IMAGE_ID, the key digests, CHIP_ID, "
			 "GUEST_SVN, POLICY, LAUNCH_TCB and CPUID equal in %u SNP_GET_REPORTs and an SNP_GET_EXT_REPORT",
			 5 - tst_profile->sev_vmpl);
}

/* rsvd of snp_report_req is "must be zero" in the header, but the kernel does not check it
 * (kernel-abi.md §2.2, §2.3 step 6, checklist "Do not validate vmpl or rsvd"): a request with
 * a non-zero reserved byte reaches the firmware, which answers in-band (ioctl 0; status 0 or
 * 0x16). Destructive on a real guest like bad_vmpl_in_band: a request the firmware may
 * refuse. Byte 95 is used, away from KEY_SEL (bits 1:0 of byte 68). */
static void t_rsvd_unchecked(void)
{
	int fd = open_dev();
	static struct teeabi_snp_ext_report_req ereq;
	struct teeabi_snp_report_resp *resp = resp_or_brk();
	struct teeabi_snp_guest_request_ioctl h;
	for (int ext = 0; ext < 2; ext++) {
		memset(&ereq, 0, sizeof(ereq));
		u_fill_pattern(ereq.data.user_data, 64);
		ereq.data.vmpl = tst_profile->sev_vmpl;
		ereq.data.rsvd[sizeof(ereq.data.rsvd) - 1] = 0x01;
		static uint8_t certs[TEEABI_SNP_CERTS_MAX];
		ereq.certs_address = (uint64_t)(uintptr_t)certs;
		ereq.certs_len = sizeof(certs);
		memset(resp, 0, sizeof(*resp));
		hdr_init(&h, &ereq, resp);
		const char *name = ext ? "SNP_GET_EXT_REPORT" : "SNP_GET_REPORT";
		errno = 0;
		if (u_sev_ioctl(fd, ext ? TEEABI_SNP_GET_EXT_REPORT : TEEABI_SNP_GET_REPORT, &h) < 0) {
			tst_fail("%s with a non-zero rsvd byte failed with %s; the kernel passes rsvd to the firmware unchecked", name,
				 tst_errno_name(errno));
			continue;
		}
		uint32_t st = teeabi_le32(resp->data);
		if (st != TEEABI_SEV_RET_SUCCESS && st != TEEABI_SEV_RET_INVALID_PARAM)
			tst_fail("%s with a non-zero rsvd byte: MSG_REPORT_RSP status 0x%x, want 0 or 0x16 (in-band)", name, st);
		else
			tst_info("%s with rsvd[27] = 1: firmware status 0x%x", name, st);
	}
	close(fd);
	free(resp);
	if (!tst_fail_count())
		tst_pass("a non-zero rsvd byte is not checked by the kernel (ioctl 0, the firmware answers in-band)");
}

/* The reserved bytes of a firmware response (kernel-abi.md §2.4, formats.md §5.1; SNP ABI
 * 56860 MSG_REPORT_RSP / MSG_KEY_RSP): MSG_REPORT_RSP 0x08..0x1F and MSG_KEY_RSP 0x04..0x1F
 * are reserved, zero; on success MSG_REPORT_RSP holds report_size (1184) bytes of report at 0x20
 * and the rest of the 4000 bytes is zero (the kernel kzalloc()s the buffer the firmware's
 * message is decrypted into and copies all of it). A reserved byte that is not zero leaks
 * whatever the buffer held. Returns FAILs. */
static int judge_rsp_layout(const char *what, const uint8_t *rsp, bool key)
{
	size_t from = key ? 4 : 8;
	int fails = 0;
	for (size_t i = from; i < 0x20; i++) {
		if (rsp[i]) {
			tst_fail("%s: reserved byte 0x%02zx of %s is 0x%02x, want 0 (reserved 0x%02zx..0x1F: %s)", what, i,
				 key ? "MSG_KEY_RSP" : "MSG_REPORT_RSP", rsp[i], from, tst_hex(rsp + from, 0x20 - from));
			fails++;
			break;
		}
	}
	uint32_t size = teeabi_le32(rsp + 4);
	if (key || teeabi_le32(rsp) != TEEABI_SEV_RET_SUCCESS || size != TEEABI_SNP_REPORT_LEN)
		return fails;
	const size_t len = sizeof(((struct teeabi_snp_report_resp *)0)->data), end = 0x20 + (size_t)size;
	for (size_t i = end; i < len; i++) {
		if (rsp[i]) {
			tst_fail("%s: MSG_REPORT_RSP byte 0x%03zx after the %u-byte report is 0x%02x, want 0 (the rest of the %zu "
				 "bytes is zero)", what, i, size, rsp[i], len);
			return fails + 1;
		}
	}
	return fails;
}

/* GET_REPORT (ext 0) or GET_EXT_REPORT with a 16 KiB certificate buffer (ext 1) at vmpl:
 * the ioctl's errno (0 ok), resp filled. */
static int report_cmd_at(int fd, int ext, const uint8_t ud[64], uint32_t vmpl, struct teeabi_snp_report_resp *resp,
			 struct teeabi_snp_guest_request_ioctl *h)
{
	if (!ext)
		return get_report_at(fd, ud, vmpl, resp, h);
	static struct teeabi_snp_ext_report_req ereq;
	static uint8_t certs[TEEABI_SNP_CERTS_MAX];
	memset(&ereq, 0, sizeof(ereq));
	memcpy(ereq.data.user_data, ud, 64);
	ereq.data.vmpl = vmpl;
	ereq.certs_address = (uint64_t)(uintptr_t)certs;
	ereq.certs_len = sizeof(certs);
	memset(resp, 0, sizeof(*resp));
	hdr_init(h, &ereq, resp);
	errno = 0;
	return u_sev_ioctl(fd, TEEABI_SNP_GET_EXT_REPORT, h) < 0 ? errno : 0;
}

/* The VMPLs the firmware refuses: > 3, and below the guest's own VMPL (a VMPL1 guest under an
 * SVSM asking for VMPL0). Returns how many of bad[] apply. */
static size_t bad_vmpls(uint32_t bad[3])
{
	bad[0] = 4;
	bad[1] = 0x80000000u;
	bad[2] = tst_profile->sev_vmpl > 0 ? tst_profile->sev_vmpl - 1 : 0;
	return tst_profile->sev_vmpl > 0 ? 3 : 2;
}

/* A bad vmpl on each report path (GET_REPORT, GET_EXT_REPORT) is refused in-band: the kernel
 * does not check it (kernel-abi.md §2.3 step 6), the firmware answers MSG_REPORT_RSP status
 * 0x16 with ioctl 0 (§2.4). */
static void t_bad_vmpl(void)
{
	int fd = open_dev();
	uint8_t ud[64];
	struct teeabi_snp_report_resp *resp = resp_or_brk();
	struct teeabi_snp_guest_request_ioctl h;
	uint32_t bad[3];
	size_t nbad = bad_vmpls(bad);
	u_fill_pattern(ud, 64);
	for (int ext = 0; ext < 2; ext++) {
		const char *name = ext ? "GET_EXT_REPORT" : "GET_REPORT";
		for (size_t i = 0; i < nbad; i++) {
			int e = report_cmd_at(fd, ext, ud, bad[i], resp, &h);
			if (e) {
				tst_fail("%s with vmpl %u failed with %s; the kernel does not check vmpl (firmware answers in-band, "
					 "status 0x16)", name, bad[i], tst_errno_name(e));
				continue;
			}
			uint32_t st = teeabi_le32(resp->data);
			if (st != TEEABI_SEV_RET_INVALID_PARAM)
				tst_fail("%s with vmpl %u: MSG_REPORT_RSP status 0x%x, want 0x16 (INVALID_PARAM)", name, bad[i], st);
			char what[64];
			snprintf(what, sizeof(what), "%s with vmpl %u (refused in-band)", name, bad[i]);
			judge_rsp_layout(what, resp->data, false);
		}
	}
	close(fd);
	free(resp);
	if (!tst_fail_count())
		tst_pass("GET_REPORT and GET_EXT_REPORT, vmpl > 3%s: ioctl 0 with MSG_REPORT_RSP status 0x16",
			 nbad > 2 ? " or below the running VMPL" : "");
}

/* MSG_KEY_REQ arguments the firmware refuses, in-band (MSG_KEY_RSP status 0x16, ioctl 0; the
 * kernel checks none of them, get_derived_key() in drivers/virt/coco/sev-guest/sev-guest.c
 * 6.12 and 7.3 only copies the request): vmpl > 3 or below the running VMPL (56860
 * MSG_KEY_REQ: "must be greater than or equal to the current VMPL"), guest_svn above the
 * launch SVN (the report's GUEST_SVN: "must not exceed the guest SVN provided at launch").
 * Destructive on a real guest like bad_vmpl_in_band: requests the firmware refuses. */
static void t_key_bad_args(void)
{
	int fd = open_dev();
	struct teeabi_snp_report_resp *resp = resp_or_brk();
	struct teeabi_snp_report r;
	if (own_report(fd, resp, &r)) {
		tst_fail("SNP_GET_REPORT for the launch GUEST_SVN failed");
		goto out;
	}
	struct { uint32_t vmpl, svn; uint64_t tcb, gfs; } bad[5];
	uint32_t v[3];
	size_t nv = bad_vmpls(v), n = 0;
	memset(bad, 0, sizeof(bad));
	for (size_t i = 0; i < nv; i++)
		bad[n].vmpl = v[i], bad[n++].gfs = 0x10;
	bad[n].vmpl = tst_profile->sev_vmpl;
	bad[n].gfs = 0x10;
	bad[n++].svn = r.guest_svn + 1; /* GUEST_SVN 0xFFFFFFFF has no value above it: wraps to 0, accepted */
	/* TCB_VERSION "must not exceed CommittedTcb" (56860 MSG_KEY_REQ): the committed TCB with
	 * its top byte (microcode in both layouts, formats.md §4.2) one higher, selected (bit 5) */
	uint64_t top = r.committed_tcb.raw >> 56;
	if (top < 0xFF) {
		bad[n].vmpl = tst_profile->sev_vmpl;
		bad[n].gfs = 0x20;
		bad[n++].tcb = (r.committed_tcb.raw & 0x00FFFFFFFFFFFFFFULL) | (top + 1) << 56;
	}
	for (size_t i = 0; i < n; i++) {
		static struct teeabi_snp_derived_key_req req;
		static struct teeabi_snp_derived_key_resp kresp;
		struct teeabi_snp_guest_request_ioctl h;
		memset(&req, 0, sizeof(req));
		req.guest_field_select = bad[i].gfs;
		req.vmpl = bad[i].vmpl;
		req.guest_svn = bad[i].svn;
		req.tcb_version = bad[i].tcb;
		memset(&kresp, 0xA5, sizeof(kresp)); /* the kernel copies all 64 bytes, in-band refusals too */
		hdr_init(&h, &req, &kresp);
		errno = 0;
		if (u_sev_ioctl(fd, TEEABI_SNP_GET_DERIVED_KEY, &h) < 0) {
			tst_fail("GET_DERIVED_KEY with vmpl %u, guest_svn %u, tcb_version 0x%016llx failed with %s; the kernel "
				 "checks none (the firmware answers in-band, status 0x16)", bad[i].vmpl, bad[i].svn,
				 (unsigned long long)bad[i].tcb, tst_errno_name(errno));
			continue;
		}
		uint32_t st = teeabi_le32(kresp.data);
		if (st != TEEABI_SEV_RET_INVALID_PARAM)
			tst_fail("GET_DERIVED_KEY with vmpl %u, guest_svn %u, tcb_version 0x%016llx (running VMPL %u, launch "
				 "GUEST_SVN %u, COMMITTED_TCB 0x%016llx): MSG_KEY_RSP status 0x%x, want 0x16 (INVALID_PARAM): a key "
				 "the guest must not get", bad[i].vmpl, bad[i].svn, (unsigned long long)bad[i].tcb,
				 tst_profile->sev_vmpl, r.guest_svn, (unsigned long long)r.committed_tcb.raw, st);
		char what[96];
		snprintf(what, sizeof(what), "GET_DERIVED_KEY with vmpl %u, guest_svn %u, tcb_version 0x%016llx", bad[i].vmpl,
			 bad[i].svn, (unsigned long long)bad[i].tcb);
		judge_rsp_layout(what, kresp.data, true);
	}
	if (!tst_fail_count())
		tst_pass("GET_DERIVED_KEY with vmpl > 3%s, guest_svn above the launch SVN %u or tcb_version above the committed "
			 "TCB: ioctl 0, MSG_KEY_RSP status 0x16", nv > 2 ? ", below the running VMPL" : "", r.guest_svn);
out:
	free(resp);
	close(fd);
}

/* Every command's user buffers, each one unusable in turn (rule: every illegal argument on
 * each path; the kernel's own copies decide, drivers/virt/coco/sev-guest/sev-guest.c 6.12 and
 * 7.3 get_report/get_derived_key/get_ext_report):
 *  - req_data unmapped: copy_from_user fails before the request, EFAULT, exitinfo2 0xff
 *    copied back;
 *  - resp_data read-only or unmapped: the firmware answered (exitinfo2 0, so the header is not
 *    copied back), copy_to_user of the response fails: EFAULT;
 *  - EXT_REPORT's certificate buffer read-only or unmapped (inside the user range, so
 *    access_ok passes): the certificate copy fails, EFAULT, and resp_data (a canary) is not
 *    written, the kernel stops before that copy.
 * None of these wipes the VMPCK: a plain report works afterwards. Safe on a real guest (only
 * valid requests reach the firmware). */
static void t_efault_paths(void)
{
	int fd = open_dev();
	const long pg = 4096;
	uint8_t *ro = mmap(NULL, 5 * pg, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	uint8_t *none = mmap(NULL, 5 * pg, PROT_NONE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	struct teeabi_snp_report_resp *resp = resp_or_brk();
	if (ro == MAP_FAILED || none == MAP_FAILED || mprotect(ro, 5 * pg, PROT_READ))
		tst_brk(TST_BROK, "mmap/mprotect");
	static const struct { unsigned long cmd; const char *name; } cmds[] = {
		{ TEEABI_SNP_GET_REPORT, "GET_REPORT" }, { TEEABI_SNP_GET_DERIVED_KEY, "GET_DERIVED_KEY" },
		{ TEEABI_SNP_GET_EXT_REPORT, "GET_EXT_REPORT" },
	};
	static struct teeabi_snp_ext_report_req ereq; /* a valid GET_REPORT (its first 96 bytes) or EXT request */
	static uint8_t certs[TEEABI_SNP_CERTS_MAX];
	struct teeabi_snp_guest_request_ioctl h;
	/* case: 0 req unmapped, 1 resp read-only, 2 resp unmapped, 3 certs read-only, 4 certs unmapped */
	static const char *const what[] = { "an unmapped req_data", "a read-only resp_data", "an unmapped resp_data",
					    "a read-only certificate buffer", "an unmapped certificate buffer" };
	for (size_t c = 0; c < 3; c++) {
		for (int k = 0; k < 5; k++) {
			if (k >= 3 && cmds[c].cmd != TEEABI_SNP_GET_EXT_REPORT)
				continue;
			memset(&ereq, 0, sizeof(ereq));
			u_fill_pattern(ereq.data.user_data, 64);
			ereq.data.vmpl = tst_profile->sev_vmpl;
			ereq.certs_address = (uint64_t)(uintptr_t)(k == 3 ? ro : k == 4 ? none : certs);
			ereq.certs_len = k >= 3 ? 4 * pg : sizeof(certs);
			memset(resp, 0xA5, sizeof(*resp));
			static struct teeabi_snp_derived_key_req kreq; /* root_key_select 0, field_select 0 */
			memset(&kreq, 0, sizeof(kreq));
			kreq.vmpl = tst_profile->sev_vmpl;
			void *req = k == 0 ? (void *)none : cmds[c].cmd == TEEABI_SNP_GET_DERIVED_KEY ? (void *)&kreq : (void *)&ereq;
			void *rsp = k == 1 ? (void *)ro : k == 2 ? (void *)none : (void *)resp;
			hdr_init(&h, req, rsp);
			errno = 0;
			int rc = u_sev_ioctl(fd, cmds[c].cmd, &h);
			int e = errno;
			if (rc == 0 || e != EFAULT) {
				tst_fail("%s with %s returned %s, want EFAULT", cmds[c].name, what[k], rc == 0 ? "success" : tst_errno_name(e));
				continue;
			}
			uint64_t want = k == 0 ? TEEABI_SNP_EXITINFO2_EARLY : SENTINEL;
			if (h.exitinfo2 != want)
				tst_fail("%s with %s: exitinfo2 0x%llx, want 0x%llx (%s)", cmds[c].name, what[k],
					 (unsigned long long)h.exitinfo2, (unsigned long long)want,
					 k == 0 ? "0xff copied back: the request never left" : "untouched: the firmware answered, exitinfo2 0");
			if (k >= 3) {
				bool canary = true;
				for (size_t i = 0; i < sizeof(resp->data); i++)
					canary &= resp->data[i] == 0xA5;
				if (!canary)
					tst_fail("%s with %s: resp_data was written; the kernel returns before copying the response",
						 cmds[c].name, what[k]);
			}
		}
	}
	uint8_t ud[64];
	u_fill_pattern(ud, 64);
	int e = get_report(fd, ud, resp, &h);
	if (e)
		tst_fail("GET_REPORT after the EFAULT requests failed: %s (a copy fault must not disable the VMPCK)", tst_errno_name(e));
	munmap(ro, 5 * pg);
	munmap(none, 5 * pg);
	free(resp);
	close(fd);
	if (!tst_fail_count())
		tst_pass("every command: EFAULT for an unusable req_data, resp_data and certificate buffer, exitinfo2 as the kernel "
			 "leaves it, no response written after a failed certificate copy, the device keeps working");
}

/* Every command's output buffers, byte for byte against a canary (issue 17 rule 3), at every
 * vmpl the guest may ask for (from its own to 3): get_report(), get_derived_key() and
 * get_ext_report() in drivers/virt/coco/sev-guest/sev-guest.c (6.12 and 7.3) copy_to_user()
 * the whole snp_report_resp (4000 bytes) or snp_derived_key_resp (64 bytes) from a zeroed
 * kernel buffer, and EXT_REPORT copies all of certs_len into the certificate buffer. Each
 * request three times, the buffers and 64 bytes (certificates: a page) behind them filled
 * with 0xA5, 0x5A, 0xC3 in turn: a byte that kept each canary was never written (a byte the
 * kernel wrote, even one that changes per call like the signature, cannot hold all three),
 * nothing behind the buffers may change, and every answer has its reserved bytes zero and,
 * for a report, zero after the report (judge_rsp_layout). Safe on a real guest: valid
 * requests only. */
static void t_resp_canary(void)
{
	static const uint8_t canary[3] = { 0xA5, 0x5A, 0xC3 };
	enum { GUARD = 64, RLEN = sizeof(((struct teeabi_snp_report_resp *)0)->data), CERTS = TEEABI_SNP_CERTS_MAX };
	static const struct { unsigned long cmd; const char *name; size_t len; } cmds[] = {
		{ TEEABI_SNP_GET_REPORT, "GET_REPORT", RLEN },
		{ TEEABI_SNP_GET_DERIVED_KEY, "GET_DERIVED_KEY", sizeof(((struct teeabi_snp_derived_key_resp *)0)->data) },
		{ TEEABI_SNP_GET_EXT_REPORT, "GET_EXT_REPORT", RLEN },
	};
	int fd = open_dev();
	uint8_t *out = malloc(RLEN + GUARD);
	bool *left = malloc(RLEN), *cleft = malloc(CERTS);
	uint8_t *certs = mmap(NULL, CERTS + 4096, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	if (!out || !left || !cleft || certs == MAP_FAILED)
		tst_brk(TST_BROK, "allocation failed");
	static struct teeabi_snp_ext_report_req ereq; /* GET_REPORT reads its first 96 bytes */
	static struct teeabi_snp_derived_key_req kreq;
	struct teeabi_snp_guest_request_ioctl h;
	unsigned runs = 0;
	for (size_t c = 0; c < 3; c++) {
		bool ext = cmds[c].cmd == TEEABI_SNP_GET_EXT_REPORT, key = cmds[c].cmd == TEEABI_SNP_GET_DERIVED_KEY;
		for (unsigned v = tst_profile->sev_vmpl; v <= 3; v++) {
			char what[64];
			snprintf(what, sizeof(what), "%s at vmpl %u", cmds[c].name, v);
			memset(left, 1, RLEN);
			memset(cleft, 1, CERTS);
			bool ok = true;
			for (int k = 0; k < 3 && ok; k++) {
				memset(&ereq, 0, sizeof(ereq));
				u_fill_pattern(ereq.data.user_data, 64);
				ereq.data.vmpl = v;
				ereq.certs_address = (uint64_t)(uintptr_t)certs;
				ereq.certs_len = CERTS;
				memset(&kreq, 0, sizeof(kreq));
				kreq.vmpl = v;
				memset(out, canary[k], RLEN + GUARD);
				memset(certs, canary[k], CERTS + 4096);
				hdr_init(&h, key ? (void *)&kreq : (void *)&ereq, out);
				errno = 0;
				if (u_sev_ioctl(fd, cmds[c].cmd, &h) < 0) {
					tst_fail("%s failed: %s (exitinfo2 0x%llx)", what, tst_errno_name(errno), (unsigned long long)h.exitinfo2);
					ok = false;
					break;
				}
				if (teeabi_le32(out) != TEEABI_SEV_RET_SUCCESS)
					tst_fail("%s: firmware status 0x%x, want 0 (a legal vmpl)", what, teeabi_le32(out));
				for (size_t i = 0; i < GUARD; i++)
					if (out[cmds[c].len + i] != canary[k]) {
						tst_fail("%s wrote past the %zu-byte response: byte %zu behind it is 0x%02x, was 0x%02x", what,
							 cmds[c].len, i, out[cmds[c].len + i], canary[k]);
						ok = false;
						break;
					}
				for (size_t i = 0; ext && i < 4096; i++)
					if (certs[CERTS + i] != canary[k]) {
						tst_fail("%s wrote past certs_len %u: byte %zu behind the certificate buffer changed", what,
							 CERTS, i);
						ok = false;
						break;
					}
				for (size_t i = 0; i < cmds[c].len; i++)
					left[i] &= out[i] == canary[k];
				for (size_t i = 0; ext && i < CERTS; i++)
					cleft[i] &= certs[i] == canary[k];
				if (k == 0) /* once: an unwritten byte shows as a canary here and as a range below */
					judge_rsp_layout(what, out, key);
			}
			if (!ok)
				continue;
			char w2[160];
			snprintf(w2, sizeof(w2), "%s: the response buffer", what);
			u_report_unwritten(w2, left, cmds[c].len);
			if (ext) {
				snprintf(w2, sizeof(w2), "%s: the certificate buffer (certs_len %u)", what, CERTS);
				u_report_unwritten(w2, cleft, CERTS);
			}
			runs++;
		}
	}
	munmap(certs, CERTS + 4096);
	free(cleft);
	free(left);
	free(out);
	close(fd);
	if (!tst_fail_count())
		tst_pass("%u command x vmpl pairs: every response byte (and all of certs_len) written, nothing behind, reserved bytes "
			 "zero, zero after the report", runs);
}

/* The node is the misc device the driver registers (misc_register()); a FUSE file is SKIP. */
static void t_node(void)
{
	tst_check_misc_node(DEV, "sev-guest");
}

/* Every file operation, not only ioctl: the driver has no read or write op (rule 6 of issue
 * 17: mockfs answers these itself, so only this shows whether it answers as the kernel). */
static void t_no_rw(void)
{
	tst_check_misc_no_rw(DEV);
}

/* Every command on an fd of each open mode (tst_check_open_modes): valid requests only, at
 * the guest's VMPL (safe on a real guest); REPORT_DATA echoed, the same key in every mode. */
static int om_report_cmd(int fd, const char *mode, int ext)
{
	static struct teeabi_snp_report_resp resp;
	static struct teeabi_snp_ext_report_req ereq;
	static uint8_t certs[TEEABI_SNP_CERTS_MAX];
	struct teeabi_snp_guest_request_ioctl h;
	uint8_t ud[64];
	u_fill_pattern(ud, 64);
	int e = ext ? ext_report(fd, certs, sizeof(certs), ud, &ereq, &resp, &h) : get_report(fd, ud, &resp, &h);
	if (e)
		return e;
	struct teeabi_snp_msg_report_rsp m;
	struct teeabi_snp_report r;
	if (teeabi_snp_msg_report_rsp_parse(resp.data, sizeof(resp.data), &m) != TEEABI_OK ||
	    teeabi_snp_report_parse(m.report.p, m.report.len, 0, &r) != TEEABI_OK || memcmp(r.report_data, ud, 64))
		tst_fail("%s on an fd opened %s: the report does not parse or does not echo REPORT_DATA (status 0x%x)",
			 ext ? "SNP_GET_EXT_REPORT" : "SNP_GET_REPORT", mode, teeabi_le32(resp.data));
	return 0;
}

static int om_report(int fd, const char *mode) { return om_report_cmd(fd, mode, 0); }
static int om_ext_report(int fd, const char *mode) { return om_report_cmd(fd, mode, 1); }

static int om_key(int fd, const char *mode)
{
	static uint8_t first[32];
	static bool have;
	static struct teeabi_snp_derived_key_req req;
	static struct teeabi_snp_derived_key_resp resp;
	struct teeabi_snp_guest_request_ioctl h;
	memset(&req, 0, sizeof(req));
	memset(&resp, 0, sizeof(resp));
	req.vmpl = tst_profile->sev_vmpl; /* VCEK root, no fields mixed in */
	hdr_init(&h, &req, &resp);
	errno = 0;
	if (u_sev_ioctl(fd, TEEABI_SNP_GET_DERIVED_KEY, &h) < 0)
		return errno;
	struct teeabi_snp_msg_key_rsp k;
	if (teeabi_snp_msg_key_rsp_parse(resp.data, sizeof(resp.data), &k) != TEEABI_OK)
		tst_fail("SNP_GET_DERIVED_KEY on an fd opened %s: MSG_KEY_RSP does not parse (status 0x%x)", mode,
			 teeabi_le32(resp.data));
	else if (have && memcmp(first, k.derived_key, 32))
		tst_fail("SNP_GET_DERIVED_KEY on an fd opened %s derived %s, another open mode %s (same request)", mode,
			 tst_hex(k.derived_key, 32), tst_hex(first, 32));
	else if (!have) {
		memcpy(first, k.derived_key, 32);
		have = true;
	}
	return 0;
}

static int om_unknown(int fd, const char *mode)
{
	static struct teeabi_snp_report_req req;
	static struct teeabi_snp_report_resp resp;
	struct teeabi_snp_guest_request_ioctl h;
	(void)mode;
	hdr_init(&h, &req, &resp);
	errno = 0;
	return u_sev_ioctl(fd, _IOWR('S', 0x3, struct teeabi_snp_guest_request_ioctl), &h) < 0 ? errno : 0;
}

static void t_open_modes(void)
{
	static const struct tst_dev_op ops[] = {
		{ "SNP_GET_REPORT", om_report, 0 },
		{ "SNP_GET_DERIVED_KEY", om_key, 0 },
		{ "SNP_GET_EXT_REPORT (16 KiB certificate buffer)", om_ext_report, 0 },
		{ "_IOWR('S',3) (unknown)", om_unknown, ENOTTY },
	};
	tst_check_open_modes(DEV, ops, sizeof(ops) / sizeof(ops[0]));
}

static const struct tst_test tests[] = {
	{ .name = "sev_guest.node.misc_chardev", .fn = t_node, .needs_dev = DEV },
	{ .name = "sev_guest.node.no_read_write", .fn = t_no_rw, .needs_dev = DEV },
	{ .name = "sev_guest.ioctl.every_open_mode", .fn = t_open_modes, .needs_dev = DEV },
	{ .name = "sev_guest.report.basic", .fn = t_report, .needs_dev = DEV },
	{ .name = "sev_guest.ioctl.no_copyback_on_success", .fn = t_no_copyback_success, .needs_dev = DEV },
	{ .name = "sev_guest.ioctl.error_order", .fn = t_errors, .needs_dev = DEV },
	{ .name = "sev_guest.ioctl.cmd_size_dir", .fn = t_cmd_size_dir, .needs_dev = DEV },
	{ .name = "sev_guest.key.field_select", .fn = t_derived_key, .needs_dev = DEV },
	{ .name = "sev_guest.key.request_fields", .fn = t_key_request_fields, .needs_dev = DEV },
	{ .name = "sev_guest.report.vmpl_echo", .fn = t_vmpl_echo, .needs_dev = DEV },
	{ .name = "sev_guest.report.same_guest", .fn = t_same_guest, .needs_dev = DEV },
	{ .name = "sev_guest.ext.certs", .fn = t_ext_certs, .needs_dev = DEV },
	{ .name = "sev_guest.ext.genuine", .fn = t_ext_genuine, .needs_dev = DEV },
	{ .name = "sev_guest.ext.certs_len_checks", .fn = t_ext_len_checks, .needs_dev = DEV },
	{ .name = "sev_guest.ext.size_protocol", .fn = t_ext_size_protocol, .needs_dev = DEV },
	{ .name = "sev_guest.ext.null_certs_address", .fn = t_ext_null_certs_address, .needs_dev = DEV },
	{ .name = "sev_guest.ioctl.efault_each_buffer", .fn = t_efault_paths, .needs_dev = DEV },
	{ .name = "sev_guest.ioctl.resp_canary_every_byte", .fn = t_resp_canary, .needs_dev = DEV },
	{ .name = "sev_guest.report.bad_vmpl_in_band", .fn = t_bad_vmpl, .needs_dev = DEV, .destructive = true },
	{ .name = "sev_guest.key.bad_args_in_band", .fn = t_key_bad_args, .needs_dev = DEV, .destructive = true },
	{ .name = "sev_guest.report.rsvd_unchecked", .fn = t_rsvd_unchecked, .needs_dev = DEV, .destructive = true },
	{ 0 },
};

TST_SUITE("sev_guest", tests)
