/* SPDX-License-Identifier: GPL-2.0 */
/*
 * teeabi_fw.h - the kernel lane's firmware channel: how the shims that stand in for the
 * TDX module and the AMD PSP reach the project's firmware model, which runs as a user-space
 * daemon (kernel-lane/fwd.c) in the lane's guest. Shared by the kernel side
 * (teeabi_fw.c, the shims) and the daemon. See kernel-lane/DESIGN.md.
 *
 * The daemon opens /dev/teeabi_fw and loops: read() returns one request (header +
 * payload), write() gives its answer (header + payload). One request is in flight at a
 * time; a caller waits until the answer, the daemon's close (-EIO) or a timeout.
 */
#ifndef TEEABI_FW_H
#define TEEABI_FW_H

#ifdef __KERNEL__
#include <linux/types.h>
#else
#include <stdint.h>
typedef uint32_t __u32;
typedef int32_t __s32;
typedef uint64_t __u64;
#endif

#define TEEABI_FW_MAX_PAYLOAD (256u << 10)

enum teeabi_fw_op {
	TEEABI_FW_TDX_REPORT0 = 1,  /* in reportdata[64], out TDREPORT[1024]; status: TDCALL RAX */
	TEEABI_FW_TDX_QUOTE = 2,    /* in TDREPORT[1024], out quote; status: GHCI GetQuote status */
	TEEABI_FW_TDX_EXTEND = 3,   /* arg RTMR index, in data[48]; status: TDCALL RAX */
	TEEABI_FW_SNP_MSG = 4,      /* GHCB guest request. arg: bit 0 extended request, bits
				     * 32-63 certificate pages offered; in: the encrypted
				     * request page (4096); out: the response page, then (ext)
				     * the certificate pages; val: SW_EXITINFO2; status: pages
				     * the host wants (ext, VMM INVALID_LEN) */
	TEEABI_FW_SNP_SECRETS = 5,  /* out: the secrets page (4096) with the VMPCKs */
};

struct teeabi_fw_req {
	__u32 seq;      /* echoed in the answer */
	__u32 op;       /* enum teeabi_fw_op */
	__u64 arg;
	__u32 len;      /* payload bytes that follow */
	__u32 outcap;   /* most payload bytes the answer may carry */
};

struct teeabi_fw_ans {
	__u32 seq;
	__s32 status;   /* as the firmware reports it (0 success) */
	__u64 val;      /* op-specific (e.g. SNP vmm error) */
	__u32 len;      /* payload bytes that follow */
	__u32 pad;
};

#endif
