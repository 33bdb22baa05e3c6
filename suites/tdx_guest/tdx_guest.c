/* SPDX-License-Identifier: Apache-2.0 */
/*
 * suites/tdx_guest - /dev/tdx_guest conformance (docs/kernel-abi.md §1.2, §1.5, §1.7;
 * docs/dstack-os.md §1.2 for the dstack 0.3-0.5.x out-of-tree module).
 *
 * Verified:
 *  - GET_REPORT0 (0xC4405401): REPORTDATA echoed at TDREPORT[128..192) (the kselftest's
 *    one check), REPORTTYPE 0x81/0, TEE_TCB_INFO_HASH and TEE_INFO_HASH are SHA-384 of
 *    their ranges, two reports agree on the static MRs, RTMRs and MRs equal the
 *    measurements files when the kernel has them (6.16+); every field the ABI, Intel's
 *    production TDX module or the profile fixes has its value (fixed_values: VERSION vs
 *    SERVTD_HASH, reserved bytes, VALID chunks, MRSIGNERSEAM, SEAM/TD ATTRIBUTES, XFAM);
 *  - every command answers the same on an fd opened O_RDONLY, O_WRONLY or O_RDWR (no
 *    driver checks f_mode): GET_REPORT0, an unknown number, the EXTEND_RTMR index-4 probes;
 *  - the node's only file operation is the ioctl: read, pread, write and pwrite are EINVAL
 *    (vfs_read()/vfs_write() without FMODE_CAN_READ/WRITE) and a refused read writes nothing;
 *  - any other command is ENOTTY (wrong size, wrong direction, foreign magic), and the
 *    downstream Intel / DCAP numbers are ENOTTY on the upstream driver and the dstack module;
 *  - a bad argument pointer is EFAULT; only the tdreport is written back (reportdata may
 *    sit in a read-only page); every one of its 1024 bytes is written and nothing behind the
 *    request (three canaries);
 *  - driver flavour probes: EXTEND_RTMR (_IOR 0x80315403 and _IOW 0x40315403) is answered
 *    by the dstack module and ENOTTY upstream; index > 3 is EINVAL on dstack >= 0.5.9.
 *    The probes use index 4, which no TDX module accepts, so nothing is extended;
 *  - (destructive) an EXTEND_RTMR of RTMR3 through the ioctl is reflected in the next
 *    TDREPORT as SHA-384(old || data), with the TDREPORT hashes still valid.
 * Expectations come from the profile (tdx_guest flavour, tdx_extend_index_check).
 */
#include <errno.h>
#include <fcntl.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <unistd.h>

#include "teeabi/abi.h"
#include "teeabi/tdx.h"
#include "../common/inonly.h"
#include "../common/node.h"
#include "../common/tst.h"
#include "../common/util.h"

#define DEV TEEABI_DEV_TDX_GUEST

static int open_dev(void)
{
	int fd = open(DEV, O_RDWR | O_CLOEXEC);
	if (fd < 0)
		tst_brk(TST_FAIL, "open(%s, O_RDWR) failed: %s", DEV, tst_errno_name(errno));
	return fd;
}

static void get_report_or_fail(const uint8_t rd[64], uint8_t out[1024])
{
	int rc = u_tdx_report(rd, out);
	if (rc)
		tst_brk(TST_FAIL, "GET_REPORT0 failed: %s", tst_errno_name(-rc));
}

/* ------------------------------------------------------------------ GET_REPORT0 */
static void t_reportdata_echo(void)
{
	uint8_t rd[64], rep[1024];
	for (int i = 0; i < 64; i++)
		rd[i] = (uint8_t)i; /* the kselftest pattern */
	get_report_or_fail(rd, rep);
	if (memcmp(rep + TDREPORT_OFF_REPORTDATA, rd, 64) != 0)
		tst_fail("REPORTDATA not echoed at TDREPORT[128..192) (got %s)", tst_hex(rep + 128, 64));
	else
		tst_pass("REPORTDATA 00..3f echoed at TDREPORT[128..192)");
	u_fill_pattern(rd, 64);
	get_report_or_fail(rd, rep);
	if (memcmp(rep + TDREPORT_OFF_REPORTDATA, rd, 64) != 0)
		tst_fail("REPORTDATA not echoed at TDREPORT[128..192) for a random pattern (got %s, want %s)",
			 tst_hex(rep + 128, 64), tst_hex(rd, 64));
	else
		tst_pass("random REPORTDATA echoed");
	tst_save_evidence("tdreport.bin", rep, sizeof(rep));
}

