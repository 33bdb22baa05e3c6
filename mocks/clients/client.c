/* SPDX-License-Identifier: Apache-2.0 */
/*
 * client - a libc-only attestation client used by scripts/check.d/30-mockenv.sh to show
 * that a statically linked and a dynamically linked program see the same interfaces
 * through mockenv (built twice: build/bin/client_static with gcc -static, client_dyn).
 * It computes no cryptography: evidence is printed as hex (`key=value` lines) and checked
 * by the script with build/bin/teeabi-parse.
 *
 *   client tdreport HEX64                 GET_REPORT0; reportdata=, rtmr3=, tdreport=
 *   client extend-ioctl IDX HEX48 [iow]   dstack EXTEND_RTMR (_IOR, or _IOW); extend=0|errno
 *   client extend-sysfs IDX HEX48         write measurements/rtmrIDX:sha384; extend=0|errno
 *   client rtmr-sysfs IDX                 rtmr=HEX from measurements
 *   client quote HEX64 ENTRY [keep]       configfs: mkdir, generation, inblob, outblob,
 *                                         generation, rmdir (not with keep);
 *                                         gen_before=, gen_after=, outblob=
 *   client gen-loop ENTRY ROUNDS          configfs generation protocol ROUNDS times on
 *                                         ENTRY (made if absent, never removed), with
 *                                         retry on a generation conflict; checks the
 *                                         report data echo; prints ok rounds= retries=
 *   client snp-report HEX64               SNP_GET_REPORT; status=, report=
 *   client snp-ext HEX64                  SNP_GET_EXT_REPORT with the certificate-size
 *                                         protocol: first_errno=, first_vmm_error=,
 *                                         certs_len=, report=, certs=
 *   client spin SECONDS                   GET_REPORT0 in a loop (to be killed mid-request)
 * Exit: 0 ok, 1 an operation failed (printed), 2 usage.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "teeabi/abi.h"
#include "hexarg.h"

#define REPORT_ROOT "/sys/kernel/config/tsm/report"
/* docs/formats.md: TDX quote v4 = 48-byte header + TD10 body; REPORTDATA at body 520 */
#define QUOTE_REPORTDATA_OFF (48 + 520)
/* SNP ATTESTATION_REPORT: REPORT_DATA at 0x50 */
#define SNP_REPORTDATA_OFF 0x50
/* TDREPORT: REPORTMACSTRUCT.REPORTDATA at 128; TDINFO at 512, RTMR3 at TDINFO+16+4*48+3*48 */
#define TDREPORT_REPORTDATA_OFF 128
#define TDREPORT_RTMR3_OFF (512 + 16 + 4 * 48 + 3 * 48)

static const char *ename(int e)
{
	switch (e) {
	case 0: return "0";
	case EINVAL: return "EINVAL";
	case EIO: return "EIO";
	case EFAULT: return "EFAULT";
	case ENOTTY: return "ENOTTY";
	case ENOENT: return "ENOENT";
	case EACCES: return "EACCES";
	case EBUSY: return "EBUSY";
	case ENXIO: return "ENXIO";
	case EEXIST: return "EEXIST";
	case EPERM: return "EPERM";
	case EFBIG: return "EFBIG";
	case ENOSPC: return "ENOSPC";
	default: return "E?";
	}
}

static int open_dev(const char *path)
{
	int fd = open(path, O_RDWR | O_CLOEXEC);
	if (fd < 0)
		printf("open_errno=%s\n", ename(errno));
	return fd;
}

/* whole-file read; returns length or -errno */
static long read_all(const char *path, uint8_t *buf, size_t cap)
{
	int fd = open(path, O_RDONLY | O_CLOEXEC);
	size_t n = 0;
	if (fd < 0)
		return -errno;
	for (;;) {
		ssize_t r = read(fd, buf + n, cap - n);
		if (r < 0) {
			int e = errno;
			close(fd);
			return -e;
		}
		if (r == 0)
			break;
		n += (size_t)r;
		if (n == cap)
			break;
	}
	close(fd);
	return (long)n;
}

static int write_all(const char *path, const void *buf, size_t len)
{
	int fd = open(path, O_WRONLY | O_CLOEXEC);
	if (fd < 0)
		return -errno;
	ssize_t r = write(fd, buf, len);
	int e = errno;
	if (close(fd) < 0 && r >= 0)
		return -errno;
	return r == (ssize_t)len ? 0 : r < 0 ? -e : -EIO;
}

