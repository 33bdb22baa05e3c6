// SPDX-License-Identifier: GPL-2.0
/*
 * tdx_shim.c - what arch/x86/coco/tdx/tdx.c does for tdx-guest.c, with the TDX module and
 * the VMM replaced by the firmware model behind teeabi_fw (kernel-lane/DESIGN.md).
 *
 * The TDCALL status is mapped to an errno exactly as the kernel's wrappers of the same
 * version do (arch/x86/coco/tdx/tdx.c, tdx_mcall_get_report0(), tdx_mcall_extend_rtmr()):
 * INVALID_OPERAND is -EINVAL before 6.16 and -ENXIO from 6.16, OPERAND_BUSY is -EBUSY from
 * 6.16, anything else -EIO.
 */
#include "tdx_shim.h"
#include <linux/module.h>
#include <linux/string.h>
#include <linux/version.h>
#include <asm/cpu_device_id.h>
#include <asm/tdx.h>
#include "teeabi_fw.h"
#include "teeabi_fw_call.h"

#define SHIM_REPORTDATA_LEN 64
#define SHIM_TDREPORT_LEN 1024
#define SHIM_RTMR_EXTEND_LEN 48
#define TDCALL_INVALID_OPERAND 0xc0000100
#define TDCALL_OPERAND_BUSY 0x80000200

/* status: the TDCALL return code, TDCALL_RETURN_CODE(RAX) */
static int tdcall_errno(s32 status)
{
	u32 rc = (u32)status;

	if (!status)
		return 0;
#if LINUX_VERSION_CODE >= KERNEL_VERSION(6, 16, 0)
	if (rc == TDCALL_INVALID_OPERAND)
		return -ENXIO;
	if (rc == TDCALL_OPERAND_BUSY)
		return -EBUSY;
#else
	if (rc == TDCALL_INVALID_OPERAND)
		return -EINVAL;
#endif
	return -EIO;
}

/* The daemon answers with the TDCALL return code (RAX >> 32) as status. */
int tdx_mcall_get_report0(u8 *reportdata, u8 *tdreport)
{
	u32 len = 0;
	s32 st = 0;
	int ret;

	ret = teeabi_fw_call(TEEABI_FW_TDX_REPORT0, 0, reportdata, SHIM_REPORTDATA_LEN,
			     tdreport, SHIM_TDREPORT_LEN, &len, NULL, &st);
	if (ret)
		return -EIO;    /* no firmware: what a failed TDCALL gives */
	if (st)
		return tdcall_errno(st);
	return len == SHIM_TDREPORT_LEN ? 0 : -EIO;
}

int tdx_mcall_extend_rtmr(u8 index, u8 *data)
{
	s32 st = 0;
	int ret;

	ret = teeabi_fw_call(TEEABI_FW_TDX_EXTEND, index, data, SHIM_RTMR_EXTEND_LEN,
			     NULL, 0, NULL, NULL, &st);
	return ret ? -EIO : tdcall_errno(st);
}

/* The GHCI GetQuote buffer (TDX GHCI 1.0, TDG.VP.VMCALL<GetQuote>). */
struct shim_quote_buf {
	u64 version;
	u64 status;
	u32 in_len;
	u32 out_len;
	u8 data[];
};

/*
 * TDG.VP.VMCALL<GetQuote>: the VMM takes the TDREPORT from the shared buffer and, later,
 * writes the quote and the status into it. The model answers at once, so the buffer is
 * complete when the hypercall returns (the driver's wait sees the status already final).
 * Returns the TDVMCALL status: 0, or TDVMCALL_STATUS_INVALID_OPERAND for a bad buffer.
 */
u64 tdx_hcall_get_quote(u8 *buf, size_t size)
{
	struct shim_quote_buf *qb = (struct shim_quote_buf *)buf;
	size_t cap = size - sizeof(*qb);
	u8 report[SHIM_TDREPORT_LEN];
	u32 len = 0;
	s32 st = 0;
	int ret;

	if (size < sizeof(*qb) + SHIM_TDREPORT_LEN || qb->in_len != SHIM_TDREPORT_LEN)
		return 0x8000000000000000ULL;   /* TDVMCALL_STATUS_INVALID_OPERAND */
	memcpy(report, qb->data, sizeof(report));
	ret = teeabi_fw_call(TEEABI_FW_TDX_QUOTE, 0, report, sizeof(report), qb->data,
			     min_t(size_t, cap, TEEABI_FW_MAX_PAYLOAD), &len, NULL, &st);
	if (ret) {
		qb->status = 0x8000000000000000ULL;  /* GET_QUOTE_ERROR */
		qb->out_len = 0;
		return 0;
	}
	qb->out_len = len;
	WRITE_ONCE(qb->status, st ? (u64)(u32)st | 0x8000000000000000ULL : 0);
	return 0;
}

/* The CPU-feature gate: the lane's guest is a TD as far as the driver can tell. */
const struct x86_cpu_id *x86_match_cpu(const struct x86_cpu_id *match)
{
	return match;
}