static void t_report_type(void)
{
	uint8_t rd[64], rep[1024];
	u_fill_pattern(rd, 64);
	get_report_or_fail(rd, rep);
	struct teeabi_tdreport tr;
	teeabi_err e = teeabi_tdreport_parse(rep, sizeof(rep), &tr);
	if (e != TEEABI_OK) {
		tst_fail("TDREPORT does not parse: %s (%s); REPORTTYPE bytes %02x %02x %02x %02x", teeabi_err_name(e),
			 teeabi_err_msg(e), rep[0], rep[1], rep[2], rep[3]);
		return;
	}
	tst_info("REPORTTYPE type 0x%02x subtype %u version %u, TDX %s", tr.type, tr.subtype, tr.version,
		 tr.tdx15 ? "1.5" : "1.0");
	TST_EXPECT(tr.type == 0x81 && tr.subtype == 0, "REPORTTYPE is %02x/%02x, not 0x81/0", tr.type, tr.subtype);
}

/* The values of a TDREPORT that the ABI, Intel's production TDX module or the profile fix
 * (blind audit round 4: a report can be well-formed, MAC'd and hashed, and still be a debug
 * TD's, a debug module's or a layout it does not have): u_judge_tdreport_values() on two
 * reports, with REPORTDATA zero and random (suites/common/util.h lists every field). */
static void t_report_values(void)
{
	uint8_t rd[64], rep[1024];
	int fails = 0;
	for (int i = 0; i < 2; i++) {
		if (i)
			u_fill_pattern(rd, 64);
		else
			memset(rd, 0, sizeof(rd));
		get_report_or_fail(rd, rep);
		fails += u_judge_tdreport_values(i ? "TDREPORT (random REPORTDATA)" : "TDREPORT (zero REPORTDATA)", rep);
	}
	if (!fails)
		tst_pass("REPORTTYPE, VERSION vs SERVTD_HASH, reserved bytes, VALID and its chunks, TEE_TCB_SVN, MRSIGNERSEAM, SEAM and TD ATTRIBUTES, XFAM have their fixed values");
}

static void t_report_hashes(void)
{
	uint8_t rd[64], rep[1024];
	u_fill_pattern(rd, 64);
	get_report_or_fail(rd, rep);
	teeabi_err e = teeabi_tdreport_verify_hashes(rep, sizeof(rep));
	if (e != TEEABI_OK)
		tst_fail("TDREPORT hash check failed: %s (%s)", teeabi_err_name(e), teeabi_err_msg(e));
	else
		tst_pass("TEE_TCB_INFO_HASH and TEE_INFO_HASH are SHA-384 of TEE_TCB_INFO and TDINFO");
}

static void t_report_stable(void)
{
	uint8_t rd1[64], rd2[64], a[1024], b[1024];
	u_fill_pattern(rd1, 64);
	u_fill_pattern(rd2, 64);
	get_report_or_fail(rd1, a);
	get_report_or_fail(rd2, b);
	if (memcmp(a + 128, rd1, 64) || memcmp(b + 128, rd2, 64))
		tst_fail("REPORTDATA not echoed at TDREPORT[128..192) on consecutive calls");
	/* TEE_TCB_INFO, ATTRIBUTES, XFAM (set at TDH.MNG.INIT) and MRTD..MROWNERCONFIG are fixed
	 * for the TD's life, as are REPORTTYPE and CPUSVN between two calls. */
	if (memcmp(a, b, 4) || memcmp(a + TDREPORT_OFF_CPUSVN, b + TDREPORT_OFF_CPUSVN, 16))
		tst_fail("REPORTTYPE or CPUSVN differs between two consecutive TDREPORTs");
	if (memcmp(a + TDREPORT_OFF_TEE_TCB_INFO, b + TDREPORT_OFF_TEE_TCB_INFO, TDREPORT_LEN_TEE_TCB_INFO))
		tst_fail("TEE_TCB_INFO differs between two consecutive TDREPORTs");
	if (memcmp(a + TDREPORT_OFF_ATTRIBUTES, b + TDREPORT_OFF_ATTRIBUTES, 16))
		tst_fail("TD ATTRIBUTES/XFAM differ between two consecutive TDREPORTs");
	if (memcmp(a + TDREPORT_OFF_MRTD, b + TDREPORT_OFF_MRTD, 4 * 48))
		tst_fail("MRTD/MRCONFIGID/MROWNER/MROWNERCONFIG differ between two consecutive TDREPORTs");
	if (!tst_fail_count())
		tst_pass("two TDREPORTs echo their own REPORTDATA and agree on the static measurements");
}

