/* SPDX-License-Identifier: Apache-2.0 */
/*
 * kernel-lane/fwd/fwd.c - teeabi-fwd, the firmware daemon of the kernel lane's guest: the
 * TDX module and the AMD PSP that the hardware shims of the kernel's unmodified
 * tdx-guest.c / sev-guest.c talk to, through /dev/teeabi_fw (kernel-lane/shim/teeabi_fw.h).
 * The firmware is the project's device model (mocks/model), so the evidence the kernel
 * serves is the same signed evidence mockenv serves.
 *
 *   teeabi-fwd --profile NAME [--fault NAME]... [--device PATH] [--ready FILE]
 *
 * Opens the device, creates FILE (when given) once attached, then answers requests until
 * the device is closed or a signal ends it. Exit 0 on SIGTERM, 1 on an error.
 */
#include <errno.h>
#include <fcntl.h>
#include <getopt.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include "model.h"
#include "teeabi/profile.h"
#include "../shim/teeabi_fw.h"

static volatile sig_atomic_t stop;
static void on_term(int sig) { (void)sig; stop = 1; }

/* One answer: status and payload, written in one write() as the channel requires. */
static int answer(int fd, uint32_t seq, int32_t status, uint64_t val, const void *p, uint32_t len, uint8_t *scratch)
{
	struct teeabi_fw_ans a = { .seq = seq, .status = status, .val = val, .len = len };
	memcpy(scratch, &a, sizeof(a));
	if (len)
		memcpy(scratch + sizeof(a), p, len);
	ssize_t w = write(fd, scratch, sizeof(a) + len);
	if (w < 0) {
		fprintf(stderr, "teeabi-fwd: answer %u: %s\n", seq, strerror(errno));
		return -1;
	}
	return 0;
}

/* TDG.MR.REPORT, TDG.MR.RTMR.EXTEND, GetQuote by the model; status is the TDCALL return
 * code (RAX >> 32) or the GHCI GetQuote status. */
static int serve(struct tm_dev *d, int fd, const struct teeabi_fw_req *r, const uint8_t *in, uint8_t *scratch)
{
	uint8_t rep[1024];
	switch (r->op) {
	case TEEABI_FW_TDX_REPORT0:
		if (r->len != 64 || r->outcap < sizeof(rep))
			return answer(fd, r->seq, (int32_t)0xc0000100, 0, NULL, 0, scratch);
		if (tm_tdx_tdreport(d, in, rep))
			return answer(fd, r->seq, (int32_t)0xc0000100, 0, NULL, 0, scratch);
		return answer(fd, r->seq, 0, 0, rep, sizeof(rep), scratch);
	case TEEABI_FW_TDX_EXTEND:
		if (r->len != 48 || tm_tdx_rtmr_extend(d, (unsigned)r->arg, in))
			return answer(fd, r->seq, (int32_t)0xc0000100, 0, NULL, 0, scratch);
		return answer(fd, r->seq, 0, 0, NULL, 0, scratch);
	case TEEABI_FW_TDX_QUOTE: {
		uint8_t *q = NULL;
		size_t ql = 0;
		if (r->len != 1024 || tm_tdx_quote(d, in, &q, &ql) || ql > r->outcap) {
			free(q);
			return answer(fd, r->seq, 1, 0, NULL, 0, scratch); /* GET_QUOTE_ERROR */
		}
		int rc = answer(fd, r->seq, 0, 0, q, (uint32_t)ql, scratch);
		free(q);
		return rc;
	}
	default:
		fprintf(stderr, "teeabi-fwd: unknown op %u\n", r->op);
		return answer(fd, r->seq, -1, 0, NULL, 0, scratch);
	}
}

int main(int argc, char **argv)
{
	const char *profile = NULL, *dev = "/dev/teeabi_fw", *ready = NULL;
	uint64_t faults = 0;
	static const struct option lo[] = {
		{ "profile", required_argument, 0, 'p' }, { "fault", required_argument, 0, 'f' },
		{ "device", required_argument, 0, 'd' }, { "ready", required_argument, 0, 'r' },
		{ 0, 0, 0, 0 } };
	int c;
	while ((c = getopt_long(argc, argv, "", lo, NULL)) != -1) {
		switch (c) {
		case 'p': profile = optarg; break;
		case 'd': dev = optarg; break;
		case 'r': ready = optarg; break;
		case 'f': {
			int f = tm_fault_lookup(optarg);
			if (f < 0) {
				fprintf(stderr, "teeabi-fwd: unknown fault %s\n", optarg);
				return 2;
			}
			faults |= TM_FAULT_BIT(f);
			break;
		}
		default:
			fprintf(stderr, "usage: teeabi-fwd --profile NAME [--fault NAME]... [--device PATH] [--ready FILE]\n");
			return 2;
		}
	}
	if (!profile || optind != argc) {
		fprintf(stderr, "usage: teeabi-fwd --profile NAME [--fault NAME]... [--device PATH] [--ready FILE]\n");
		return 2;
	}
	struct teeabi_profile p;
	char err[256];
	if (teeabi_profile_load(teeabi_profile_dir(), profile, &p, err, sizeof(err))) {
		fprintf(stderr, "teeabi-fwd: profile %s: %s\n", profile, err);
		return 1;
	}
	struct tm_dev *d = tm_new(&p, faults);
	if (!d) {
		fprintf(stderr, "teeabi-fwd: cannot create the model\n");
		return 1;
	}
	int fd = open(dev, O_RDWR | O_CLOEXEC);
	if (fd < 0) {
		fprintf(stderr, "teeabi-fwd: %s: %s\n", dev, strerror(errno));
		return 1;
	}
	struct sigaction sa = { .sa_handler = on_term };
	sigaction(SIGTERM, &sa, NULL);
	sigaction(SIGINT, &sa, NULL);
	if (ready) {
		int rf = open(ready, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
		if (rf < 0 || close(rf)) {
			fprintf(stderr, "teeabi-fwd: %s: %s\n", ready, strerror(errno));
			return 1;
		}
	}
	size_t cap = sizeof(struct teeabi_fw_req) + TEEABI_FW_MAX_PAYLOAD;
	uint8_t *buf = malloc(cap), *scratch = malloc(sizeof(struct teeabi_fw_ans) + TEEABI_FW_MAX_PAYLOAD);
	if (!buf || !scratch)
		return 1;
	unsigned long served = 0;
	while (!stop) {
		ssize_t n = read(fd, buf, cap);
		if (n < 0) {
			if (errno == EINTR || errno == EAGAIN)
				continue;
			fprintf(stderr, "teeabi-fwd: read: %s\n", strerror(errno));
			return 1;
		}
		struct teeabi_fw_req r;
		if ((size_t)n < sizeof(r)) {
			fprintf(stderr, "teeabi-fwd: short request (%zd bytes)\n", n);
			return 1;
		}
		memcpy(&r, buf, sizeof(r));
		if (sizeof(r) + r.len != (size_t)n) {
			fprintf(stderr, "teeabi-fwd: request %u: length %u does not match %zd\n", r.seq, r.len, n);
			return 1;
		}
		if (serve(d, fd, &r, buf + sizeof(r), scratch) && errno != ESRCH)
			return 1;
		served++;
	}
	fprintf(stderr, "teeabi-fwd: %lu requests served\n", served);
	tm_free(d);
	return 0;
}