static long read_gen(const char *entry)
{
	char p[600];
	uint8_t b[32];
	snprintf(p, sizeof(p), "%s/%s/generation", REPORT_ROOT, entry);
	long n = read_all(p, b, sizeof(b) - 1);
	if (n <= 0)
		return -1;
	b[n] = 0;
	return strtol((char *)b, NULL, 10);
}

static int c_tdreport(const char *hex)
{
	struct teeabi_tdx_report_req r;
	memset(&r, 0, sizeof(r));
	if (hexarg_decode(hex, r.reportdata, sizeof(r.reportdata)))
		return 2;
	int fd = open_dev(TEEABI_DEV_TDX_GUEST);
	if (fd < 0)
		return 1;
	int rc = ioctl(fd, TEEABI_TDX_CMD_GET_REPORT0, &r);
	close(fd);
	if (rc < 0) {
		printf("tdreport_errno=%s\n", ename(errno));
		return 1;
	}
	hexarg_print("reportdata", r.tdreport + TDREPORT_REPORTDATA_OFF, 64);
	hexarg_print("rtmr3", r.tdreport + TDREPORT_RTMR3_OFF, 48);
	hexarg_print("tdreport", r.tdreport, sizeof(r.tdreport));
	return 0;
}

static int c_extend_ioctl(const char *idx, const char *hex, int iow)
{
	struct teeabi_tdx_extend_rtmr_req r;
	memset(&r, 0, sizeof(r));
	if (hexarg_decode(hex, r.data, sizeof(r.data)))
		return 2;
	r.index = (uint8_t)atoi(idx);
	int fd = open_dev(TEEABI_DEV_TDX_GUEST);
	if (fd < 0)
		return 1;
	int rc = ioctl(fd, iow ? TEEABI_TDX_CMD_EXTEND_RTMR_IOW : TEEABI_TDX_CMD_EXTEND_RTMR, &r);
	int e = errno;
	close(fd);
	printf("extend=%s\n", rc < 0 ? ename(e) : "0");
	return rc < 0;
}

static int c_extend_sysfs(const char *idx, const char *hex)
{
	uint8_t d[48];
	char p[300];
	if (hexarg_decode(hex, d, sizeof(d)))
		return 2;
	snprintf(p, sizeof(p), "%s/rtmr%d:sha384", TEEABI_TDX_MEASUREMENTS_DIR, atoi(idx));
	int rc = write_all(p, d, sizeof(d));
	printf("extend=%s\n", ename(-rc));
	return rc != 0;
}

static int c_rtmr_sysfs(const char *idx)
{
	uint8_t d[64];
	char p[300];
	snprintf(p, sizeof(p), "%s/rtmr%d:sha384", TEEABI_TDX_MEASUREMENTS_DIR, atoi(idx));
	long n = read_all(p, d, sizeof(d));
	if (n != 48) {
		printf("rtmr_errno=%s len=%ld\n", n < 0 ? ename((int)-n) : "short", n);
		return 1;
	}
	hexarg_print("rtmr", d, 48);
	return 0;
}

static int c_quote(const char *hex, const char *entry, int keep)
{
	uint8_t in[64];
	static uint8_t out[1 << 20];
	char e[512], p[600];
	if (hexarg_decode(hex, in, sizeof(in)) || strchr(entry, '/'))
		return 2;
	snprintf(e, sizeof(e), "%s/%s", REPORT_ROOT, entry);
	if (mkdir(e, 0755) < 0 && !(keep && errno == EEXIST)) {
		printf("mkdir_errno=%s\n", ename(errno));
		return 1;
	}
	long g0 = read_gen(entry);
	snprintf(p, sizeof(p), "%s/inblob", e);
	int rc = write_all(p, in, sizeof(in));
	long n = -1;
	if (rc == 0) {
		snprintf(p, sizeof(p), "%s/outblob", e);
		n = read_all(p, out, sizeof(out));
	}
	long g1 = read_gen(entry);
	if (!keep && rmdir(e) < 0)
		printf("rmdir_errno=%s\n", ename(errno));
	printf("gen_before=%ld\ngen_after=%ld\n", g0, g1);
	if (rc) {
		printf("inblob_errno=%s\n", ename(-rc));
		return 1;
	}
	if (n <= 0) {
		printf("outblob_errno=%s\n", n < 0 ? ename((int)-n) : "empty");
		return 1;
	}
	hexarg_print("outblob", out, (size_t)n);
	return 0;
}