static const char *has_mr(const struct teeabi_profile *p)
{
	return p->tsm_mr ? NULL : "kernel has no measurements directory (6.16+)";
}

static void t_report_vs_measurements(void)
{
	uint8_t rd[64], rep[1024], v[64];
	u_fill_pattern(rd, 64);
	get_report_or_fail(rd, rep);
	static const struct { const char *name; unsigned off; } mr[] = {
		{ "mrtd:sha384", TDREPORT_OFF_MRTD }, { "mrconfigid", TDREPORT_OFF_MRCONFIGID },
		{ "mrowner", TDREPORT_OFF_MROWNER }, { "mrownerconfig", TDREPORT_OFF_MROWNERCONFIG },
		{ "rtmr0:sha384", TDREPORT_OFF_RTMR0 }, { "rtmr1:sha384", TDREPORT_OFF_RTMR0 + 48 },
		{ "rtmr2:sha384", TDREPORT_OFF_RTMR0 + 96 }, { "rtmr3:sha384", TDREPORT_OFF_RTMR0 + 144 },
	};
	for (size_t i = 0; i < sizeof(mr) / sizeof(mr[0]); i++) {
		ssize_t n = u_mr_read(mr[i].name, v, sizeof(v));
		if (n < 0) {
			tst_fail("measurements/%s unreadable: %s", mr[i].name, tst_errno_name((int)-n));
			continue;
		}
		if (n != 48) {
			tst_fail("measurements/%s is %zd bytes, not 48", mr[i].name, n);
			continue;
		}
		if (memcmp(v, rep + mr[i].off, 48))
			tst_fail("measurements/%s (%s) differs from TDREPORT[0x%x] (%s)", mr[i].name, tst_hex(v, 48),
				 mr[i].off, tst_hex(rep + mr[i].off, 48));
	}
	if (!tst_fail_count())
		tst_pass("all 8 measurement files equal the TDREPORT fields");
}

