/* SPDX-License-Identifier: Apache-2.0 */
/*
 * probe.c - the blind audit's client: reaches the guest interfaces only through their real
 * paths (open/ioctl/read/write on /dev/tdx_guest, /dev/sev-guest, the measurements files),
 * as any client would, and prints what it sees as "key=value" lines, so that the output on
 * a patched model can be diffed against the output on the unpatched one.
 *
 *   probe tdreport               GET_REPORT0 with reportdata 00..3f, the 1088-byte request
 *                                pre-filled with 0xA5 after the reportdata: prints the
 *                                TDREPORT by 64-byte rows and how many 0xA5 bytes are left
 *   probe extend IOR|IOW IDX     dstack EXTEND_RTMR through the _IOR or _IOW number
 *   probe mr NAME OFF LEN        pread of a measurements file
 *   probe sev-report VMPL        SNP_GET_REPORT (msg_version 1): rc, errno, exitinfo2, status, report rows
 *   probe sev-ext PAGES [VMPL]          SNP_GET_EXT_REPORT with PAGES pages pre-filled with 0xA5
 *   probe sev-key GFS SVN VMPL [ROOT]  SNP_GET_DERIVED_KEY: rc, status, key (ROOT: root_key_select)
 *   probe sev-ext-rows PAGES VMPL  sev-ext, and the report's signed part by 64-byte rows "ext[..]" (round 3)
 *   probe sev-report-tail       SNP_GET_REPORT into a response pre-filled with 0x5A: what bytes
 *                               0x4C0..4000 (after MSG_REPORT_RSP) hold (round 3)
 *   probe sev-wipe-key          a MSG_KEY_REQ of msg_version 2 (rejected by the firmware), then
 *                               SNP_GET_REPORT and SNP_GET_DERIVED_KEY with version 1 (round 3)
 *   probe sev-key-tcb GFS TCB   SNP_GET_DERIVED_KEY at the guest's VMPL 0 with tcb_version TCB (round 3)
 *   probe tdreport-ro            GET_REPORT0 with the request in a read-only page: rc (errno)
 *   probe sev-null               each of the three commands with resp_data 0: rc (errno)
 *   probe sev-report-ro          SNP_GET_REPORT with resp_data in a read-only page: rc
 *   probe sev-wipe               a MSG_REPORT_REQ of msg_version 2 (rejected by the firmware),
 *                                then SNP_GET_REPORT and SNP_GET_DERIVED_KEY with version 1
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

static void hexrows(const char *tag, const uint8_t *p, size_t n)
{
	for (size_t o = 0; o < n; o += 64) {
		printf("%s[%04zx]=", tag, o);
		for (size_t i = o; i < n && i < o + 64; i++)
			printf("%02x", p[i]);
		printf("\n");
	}
}

static size_t count_byte(const uint8_t *p, size_t n, uint8_t b)
{
	size_t c = 0;
	for (size_t i = 0; i < n; i++)
		c += p[i] == b;
	return c;
}

static int dev(const char *path)
{
	int fd = open(path, O_RDWR);
	if (fd < 0) {
		printf("open %s: errno=%d\n", path, errno);
		exit(2);
	}
	return fd;
}

static int tdreport(void)
{
	struct teeabi_tdx_report_req r;
	int fd = dev("/dev/tdx_guest");
	for (int i = 0; i < 64; i++)
		r.reportdata[i] = (uint8_t)i;
	memset(r.tdreport, 0xA5, sizeof(r.tdreport));
	int rc = ioctl(fd, TEEABI_TDX_CMD_GET_REPORT0, &r);
	printf("rc=%d errno=%d\n", rc, rc ? errno : 0);
	printf("canary_left=%zu\n", count_byte(r.tdreport, sizeof(r.tdreport), 0xA5));
	printf("last_byte=%02x\n", r.tdreport[1023]);
	hexrows("tdreport", r.tdreport, sizeof(r.tdreport));
	return 0;
}

static int extend(const char *how, int idx)
{
	struct teeabi_tdx_extend_rtmr_req q;
	int fd = dev("/dev/tdx_guest");
	memset(q.data, 0x11, sizeof(q.data));
	q.index = (uint8_t)idx;
	unsigned long cmd = !strcmp(how, "IOW") ? TEEABI_TDX_CMD_EXTEND_RTMR_IOW : TEEABI_TDX_CMD_EXTEND_RTMR;
	int rc = ioctl(fd, cmd, &q);
	printf("extend %s index=%d rc=%d errno=%d\n", how, idx, rc, rc ? errno : 0);
	return 0;
}

static int mr(const char *name, long off, long len)
{
	char path[256];
	uint8_t buf[256];
	snprintf(path, sizeof(path), "/sys/devices/virtual/misc/tdx_guest/measurements/%s", name);
	int fd = open(path, O_RDONLY);
	if (fd < 0) {
		printf("open %s: errno=%d\n", name, errno);
		return 2;
	}
	memset(buf, 0xA5, sizeof(buf));
	ssize_t n = pread(fd, buf, (size_t)len, off);
	printf("%s off=%ld len=%ld n=%zd errno=%d\n", name, off, len, n, n < 0 ? errno : 0);
	if (n > 0)
		hexrows(name, buf, (size_t)n);
	close(fd);
	return 0;
}

static int sev_req(int fd, unsigned long cmd, uint8_t ver, void *req, void *resp, struct teeabi_snp_guest_request_ioctl *io)
{
	memset(io, 0, sizeof(*io));
	io->msg_version = ver;
	io->req_data = (uint64_t)(uintptr_t)req;
	io->resp_data = (uint64_t)(uintptr_t)resp;
	int rc = ioctl(fd, cmd, io);
	return rc ? -errno : 0;
}

static int sev_report(unsigned vmpl)
{
	struct teeabi_snp_report_req q;
	static struct teeabi_snp_report_resp r;
	struct teeabi_snp_guest_request_ioctl io;
	int fd = dev("/dev/sev-guest");
	memset(&q, 0, sizeof(q));
	for (int i = 0; i < 64; i++)
		q.user_data[i] = (uint8_t)(0x40 + i);
	q.vmpl = vmpl;
	int rc = sev_req(fd, TEEABI_SNP_GET_REPORT, 1, &q, &r, &io);
	uint32_t st;
	memcpy(&st, r.data, 4);
	printf("rc=%d exitinfo2=%llx status=%x\n", rc, (unsigned long long)io.exitinfo2, rc ? 0 : st);
	if (!rc)
		hexrows("report", r.data + 0x20, 0x2A0); /* the signed part; the signature differs each time */
	return 0;
}

