/* SPDX-License-Identifier: Apache-2.0 */
/*
 * probe5.c - round 5's additions to the audit client (audit/probes/probe.c), compiled by the
 * probes that need it. Real paths only.
 *
 *   probe5 extend-data IOR|IOW IDX   dstack EXTEND_RTMR with data 0x11 x 48: rc, and how many
 *                                    of the 48 data bytes still hold 0x11 after the call
 *   probe5 sev-cmd-size               SNP_GET_REPORT and SNP_GET_DERIVED_KEY requests sent with the
 *                                    right type and number but another size or direction
 */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <unistd.h>
#include "teeabi/abi.h"

static int extend_data(const char *how, int idx)
{
	struct teeabi_tdx_extend_rtmr_req q;
	int fd = open("/dev/tdx_guest", O_RDWR);
	if (fd < 0) {
		printf("open: errno=%d\n", errno);
		return 2;
	}
	memset(&q, 0, sizeof(q));
	memset(q.data, 0x11, sizeof(q.data));
	q.index = (uint8_t)idx;
	unsigned long cmd = !strcmp(how, "IOW") ? TEEABI_TDX_CMD_EXTEND_RTMR_IOW : TEEABI_TDX_CMD_EXTEND_RTMR;
	int rc = ioctl(fd, cmd, &q);
	size_t same = 0;
	for (size_t i = 0; i < sizeof(q.data); i++)
		same += q.data[i] == 0x11;
	printf("extend %s index=%d rc=%d errno=%d data_unchanged=%zu index_after=%u\n", how, idx, rc, rc ? errno : 0, same,
	       q.index);
	close(fd);
	return 0;
}

/* a valid request under command numbers that differ from the ABI in size or direction */
static int sev_cmd_size(void)
{
	static const struct { const char *name; unsigned long cmd; } c[] = {
		{ "IOWR(S,0,24)", _IOC(_IOC_READ | _IOC_WRITE, 0x53, 0, 24) },
		{ "IOR(S,0,32)", _IOC(_IOC_READ, 0x53, 0, 32) },
		{ "IOWR(S,1,40)", _IOC(_IOC_READ | _IOC_WRITE, 0x53, 1, 40) },
	};
	static struct teeabi_snp_ext_report_req q;
	static uint8_t resp[4000];
	int fd = open("/dev/sev-guest", O_RDWR);
	if (fd < 0) {
		printf("open: errno=%d\n", errno);
		return 2;
	}
	for (size_t i = 0; i < sizeof(c) / sizeof(c[0]); i++) {
		struct teeabi_snp_guest_request_ioctl io;
		memset(&io, 0, sizeof(io));
		memset(&q, 0, sizeof(q));
		io.msg_version = 1;
		io.req_data = (uint64_t)(uintptr_t)&q;
		io.resp_data = (uint64_t)(uintptr_t)resp;
		int rc = ioctl(fd, c[i].cmd, &io);
		printf("%s rc=%d errno=%d\n", c[i].name, rc, rc ? errno : 0);
	}
	close(fd);
	return 0;
}

int main(int argc, char **argv)
{
	if (argc >= 4 && !strcmp(argv[1], "extend-data"))
		return extend_data(argv[2], atoi(argv[3]));
	if (argc >= 2 && !strcmp(argv[1], "sev-cmd-size"))
		return sev_cmd_size();
	fprintf(stderr, "usage: probe5 extend-data IOR|IOW IDX | sev-cmd-size\n");
	return 2;
}