static int c_gen_loop(const char *entry, int rounds)
{
	static uint8_t out[1 << 20];
	char e[512], p[600];
	uint8_t prov[32] = { 0 };
	unsigned long retries = 0;
	snprintf(e, sizeof(e), "%s/%s", REPORT_ROOT, entry);
	if (mkdir(e, 0755) < 0 && errno != EEXIST) {
		printf("FAIL mkdir %s: %s\n", entry, ename(errno));
		return 1;
	}
	snprintf(p, sizeof(p), "%s/provider", e);
	if (read_all(p, prov, sizeof(prov) - 1) <= 0) {
		printf("FAIL provider unreadable\n");
		return 1;
	}
	size_t off = !strncmp((char *)prov, "sev_guest", 9) ? SNP_REPORTDATA_OFF : QUOTE_REPORTDATA_OFF;
	for (int r = 0; r < rounds; r++) {
		uint8_t in[64];
		for (int i = 0; i < 64; i++)
			in[i] = (uint8_t)(getpid() * 131 + r * 7 + i);
		for (int attempt = 0;; attempt++) {
			if (attempt > 10000) {
				printf("FAIL round %d: no conflict-free generation in 10000 attempts\n", r);
				return 1;
			}
			long g0 = read_gen(entry);
			snprintf(p, sizeof(p), "%s/inblob", e);
			int rc = write_all(p, in, sizeof(in));
			if (rc) {
				printf("FAIL round %d: inblob: %s\n", r, ename(-rc));
				return 1;
			}
			snprintf(p, sizeof(p), "%s/outblob", e);
			long n = read_all(p, out, sizeof(out));
			long g1 = read_gen(entry);
			if (n < 0 && n != -EBUSY) {
				printf("FAIL round %d: outblob: %s\n", r, ename((int)-n));
				return 1;
			}
			if (g0 < 0 || g1 < 0) {
				printf("FAIL round %d: generation unreadable\n", r);
				return 1;
			}
			if (n < 0 || g1 != g0 + 1) {
				retries++; /* another writer came between: the protocol says retry */
				continue;
			}
			if ((size_t)n < off + 64 || memcmp(out + off, in, 64)) {
				printf("FAIL round %d: generation %ld..%ld consistent but the outblob does not carry our report data\n",
				       r, g0, g1);
				return 1;
			}
			break;
		}
	}
	printf("ok rounds=%d retries=%lu\n", rounds, retries);
	return 0;
}

static int c_snp_report(const char *hex)
{
	struct teeabi_snp_report_req req;
	static struct teeabi_snp_report_resp resp;
	struct teeabi_snp_guest_request_ioctl io;
	memset(&req, 0, sizeof(req));
	memset(&io, 0, sizeof(io));
	if (hexarg_decode(hex, req.user_data, 64))
		return 2;
	io.msg_version = 1;
	io.req_data = (uint64_t)(uintptr_t)&req;
	io.resp_data = (uint64_t)(uintptr_t)&resp;
	int fd = open_dev(TEEABI_DEV_SEV_GUEST);
	if (fd < 0)
		return 1;
	int rc = ioctl(fd, TEEABI_SNP_GET_REPORT, &io);
	int e = errno;
	close(fd);
	if (rc < 0) {
		printf("report_errno=%s exitinfo2=0x%llx\n", ename(e), (unsigned long long)io.exitinfo2);
		return 1;
	}
	uint32_t st;
	memcpy(&st, resp.data, 4);
	printf("status=%u\n", st);
	hexarg_print("report", resp.data + TEEABI_SNP_MSG_REPORT_RSP_HDR, TEEABI_SNP_REPORT_LEN);
	return 0;
}

