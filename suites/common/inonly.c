/* SPDX-License-Identifier: Apache-2.0 */
/* suites/common/inonly.c - see inonly.h. */
#include "inonly.h"

#include <errno.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/uio.h>
#include <unistd.h>

#include "teeabi/abi.h"
#include "teeabi/profile.h"
#include "tst.h"

#define MAX_SPANS 4

/* Copy len bytes at addr of this process into out; false when any of them is unreadable
 * (process_vm_readv() reports EFAULT instead of faulting the test). */
static bool snap(uintptr_t addr, size_t len, uint8_t *out)
{
	if (!addr || !len)
		return false;
	struct iovec l = { .iov_base = out, .iov_len = len };
	struct iovec r = { .iov_base = (void *)addr, .iov_len = len };
	ssize_t n = process_vm_readv(getpid(), &l, 1, &r, 1, 0);
	if (n < 0 && errno != EFAULT) /* e.g. ENOSYS without CONFIG_CROSS_MEMORY_ATTACH: never a silent pass */
		tst_brk(TST_BROK, "process_vm_readv on the test's own memory: %s (the input-only check cannot run)",
			tst_errno_name(errno));
	return n == (ssize_t)len;
}

struct shot {
	const struct u_in_span *s;
	uint8_t *before; /* NULL: not readable before the call, not checked */
};

static void take(struct shot *sh, const struct u_in_span *in, size_t n)
{
	for (size_t i = 0; i < n; i++) {
		sh[i].s = &in[i];
		sh[i].before = malloc(in[i].len ? in[i].len : 1);
		if (!sh[i].before)
			tst_brk(TST_BROK, "malloc");
		if (!snap(in[i].addr, in[i].len, sh[i].before)) {
			free(sh[i].before);
			sh[i].before = NULL;
		}
	}
}

/* Compare and free; returns how many spans changed (one FAIL each). */
static int judge(struct shot *sh, size_t n, const char *what, const char *result)
{
	int changed = 0;
	for (size_t i = 0; i < n; i++) {
		if (!sh[i].before)
			continue;
		const struct u_in_span *s = sh[i].s;
		const uint8_t *now = (const uint8_t *)s->addr;
		size_t j = 0;
		while (j < s->len && now[j] == sh[i].before[j])
			j++;
		if (j < s->len) {
			size_t k = s->len;
			while (k > j && now[k - 1] == sh[i].before[k - 1])
				k--;
			tst_fail("%s (%s) changed the input-only %s (%zu bytes): bytes [%zu, %zu) are %s, were %s", what, result,
				 s->name, s->len, j, k, tst_hex(now + j, k - j), tst_hex(sh[i].before + j, k - j));
			changed++;
		}
		free(sh[i].before);
	}
	return changed;
}

static const char *result_name(int rc, int e)
{
	return rc == 0 ? "success" : rc > 0 ? "non-zero status" : tst_errno_name(e);
}

int u_ioctl_in(int fd, unsigned long cmd, void *arg, const struct u_in_span *in, size_t n, const char *what)
{
	struct shot sh[MAX_SPANS];
	if (n > MAX_SPANS)
		tst_brk(TST_BROK, "u_ioctl_in: %zu spans, at most %d", n, MAX_SPANS);
	take(sh, in, n);
	errno = 0;
	int rc = ioctl(fd, cmd, arg);
	int e = errno;
	judge(sh, n, what, result_name(rc, e));
	errno = e;
	return rc;
}

int u_tdx_ioctl(int fd, unsigned long cmd, void *arg)
{
	char what[64];
	struct u_in_span s = { (uintptr_t)arg, _IOC_SIZE(cmd), "argument" };
	switch (cmd) {
	case TEEABI_TDX_CMD_GET_REPORT0:
		s.len = TEEABI_TDX_REPORTDATA_LEN;
		s.name = "reportdata";
		snprintf(what, sizeof(what), "GET_REPORT0");
		break;
	case TEEABI_TDX_CMD_EXTEND_RTMR:
	case TEEABI_TDX_CMD_EXTEND_RTMR_IOW:
		s.len = sizeof(struct teeabi_tdx_extend_rtmr_req);
		s.name = "request (data, index)";
		snprintf(what, sizeof(what), "EXTEND_RTMR 0x%08lx", cmd);
		break;
	default:
		/* The numbers only Intel's downstream driver implements write their argument
		 * (VERIFY_REPORT's err_code): judged as unknown commands on the other flavours. */
		if (tst_profile->tdx_guest == TEEABI_TDX_INTEL)
			return ioctl(fd, cmd, arg);
		snprintf(what, sizeof(what), "command 0x%08lx", cmd);
		break;
	}
	return u_ioctl_in(fd, cmd, arg, &s, 1, what);
}

int u_sev_ioctl(int fd, unsigned long cmd, struct teeabi_snp_guest_request_ioctl *h)
{
	static const char *const names[] = { "SNP_GET_REPORT", "SNP_GET_DERIVED_KEY", "SNP_GET_EXT_REPORT" };
	unsigned nr = _IOC_NR(cmd);
	bool known = _IOC_TYPE(cmd) == 'S' && nr < 3 && cmd == (unsigned long)_IOWR('S', nr, *h);
	size_t rlen = !known ? 0 : nr == 0 ? sizeof(struct teeabi_snp_report_req) : nr == 1 ? sizeof(struct teeabi_snp_derived_key_req) : offsetof(struct teeabi_snp_ext_report_req, certs_len);
	char what[64];
	snprintf(what, sizeof(what), "%s", known ? names[nr] : "an unknown command");
	if (!h)
		return ioctl(fd, cmd, h);
	uintptr_t req = 0;
	uint8_t hb[8];
	if (snap((uintptr_t)&h->req_data, 8, hb))
		memcpy(&req, hb, sizeof(req));
	struct u_in_span in[3] = {
		{ (uintptr_t)h, offsetof(struct teeabi_snp_guest_request_ioctl, exitinfo2), "header (msg_version, req_data, resp_data)" },
		{ req, rlen, "request behind req_data" },
		{ req + offsetof(struct teeabi_snp_ext_report_req, certs_len), nr == 2 && known ? 8 : 0,
		  "request's certs_len and tail (only INVALID_LEN rewrites certs_len)" },
	};
	struct shot sh[3];
	take(sh, in, 3);
	errno = 0;
	int rc = ioctl(fd, cmd, h);
	int e = errno;
	uint32_t vmm = 0;
	if (sh[0].before)
		vmm = h->vmm_error;
	if (sh[2].before && vmm == TEEABI_SNP_VMM_ERR_INVALID_LEN) {
		/* certs_len is the host's answer here; the 4 bytes of tail padding stay */
		memcpy(sh[2].before, (const uint8_t *)in[2].addr, 4);
	}
	judge(sh, 3, what, result_name(rc, e));
	errno = e;
	return rc;
}