static int sev_report_tail(void)
{
	struct teeabi_snp_report_req q;
	static struct teeabi_snp_report_resp r;
	struct teeabi_snp_guest_request_ioctl io;
	const size_t lo = 0x4C0, n = sizeof(r.data) - 0x4C0;
	int fd = dev("/dev/sev-guest");
	memset(&q, 0, sizeof(q));
	memset(r.data, 0x5A, sizeof(r.data));
	int rc = sev_req(fd, TEEABI_SNP_GET_REPORT, 1, &q, &r, &io);
	printf("rc=%d tail: zero=%zu canary=%zu other=%zu of %zu\n", rc, count_byte(r.data + lo, n, 0),
	       count_byte(r.data + lo, n, 0x5A), n - count_byte(r.data + lo, n, 0) - count_byte(r.data + lo, n, 0x5A), n);
	return 0;
}

static int sev_report_ro(void)
{
	struct teeabi_snp_report_req q;
	struct teeabi_snp_guest_request_ioctl io;
	int fd = dev("/dev/sev-guest");
	void *ro = mmap(NULL, 4096, PROT_READ, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	if (ro == MAP_FAILED)
		return 2;
	memset(&q, 0, sizeof(q));
	int rc = sev_req(fd, TEEABI_SNP_GET_REPORT, 1, &q, ro, &io);
	printf("read-only resp_data: rc=%d exitinfo2=%llx\n", rc, (unsigned long long)io.exitinfo2);
	return 0;
}

static int ext_rows; /* sev-ext-rows: also print the report */

static int sev_ext(unsigned pages, unsigned vmpl)
{
	struct teeabi_snp_ext_report_req q;
	static struct teeabi_snp_report_resp r;
	struct teeabi_snp_guest_request_ioctl io;
	size_t len = (size_t)pages * 4096;
	uint8_t *certs = malloc(len ? len : 1);
	int fd = dev("/dev/sev-guest");
	memset(&q, 0, sizeof(q));
	memset(certs, 0xA5, len ? len : 1);
	q.certs_address = (uint64_t)(uintptr_t)certs;
	q.certs_len = (uint32_t)len;
	q.data.vmpl = vmpl;
	for (int i = 0; ext_rows && i < 64; i++)
		q.data.user_data[i] = (uint8_t)(0x40 + i);
	int rc = sev_req(fd, TEEABI_SNP_GET_EXT_REPORT, 1, &q, &r, &io);
	printf("rc=%d exitinfo2=%llx certs_len_after=%u\n", rc, (unsigned long long)io.exitinfo2, q.certs_len);
	printf("canary_left=%zu of %zu\n", count_byte(certs, len, 0xA5), len);
	size_t lastnz = 0;
	for (size_t i = 0; i < len; i++)
		if (certs[i] && certs[i] != 0xA5)
			lastnz = i + 1;
	printf("certs_data_end=%zu\n", lastnz);
	if (!rc) {
		uint32_t st, v;
		memcpy(&st, r.data, 4);
		memcpy(&v, r.data + 0x20 + 0x30, 4);
		printf("status=%x report.vmpl=%u\n", st, st ? 0 : v);
		hexrows("table", certs, 96);
		if (ext_rows)
			hexrows("ext", r.data + 0x20, 0x2A0);
	}
	free(certs);
	return 0;
}

static int sev_key(unsigned long long gfs, unsigned svn, unsigned vmpl, unsigned root)
{
	struct teeabi_snp_derived_key_req q;
	struct teeabi_snp_derived_key_resp r;
	struct teeabi_snp_guest_request_ioctl io;
	int fd = dev("/dev/sev-guest");
	memset(&q, 0, sizeof(q));
	memset(&r, 0, sizeof(r));
	q.guest_field_select = gfs;
	q.guest_svn = svn;
	q.vmpl = vmpl;
	q.root_key_select = root;
	int rc = sev_req(fd, TEEABI_SNP_GET_DERIVED_KEY, 1, &q, &r, &io);
	printf("key root=%u gfs=%llx svn=%u vmpl=%u rc=%d exitinfo2=%llx\n", root, gfs, svn, vmpl, rc, (unsigned long long)io.exitinfo2);
	hexrows("keyresp", r.data, 64);
	return 0;
}

static int sev_key_tcb(unsigned long long gfs, unsigned long long tcb)
{
	struct teeabi_snp_derived_key_req q;
	struct teeabi_snp_derived_key_resp r;
	struct teeabi_snp_guest_request_ioctl io;
	int fd = dev("/dev/sev-guest");
	memset(&q, 0, sizeof(q));
	memset(&r, 0, sizeof(r));
	q.guest_field_select = gfs;
	q.tcb_version = tcb;
	int rc = sev_req(fd, TEEABI_SNP_GET_DERIVED_KEY, 1, &q, &r, &io);
	printf("key gfs=%llx tcb=%llx rc=%d exitinfo2=%llx\n", gfs, tcb, rc, (unsigned long long)io.exitinfo2);
	hexrows("keyresp", r.data, 64);
	return 0;
}

static int sev_wipe_key(void)
{
	static struct teeabi_snp_report_resp r;
	struct teeabi_snp_report_req q = { .vmpl = 0 };
	struct teeabi_snp_derived_key_req k = { .vmpl = 0 };
	struct teeabi_snp_derived_key_resp kr;
	struct teeabi_snp_guest_request_ioctl io;
	int fd = dev("/dev/sev-guest");
	int rc = sev_req(fd, TEEABI_SNP_GET_DERIVED_KEY, 2, &k, &kr, &io);
	printf("key msg_version=2 rc=%d exitinfo2=%llx\n", rc, (unsigned long long)io.exitinfo2);
	rc = sev_req(fd, TEEABI_SNP_GET_REPORT, 1, &q, &r, &io);
	printf("report after rc=%d exitinfo2=%llx\n", rc, (unsigned long long)io.exitinfo2);
	rc = sev_req(fd, TEEABI_SNP_GET_DERIVED_KEY, 1, &k, &kr, &io);
	printf("derived key after rc=%d exitinfo2=%llx\n", rc, (unsigned long long)io.exitinfo2);
	return 0;
}

static int sev_wipe(void)
{
	static struct teeabi_snp_report_resp r;
	struct teeabi_snp_report_req q = { .vmpl = 0 };
	struct teeabi_snp_derived_key_req k = { .vmpl = 3 };
	struct teeabi_snp_derived_key_resp kr;
	struct teeabi_snp_guest_request_ioctl io;
	int fd = dev("/dev/sev-guest");
	int rc = sev_req(fd, TEEABI_SNP_GET_REPORT, 2, &q, &r, &io);
	printf("report msg_version=2 rc=%d exitinfo2=%llx\n", rc, (unsigned long long)io.exitinfo2);
	rc = sev_req(fd, TEEABI_SNP_GET_REPORT, 1, &q, &r, &io);
	printf("report after rc=%d exitinfo2=%llx\n", rc, (unsigned long long)io.exitinfo2);
	rc = sev_req(fd, TEEABI_SNP_GET_DERIVED_KEY, 1, &k, &kr, &io);
	printf("derived key after rc=%d exitinfo2=%llx\n", rc, (unsigned long long)io.exitinfo2);
	struct teeabi_snp_ext_report_req e;
	memset(&e, 0, sizeof(e));
	rc = sev_req(fd, TEEABI_SNP_GET_EXT_REPORT, 1, &e, &r, &io);
	printf("ext report after rc=%d exitinfo2=%llx\n", rc, (unsigned long long)io.exitinfo2);
	return 0;
}

/* GET_REPORT0 whose request (reportdata and tdreport halves) is in a PROT_READ page */
static int tdreport_ro(void)
{
	int fd = dev("/dev/tdx_guest");
	uint8_t *p = mmap(NULL, 4096, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	if (p == MAP_FAILED)
		return 2;
	memset(p, 0, 4096);
	mprotect(p, 4096, PROT_READ);
	int rc = ioctl(fd, TEEABI_TDX_CMD_GET_REPORT0, p) ? -errno : 0;
	printf("report0 read-only request: rc=%d\n", rc);
	return 0;
}

/* each command with a valid request but resp_data 0 */
static int sev_null(void)
{
	static const struct { const char *name; unsigned long cmd; } c[] = {
		{ "report", TEEABI_SNP_GET_REPORT },
		{ "key", TEEABI_SNP_GET_DERIVED_KEY },
		{ "ext", TEEABI_SNP_GET_EXT_REPORT },
	};
	static struct teeabi_snp_ext_report_req q; /* the largest request; certs_len 0 */
	struct teeabi_snp_guest_request_ioctl io;
	int fd = dev("/dev/sev-guest");
	for (size_t i = 0; i < sizeof(c) / sizeof(c[0]); i++) {
		memset(&q, 0, sizeof(q));
		int rc = sev_req(fd, c[i].cmd, 1, &q, NULL, &io);
		printf("%s resp_data=0 rc=%d\n", c[i].name, rc);
	}
	return 0;
}

int main(int argc, char **argv)
{
	setvbuf(stdout, NULL, _IOLBF, 0);
	if (argc >= 2 && !strcmp(argv[1], "tdreport"))
		return tdreport();
	if (argc >= 4 && !strcmp(argv[1], "extend"))
		return extend(argv[2], atoi(argv[3]));
	if (argc >= 5 && !strcmp(argv[1], "mr"))
		return mr(argv[2], atol(argv[3]), atol(argv[4]));
	if (argc >= 3 && !strcmp(argv[1], "sev-report"))
		return sev_report((unsigned)atoi(argv[2]));
	if (argc >= 2 && !strcmp(argv[1], "sev-report-ro"))
		return sev_report_ro();
	if (argc >= 3 && !strcmp(argv[1], "sev-ext"))
		return sev_ext((unsigned)atoi(argv[2]), argc >= 4 ? (unsigned)atoi(argv[3]) : 0);
	if (argc >= 5 && !strcmp(argv[1], "sev-key"))
		return sev_key(strtoull(argv[2], NULL, 0), (unsigned)atoi(argv[3]), (unsigned)atoi(argv[4]),
			       argc >= 6 ? (unsigned)atoi(argv[5]) : 0);
	if (argc >= 2 && !strcmp(argv[1], "tdreport-ro"))
		return tdreport_ro();
	if (argc >= 2 && !strcmp(argv[1], "sev-null"))
		return sev_null();
	if (argc >= 4 && !strcmp(argv[1], "sev-ext-rows")) {
		ext_rows = 1;
		return sev_ext((unsigned)atoi(argv[2]), (unsigned)atoi(argv[3]));
	}
	if (argc >= 2 && !strcmp(argv[1], "sev-report-tail"))
		return sev_report_tail();
	if (argc >= 2 && !strcmp(argv[1], "sev-wipe-key"))
		return sev_wipe_key();
	if (argc >= 4 && !strcmp(argv[1], "sev-key-tcb"))
		return sev_key_tcb(strtoull(argv[2], NULL, 0), strtoull(argv[3], NULL, 0));
	if (argc >= 2 && !strcmp(argv[1], "sev-wipe"))
		return sev_wipe();
	fprintf(stderr, "usage: see the comment at the top of probe.c\n");
	return 2;
}