static int c_snp_ext(const char *hex)
{
	struct teeabi_snp_ext_report_req req;
	static struct teeabi_snp_report_resp resp;
	struct teeabi_snp_guest_request_ioctl io;
	memset(&req, 0, sizeof(req));
	if (hexarg_decode(hex, req.data.user_data, 64))
		return 2;
	int fd = open_dev(TEEABI_DEV_SEV_GUEST);
	if (fd < 0)
		return 1;
	uint8_t *certs = aligned_alloc(4096, 64 * 4096);
	if (!certs)
		return 1;
	/* 1: offer one page: too small for the GUID table + VCEK/ASK/ARK -> EIO, length back */
	memset(&io, 0, sizeof(io));
	io.msg_version = 1;
	io.req_data = (uint64_t)(uintptr_t)&req;
	io.resp_data = (uint64_t)(uintptr_t)&resp;
	req.certs_address = (uint64_t)(uintptr_t)certs;
	req.certs_len = 4096;
	int rc = ioctl(fd, TEEABI_SNP_GET_EXT_REPORT, &io);
	printf("first_errno=%s\nfirst_vmm_error=%u\ncerts_len=%u\n", rc < 0 ? ename(errno) : "0", io.vmm_error, req.certs_len);
	if (rc == 0 || req.certs_len <= 4096 || req.certs_len > 64 * 4096) {
		free(certs);
		close(fd);
		printf("FAIL first call did not ask for a larger buffer\n");
		return 1;
	}
	/* 2: the size the kernel asked for */
	memset(&io, 0, sizeof(io));
	io.msg_version = 1;
	io.req_data = (uint64_t)(uintptr_t)&req;
	io.resp_data = (uint64_t)(uintptr_t)&resp;
	rc = ioctl(fd, TEEABI_SNP_GET_EXT_REPORT, &io);
	int e = errno;
	close(fd);
	if (rc < 0) {
		printf("second_errno=%s exitinfo2=0x%llx\n", ename(e), (unsigned long long)io.exitinfo2);
		free(certs);
		return 1;
	}
	uint32_t st;
	memcpy(&st, resp.data, 4);
	printf("status=%u\n", st);
	hexarg_print("report", resp.data + TEEABI_SNP_MSG_REPORT_RSP_HDR, TEEABI_SNP_REPORT_LEN);
	hexarg_print("certs", certs, req.certs_len);
	free(certs);
	return 0;
}

static int c_spin(double secs)
{
	struct timespec t0, t;
	struct teeabi_tdx_report_req r;
	memset(&r, 0x5a, sizeof(r));
	int fd = open_dev(TEEABI_DEV_TDX_GUEST);
	if (fd < 0)
		return 1;
	clock_gettime(CLOCK_MONOTONIC, &t0);
	unsigned long n = 0;
	do {
		if (ioctl(fd, TEEABI_TDX_CMD_GET_REPORT0, &r) < 0) {
			printf("FAIL ioctl %s\n", ename(errno));
			return 1;
		}
		n++;
		clock_gettime(CLOCK_MONOTONIC, &t);
	} while ((double)(t.tv_sec - t0.tv_sec) + (double)(t.tv_nsec - t0.tv_nsec) / 1e9 < secs);
	close(fd);
	printf("spins=%lu\n", n);
	return 0;
}

int main(int argc, char **argv)
{
	setvbuf(stdout, NULL, _IOFBF, 1 << 16);
	if (argc >= 3 && !strcmp(argv[1], "tdreport"))
		return c_tdreport(argv[2]);
	if (argc >= 4 && !strcmp(argv[1], "extend-ioctl"))
		return c_extend_ioctl(argv[2], argv[3], argc > 4 && !strcmp(argv[4], "iow"));
	if (argc >= 4 && !strcmp(argv[1], "extend-sysfs"))
		return c_extend_sysfs(argv[2], argv[3]);
	if (argc >= 3 && !strcmp(argv[1], "rtmr-sysfs"))
		return c_rtmr_sysfs(argv[2]);
	if (argc >= 4 && !strcmp(argv[1], "quote"))
		return c_quote(argv[2], argv[3], argc > 4 && !strcmp(argv[4], "keep"));
	if (argc >= 4 && !strcmp(argv[1], "gen-loop"))
		return c_gen_loop(argv[2], atoi(argv[3]));
	if (argc >= 3 && !strcmp(argv[1], "snp-report"))
		return c_snp_report(argv[2]);
	if (argc >= 3 && !strcmp(argv[1], "snp-ext"))
		return c_snp_ext(argv[2]);
	if (argc >= 3 && !strcmp(argv[1], "spin"))
		return c_spin(atof(argv[2]));
	fprintf(stderr, "usage: see the header of mocks/clients/client.c\n");
	return 2;
}