static void t_efault(void)
{
	int fd = open_dev();
	errno = 0;
	int rc = ioctl(fd, TEEABI_TDX_CMD_GET_REPORT0, NULL);
	int e = errno;
	if (rc == 0 || e != EFAULT)
		tst_fail("GET_REPORT0 with a NULL argument: %s, want EFAULT", rc == 0 ? "success" : tst_errno_name(e));
	else
		tst_pass("NULL argument -> EFAULT");
	void *page = mmap(NULL, 4096, PROT_NONE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	if (page == MAP_FAILED)
		tst_brk(TST_BROK, "mmap failed");
	errno = 0;
	rc = u_tdx_ioctl(fd, TEEABI_TDX_CMD_GET_REPORT0, page);
	e = errno;
	if (rc == 0 || e != EFAULT)
		tst_fail("GET_REPORT0 with an unmapped argument: %s, want EFAULT", rc == 0 ? "success" : tst_errno_name(e));
	else
		tst_pass("unmapped argument -> EFAULT");
	/* Readable input but read-only output page: the copy-out must fault. */
	void *ro = mmap(NULL, 8192, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	if (ro == MAP_FAILED)
		tst_brk(TST_BROK, "mmap failed");
	if (mprotect(ro, 8192, PROT_READ) < 0)
		tst_brk(TST_BROK, "mprotect failed");
	errno = 0;
	rc = u_tdx_ioctl(fd, TEEABI_TDX_CMD_GET_REPORT0, ro);
	e = errno;
	if (rc == 0 || e != EFAULT)
		tst_fail("GET_REPORT0 into a read-only buffer: %s, want EFAULT", rc == 0 ? "success" : tst_errno_name(e));
	else
		tst_pass("read-only output buffer -> EFAULT");
	munmap(page, 4096);
	munmap(ro, 8192);
	close(fd);
}

/* GET_REPORT0 reads the 64-byte reportdata and writes only the 1024-byte tdreport behind it
 * (kernel-abi.md §1.2: reportdata "in", tdreport "out"; checklist: "read 64 bytes, write
 * 1024 bytes"). The request straddles two pages: reportdata at the end of a read-only page,
 * tdreport in the writable page after it. A driver that copies the whole 1088-byte struct
 * back faults on the read-only page. */
static void t_reportdata_read_only(void)
{
	long pg = sysconf(_SC_PAGESIZE);
	if (pg < 1024)
		pg = 4096;
	uint8_t *area = mmap(NULL, (size_t)pg * 2, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	if (area == MAP_FAILED)
		tst_brk(TST_BROK, "mmap failed");
	uint8_t *req = area + pg - TEEABI_TDX_REPORTDATA_LEN; /* reportdata | page boundary | tdreport */
	uint8_t rd[64];
	u_fill_pattern(rd, 64);
	memcpy(req, rd, 64);
	memset(req + 64, 0, 1024);
	if (mprotect(area, (size_t)pg, PROT_READ) < 0)
		tst_brk(TST_BROK, "mprotect failed");
	int fd = open_dev();
	errno = 0;
	int rc = u_tdx_ioctl(fd, TEEABI_TDX_CMD_GET_REPORT0, req);
	int e = errno;
	close(fd);
	if (rc != 0)
		tst_fail("GET_REPORT0 with reportdata in a read-only page failed: %s (the driver writes back more than the 1024-byte tdreport)",
			 tst_errno_name(e));
	else if (memcmp(req + 64 + TDREPORT_OFF_REPORTDATA, rd, 64))
		tst_fail("GET_REPORT0 with a read-only reportdata page: REPORTDATA not echoed at TDREPORT[128..192)");
	else
		tst_pass("GET_REPORT0 reads reportdata from a read-only page and writes only the tdreport");
	munmap(area, (size_t)pg * 2);
}

/* GET_REPORT0 writes every byte of the 1024-byte tdreport and nothing else (issue 17 rule 3):
 * tdx_get_report0(), drivers/virt/coco/tdx-guest/tdx-guest.c (6.2-7.x), copies the 64-byte
 * reportdata in and copy_to_user()s TDX_REPORT_LEN bytes to req->tdreport; the dstack module
 * does the same (dstack-os.md §1.2). Three calls with the same REPORTDATA, the tdreport half
 * and 64 bytes behind the request filled with 0xA5, 0x5A, 0xC3 in turn: a byte the driver
 * wrote cannot hold all three canaries (a byte that varies between calls, MAC or RTMR, may
 * match one by chance, not all three), a byte it left holds each. Reserved bytes are judged
 * the same way (written, whatever their value). */
static void t_report0_canary(void)
{
	static const uint8_t canary[3] = { 0xA5, 0x5A, 0xC3 };
	enum { REQ = sizeof(struct teeabi_tdx_report_req), TAIL = 64 };
	uint8_t buf[REQ + TAIL], rd[64];
	bool left[TEEABI_TDX_REPORT_LEN];
	memset(left, 1, sizeof(left));
	u_fill_pattern(rd, sizeof(rd));
	int fd = open_dev();
	for (int c = 0; c < 3; c++) {
		memcpy(buf, rd, sizeof(rd));
		memset(buf + sizeof(rd), canary[c], sizeof(buf) - sizeof(rd));
		errno = 0;
		if (u_tdx_ioctl(fd, TEEABI_TDX_CMD_GET_REPORT0, buf) != 0) {
			int e = errno;
			close(fd);
			tst_brk(TST_FAIL, "GET_REPORT0 failed: %s", tst_errno_name(e));
		}
		if (memcmp(buf, rd, sizeof(rd)))
			tst_fail("GET_REPORT0 changed the reportdata half of the request (canary 0x%02x call)", canary[c]);
		for (size_t i = REQ; i < sizeof(buf); i++) {
			if (buf[i] != canary[c]) {
				tst_fail("GET_REPORT0 wrote past the %d-byte request: byte %zu behind it is 0x%02x, was 0x%02x", REQ,
					 i - REQ, buf[i], canary[c]);
				break;
			}
		}
		if (memcmp(buf + sizeof(rd) + TDREPORT_OFF_REPORTDATA, rd, sizeof(rd)))
			tst_fail("REPORTDATA not echoed at TDREPORT[128..192) (canary 0x%02x call)", canary[c]);
		for (size_t i = 0; i < TEEABI_TDX_REPORT_LEN; i++)
			if (buf[sizeof(rd) + i] != canary[c])
				left[i] = false;
	}
	close(fd);
	size_t nleft = u_report_unwritten("GET_REPORT0: the tdreport", left, TEEABI_TDX_REPORT_LEN);
	if (!tst_fail_count())
		tst_pass("GET_REPORT0 wrote all %d tdreport bytes, left the reportdata and the %d bytes behind the request alone",
			 TEEABI_TDX_REPORT_LEN, TAIL);
	else if (nleft)
		tst_info("%zu of %d tdreport bytes unwritten", nleft, TEEABI_TDX_REPORT_LEN);
}

static void t_unknown_cmd(void)
{
	int fd = open_dev();
	static uint8_t arg[4096]; /* big enough for every size below; no pointers inside */
	static const struct { unsigned long cmd; const char *what; } cmds[] = {
		{ _IOWR('T', 1, uint8_t[1087]), "GET_REPORT0 with a 1087-byte size" },
		{ _IOWR('T', 1, uint8_t[1089]), "GET_REPORT0 with a 1089-byte size" },
		{ _IOR('T', 1, struct teeabi_tdx_report_req), "_IOR('T',1,1088)" },
		{ _IOW('T', 1, struct teeabi_tdx_report_req), "_IOW('T',1,1088)" },
		/* round 5, 205: no direction and no size bits, and the size bits alone cleared:
		 * tdx_guest_ioctl() (6.12, 7.3) switches on the whole number */
		{ _IO('T', 1), "_IO('T',1)" },
		{ _IOC(_IOC_READ | _IOC_WRITE, 'T', 1, 0), "_IOWR('T',1,0)" },
		{ _IOWR('X', 1, struct teeabi_tdx_report_req), "foreign magic 'X'" },
		{ _IO('T', 0x7f), "_IO('T',0x7f)" },
		{ _IOWR('T', 9, uint8_t[64]), "_IOWR('T',9,64)" },
	};
	for (size_t i = 0; i < sizeof(cmds) / sizeof(cmds[0]); i++) {
		u_fill_pattern(arg, sizeof(arg)); /* a canary: an unknown command leaves it (inonly.h) */
		errno = 0;
		int rc = u_tdx_ioctl(fd, cmds[i].cmd, arg);
		int e = errno;
		if (rc == 0 || e != ENOTTY)
			tst_fail("unknown command 0x%08lx (%s) returned %s, want ENOTTY", cmds[i].cmd, cmds[i].what,
				 rc == 0 ? "success" : tst_errno_name(e));
	}
	if (!tst_fail_count())
		tst_pass("%zu unknown commands -> ENOTTY", sizeof(cmds) / sizeof(cmds[0]));
	close(fd);
}

/* Downstream / legacy numbers (§1.5): Intel's GET_QUOTE and VERIFY_REPORT, DCAP <= 1.16.
 * The upstream driver and the dstack module implement none of them. Arguments carry null
 * pointers so that even a driver that knows a number cannot do anything with it. */
static void t_legacy_absent(void)
{
	int fd = open_dev();
	bool intel = tst_profile->tdx_guest == TEEABI_TDX_INTEL;
	static const struct { unsigned long cmd; const char *name; bool intel_has; } cmds[] = {
		{ TEEABI_TDX_CMD_GET_QUOTE, "GET_QUOTE _IOR('T',4)", true },
		{ TEEABI_TDX_CMD_GET_QUOTE_V3, "GET_QUOTE _IOWR('T',4) (V3)", false },
		{ TEEABI_TDX_CMD_VERIFY_REPORT, "VERIFY_REPORT _IOR('T',2)", true },
		{ TEEABI_TDX_CMD_VERIFY_REPORT_V3, "VERIFY_REPORT _IOWR('T',2) (V3)", false },
		{ TEEABI_TDX_ATTEST_CMD_GET_TDREPORT, "DCAP<=1.16 GET_TDREPORT _IOWR('T',1,u64)", false },
		{ TEEABI_TDX_ATTEST_CMD_GEN_QUOTE, "DCAP<=1.16 GEN_QUOTE _IOR('T',2,u64)", false },
		{ TEEABI_TDX_ATTEST_CMD_EXTEND_RTMR, "DCAP<=1.15 EXTEND_RTMR _IOR('T',4,u64)", false },
		{ TEEABI_TDX_ATTEST_CMD_GET_EXTEND_SIZE, "DCAP<=1.15 GET_EXTEND_SIZE _IOR('T',5,u64)", false },
	};
	/* Room for anything a 'T' command of a broken driver may write back (GET_REPORT0's 1088
	 * bytes, served for a legacy number by a driver that ignores the size): a wrong answer
	 * must be a FAIL here, never a corrupted test. */
	static uint8_t arg[4096];
	for (size_t i = 0; i < sizeof(cmds) / sizeof(cmds[0]); i++) {
		memset(arg, 0, sizeof(arg));
		errno = 0;
		int rc = u_tdx_ioctl(fd, cmds[i].cmd, arg);
		int e = errno;
		bool enotty = rc < 0 && e == ENOTTY;
		if (intel && cmds[i].intel_has) {
			if (enotty)
				tst_fail("%s (0x%08lx) is ENOTTY on an Intel downstream driver that must have it", cmds[i].name,
					 cmds[i].cmd);
		} else if (!enotty) {
			tst_fail("legacy %s (0x%08lx) answered %s on the %s driver, want ENOTTY", cmds[i].name, cmds[i].cmd,
				 rc == 0 ? "success" : tst_errno_name(e), teeabi_tdx_flavour_name(tst_profile->tdx_guest));
		}
	}
	if (!tst_fail_count())
		tst_pass("legacy quote/verify/DCAP numbers answered as the %s flavour documents",
			 teeabi_tdx_flavour_name(tst_profile->tdx_guest));
	close(fd);
}

/* EXTEND_RTMR probes with index 4: rejected by every TDX module, so never an extend. */
static void probe_extend(unsigned long cmd, const char *label)
{
	int fd = open_dev();
	struct teeabi_tdx_extend_rtmr_req req;
	u_fill_pattern(req.data, sizeof(req.data));
	req.index = 4;
	errno = 0;
	int rc = u_tdx_ioctl(fd, cmd, &req);
	int e = errno;
	close(fd);
	enum teeabi_tdx_flavour f = tst_profile->tdx_guest;
	bool has = f == TEEABI_TDX_DSTACK_MOD || f == TEEABI_TDX_INTEL;
	if (f == TEEABI_TDX_INTEL && cmd == TEEABI_TDX_CMD_EXTEND_RTMR_IOW)
		has = false; /* the _IOW alias is a dstack-module (and V3) feature; do not judge */
	const char *got = rc == 0 ? "success" : tst_errno_name(e);
	if (!has && f != TEEABI_TDX_INTEL) {
		if (rc < 0 && e == ENOTTY)
			tst_pass("%s (0x%08lx) is ENOTTY on the upstream driver", label, cmd);
		else
			tst_fail("%s (0x%08lx) answered %s on the upstream driver, which has no EXTEND_RTMR (want ENOTTY)",
				 label, cmd, got);
		return;
	}
	if (!has) {
		tst_info("%s on an Intel downstream driver answered %s (not judged)", label, got);
		tst_pass("probe done");
		return;
	}
	if (rc < 0 && e == ENOTTY) {
		tst_fail("%s (0x%08lx) is ENOTTY: the %s driver must answer it", label, cmd, teeabi_tdx_flavour_name(f));
		return;
	}
	tst_info("%s with index 4 answered %s", label, got);
	tst_pass("%s (0x%08lx) is implemented by the %s driver", label, cmd, teeabi_tdx_flavour_name(f));
}

static void t_extend_ior(void) { probe_extend(TEEABI_TDX_CMD_EXTEND_RTMR, "EXTEND_RTMR _IOR('T',3,49)"); }
static void t_extend_iow(void) { probe_extend(TEEABI_TDX_CMD_EXTEND_RTMR_IOW, "EXTEND_RTMR _IOW('T',3,49)"); }

static const char *is_dstack_mod(const struct teeabi_profile *p)
{
	return p->tdx_guest == TEEABI_TDX_DSTACK_MOD ? NULL : "driver is not the dstack module";
}

static void t_extend_index(void)
{
	int fd = open_dev();
	static const unsigned idx[] = { 4, 5, 255 };
	static const unsigned long cmds[] = { TEEABI_TDX_CMD_EXTEND_RTMR, TEEABI_TDX_CMD_EXTEND_RTMR_IOW };
	uint8_t before[1024], after[1024], rd[64];
	u_fill_pattern(rd, 64);
	get_report_or_fail(rd, before);
	for (size_t c = 0; c < 2; c++) {
		for (size_t i = 0; i < sizeof(idx) / sizeof(idx[0]); i++) {
			struct teeabi_tdx_extend_rtmr_req req;
			u_fill_pattern(req.data, 48);
			req.index = (uint8_t)idx[i];
			errno = 0;
			int rc = u_tdx_ioctl(fd, cmds[c], &req);
			int e = errno;
			if (tst_profile->tdx_extend_index_check) {
				if (!(rc < 0 && e == EINVAL))
					tst_fail("EXTEND_RTMR 0x%08lx with index %u answered %s, want EINVAL (index check since dstack 0.5.9)",
						 cmds[c], idx[i], rc == 0 ? "success" : tst_errno_name(e));
			} else {
				tst_info("EXTEND_RTMR 0x%08lx index %u -> %s (no index check before 0.5.9: the TDX module decides)",
					 cmds[c], idx[i], rc == 0 ? "0" : tst_errno_name(e));
			}
		}
	}
	close(fd);
	get_report_or_fail(rd, after);
	if (memcmp(before + TDREPORT_OFF_RTMR0, after + TDREPORT_OFF_RTMR0, 4 * 48))
		tst_fail("an EXTEND_RTMR with an index > 3 changed RTMR0..3");
	if (!tst_fail_count())
		tst_pass("indexes > 3 %s and no RTMR changed", tst_profile->tdx_extend_index_check ? "rejected with EINVAL" : "not applied");
}

/* Destructive: extend RTMR3 through each ioctl encoding and check the next TDREPORT. */
static void t_extend_rtmr3(void)
{
	static const unsigned long cmds[] = { TEEABI_TDX_CMD_EXTEND_RTMR, TEEABI_TDX_CMD_EXTEND_RTMR_IOW };
	static const char *names[] = { "_IOR", "_IOW" };
	uint8_t rd[64], rep[1024], want[48];
	int fd = open_dev();
	for (size_t c = 0; c < 2; c++) {
		u_fill_pattern(rd, 64);
		get_report_or_fail(rd, rep);
		struct teeabi_tdx_extend_rtmr_req req;
		u_fill_pattern(req.data, 48);
		req.index = 3;
		u_sha384_extend(want, rep + TDREPORT_OFF_RTMR0 + 3 * 48, req.data);
		errno = 0;
		int rc = u_tdx_ioctl(fd, cmds[c], &req);
		if (rc != 0) {
			tst_fail("EXTEND_RTMR %s index 3 failed: %s", names[c], rc < 0 ? tst_errno_name(errno) : "non-zero TDCALL status");
			continue;
		}
		get_report_or_fail(rd, rep);
		if (memcmp(rep + TDREPORT_OFF_RTMR0 + 3 * 48, want, 48))
			tst_fail("after EXTEND_RTMR %s, TDREPORT RTMR3 is %s, want SHA-384(old || data) = %s", names[c],
				 tst_hex(rep + TDREPORT_OFF_RTMR0 + 3 * 48, 48), tst_hex(want, 48));
		teeabi_err e = teeabi_tdreport_verify_hashes(rep, sizeof(rep));
		if (e != TEEABI_OK)
			tst_fail("after EXTEND_RTMR %s the TDREPORT hashes no longer verify: %s (%s)", names[c],
				 teeabi_err_name(e), teeabi_err_msg(e));
	}
	close(fd);
	if (!tst_fail_count())
		tst_pass("RTMR3 = SHA-384(old || data) after both EXTEND_RTMR encodings; TDREPORT hashes valid");
}

/* The node is the misc device the driver registers (misc_register()); a FUSE file is SKIP. */
static void t_node(void)
{
	tst_check_misc_node(DEV, "tdx_guest");
}

/* Every file operation, not only ioctl: the driver has no read or write op (rule 6 of issue
 * 17: mockfs answers these itself, so only this shows whether it answers as the kernel). */
static void t_no_rw(void)
{
	tst_check_misc_no_rw(DEV);
}

/* Every command on an fd of each open mode (tst_check_open_modes): GET_REPORT0 echoes its
 * REPORTDATA, an unknown command is ENOTTY, EXTEND_RTMR with index 4 (never an extend)
 * answers as the flavour's probe says. Some clients open the node O_RDONLY. */
static int om_report0(int fd, const char *mode)
{
	struct teeabi_tdx_report_req req;
	memset(&req, 0, sizeof(req));
	u_fill_pattern(req.reportdata, sizeof(req.reportdata));
	errno = 0;
	if (u_tdx_ioctl(fd, TEEABI_TDX_CMD_GET_REPORT0, &req) < 0)
		return errno;
	if (memcmp(req.tdreport + TDREPORT_OFF_REPORTDATA, req.reportdata, 64) || req.tdreport[0] != 0x81)
		tst_fail("GET_REPORT0 on an fd opened %s: REPORTTYPE %02x, REPORTDATA %s, want 81 and %s", mode,
			 req.tdreport[0], tst_hex(req.tdreport + TDREPORT_OFF_REPORTDATA, 64), tst_hex(req.reportdata, 64));
	return 0;
}

static int om_unknown(int fd, const char *mode)
{
	(void)mode;
	errno = 0;
	return ioctl(fd, _IO('T', 0x7f)) < 0 ? errno : 0;
}

static int om_extend(int fd, unsigned long cmd)
{
	struct teeabi_tdx_extend_rtmr_req req;
	u_fill_pattern(req.data, sizeof(req.data));
	req.index = 4; /* no TDX module extends RTMR4 */
	errno = 0;
	return u_tdx_ioctl(fd, cmd, &req) < 0 ? errno : 0;
}

static int om_extend_ior(int fd, const char *mode) { (void)mode; return om_extend(fd, TEEABI_TDX_CMD_EXTEND_RTMR); }
static int om_extend_iow(int fd, const char *mode) { (void)mode; return om_extend(fd, TEEABI_TDX_CMD_EXTEND_RTMR_IOW); }

static void t_open_modes(void)
{
	enum teeabi_tdx_flavour f = tst_profile->tdx_guest;
	/* index 4: ENOTTY upstream, EINVAL from the dstack module's own check (0.5.9+); before it,
	 * and on Intel's driver, the TDX module answers: whatever O_RDWR gets. */
	int ext = f == TEEABI_TDX_UPSTREAM ? ENOTTY
		: f == TEEABI_TDX_DSTACK_MOD && tst_profile->tdx_extend_index_check ? EINVAL : -1;
	const struct tst_dev_op ops[] = {
		{ "GET_REPORT0", om_report0, 0 },
		{ "_IO('T',0x7f) (unknown)", om_unknown, ENOTTY },
		{ "EXTEND_RTMR _IOR index 4", om_extend_ior, ext },
		{ "EXTEND_RTMR _IOW index 4", om_extend_iow, ext },
	};
	tst_check_open_modes(DEV, ops, sizeof(ops) / sizeof(ops[0]));
}

static const struct tst_test tests[] = {
	{ .name = "tdx_guest.node.misc_chardev", .fn = t_node, .needs_dev = DEV },
	{ .name = "tdx_guest.node.no_read_write", .fn = t_no_rw, .needs_dev = DEV },
	{ .name = "tdx_guest.ioctl.every_open_mode", .fn = t_open_modes, .needs_dev = DEV },
	{ .name = "tdx_guest.report0.reportdata_echo", .fn = t_reportdata_echo, .needs_dev = DEV },
	{ .name = "tdx_guest.report0.type", .fn = t_report_type, .needs_dev = DEV },
	{ .name = "tdx_guest.report0.fixed_values", .fn = t_report_values, .needs_dev = DEV },
	{ .name = "tdx_guest.report0.hashes", .fn = t_report_hashes, .needs_dev = DEV },
	{ .name = "tdx_guest.report0.stable_fields", .fn = t_report_stable, .needs_dev = DEV },
	{ .name = "tdx_guest.report0.vs_measurements", .fn = t_report_vs_measurements, .needs_dev = DEV,
	  .needs_profile = has_mr },
	{ .name = "tdx_guest.report0.efault", .fn = t_efault, .needs_dev = DEV },
	{ .name = "tdx_guest.report0.writes_only_tdreport", .fn = t_reportdata_read_only, .needs_dev = DEV },
	{ .name = "tdx_guest.report0.canary_every_byte", .fn = t_report0_canary, .needs_dev = DEV },
	{ .name = "tdx_guest.ioctl.unknown_enotty", .fn = t_unknown_cmd, .needs_dev = DEV },
	{ .name = "tdx_guest.flavour.legacy_numbers", .fn = t_legacy_absent, .needs_dev = DEV },
	{ .name = "tdx_guest.flavour.extend_ior", .fn = t_extend_ior, .needs_dev = DEV },
	{ .name = "tdx_guest.flavour.extend_iow", .fn = t_extend_iow, .needs_dev = DEV },
	{ .name = "tdx_guest.extend.index_check", .fn = t_extend_index, .needs_dev = DEV, .needs_profile = is_dstack_mod },
	{ .name = "tdx_guest.extend.rtmr3_ioctl", .fn = t_extend_rtmr3, .needs_dev = DEV, .needs_profile = is_dstack_mod,
	  .destructive = true },
	{ 0 },
};

TST_SUITE("tdx_guest", tests)
