/* SPDX-License-Identifier: Apache-2.0 */
/*
 * probe6.c - round 6's addition to the audit client, compiled by the probes that need it.
 * Real paths only.
 *
 *   probe6 sev-ext-tail PAGES   SNP_GET_EXT_REPORT (VMPL 0) with PAGES pages pre-filled with
 *                               0xA5: rc, certs_len after, and per page how many bytes
 *                               still hold 0xA5 (the certificates' own bytes vary per run,
 *                               so only whole pages are compared)
 */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <unistd.h>
#include "teeabi/abi.h"

static int sev_ext_tail(unsigned pages)
{
	struct teeabi_snp_ext_report_req q;
	static struct teeabi_snp_report_resp r;
	struct teeabi_snp_guest_request_ioctl io;
	size_t len = (size_t)pages * 4096;
	uint8_t *certs = malloc(len ? len : 1);
	int fd = open("/dev/sev-guest", O_RDWR);
	if (fd < 0 || !certs) {
		printf("open: errno=%d\n", errno);
		return 2;
	}
	memset(&q, 0, sizeof(q));
	memset(certs, 0xA5, len ? len : 1);
	q.certs_address = (uint64_t)(uintptr_t)certs;
	q.certs_len = (uint32_t)len;
	memset(&io, 0, sizeof(io));
	io.msg_version = 1;
	io.req_data = (uint64_t)(uintptr_t)&q;
	io.resp_data = (uint64_t)(uintptr_t)&r;
	int rc = ioctl(fd, TEEABI_SNP_GET_EXT_REPORT, &io) ? -errno : 0;
	printf("rc=%d certs_len_after=%u\n", rc, q.certs_len);
	for (unsigned p = 0; p < pages; p++) {
		size_t c = 0;
		for (size_t i = 0; i < 4096; i++)
			c += certs[p * 4096 + i] == 0xA5;
		/* a page of certificate bytes holds a few 0xA5 by chance: "few" for 0..1023 */
		printf("page%u_canary=%s\n", p, c == 4096 ? "all" : c >= 1024 ? "many" : "few");
	}
	free(certs);
	close(fd);
	return 0;
}

int main(int argc, char **argv)
{
	if (argc >= 3 && !strcmp(argv[1], "sev-ext-tail"))
		return sev_ext_tail((unsigned)atoi(argv[2]));
	fprintf(stderr, "usage: see the comment at the top of probe6.c\n");
	return 2;
}
