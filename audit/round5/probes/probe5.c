/* SPDX-License-Identifier: Apache-2.0 */
/*
 * probe5.c - round 5's additions to the audit client (audit/probes/probe.c), compiled by the
 * probes that need it. Real paths only.
 *
 *   probe5 extend-data IOR|IOW IDX   dstack EXTEND_RTMR with data 0x11 x 48: rc, and how many
 *                                    of the 48 data bytes still hold 0x11 after the call
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

int main(int argc, char **argv)
{
	if (argc >= 4 && !strcmp(argv[1], "extend-data"))
		return extend_data(argv[2], atoi(argv[3]));
	fprintf(stderr, "usage: probe5 extend-data IOR|IOW IDX\n");
	return 2;
}
